from django.db import migrations


def load(apps, schema_editor):
    from amina.needs.reference import load_mcof_reference

    load_mcof_reference(apps.get_model("needs", "Sector"), apps.get_model("needs", "Phase"))


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
