from django.urls import path

from amina.needs import views

app_name = "needs"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("governorates/<str:pcode>/", views.governorate, name="governorate"),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/new/", views.assessment_create, name="assessment-create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("gaps/", views.gaps, name="gaps"),
    path("import/", views.import_view, name="import"),
    path("xlsform/", views.xlsform_download, name="xlsform"),
    path("export/", views.export_download, name="export"),
    path("reference/", views.reference, name="reference"),
]
