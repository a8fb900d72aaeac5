"""The reference geography: Iraq's 18 governorates and the 101 districts of the 2019 COD.

Loaded from the project's own copies in ``amina/geo/fixtures`` (OCHA/CSO COD-AB 2019,
ISO 3166-2, DTM spellings). Re-running updates names and codes in place.
"""

from django.db import migrations


def load(apps, schema_editor):
    from amina.geo.reference import load_reference_geography

    load_reference_geography(
        apps.get_model("geo", "Governorate"),
        apps.get_model("geo", "District"),
        apps.get_model("geo", "PlaceAlias"),
    )


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
