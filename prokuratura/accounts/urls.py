from django.urls import path

from .views import admin, auth

app_name = "accounts"

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("profile/", auth.profile, name="profile"),
    path("profile/language/", auth.profile_language, name="profile_language"),
    path("password/", auth.password_change, name="password_change"),
    path("2fa/setup/", auth.otp_setup, name="otp_setup"),
    path("2fa/verify/", auth.otp_verify, name="otp_verify"),
    path("2fa/disable/", auth.otp_disable, name="otp_disable"),
    path("tokens/", auth.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", auth.token_revoke, name="token_revoke"),
    path("users/", admin.user_list, name="user_list"),
    path("users/add/", admin.user_add, name="user_add"),
    path("users/<int:pk>/", admin.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", admin.user_edit, name="user_edit"),
    path("users/<int:pk>/reset-2fa/", admin.user_reset_2fa, name="user_reset_2fa"),
    path("role-policies/", admin.role_policies, name="role_policies"),
]
