from django.urls import path

from amina.coordination.views import activities, contacts, meetings, plans, trainings

app_name = "coordination"
urlpatterns = [
    path("", activities.activity_list, name="activity-list"),
    path("4w/new/", activities.activity_edit, name="activity-add"),
    path("4w/<int:pk>/", activities.activity_edit, name="activity-edit"),
    path("4w/import/", activities.activity_import, name="activity-import"),
    path("4w/export/", activities.activity_export, name="activity-export"),
    path("4w/matrix/", activities.matrix, name="matrix"),
    path("4w/map/", activities.activity_map, name="activity-map"),
    path("4w/map.geojson", activities.activity_geojson, name="activity-geojson"),
    path("4w/overlaps/", activities.overlaps, name="overlaps"),
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/new/", plans.plan_edit, name="plan-add"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/objectives/new/", plans.objective_add, name="objective-add"),
    path("plans/<int:pk>/targets/new/", plans.target_add, name="target-add"),
    path("meetings/", meetings.meeting_list, name="meeting-list"),
    path("meetings/new/", meetings.meeting_edit, name="meeting-add"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/minutes.pdf", meetings.meeting_minutes, name="meeting-minutes"),
    path(
        "action-points/<int:pk>/status/", meetings.action_point_status, name="action-point-status"
    ),
    path("contacts/", contacts.contact_list, name="contact-list"),
    path("contacts/new/", contacts.contact_add, name="contact-add"),
    path("contacts/<int:pk>/", contacts.contact_edit, name="contact-edit"),
    path("trainings/", trainings.training_list, name="training-list"),
    path("trainings/new/", trainings.training_edit, name="training-add"),
    path("trainings/statistics/", trainings.statistics, name="training-statistics"),
    path("trainings/<int:pk>/", trainings.training_detail, name="training-detail"),
    path("trainings/<int:pk>/edit/", trainings.training_edit, name="training-edit"),
    path("trainings/<int:pk>/participants/new/", trainings.participant_add, name="participant-add"),
    path("trainings/<int:pk>/results/", trainings.training_results, name="training-results"),
    path("participants/<int:pk>/certificate.pdf", trainings.certificate, name="certificate"),
    path("export/<str:kind>/", trainings.export, name="export"),
]
