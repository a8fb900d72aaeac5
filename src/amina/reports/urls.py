from django.urls import path

from amina.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("new/", views.report_create, name="report-create"),
    path("<int:pk>/", views.report_edit, name="report-edit"),
    path("<int:pk>/preview/", views.report_preview, name="report-preview"),
    path("<int:pk>/preview.pdf", views.report_preview_pdf, name="report-preview-pdf"),
    path("<int:pk>/publish/", views.report_publish, name="report-publish"),
    path("library/", views.library, name="library"),
    path("library/<int:pk>/", views.publication_detail, name="publication-detail"),
    path("library/<int:pk>/download/", views.publication_download, name="publication-download"),
    path("datasets/", views.datasets, name="datasets"),
    path("datasets/<slug:name>.<str:fmt>", views.dataset_download, name="dataset-download"),
    path("datasets/<slug:name>.<str:fmt>/publish/", views.dataset_publish, name="dataset-publish"),
    path("maps/governorates.svg", views.map_download, name="map-download"),
    path("maps/governorates.svg/publish/", views.map_publish, name="map-publish"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/<int:pk>/toggle/", views.schedule_toggle, name="schedule-toggle"),
]
