"""The outsider matrix: every API operation on an object outside the caller's scope answers 404,
exactly as for an object that does not exist (never 403, which would tell that it exists).

The callers hold read-write tokens: the owner of another member organisation of the same network,
and someone who acts for no organisation. The objects: our organisation's private parts (contacts,
representatives), an applicant's application and documents, the network's unit tree. The matrix is
checked against the OpenAPI document, so a new operation on an object must be added here.
"""

import pytest

from tansiq.accounts import services as account_services
from tansiq.api import api
from tansiq.core import notify
from tansiq.volunteers.models import Enrolment
from tests.factories import UserFactory
from tests.volunteers import factories as volunteer_factories
from tests.volunteers.factories import BookingFactory, OpportunityFactory

# Reads anyone may make (what they answer depends on the reader, tested elsewhere), operations on
# the caller's own account, and those reserved to a role (403: there is no object to hide).
NOT_SCOPED = {
    ("GET", "/api/v1/networks/{slug}"),
    ("GET", "/api/v1/networks/{slug}/committees"),
    ("GET", "/api/v1/networks/{slug}/units"),
    ("GET", "/api/v1/organisations/{slug}/contacts"),
    ("POST", "/api/v1/notifications/read"),  # marks the caller's own messages read
    ("GET", "/api/v1/certificates/{code}"),  # public verification: whoever holds the code (test_certificates)
    ("PUT", "/api/v1/volunteers/me"),  # the caller's own volunteer profile
    ("POST", "/api/v1/volunteers/me/hours"),  # reports the caller's own hours
    ("POST", "/api/v1/organisations"),  # registers a new organisation: no existing object to hide
    ("GET", "/api/v1/opportunities/{uuid}"),  # public once published (drafts: test_opportunities_api)
    ("GET", "/api/v1/trainings/{uuid}"),  # trainings are public
    ("POST", "/api/v1/trainings/{uuid}/enrolment"),  # enrols the caller in a public training
}


@pytest.fixture
def objects(org, network, unit, draft, other_owner):
    contact = org.contacts.order_by("pk").first()
    membership = org.network_memberships.get()
    admin = UserFactory()
    unit.admins.add(admin)
    message = notify.notify(admin, "network.applications", template="core/email/test", context={"count": 1})
    booking = BookingFactory(application__opportunity__organisation=org)
    draft_opportunity = OpportunityFactory(organisation=org, state="draft")
    hours = volunteer_factories.HoursEntryFactory(opportunity=booking.application.opportunity)
    training = volunteer_factories.TrainingFactory(organisation=org)
    Enrolment.objects.create(training=training, profile=volunteer_factories.VolunteerProfileFactory())
    return {
        "volunteer_application": booking.application.uuid,
        "opportunity": booking.application.opportunity.uuid,
        "draft_opportunity": draft_opportunity.uuid,
        "shift": booking.shift_id,
        "training": training.uuid,
        "hours": hours.pk,
        "org": org.slug,
        "network": network.slug,
        "unit": unit.slug,
        "application": draft.uuid,
        "contact": contact.uuid,
        "membership": membership.uuid,
        "admin": admin.uuid,
        "notification": message.uuid,
    }


