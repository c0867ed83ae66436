"""A referee declines: the applicant names another, who is asked like the first ones.

The application stays "waiting for the referees" with a place open; it moves on to the secretariat
only when the statute's number of referees have confirmed. Each step is audited, the new referee
is asked in its own language, and every refusal (wrong organisation, wrong person, wrong moment)
changes nothing.
"""

import pytest
from django.core import mail
from django.test import Client

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import AuditEntry
from tansiq.network.models import Application, Reference
from tansiq.network.queries.admission import eligible_referees
from tansiq.network.services import admission
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, NetworkMembershipFactory, OrganisationFactory, reference_of

pytestmark = pytest.mark.usefixtures("private_media")


State = Application.State


@pytest.fixture
def third_org(network):
    organisation = OrganisationFactory(slug="third", name_en="Third Relief Society", country="ID")
    NetworkMembershipFactory(network=network, organisation=organisation, category="founding")
    return organisation


@pytest.fixture
def third_owner(third_org):
    user = UserFactory(display_name="Third owner", language="ar")
    MembershipFactory(user=user, organisation=third_org, role="owner")
    return user


@pytest.fixture
def declined(submitted, other_org, other_owner, django_capture_on_commit_callbacks):
    """The application after one of its two referees declined, with its reason."""
    with django_capture_on_commit_callbacks(execute=True):
        admission.answer_reference(
            reference_of(submitted, other_org), by=other_owner, confirm=False, reason="We have never worked with them"
        )
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def candidate_editor(candidate):
    user = UserFactory(display_name="Candidate editor")
    MembershipFactory(user=user, organisation=candidate, role="editor")
    return user


def references_of(application):
    return sorted(application.references.values_list("organisation__slug", "state"))


def test_a_declined_referee_is_replaced_and_the_new_one_confirms_through_its_own_account(
    client, declined, candidate_owner, org, owner, third_org, third_owner, django_capture_on_commit_callbacks
):
    assert declined.state == State.SUBMITTED  # a decline does not end the application
    client.force_login(candidate_owner)
    page = client.get(f"/en/applications/{declined.uuid}/").content.decode()
    assert "We have never worked with them" in page and "Declined" in page
    assert "Name another referee" in page and 'value="third"' in page
    assert 'value="theirs"' not in page and 'value="candidate"' not in page and 'value="ours"' not in page

    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/applications/{declined.uuid}/referees/", {"organisation": "third"})
    assert response.status_code == 302
    assert references_of(declined) == [("ours", "pending"), ("theirs", "declined"), ("third", "pending")]
    declined.refresh_from_db()
    assert declined.state == State.SUBMITTED
    # The new referee is asked in its own language (Arabic), with a link to its own reference page.
    asked = [message for message in mail.outbox if third_owner.email in message.to]
    assert len(asked) == 1 and "/ar/references/" in asked[0].body
    # Audited: the new reference, and the application's record of who named it in place of whom.
    new = reference_of(declined, third_org)
    created = AuditEntry.objects.for_object(new).get(action="create")
    assert created.actor == candidate_owner and created.changes["declined"] == ["theirs"]
    assert AuditEntry.objects.for_object(declined).filter(action="update", changes__referee_named="third").exists()

    # The new referee finds the request on its organisation's page too, and answers like the first ones.
    client.force_login(third_owner)
    assert f"/en/references/{new.uuid}/" in client.get("/en/organisations/third/applications/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/references/{new.uuid}/", {"answer": "confirm"})
    declined.refresh_from_db()
    assert declined.state == State.SUBMITTED  # one of two: it still waits

    admission.answer_reference(reference_of(declined, org), by=owner, confirm=True)
    declined.refresh_from_db()
    assert declined.state == State.REFEREES_CONFIRMED
    assert [check.passed for check in admission.statute_checks(declined) if str(check.label) == "Referees"] == [True]


def test_the_application_waits_with_a_place_open_and_everyone_sees_why(
    client, declined, org, owner, secretariat, candidate_editor
):
    admission.answer_reference(reference_of(declined, org), by=owner, confirm=True)
    declined.refresh_from_db()
    assert declined.state == State.SUBMITTED
    assert admission.open_referee_places(declined) == 1
    # The secretariat sees that the applicant is to name another; it gets no form to do it.
    client.force_login(secretariat)
    review = client.get(f"/en/applications/{declined.uuid}/review/").content.decode()
    assert "to name another member organisation" in review and "Name another referee" not in review
    # An editor of the applicant sees the same, without the form (owners and admins choose referees).
    client.force_login(candidate_editor)
    page = client.get(f"/en/applications/{declined.uuid}/").content.decode()
    assert "to name another member organisation" in page and "Name another referee" not in page


