"""Notification and NotificationPreference now belong to amina.notices (a platform
service): coordination forgets them in Django's state only. Their tables keep their
names and rows (notices.0001 declares ``db_table``)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("coordination", "0002_activities_plans_meetings_trainings"),
        ("notices", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="NotificationPreference"),
            ],
        ),
    ]
