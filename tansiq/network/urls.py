from django.urls import path

from tansiq.network import views

app_name = "network"
urlpatterns = [
    path("members/", views.default_directory, name="members"),
    path("networks/<slug:slug>/", views.network_home, name="network"),
    path("networks/<slug:slug>/members/", views.directory, name="directory"),
    path("networks/<slug:slug>/committees/<slug:committee_slug>/", views.committee, name="committee"),
    path("organisations/<slug:slug>/", views.organisation_profile, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/people/", views.people, name="people"),
    path("organisations/<slug:slug>/people/<uuid:person>/role/", views.change_role, name="change_role"),
    path("organisations/<slug:slug>/people/<uuid:person>/remove/", views.remove_person, name="remove_person"),
    path("memberships/<uuid:uuid>/status/", views.membership_status, name="membership_status"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
