"""Recompute the members' name keys with the Kurdish-aware folding.

``amina.lib.arabic`` now folds Central Kurdish spelling onto Arabic ("محەمەد" = "محمد",
"دهۆک" = "دهوك") and "وو" onto "و" ("داوود" = "داود"). Search and the duplicate
warning compare stored keys with keys computed now, so every stored key is computed
again with the rule in force (``amina.registry.names.member_keys``, the one function
that registration and imports use).
"""

from django.db import migrations

KEYS = ("key_first", "key_father", "key_grandfather", "key_family", "key_latin")


def recompute(apps, schema_editor):
    from amina.registry.names import member_keys

    Member = apps.get_model("registry", "Member")  # noqa: N806
    fields = (
        "first_name_ar",
        "father_name_ar",
        "grandfather_name_ar",
        "family_name_ar",
        "name_latin",
    )
    changed = []
    for member in Member.objects.only("pk", *fields, *KEYS).iterator(chunk_size=5000):
        keys = member_keys(*(getattr(member, f) for f in fields))
        if any(getattr(member, k) != keys[k] for k in KEYS):
            for k in KEYS:
                setattr(member, k, keys[k])
            changed.append(member)
        if len(changed) >= 5000:
            Member.objects.bulk_update(changed, KEYS)
            changed = []
    if changed:
        Member.objects.bulk_update(changed, KEYS)


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_duplicatecandidate_kind")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
