import pytest

from tansiq.core import workflow
from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import AuditEntry
from tests.workflow_app.models import Petition


@pytest.fixture
def petition(member):
    return Petition.objects.create(title="عريضة المؤتمر", owner=member)


def test_owner_submits_and_the_transition_is_audited(petition, member):
    workflow.transition(petition, to=Petition.State.SUBMITTED, by=member, reason="جاهزة")
    petition.refresh_from_db()
    assert petition.state == "submitted"
    entry = AuditEntry.objects.for_object(petition).get()
    assert (entry.actor, entry.from_state, entry.to_state, entry.reason) == (member, "draft", "submitted", "جاهزة")
    assert entry.action == "transition"


def test_outsider_cannot_submit_someone_elses_petition(petition, outsider):
    with pytest.raises(Forbidden):
        workflow.transition(petition, to=Petition.State.SUBMITTED, by=outsider)
    petition.refresh_from_db()
    assert petition.state == "draft"
    assert not AuditEntry.objects.for_object(petition).exists()


def test_an_edge_that_is_not_declared_is_refused(petition, member):
    with pytest.raises(Conflict):
        workflow.transition(petition, to=Petition.State.ACCEPTED, by=member)


def test_applicant_cannot_decide_its_own_petition(petition, member):
    workflow.transition(petition, to=Petition.State.SUBMITTED, by=member)
    with pytest.raises(Forbidden):
        workflow.transition(petition, to=Petition.State.ACCEPTED, by=member)


def test_a_stale_copy_cannot_overwrite_a_decision_made_meanwhile(petition, member, secretariat):
    workflow.transition(petition, to=Petition.State.SUBMITTED, by=member)
    first = Petition.objects.get(pk=petition.pk)
    second = Petition.objects.get(pk=petition.pk)
    workflow.transition(first, to=Petition.State.ACCEPTED, by=secretariat)
    with pytest.raises(Conflict):
        workflow.transition(second, to=Petition.State.REJECTED, by=secretariat)
    assert Petition.objects.get(pk=petition.pk).state == "accepted"


def test_reason_can_be_required(petition, member):
    with pytest.raises(TansiqError) as error:
        workflow.transition(petition, to=Petition.State.SUBMITTED, by=member, require_reason=True, reason="  ")
    assert error.value.field == "reason"


def test_allowed_targets_depend_on_the_user(petition, member, secretariat):
    workflow.transition(petition, to=Petition.State.SUBMITTED, by=member)
    assert workflow.allowed_targets(petition, member) == []
    assert set(workflow.allowed_targets(petition, secretariat)) == {"accepted", "rejected"}


@pytest.mark.django_db(transaction=True)
def test_receivers_hear_of_a_transition_only_after_commit(member):
    petition = Petition.objects.create(title="t", owner=member)
    heard = []

    def receiver(sender, instance, from_state, to_state, **kwargs):
        heard.append((from_state, to_state))

    workflow.transitioned.connect(receiver, sender=Petition)
    try:
        workflow.transition(petition, to=Petition.State.SUBMITTED, by=member)
    finally:
        workflow.transitioned.disconnect(receiver, sender=Petition)
    assert heard == [("draft", "submitted")]


def test_error_messages_are_translated(petition, member):
    from django.utils import translation

    with translation.override("ar"), pytest.raises(Conflict) as error:
        workflow.transition(petition, to=Petition.State.ACCEPTED, by=member)
    assert any("\u0600" <= ch <= "\u06ff" for ch in str(error.value.message))
