from django.urls import path

from amina.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("read/", views.notification_read, name="notification-read"),
    path("preferences/", views.notification_preferences, name="notification-preferences"),
]
