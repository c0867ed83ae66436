from django.urls import path

from tansiq.network.views import admission as admission_views
from tansiq.network.views import directory as views
from tansiq.network.views import importing as import_views
from tansiq.network.views import units as manage_views

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
    path("applications/<uuid:uuid>/documents/", admission_views.application_documents, name="application_documents"),
    path("applications/<uuid:uuid>/referees/", admission_views.application_referee, name="application_referee"),
    path(
        "applications/<uuid:uuid>/referee-choices/",
        admission_views.application_referee_choices,
        name="application_referee_choices",
    ),
    path(
        "applications/<uuid:uuid>/documents/<str:kind>/",
        admission_views.application_document,
        name="application_document",
    ),
    path("references/<uuid:uuid>/", admission_views.reference, name="reference"),
    # Contacts, representatives and units, kept by organisation admins and unit admins (manage_views).
    path("organisations/<slug:slug>/contacts/", manage_views.contacts, name="contacts"),
    path("organisations/<slug:slug>/contacts/<uuid:uuid>/", manage_views.contact_edit, name="contact_edit"),
    path("organisations/<slug:slug>/contacts/<uuid:uuid>/delete/", manage_views.contact_delete, name="contact_delete"),
    path("organisations/<slug:slug>/representatives/", manage_views.representatives, name="representatives"),
    path(
        "organisations/<slug:slug>/representatives/<uuid:uuid>/",
        manage_views.name_representatives,
        name="name_representatives",
    ),
    path(
        "organisations/<slug:slug>/representatives/<uuid:uuid>/invite/",
        manage_views.invite_representative,
        name="invite_representative",
    ),
    path("units/", manage_views.default_units, name="default_units"),
    path("networks/<slug:slug>/units/", manage_views.units, name="units"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/", manage_views.unit, name="unit"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/rename/", manage_views.unit_rename, name="unit_rename"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/move/", manage_views.unit_move, name="unit_move"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/archive/", manage_views.unit_archive, name="unit_archive"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/units/", manage_views.unit_add_subunit, name="unit_add_subunit"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/admins/", manage_views.unit_add_admin, name="unit_add_admin"),
    path(
        "networks/<slug:slug>/units/<slug:unit_slug>/admins/<uuid:person>/remove/",
        manage_views.unit_remove_admin,
        name="unit_remove_admin",
    ),
    path(
        "networks/<slug:slug>/units/<slug:unit_slug>/members/<uuid:membership>/",
        manage_views.unit_place_member,
        name="unit_place_member",
    ),
]