def test_the_applicant_hears_of_the_decline_and_that_it_may_name_another(
    submitted, other_org, other_owner, candidate_owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admission.answer_reference(reference_of(submitted, other_org), by=other_owner, confirm=False, reason="Unknown")
    message = next(message for message in mail.outbox if candidate_owner.email in message.to)
    assert "Unknown" in message.body and "/en/applications/" in message.body
    assert "name another member organisation" in message.body


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("stranger", "must be member organisations of the network"),
        ("itself", "cannot be its own referee"),
        ("already named", "is already one of the referees"),
        ("declined", "has declined"),
        ("associate", "has no vote"),
        ("suspended", "must be member organisations of the network"),
        ("unknown", "must be member organisations of the network"),
    ],
)
def test_bad_referees_are_refused_with_a_clear_message_and_nothing_changes(
    client, network, declined, candidate_owner, who, message, django_capture_on_commit_callbacks
):
    slugs = {"itself": "candidate", "already named": "ours", "declined": "theirs", "unknown": "no-such-org"}
    if who == "stranger":
        OrganisationFactory(slug="stranger")
    elif who in ("associate", "suspended"):
        organisation = OrganisationFactory(slug=who)
        status = "suspended" if who == "suspended" else "admitted"
        NetworkMembershipFactory(network=network, organisation=organisation, category="associate", status=status)
    slug = slugs.get(who, who)
    before = references_of(declined)
    entries = AuditEntry.objects.count()
    mail.outbox = []

    client.force_login(candidate_owner)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/en/applications/{declined.uuid}/referees/", {"organisation": slug})
    assert page.status_code == 400 and message in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        api = client.post(
            f"/api/v1/applications/{declined.uuid}/referees", {"organisation": slug}, content_type="application/json"
        )
    assert api.status_code == 400
    body = api.json()["error"]
    assert message in body["message"] and body["fields"]["organisation"] == [body["message"]]

    assert references_of(declined) == before
    assert AuditEntry.objects.count() == entries and not mail.outbox


def test_an_associate_cannot_be_named_in_the_draft_either(network, candidate, candidate_owner, org):
    associate = OrganisationFactory(slug="observer")
    NetworkMembershipFactory(network=network, organisation=associate, category="associate")
    application = admission.start_application(by=candidate_owner, organisation=candidate, network=network)
    with pytest.raises(TansiqError, match="no vote"):
        admission.save_application(
            application, by=candidate_owner, category="full", representative_name="A", referees=[org, associate]
        )
    assert associate not in eligible_referees(application)


def test_a_double_submission_asks_the_new_referee_once(
    client, declined, candidate_owner, third_org, third_owner, django_capture_on_commit_callbacks
):
    client.force_login(candidate_owner)
    url = f"/en/applications/{declined.uuid}/referees/"
    mail.outbox = []
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"organisation": "third"})
        assert response.status_code == 302
    api = client.post(
        f"/api/v1/applications/{declined.uuid}/referees", {"organisation": "third"}, content_type="application/json"
    )
    assert api.status_code == 200  # already asked: nothing new made
    assert references_of(declined).count(("third", "pending")) == 1
    assert len([message for message in mail.outbox if third_owner.email in message.to]) == 1
    assert AuditEntry.objects.for_object(reference_of(declined, third_org)).filter(action="create").count() == 1


