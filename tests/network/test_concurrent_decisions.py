"""Two admins deciding the same application at once: exactly one wins, the other gets a clear Conflict.

Both secretariat members opened the application while it was "reviewed"; one finds it eligible, the
other ineligible. Whatever the order, one decision is applied and audited once, the other is refused
with a translated message, and nothing of the refused decision is left behind (no reason written,
no candidacy ended, no second audit entry).
"""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.utils import translation

from tansiq.core.errors import Conflict
from tansiq.core.models import AuditEntry
from tansiq.network.models import Application, NetworkMembership, Reference
from tansiq.network.services import admission
from tests.factories import UserFactory
from tests.helpers import with_mfa
from tests.network.factories import MembershipFactory, OrganisationFactory, application_with_referees

State = Application.State
DECISIONS = {State.ELIGIBLE: "The statute's conditions are met.", State.INELIGIBLE: "Founded last month."}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def second_secretariat(db):
    user = UserFactory(display_name="Omar Farouk", language="ar", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    return with_mfa(user)


@pytest.fixture
def reviewed(network, org, other_org, owner, other_owner, secretariat):
    """An application whose two referees confirmed and which the secretariat has reviewed."""
    candidate = OrganisationFactory(slug="candidate", name_en="Candidate Society", year_founded=2010)
    applicant = UserFactory(display_name="Candidate owner")
    MembershipFactory(user=applicant, organisation=candidate, role="owner")
    application = application_with_referees(
        network=network, organisation=candidate, by=applicant, referees=[org, other_org], submit=True
    )
    for referee, organisation in ((owner, org), (other_owner, other_org)):
        reference = Reference.objects.get(application=application, organisation=organisation)
        admission.answer_reference(reference, by=referee, confirm=True)
    admission.move_application(application, to=State.REVIEWED, by=secretariat)
    application.refresh_from_db()
    assert application.state == State.REVIEWED
    return application


def decided_from_reviewed(application):
    return AuditEntry.objects.for_object(application).filter(action="transition", from_state=State.REVIEWED)


def assert_one_decision(application, outcomes):
    """``outcomes`` maps each target to the application (success) or the exception it raised."""
    won = [target for target, outcome in outcomes.items() if isinstance(outcome, Application)]
    lost = [target for target, outcome in outcomes.items() if isinstance(outcome, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    winner, loser = won[0], lost[0]
    assert str(outcomes[loser].message).strip()

    application.refresh_from_db()
    assert application.state == winner
    assert application.decision_reason == DECISIONS[winner]  # the loser's reason was not written
    entries = decided_from_reviewed(application)
    assert [entry.to_state for entry in entries] == [winner]
    assert not AuditEntry.objects.for_object(application).filter(to_state=loser).exists()
    # Ending the candidacy happens only with an "ineligible" decision that won.
    still_applicant = NetworkMembership.objects.filter(
        organisation=application.organisation, status=NetworkMembership.Status.APPLICANT
    ).exists()
    assert still_applicant == (winner == State.ELIGIBLE)
    return winner, loser


def test_two_admins_deciding_at_the_same_moment(reviewed, secretariat, second_secretariat):
    """Two threads, two database connections, released together by a barrier."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite test database is not shared between threads' connections")
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(target, user):
        try:
            stale = Application.objects.get(pk=reviewed.pk)  # both read it while it is "reviewed"
            barrier.wait(timeout=10)
            outcomes[target] = admission.move_application(stale, to=target, by=user, reason=DECISIONS[target])
        except Conflict as exc:
            outcomes[target] = exc
        except Exception as exc:  # anything else fails the test below, with its cause
            outcomes[target] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(State.ELIGIBLE, secretariat)),
        threading.Thread(target=decide, args=(State.INELIGIBLE, second_secretariat)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert_one_decision(reviewed, outcomes)


@pytest.mark.parametrize("first", [State.ELIGIBLE, State.INELIGIBLE])
def test_the_second_admin_working_on_a_stale_copy_gets_a_conflict(reviewed, secretariat, second_secretariat, first):
    """The same race, interleaved deterministically: both loaded the page, one submits first."""
    second = State.INELIGIBLE if first == State.ELIGIBLE else State.ELIGIBLE
    copies = {first: Application.objects.get(pk=reviewed.pk), second: Application.objects.get(pk=reviewed.pk)}
    users = {first: secretariat, second: second_secretariat}
    outcomes = {}
    for target in (first, second):
        try:
            outcomes[target] = admission.move_application(
                copies[target], to=target, by=users[target], reason=DECISIONS[target]
            )
        except Conflict as exc:
            outcomes[target] = exc
    winner, _loser = assert_one_decision(reviewed, outcomes)
    assert winner == first


def test_the_refusal_is_translated(reviewed, secretariat, second_secretariat):
    stale = Application.objects.get(pk=reviewed.pk)
    admission.move_application(reviewed, to=State.ELIGIBLE, by=secretariat, reason=DECISIONS[State.ELIGIBLE])
    with translation.override("ar"), pytest.raises(Conflict) as error:
        admission.move_application(
            stale, to=State.INELIGIBLE, by=second_secretariat, reason=DECISIONS[State.INELIGIBLE]
        )
    message = str(error.value.message)
    assert any("\u0600" <= ch <= "\u06ff" for ch in message), message
    assert [entry.to_state for entry in decided_from_reviewed(reviewed)] == [State.ELIGIBLE]


def test_two_admins_posting_the_review_form_at_once(client, reviewed, secretariat, second_secretariat):
    """Through the pages: both opened the review form; the second post is refused with a message."""
    from django.test import Client

    other = Client()
    client.force_login(secretariat)
    other.force_login(second_secretariat)
    url = f"/en/applications/{reviewed.uuid}/review/"
    assert client.get(url).status_code == 200 and other.get(url).status_code == 200
    first = client.post(url, {"target": State.ELIGIBLE, "reason": DECISIONS[State.ELIGIBLE]})
    assert first.status_code == 302
    second = other.post(url, {"target": State.INELIGIBLE, "reason": DECISIONS[State.INELIGIBLE]})
    assert second.status_code == 400
    assert second.context["form"].errors["target"]  # refused: "ineligible" is no longer a step from here
    reviewed.refresh_from_db()
    assert reviewed.state == State.ELIGIBLE
    assert [entry.to_state for entry in decided_from_reviewed(reviewed)] == [State.ELIGIBLE]


def test_the_refused_admin_sees_why_on_the_page(client, reviewed, secretariat, second_secretariat):
    from django.test import Client

    other = Client()
    client.force_login(secretariat)
    other.force_login(second_secretariat)
    url = f"/en/applications/{reviewed.uuid}/review/"
    client.post(url, {"target": State.ELIGIBLE, "reason": DECISIONS[State.ELIGIBLE]})
    second = other.post(url, {"target": State.INELIGIBLE, "reason": DECISIONS[State.INELIGIBLE]})
    message = str(second.context["form"].errors["target"][0])
    assert message in second.content.decode()
