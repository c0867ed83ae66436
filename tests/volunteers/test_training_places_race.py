"""Two volunteers take the last place of a training at the same moment: exactly one gets it."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone, translation

from tansiq.core.errors import Conflict
from tansiq.volunteers.models import Enrolment, TrainingSession
from tansiq.volunteers.services import trainings as services
from tests.volunteers.factories import TrainingFactory, VolunteerProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_last_place_is_given_once(causes):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite test database is not shared between threads' connections")
    training = TrainingFactory(capacity=1, place="Doha")
    start = timezone.now() + dt.timedelta(days=2)
    TrainingSession.objects.create(training=training, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    users = [VolunteerProfileFactory().user for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def enrol(user):
        try:
            barrier.wait(timeout=10)
            with translation.override("en"):  # a thread starts in the default language
                outcomes.append(services.enrol(training, by=user))
        except Exception as exc:  # a Conflict is expected for one of them; anything else fails below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "Enrolment"], outcomes
    assert next(o for o in outcomes if isinstance(o, Conflict)).message == "This training is full."
    assert Enrolment.objects.filter(training=training).count() == 1
