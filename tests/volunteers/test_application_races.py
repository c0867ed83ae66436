"""The last seat of a shift, accepted for two volunteers by two coordinators at the same moment:
one gets it, the other waits on the list; the shift is never filled past its capacity. And one
volunteer's double submission at the same moment makes one application.

Each thread holds its own database connection; the shift's row lock (PostgreSQL) or the write lock
(SQLite, in a file) makes the second wait for the first and count the seats the first took.
"""

import contextlib
import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone, translation

from tansiq.volunteers.models import Acceptance, Application, Booking
from tansiq.volunteers.services import applications as services
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory
from tests.volunteers.factories import AgreementFactory, OpportunityFactory, ShiftFactory, VolunteerProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(work: dict) -> dict:
    barrier = threading.Barrier(len(work))
    outcomes = {}

    def run(name):
        try:
            barrier.wait(timeout=10)
            with translation.override("en"):
                outcomes[name] = work[name]()
        except Exception as exc:  # checked below with its cause
            outcomes[name] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(name,)) for name in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.fixture
def setting(db):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite test database is not shared between threads' connections")
    charter = AgreementFactory(published_at=timezone.now() - dt.timedelta(days=1))
    opportunity = OpportunityFactory()
    shift = ShiftFactory(opportunity=opportunity, capacity=1)
    profiles = [VolunteerProfileFactory() for _ in range(2)]
    for profile in profiles:
        Acceptance.objects.create(user=profile.user, agreement=charter)
    return opportunity, shift, profiles


def test_two_coordinators_accepting_for_the_last_seat(setting, monkeypatch):
    opportunity, shift, profiles = setting
    applications = [services.apply(opportunity, by=p.user, shifts=[shift])[0] for p in profiles]
    # Each decision, having counted the places, waits (a moment at most) for the other to count
    # too: without the shift's lock both would count the place free and both take it.
    counted = threading.Barrier(2)
    count_seats = services.seats_taken

    def seats_taken_then_wait(shift_ids):
        found = count_seats(shift_ids)
        # Broken when the other decision is waiting for the lock this one holds.
        with contextlib.suppress(threading.BrokenBarrierError):
            counted.wait(timeout=2)
        return found

    monkeypatch.setattr(services, "seats_taken", seats_taken_then_wait)
    coordinators = []
    for role in ("owner", "admin"):
        user = UserFactory()
        MembershipFactory(user=user, organisation=opportunity.organisation, role=role)
        coordinators.append(user)
    outcomes = _at_once(
        {
            index: (lambda index=index: services.accept(applications[index], by=coordinators[index]))
            for index in range(2)
        }
    )
    assert all(isinstance(outcome, Application) for outcome in outcomes.values()), outcomes
    states = sorted(Application.objects.values_list("state", flat=True))
    assert states == [Application.State.ACCEPTED, Application.State.WAITLISTED]
    assert shift.bookings.filter(state__in=Booking.SEAT_STATES).count() == 1


def test_a_double_submission_at_the_same_moment_makes_one_application(setting):
    opportunity, shift, profiles = setting
    user = profiles[0].user
    outcomes = _at_once({name: (lambda: services.apply(opportunity, by=user, shifts=[shift])) for name in "ab"})
    assert all(isinstance(outcome, tuple) for outcome in outcomes.values()), outcomes
    assert sorted(created for _application, created in outcomes.values()) == [False, True]
    assert Application.objects.count() == 1 and Booking.objects.count() == 1
