"""Every existing location gets its stable code (issue 15): its DTM place id where it has
one, otherwise ``<governorate p-code>-L<number>`` numbered per governorate in the order
the rows were created. The sequence rows record the last number, so new locations
continue from there and no code is ever given twice."""

from django.db import migrations


def give_codes(apps, schema_editor):
    Location = apps.get_model("geo", "Location")
    Governorate = apps.get_model("geo", "Governorate")
    Sequence = apps.get_model("geo", "LocationCodeSequence")
    pcodes = dict(Governorate.objects.values_list("pk", "pcode"))
    taken = set(Location.objects.exclude(code=None).values_list("code", flat=True))
    numbers = {s.governorate_id: s.last_number for s in Sequence.objects.all()}
    changed = []
    for loc in Location.objects.filter(code=None).order_by("pk").iterator(chunk_size=2000):
        if loc.dtm_place_id and loc.dtm_place_id not in taken:
            loc.code = loc.dtm_place_id
        else:
            while True:
                numbers[loc.governorate_id] = numbers.get(loc.governorate_id, 0) + 1
                code = f"{pcodes[loc.governorate_id]}-L{numbers[loc.governorate_id]:06d}"
                if code not in taken:
                    break
            loc.code = code
        taken.add(loc.code)
        changed.append(loc)
        if len(changed) >= 2000:
            Location.objects.bulk_update(changed, ["code"])
            changed = []
    Location.objects.bulk_update(changed, ["code"])
    for governorate_id, last in numbers.items():
        Sequence.objects.update_or_create(
            governorate_id=governorate_id, defaults={"last_number": last}
        )


class Migration(migrations.Migration):
    dependencies = [("geo", "0004_location_code")]

    operations = [migrations.RunPython(give_codes, migrations.RunPython.noop)]
