from django.urls import path

from tansiq.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("notifications/", views.notification_preferences, name="notification_preferences"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:token_uuid>/revoke/", views.revoke_token, name="revoke_token"),
]
