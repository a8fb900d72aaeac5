from django.contrib import admin

from amina.audit.admin_base import AuditedAdmin
from amina.coordination.models import (
    ActionPoint,
    Activity,
    Meeting,
    Objective,
    Participant,
    ResponsePlan,
    Target,
    Training,
)


@admin.register(Activity)
class ActivityAdmin(AuditedAdmin):
    list_display = [
        "organisation",
        "sector",
        "activity_type",
        "governorate",
        "start_date",
        "status",
        "people_reached",
    ]
    list_filter = ["status", "sector", "governorate"]
    raw_id_fields = ["location", "district", "reported_by"]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(ResponsePlan)
class ResponsePlanAdmin(AuditedAdmin):
    list_display = ["title", "governorate", "start_date", "end_date"]
    inlines = [ObjectiveInline]


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = ["plan", "sector", "governorate", "measure", "quantity", "deadline"]


class ActionPointInline(admin.TabularInline):
    model = ActionPoint
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["title", "date", "governorate"]
    inlines = [ActionPointInline]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0


@admin.register(Training)
class TrainingAdmin(AuditedAdmin):
    list_display = ["title", "start_date", "end_date", "governorate", "organiser"]
    inlines = [ParticipantInline]
