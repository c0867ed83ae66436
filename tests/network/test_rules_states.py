"""A rule a page asks includes the state it depends on: "may I change this draft now?" is one question."""

from django.utils import timezone

from tansiq.network.models import Membership
from tests.factories import UserFactory

from .factories import MembershipFactory, UnitFactory


def test_the_draft_rules_hold_for_a_draft_only(draft, candidate, candidate_owner):
    editor = UserFactory()
    MembershipFactory(user=editor, organisation=candidate, role=Membership.Role.EDITOR)
    assert candidate_owner.has_perm("network.edit_draft", draft)
    assert candidate_owner.has_perm("network.upload_draft_document", draft)
    assert editor.has_perm("network.upload_draft_document", draft)
    assert not editor.has_perm("network.edit_draft", draft)


def test_the_draft_rules_refuse_a_submitted_application(submitted, candidate_owner):
    assert not candidate_owner.has_perm("network.edit_draft", submitted)
    assert not candidate_owner.has_perm("network.upload_draft_document", submitted)
    # The services ask the rules without the state and answer a submitted application with a Conflict.
    assert candidate_owner.has_perm("network.edit_application", submitted)


def test_a_subunit_is_offered_under_an_open_unit_only(network, secretariat):
    unit = UnitFactory(network=network)
    assert secretariat.has_perm("network.add_subunit_to_open_unit", unit)
    unit.archived_at = timezone.now()
    assert not secretariat.has_perm("network.add_subunit_to_open_unit", unit)
    # The service asks the rule without the state and answers an archived parent with a Conflict.
    assert secretariat.has_perm("network.add_subunit", unit)


def test_a_reference_is_answered_while_it_is_pending_only(submitted, org, owner):
    reference = submitted.references.get(organisation=org)
    assert owner.has_perm("network.answer_pending_reference", reference)
    reference.state = reference.State.CONFIRMED
    assert not owner.has_perm("network.answer_pending_reference", reference)
    assert owner.has_perm("network.answer_reference", reference)
