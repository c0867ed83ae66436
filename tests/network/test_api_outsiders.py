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
from tests.factories import UserFactory

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
}


@pytest.fixture
def objects(org, network, unit, draft, other_owner):
    contact = org.contacts.order_by("pk").first()
    membership = org.network_memberships.get()
    admin = UserFactory()
    unit.admins.add(admin)
    message = notify.notify(admin, "network.applications", template="core/email/test", context={"count": 1})
    from tests.volunteers.factories import HoursEntryFactory, ShiftFactory

    hours = HoursEntryFactory(opportunity__organisation=org)
    shift = ShiftFactory(opportunity=hours.opportunity)
    return {
        "hours": hours.pk,
        "shift": shift.pk,
        "opportunity": hours.opportunity.uuid,
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
