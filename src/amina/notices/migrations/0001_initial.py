"""Notification and NotificationPreference move here from coordination, tables and rows
untouched: Django's state learns of them here (no SQL), and coordination.0003 forgets
them. Their content types (and so their admin permissions) follow them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("notification", "notificationpreference")


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="notices", model=model).exists():
            ContentType.objects.filter(app_label="coordination", model=model).update(
                app_label="notices"
            )


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="coordination", model=model).exists():
            ContentType.objects.filter(app_label="notices", model=model).update(
                app_label="coordination"
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("coordination", "0002_activities_plans_meetings_trainings"),
        ("geo", "0002_reference_geography"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(db_index=True, max_length=40, verbose_name="kind")),
                        ("subject", models.CharField(max_length=200, verbose_name="subject")),
                        ("body", models.TextField(blank=True, verbose_name="message")),
                        ("url", models.CharField(blank=True, max_length=300, verbose_name="link")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read")),
                        ("emailed_at", models.DateTimeField(blank=True, null=True, verbose_name="e-mailed")),
                        ("governorate", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="geo.governorate", verbose_name="governorate")),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL, verbose_name="recipient")),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "db_table": "coordination_notification",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="NotificationPreference",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=40, verbose_name="kind")),
                        ("in_app", models.BooleanField(default=True, verbose_name="in the app")),
                        ("email", models.BooleanField(default=True, verbose_name="by e-mail")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notification_preference_rows", to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "notification preference",
                        "verbose_name_plural": "notification preferences",
                        "db_table": "coordination_notificationpreference",
                        "constraints": [models.UniqueConstraint(fields=("user", "kind"), name="notification_pref_unique")],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
