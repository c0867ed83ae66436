from django.urls import path

from tansiq.network.views import admission, directory, importing, people, registry, representatives, units

app_name = "network"
urlpatterns = [
    path("members/", directory.default_directory, name="members"),
    path("networks/<slug:slug>/", directory.network_home, name="network"),
    path("networks/<slug:slug>/members/", directory.directory, name="directory"),
    path("networks/<slug:slug>/members/import/", importing.import_members, name="import_members"),
    path("networks/<slug:slug>/members/import/<uuid:job_id>/", importing.import_progress, name="import_progress"),
    path("networks/<slug:slug>/committees/<slug:committee_slug>/", directory.committee, name="committee"),
    path("organisations/", registry.my_organisations, name="my_organisations"),
    path("organisations/register/", registry.register_organisation, name="register_organisation"),
    path("organisations/<slug:slug>/", directory.organisation_profile, name="organisation"),
    path("organisations/<slug:slug>/edit/", directory.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/people/", people.people, name="people"),
    path("organisations/<slug:slug>/people/<uuid:person>/role/", people.change_role, name="change_role"),
    path("organisations/<slug:slug>/people/<uuid:person>/remove/", people.remove_person, name="remove_person"),
    path("memberships/<uuid:uuid>/status/", directory.membership_status, name="membership_status"),
    path("invitations/<str:token>/", people.accept_invitation, name="accept_invitation"),
    path("organisations/<slug:slug>/applications/", admission.organisation_applications, name="applications"),
    path("applications/", admission.application_queue, name="application_queue"),
    path("applications/<uuid:uuid>/", admission.application, name="application"),
    path("applications/<uuid:uuid>/submit/", admission.application_submit, name="application_submit"),
    path("applications/<uuid:uuid>/withdraw/", admission.application_withdraw, name="application_withdraw"),
    path("applications/<uuid:uuid>/review/", admission.application_review, name="application_review"),
    path("applications/<uuid:uuid>/documents/", admission.application_documents, name="application_documents"),
    path("applications/<uuid:uuid>/referees/", admission.application_referee, name="application_referee"),
    path(
        "applications/<uuid:uuid>/referee-choices/",
        admission.application_referee_choices,
        name="application_referee_choices",
    ),
    path(
        "applications/<uuid:uuid>/documents/<str:kind>/",
        admission.application_document,
        name="application_document",
    ),
    path("references/<uuid:uuid>/", admission.reference, name="reference"),
    # Contacts, representatives and units, kept by organisation admins and unit admins.
    path("organisations/<slug:slug>/contacts/", representatives.contacts, name="contacts"),
    path("organisations/<slug:slug>/contacts/<uuid:uuid>/", representatives.contact_edit, name="contact_edit"),
    path(
        "organisations/<slug:slug>/contacts/<uuid:uuid>/delete/",
        representatives.contact_delete,
        name="contact_delete",
    ),
    path("organisations/<slug:slug>/representatives/", representatives.representatives, name="representatives"),
    path(
        "organisations/<slug:slug>/representatives/<uuid:uuid>/",
        representatives.name_representatives,
        name="name_representatives",
    ),
    path(
        "organisations/<slug:slug>/representatives/<uuid:uuid>/invite/",
        representatives.invite_representative,
        name="invite_representative",
    ),
    path("units/", units.default_units, name="default_units"),
    path("networks/<slug:slug>/units/", units.units, name="units"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/", units.unit, name="unit"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/rename/", units.unit_rename, name="unit_rename"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/move/", units.unit_move, name="unit_move"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/archive/", units.unit_archive, name="unit_archive"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/units/", units.unit_add_subunit, name="unit_add_subunit"),
    path("networks/<slug:slug>/units/<slug:unit_slug>/admins/", units.unit_add_admin, name="unit_add_admin"),
    path(
        "networks/<slug:slug>/units/<slug:unit_slug>/admins/<uuid:person>/remove/",
        units.unit_remove_admin,
        name="unit_remove_admin",
    ),
    path(
        "networks/<slug:slug>/units/<slug:unit_slug>/members/<uuid:membership>/",
        units.unit_place_member,
        name="unit_place_member",
    ),
]
