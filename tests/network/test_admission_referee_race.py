"""Two admins of the applicant fill the one open referee place at the same moment: one is asked.

Both threads read the application while a place is open (a referee declined) and name different
organisations. The application's row lock makes the second wait for the first; it then finds the
place filled and is refused with a Conflict. Exactly one new reference, one audit entry, one e-mail.
"""

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import translation

from tansiq.core.errors import Conflict
from tansiq.core.models import AuditEntry
from tansiq.network.models import Application, Reference
from tansiq.network.services import admission
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory, NetworkMembershipFactory, OrganisationFactory, reference_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("private_media")]


def test_two_admins_naming_referees_at_the_same_moment(
    network, submitted, candidate, candidate_owner, other_org, other_owner, django_capture_on_commit_callbacks
):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite test database is not shared between threads' connections")
    admission.answer_reference(reference_of(submitted, other_org), by=other_owner, confirm=False, reason="No")
    second_admin = UserFactory(display_name="Second admin")
    MembershipFactory(user=second_admin, organisation=candidate, role="admin")
    choices = {}
    for slug, user in (("north", candidate_owner), ("south", second_admin)):
        organisation = OrganisationFactory(slug=slug)
        NetworkMembershipFactory(network=network, organisation=organisation)
        referee = UserFactory(display_name=f"Owner of {slug}")
        MembershipFactory(user=referee, organisation=organisation, role="owner")
        choices[slug] = (organisation, user, referee)
    mail.outbox = []
    barrier = threading.Barrier(2)
    outcomes = {}

    def name(slug):
        organisation, user, _referee = choices[slug]
        try:
            stale = Application.objects.get(pk=submitted.pk)
            barrier.wait(timeout=10)
            with translation.override("en"):  # a thread starts in the default language, not the test's
                outcomes[slug] = admission.name_another_referee(stale, by=user, organisation=organisation)[0]
        except Exception as exc:  # a Conflict is expected for one; anything else fails below with its cause
            outcomes[slug] = exc
        finally:
            connections.close_all()

    with django_capture_on_commit_callbacks(execute=True):
        threads = [threading.Thread(target=name, args=(slug,)) for slug in choices]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    won = [slug for slug, outcome in outcomes.items() if isinstance(outcome, Reference)]
    lost = [slug for slug, outcome in outcomes.items() if isinstance(outcome, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert "already has as many referees" in str(outcomes[lost[0]].message)
    pending = Reference.objects.filter(application=submitted, state=Reference.State.PENDING)
    assert sorted(pending.values_list("organisation__slug", flat=True)) == sorted(["ours", won[0]])
    assert not Reference.objects.filter(organisation=choices[lost[0]][0]).exists()
    assert AuditEntry.objects.filter(action="create", content_type__model="reference").count() == 1
