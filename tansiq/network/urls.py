from django.urls import path

from tansiq.network import admission_views, import_views, views

app_name = "network"
urlpatterns = [
    path("members/", views.default_directory, name="members"),
    path("networks/<slug:slug>/", views.network_home, name="network"),
    path("networks/<slug:slug>/members/", views.directory, name="directory"),
    path("networks/<slug:slug>/members/import/", import_views.import_members, name="import_members"),
    path("networks/<slug:slug>/committees/<slug:committee_slug>/", views.committee, name="committee"),
    path("organisations/<slug:slug>/", views.organisation_profile, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/people/", views.people, name="people"),
    path("organisations/<slug:slug>/people/<uuid:person>/role/", views.change_role, name="change_role"),
    path("organisations/<slug:slug>/people/<uuid:person>/remove/", views.remove_person, name="remove_person"),
    path("memberships/<uuid:uuid>/status/", views.membership_status, name="membership_status"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("organisations/<slug:slug>/applications/", admission_views.organisation_applications, name="applications"),
    path("applications/", admission_views.application_queue, name="application_queue"),
    path("applications/<uuid:uuid>/", admission_views.application, name="application"),
    path("applications/<uuid:uuid>/submit/", admission_views.application_submit, name="application_submit"),
    path("applications/<uuid:uuid>/withdraw/", admission_views.application_withdraw, name="application_withdraw"),
    path("applications/<uuid:uuid>/review/", admission_views.application_review, name="application_review"),
    path(
        "applications/<uuid:uuid>/documents/<str:kind>/",
        admission_views.application_document,
        name="application_document",
    ),
    path("references/<uuid:uuid>/", admission_views.reference, name="reference"),
]
