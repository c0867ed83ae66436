"""The demo's volunteer applications: every state, seats within capacity, fatimah.zahra's roster
has applications to show, and loading twice adds nothing."""

import io

from django.core.management import call_command
from django.db.models import Count, Q

from tansiq.demo import volunteering_applications
from tansiq.volunteers.models import Application, Booking, Shift
from tansiq.volunteers.queries.applications import rosters_of
from tests.test_crawler import demo  # noqa: F401  (the crawler's demo network, loaded once per test)

DOMAIN = "demo.tansiq.org"


def test_the_demo_has_applications_in_every_state_within_capacity(demo):  # noqa: F811
    from tansiq.accounts.models import User

    states = set(Application.objects.values_list("state", flat=True))
    wanted = {"submitted", "shortlisted", "accepted", "waitlisted", "declined", "confirmed", "withdrawn"}
    assert wanted <= states, wanted - states
    assert Booking.objects.filter(state=Booking.State.OFFERED, offer_expires_at__isnull=False).exists()
    assert Application.objects.exclude(volunteer_rating=None).exists()
    over = Shift.objects.annotate(taken=Count("bookings", filter=Q(bookings__state__in=Booking.SEAT_STATES))).filter(
        taken__gt=0
    )
    assert all(shift.taken <= shift.capacity for shift in over)
    fatimah = User.objects.get(email=f"fatimah.zahra@{DOMAIN}")
    assert any(opportunity.applied for opportunity in rosters_of(fatimah))

    count = Application.objects.count(), Booking.objects.count()
    assert volunteering_applications.load(domain=DOMAIN) is False
    call_command("load_demo", stdout=io.StringIO())
    assert (Application.objects.count(), Booking.objects.count()) == count