def test_no_other_referee_may_be_named_while_no_place_is_open(client, submitted, candidate_owner, third_org):
    client.force_login(candidate_owner)
    assert "Name another referee" not in client.get(f"/en/applications/{submitted.uuid}/").content.decode()
    response = client.post(
        f"/api/v1/applications/{submitted.uuid}/referees", {"organisation": "third"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "already has as many referees as the statute asks for" in response.json()["error"]["message"]
    page = client.post(f"/en/applications/{submitted.uuid}/referees/", {"organisation": "third"})
    assert page.status_code == 400 and "already has as many referees" in page.content.decode()
    assert not Reference.objects.filter(organisation=third_org).exists()


def test_no_referee_is_named_once_the_application_has_moved_on(declined, candidate_owner, third_org):
    admission.withdraw_application(declined, by=candidate_owner)
    with pytest.raises(Conflict, match="not waiting for referees"):
        admission.name_another_referee(declined, by=candidate_owner, organisation=third_org)
    assert not Reference.objects.filter(organisation=third_org).exists()


def test_only_the_applicants_owners_and_admins_name_another_referee(
    client, declined, outsider, owner, other_owner, secretariat, candidate_editor, third_org, third_owner
):
    page = f"/en/applications/{declined.uuid}/referees/"
    api = f"/api/v1/applications/{declined.uuid}/referees"
    choices = f"/api/v1/applications/{declined.uuid}/referee-choices"
    # Those who may not see the application at all: outsiders, the referees themselves (the one that
    # declined, the one still asked, the one that would be named): 404 on the page and the API.
    for user in (outsider, other_owner, owner, third_owner):
        assert_refused(client, user, [("post", page), choices], allowed=(404,))
        response = client.post(api, {"organisation": "third"}, content_type="application/json")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    # The secretariat and the applicant's editors see the application but do not choose its referees.
    for user in (secretariat, candidate_editor):
        assert_refused(client, user, [("post", page), choices], allowed=(404,))
        response = client.post(api, {"organisation": "third"}, content_type="application/json")
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
        with pytest.raises(Forbidden):
            admission.name_another_referee(declined, by=user, organisation=third_org)
    assert_refused(client, None, [("post", page), choices])
    response = client.post(api, {"organisation": "third"}, content_type="application/json")
    assert response.status_code == 401
    assert not Reference.objects.filter(organisation=third_org).exists()


def test_the_api_names_another_referee_and_lists_whom_it_may_name(
    client, network, declined, candidate_owner, third_org, django_capture_on_commit_callbacks
):
    associate = OrganisationFactory(slug="observer")
    NetworkMembershipFactory(network=network, organisation=associate, category="associate")
    client.force_login(candidate_owner)
    data = client.get(f"/api/v1/applications/{declined.uuid}").json()
    assert data["referee_places"] == 1 and data["state"] == "submitted"
    theirs = next(reference for reference in data["references"] if reference["organisation"] == "theirs")
    assert theirs["state"] == "declined" and theirs["reason"] == "We have never worked with them" and theirs["uuid"]

    choices = client.get(f"/api/v1/applications/{declined.uuid}/referee-choices").json()
    assert [item["slug"] for item in choices["items"]] == ["third"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/applications/{declined.uuid}/referees", {"organisation": "third"}, content_type="application/json"
        )
    assert response.status_code == 201
    data = response.json()
    assert data["referee_places"] == 0 and data["state"] == "submitted"
    assert {(r["organisation"], r["state"]) for r in data["references"]} == {
        ("ours", "pending"),
        ("theirs", "declined"),
        ("third", "pending"),
    }


def test_the_openapi_schema_documents_naming_another_referee(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/applications/{uuid}/referees"]["post"]
    assert "declined" in operation["summary"] and {"200", "201"} <= set(operation["responses"])
    assert "/api/v1/applications/{uuid}/referee-choices" in schema["paths"]


def test_two_admins_naming_different_referees_for_the_one_open_place(
    declined, candidate, candidate_owner, third_org, network
):
    """Both opened the page while one place was open; the second is refused, and only one is asked."""
    second_admin = UserFactory(display_name="Second admin")
    MembershipFactory(user=second_admin, organisation=candidate, role="admin")
    fourth = OrganisationFactory(slug="fourth")
    NetworkMembershipFactory(network=network, organisation=fourth)
    stale = Application.objects.get(pk=declined.pk)
    admission.name_another_referee(declined, by=candidate_owner, organisation=third_org)
    with pytest.raises(Conflict, match="already has as many referees"):
        admission.name_another_referee(stale, by=second_admin, organisation=fourth)
    assert references_of(declined) == [("ours", "pending"), ("theirs", "declined"), ("third", "pending")]


def test_a_second_page_posted_from_a_stale_form_is_refused(client, declined, candidate, candidate_owner, network):
    second_admin = UserFactory(display_name="Second admin")
    MembershipFactory(user=second_admin, organisation=candidate, role="admin")
    for slug in ("fifth", "sixth"):
        NetworkMembershipFactory(network=network, organisation=OrganisationFactory(slug=slug))
    other = Client()
    client.force_login(candidate_owner)
    other.force_login(second_admin)
    url = f"/en/applications/{declined.uuid}/"
    assert "Name another referee" in client.get(url).content.decode()
    assert "Name another referee" in other.get(url).content.decode()
    assert client.post(f"{url}referees/", {"organisation": "fifth"}).status_code == 302
    second = other.post(f"{url}referees/", {"organisation": "sixth"})
    assert second.status_code == 400 and "already has as many referees" in second.content.decode()
    assert [slug for slug, state in references_of(declined) if state == "pending"] == ["fifth", "ours"]
