"""Two people acting at the same moment on the management pages: one wins, the other is told why.

Real threads on two database connections (PostgreSQL; an in-memory SQLite database is not shared
between connections, so there these tests skip).
"""

import threading

import pytest
from django.db import connection, connections

from tansiq.core.errors import TansiqError
from tansiq.network.models import Contact, NetworkMembership, Unit
from tansiq.network.services import contacts as contacts_services
from tansiq.network.services import representatives as representatives_services
from tansiq.network.services import units as manage
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(*calls):
    """Run each call in its own thread, released together; return what each returned or raised."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite test database is not shared between threads' connections")
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:  # the assertions below say which
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_units_moved_under_each_other_at_once_make_no_loop(secretariat, network):
    left = UnitFactory(network=network, slug="left")
    right = UnitFactory(network=network, slug="right")
    outcomes = _at_once(
        lambda: manage.move_unit(Unit.objects.get(pk=left.pk), by=secretariat, version=1, parent=right),
        lambda: manage.move_unit(Unit.objects.get(pk=right.pk), by=secretariat, version=1, parent=left),
    )
    won = [outcome for outcome in outcomes if isinstance(outcome, Unit)]
    lost = [outcome for outcome in outcomes if isinstance(outcome, TansiqError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    parents = dict(Unit.objects.filter(pk__in=[left.pk, right.pk]).values_list("slug", "parent__slug"))
    assert parents in ({"left": "right", "right": None}, {"left": None, "right": "left"})


def test_the_same_contact_sent_twice_at_once_is_added_once(editor, org):
    outcomes = _at_once(
        lambda: contacts_services.add_contact(org, by=editor, name="Front Desk", email="desk@example.org"),
        lambda: contacts_services.add_contact(org, by=editor, name="Front Desk", email="desk@example.org"),
    )
    assert sum(isinstance(outcome, Contact) for outcome in outcomes) == 1, outcomes
    assert org.contacts.filter(name="Front Desk").count() == 1


def test_two_admins_naming_different_representatives_at_once(owner, org):
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=org, role="admin")
    first, second = UserFactory(), UserFactory()
    for person in (first, second):
        MembershipFactory(user=person, organisation=org, role="viewer")
    membership = org.network_memberships.get()
    outcomes = _at_once(
        lambda: representatives_services.name_representatives(
            NetworkMembership.objects.get(pk=membership.pk),
            by=owner,
            representative=first,
            alternate=None,
            expected=(None, None),
        ),
        lambda: representatives_services.name_representatives(
            NetworkMembership.objects.get(pk=membership.pk),
            by=admin,
            representative=second,
            alternate=None,
            expected=(None, None),
        ),
    )
    won = [outcome for outcome in outcomes if isinstance(outcome, NetworkMembership)]
    assert len(won) == 1 and sum(isinstance(outcome, TansiqError) for outcome in outcomes) == 1, outcomes
    membership.refresh_from_db()
    assert membership.representative == won[0].representative
