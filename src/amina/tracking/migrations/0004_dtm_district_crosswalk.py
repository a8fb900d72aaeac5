from django.db import migrations


def seed(apps, schema_editor):
    from amina.tracking.crosswalk import seed_dtm_districts

    seed_dtm_districts(apps.get_model("geo", "District"), apps.get_model("geo", "PlaceAlias"))


def unseed(apps, schema_editor):
    from amina.tracking.crosswalk import DTM_DISTRICTS

    apps.get_model("geo", "PlaceAlias").objects.filter(
        source="dtm", name__in=[name for name, _ in DTM_DISTRICTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0003_rounds_assessments_alerts"),
        ("geo", "0002_reference_geography"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
