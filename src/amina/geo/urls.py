from django.urls import path

from amina.geo import views

app_name = "geo"
urlpatterns = [
    path("governorates/", views.governorate_list, name="governorate-list"),
    path("governorates/<str:pcode>/", views.governorate_detail, name="governorate-detail"),
    path(
        "governorates/<str:pcode>/districts.geojson",
        views.districts_geojson,
        name="districts-geojson",
    ),
    path("districts/<str:pcode>/", views.district_detail, name="district-detail"),
    path("locations/", views.location_list, name="location-list"),
    path("locations/add/", views.location_add, name="location-add"),
    path("locations/<int:pk>/", views.location_detail, name="location-detail"),
    path("locations/<int:pk>/edit/", views.location_edit, name="location-edit"),
    path("map/", views.map_view, name="map"),
    path("boundaries/", views.boundaries_upload, name="boundaries-upload"),
    path("map/governorates.geojson", views.governorates_geojson, name="governorates-geojson"),
    path("boundaries.geojson", views.boundaries_geojson, name="boundaries-geojson"),
]
