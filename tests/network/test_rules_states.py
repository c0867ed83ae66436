"""A rule a page asks includes the state it depends on: "may I change this draft now?" is one question."""

from tansiq.network.models import Membership
from tests.factories import UserFactory

from .factories import MembershipFactory


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
