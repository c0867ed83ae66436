"""Two phones scanning the same volunteer's code at the same moment: one check-in, one check-out,
one hours entry. Real threads on two connections (PostgreSQL; skipped on in-memory SQLite)."""

import datetime as dt

import pytest
from django.utils import timezone

from tansiq.core.errors import TansiqError
from tansiq.volunteers.models import Booking, HoursEntry
from tansiq.volunteers.services import hours as services
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory
from tests.network.test_manage_races import _at_once
from tests.volunteers.factories import ApplicationFactory, BookingFactory, ShiftFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_code_scanned_twice_at_once_checks_in_and_out_once():
    now = timezone.now()
    shift = ShiftFactory(starts_at=now - dt.timedelta(minutes=10), ends_at=now + dt.timedelta(hours=2))
    coordinators = [UserFactory(), UserFactory()]
    for user in coordinators:
        MembershipFactory(user=user, organisation=shift.opportunity.organisation, role="editor")
    application = ApplicationFactory(opportunity=shift.opportunity, state="confirmed")
    booking = BookingFactory(application=application, shift=shift, state="accepted")
    outcomes = _at_once(*(lambda user=user: services.check_in(shift, booking.code, by=user) for user in coordinators))
    assert sum(isinstance(outcome, Booking) for outcome in outcomes) == 1, outcomes
    assert sum(isinstance(outcome, TansiqError) for outcome in outcomes) == 1, outcomes
    outcomes = _at_once(*(lambda user=user: services.check_out(shift, booking.code, by=user) for user in coordinators))
    assert sum(isinstance(outcome, Booking) for outcome in outcomes) == 1, outcomes
    assert HoursEntry.objects.filter(booking=booking).count() == 1