def matrix(o) -> list[tuple[str, str, str, dict | None]]:
    """(method, documented path, path called, JSON body) for each operation on an object."""
    org, net, unit, app = o["org"], o["network"], o["unit"], o["application"]
    vol, opp = o["volunteer_application"], o["opportunity"]
    units = f"/api/v1/networks/{net}/units"
    return [
        ("GET", "/api/v1/organisations/{slug}", "/api/v1/organisations/pending", None),
        ("PATCH", "/api/v1/organisations/{slug}", f"/api/v1/organisations/{org}", {"version": 1, "city": "x"}),
        ("POST", "/api/v1/applications", "/api/v1/applications", {"organisation": org, "network": net}),
        ("GET", "/api/v1/applications/{uuid}", f"/api/v1/applications/{app}", None),
        (
            "POST",
            "/api/v1/applications/{uuid}/transitions",
            f"/api/v1/applications/{app}/transitions",
            {"target": "submitted"},
        ),
        ("POST", "/api/v1/applications/{uuid}/referees", f"/api/v1/applications/{app}/referees", {"organisation": org}),
        ("GET", "/api/v1/applications/{uuid}/referee-choices", f"/api/v1/applications/{app}/referee-choices", None),
        ("GET", "/api/v1/applications/{uuid}/documents", f"/api/v1/applications/{app}/documents", None),
        (
            "GET",
            "/api/v1/applications/{uuid}/documents/{kind}",
            f"/api/v1/applications/{app}/documents/board_resolution",
            None,
        ),
        (
            "POST",
            "/api/v1/applications/{uuid}/documents/{kind}",
            f"/api/v1/applications/{app}/documents/board_resolution",
            "upload",
        ),
        ("POST", "/api/v1/organisations/{slug}/contacts", f"/api/v1/organisations/{org}/contacts", {"name": "x"}),
        (
            "PATCH",
            "/api/v1/organisations/{slug}/contacts/{uuid}",
            f"/api/v1/organisations/{org}/contacts/{o['contact']}",
            {"version": 1, "name": "x"},
        ),
        (
            "DELETE",
            "/api/v1/organisations/{slug}/contacts/{uuid}",
            f"/api/v1/organisations/{org}/contacts/{o['contact']}",
            None,
        ),
        ("GET", "/api/v1/organisations/{slug}/representatives", f"/api/v1/organisations/{org}/representatives", None),
        (
            "GET",
            "/api/v1/organisations/{slug}/representatives/people",
            f"/api/v1/organisations/{org}/representatives/people",
            None,
        ),
        (
            "PUT",
            "/api/v1/organisations/{slug}/representatives/{membership}",
            f"/api/v1/organisations/{org}/representatives/{o['membership']}",
            dict.fromkeys(("representative", "alternate", "expected_representative", "expected_alternate")),
        ),
        (
            "POST",
            "/api/v1/organisations/{slug}/representatives/{membership}/invitations",
            f"/api/v1/organisations/{org}/representatives/{o['membership']}/invitations",
            {"email": "someone@example.org", "seat": "representative", "language": "en"},
        ),
        ("POST", "/api/v1/networks/{slug}/units", units, {"kind": "country", "name_ar": "س", "parent": unit}),
        ("GET", "/api/v1/networks/{slug}/units/{unit}", f"{units}/{unit}", None),
        ("PATCH", "/api/v1/networks/{slug}/units/{unit}", f"{units}/{unit}", {"version": 1, "name_en": "x"}),
        ("POST", "/api/v1/networks/{slug}/units/{unit}/move", f"{units}/{unit}/move", {"version": 1, "parent": None}),
        ("POST", "/api/v1/networks/{slug}/units/{unit}/archive", f"{units}/{unit}/archive", {"version": 1}),
        ("POST", "/api/v1/networks/{slug}/units/{unit}/restore", f"{units}/{unit}/restore", {"version": 1}),
        (
            "POST",
            "/api/v1/networks/{slug}/units/{unit}/admins",
            f"{units}/{unit}/admins",
            {"email": "someone@example.org"},
        ),
        (
            "DELETE",
            "/api/v1/networks/{slug}/units/{unit}/admins/{person}",
            f"{units}/{unit}/admins/{o['admin']}",
            None,
        ),
        ("GET", "/api/v1/networks/{slug}/units/{unit}/members", f"{units}/{unit}/members", None),
        (
            "PUT",
            "/api/v1/networks/{slug}/units/{unit}/members/{membership}",
            f"{units}/{unit}/members/{o['membership']}",
            None,
        ),
        # Our organisation's volunteering opportunities.
        ("POST", "/api/v1/organisations/{slug}/opportunities", f"/api/v1/organisations/{org}/opportunities", {}),
        ("PUT", "/api/v1/opportunities/{uuid}", f"/api/v1/opportunities/{o['opportunity']}", {"title_en": "x"}),
        (
            "POST",
            "/api/v1/opportunities/{uuid}/shifts",
            f"/api/v1/opportunities/{o['opportunity']}/shifts",
            {"starts_at": "2030-01-01T09:00:00Z", "ends_at": "2030-01-01T12:00:00Z", "capacity": 2},
        ),
        (
            "POST",
            "/api/v1/opportunities/{uuid}/transitions",
            f"/api/v1/opportunities/{o['opportunity']}/transitions",
            {"target": "closed"},
        ),
        # A volunteer's application (their own only) and an opportunity's roster (its coordinators only).
        (
            "POST",
            "/api/v1/volunteers/applications",
            "/api/v1/volunteers/applications",
            {
                "opportunity": o["draft_opportunity"],
                "shifts": [o["shift"]],
            },
        ),
        ("GET", "/api/v1/volunteers/applications/{uuid}", f"/api/v1/volunteers/applications/{vol}", None),
        (
            "POST",
            "/api/v1/volunteers/applications/{uuid}/withdraw",
            f"/api/v1/volunteers/applications/{vol}/withdraw",
            None,
        ),
        (
            "POST",
            "/api/v1/volunteers/applications/{uuid}/confirm",
            f"/api/v1/volunteers/applications/{vol}/confirm",
            {"agreement": True},
        ),
        (
            "POST",
            "/api/v1/volunteers/applications/{uuid}/offers/{shift_id}",
            f"/api/v1/volunteers/applications/{vol}/offers/{o['shift']}",
            {"take": True},
        ),
        (
            "GET",
            "/api/v1/volunteers/opportunities/{uuid}/roster",
            f"/api/v1/volunteers/opportunities/{opp}/roster",
            None,
        ),
        (
            "POST",
            "/api/v1/volunteers/opportunities/{uuid}/roster/decisions",
            f"/api/v1/volunteers/opportunities/{opp}/roster/decisions",
            {"decision": "accept", "applications": [vol]},
        ),
        # Someone else's enrolment in a training (the caller has none to leave).
        (
            "DELETE",
            "/api/v1/trainings/{uuid}/enrolment",
            f"/api/v1/trainings/{o['training']}/enrolment",
            None,
        ),
        # Our organisation's volunteers' hours and shifts.
        ("GET", "/api/v1/volunteers/organisations/{slug}/hours", f"/api/v1/volunteers/organisations/{org}/hours", None),
        (
            "POST",
            "/api/v1/volunteers/organisations/{slug}/hours/approve",
            f"/api/v1/volunteers/organisations/{org}/hours/approve",
            {"entries": [o["hours"]]},
        ),
        (
            "POST",
            "/api/v1/volunteers/organisations/{slug}/hours/{entry_id}/decline",
            f"/api/v1/volunteers/organisations/{org}/hours/{o['hours']}/decline",
            {"reason": "x"},
        ),
        (
            "POST",
            "/api/v1/volunteers/opportunities/{uuid}/shifts/{shift_id}/check-in",
            f"/api/v1/volunteers/opportunities/{o['opportunity']}/shifts/{o['shift']}/check-in",
            {"code": "x", "direction": "in"},
        ),
        # Someone else's message in the inbox.
        (
            "POST",
            "/api/v1/notifications/{notification_id}/read",
            f"/api/v1/notifications/{o['notification']}/read",
            None,
        ),
    ]


