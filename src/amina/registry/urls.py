from django.urls import path

from amina.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("register/check/", views.check, name="check"),
    path("households/<int:pk>/", views.detail, name="detail"),
    path("households/<int:pk>/close/", views.close, name="close"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/run/", views.dedupe_start, name="dedupe-start"),
    path("duplicates/<int:pk>/", views.duplicate, name="duplicate"),
    path("weights/", views.weights, name="weights"),
    path("import/", views.import_view, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import-preview"),
    path("export/", views.export, name="export"),
]
