from django.db import migrations


def load(apps, schema_editor):
    from amina.tracking.reference import load_tracking_reference

    load_tracking_reference(apps.get_model("tracking", "ShelterType"),
                            apps.get_model("tracking", "DisplacementPeriod"))


class Migration(migrations.Migration):
    dependencies = [("tracking", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
