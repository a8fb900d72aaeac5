"""Boundaries move out of the governorate and district rows into their own table, and
are simplified on the way (issue 12: a million-vertex outline went to every page)."""

import django.db.models.deletion
from django.db import migrations, models


def move_boundaries(apps, schema_editor):
    from amina.geo.boundaries import BadGeometry, simplify, vertex_count

    Boundary = apps.get_model("geo", "Boundary")
    for model_name in ("Governorate", "District"):
        model = apps.get_model("geo", model_name)
        for place in model.objects.exclude(boundary=None).iterator(chunk_size=20):
            try:
                geometry = simplify(place.boundary)
            except BadGeometry:
                continue  # an outline the new checks refuse: import it again
            Boundary.objects.create(
                **{model_name.lower(): place},
                geometry=geometry,
                vertices=vertex_count(geometry),
                source="moved from the place row",
            )


def move_back(apps, schema_editor):
    Boundary = apps.get_model("geo", "Boundary")
    for outline in Boundary.objects.select_related("governorate", "district"):
        place = outline.governorate or outline.district
        place.boundary = outline.geometry
        place.save(update_fields=["boundary"])


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_reference_geography"),
    ]

    operations = [
        migrations.CreateModel(
            name="Boundary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("geometry", models.JSONField(verbose_name="boundary (GeoJSON geometry)")),
                ("vertices", models.PositiveIntegerField(default=0, verbose_name="vertices")),
                ("source", models.CharField(blank=True, max_length=200, verbose_name="source")),
                ("imported_at", models.DateTimeField(auto_now=True, verbose_name="imported at")),
                (
                    "district",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="outline",
                        to="geo.district",
                        verbose_name="district",
                    ),
                ),
                (
                    "governorate",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="outline",
                        to="geo.governorate",
                        verbose_name="governorate",
                    ),
                ),
            ],
            options={
                "verbose_name": "boundary",
                "verbose_name_plural": "boundaries",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("district__isnull", True), ("governorate__isnull", False)),
                            models.Q(("district__isnull", False), ("governorate__isnull", True)),
                            _connector="OR",
                        ),
                        name="boundary_one_target",
                    )
                ],
            },
        ),
        migrations.RunPython(move_boundaries, move_back),
        migrations.RemoveField(model_name="district", name="boundary"),
        migrations.RemoveField(model_name="governorate", name="boundary"),
        migrations.AlterField(
            model_name="location",
            name="needs_review",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Its district could not be matched, or it was created from a file that "
                    "gave neither an official code nor coordinates of its own: someone must "
                    "check it."
                ),
                verbose_name="needs review",
            ),
        ),
    ]
