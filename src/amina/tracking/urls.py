from django.urls import path

from amina.tracking.views import entry, figures, imports

app_name = "tracking"
urlpatterns = [
    path("", figures.figures, name="figures"),
    path("rounds/", figures.round_list, name="rounds"),
    path("rounds/<slug:code>/", figures.round_detail, name="round"),
    path("rounds/<slug:code>/partial/", entry.round_partial, name="round-partial"),
    path("governorates/<str:pcode>/", figures.governorate, name="governorate"),
    path("export/<str:kind>.<str:fmt>", figures.download, name="export"),
    path("assessments/new/", entry.assessment_new, name="assessment-new"),
    path("assessments/<int:pk>/", entry.assessment_detail, name="assessment"),
    path("movements/", entry.movement_list, name="movements"),
    path("movements/new/", entry.movement_new, name="movement-new"),
    path("alerts/", entry.alert_list, name="alerts"),
    path("alerts/rules/new/", entry.rule_new, name="rule-new"),
    path("import/", imports.upload, name="import"),
    path("import/<int:pk>/", imports.preview, name="import-preview"),
    path("import/<int:pk>/commit/", imports.commit, name="import-commit"),
]