def test_the_matrix_covers_every_operation_on_an_object(objects):
    document = api.get_openapi_schema()["paths"]
    on_objects = {
        (method.upper(), path)
        for path, operations in document.items()
        for method, operation in operations.items()
        if "{" in path or (method != "get" and operation.get("security"))
    }
    on_objects -= {("PATCH", "/api/v1/me")}  # the caller's own account
    listed = {(method, path) for method, path, _called, _body in matrix(objects)}
    assert on_objects - NOT_SCOPED <= listed, sorted(on_objects - NOT_SCOPED - listed)


@pytest.mark.parametrize("caller", ["member_of_another_organisation", "outsider"])
def test_objects_outside_the_callers_scope_answer_404(client, objects, other_owner, caller, applicant, settings):
    settings.TANSIQ_API_RATE_USER = "100000/min"
    user = other_owner if caller == "member_of_another_organisation" else UserFactory()
    raw = account_services.create_token(user, by=user, name="matrix", scope="write")[1]
    headers = {"Authorization": f"Bearer {raw}"}
    failures = []
    for method, _path, called, body in matrix(objects):
        if body == "upload":
            from django.core.files.uploadedfile import SimpleUploadedFile

            upload = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
            response = client.post(called, {"file": upload}, headers=headers)
        elif body is None:
            response = client.generic(method, called, headers=headers)
        else:
            response = client.generic(method, called, _json(body), content_type="application/json", headers=headers)
        if response.status_code != 404:
            failures.append(f"{method} {called}: {response.status_code} {response.content[:120]!r}")
    assert not failures, "\n".join(failures)


def _json(body: dict) -> str:
    import json

    return json.dumps(body, default=str)
