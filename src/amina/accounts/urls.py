from django.contrib.auth import views as auth_views
from django.urls import path

from amina.accounts import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url="/accounts/profile/"),
        name="password_change",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/token/", views.regenerate_token, name="regenerate-token"),
    path("profile/token/revoke/", views.revoke_token, name="revoke-token"),
]
