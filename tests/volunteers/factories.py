import datetime as dt
import secrets
from decimal import Decimal

import factory
from django.utils import timezone

from tansiq.volunteers.models import (
    Agreement,
    Application,
    Booking,
    HoursEntry,
    Opportunity,
    Qualification,
    Shift,
    Training,
    VolunteerProfile,
)
from tests.factories import UserFactory
from tests.network.factories import OrganisationFactory


class VolunteerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerProfile

    user = factory.SubFactory(UserFactory)
    legal_name = factory.Sequence(lambda n: f"Volunteer {n}")
    birth_date = dt.date(1995, 3, 14)
    nationality = "MY"
    country = "MY"
    city = "Kuala Lumpur"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    kind = Agreement.Kind.CHARTER
    version = 1
    text = "Volunteers act in good faith."


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    slug = factory.Sequence(lambda n: f"qualification-{n}")
    name = factory.Sequence(lambda n: f"Qualification {n}")


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    description = "Help at the community kitchen."
    state = Opportunity.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    country = "MY"
    city = "Kuala Lumpur"
    latitude = Decimal("3.139000")
    longitude = Decimal("101.686900")
    languages = factory.LazyFunction(lambda: ["ms", "en"])


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    opportunity = factory.SubFactory(OpportunityFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda shift: shift.starts_at + dt.timedelta(hours=4))
    capacity = 5
    checkin_token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    opportunity = factory.SubFactory(OpportunityFactory)
    profile = factory.SubFactory(VolunteerProfileFactory)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    application = factory.SubFactory(ApplicationFactory)
    shift = factory.SubFactory(ShiftFactory, opportunity=factory.SelfAttribute("..application.opportunity"))
    code = factory.LazyFunction(lambda: secrets.token_urlsafe(32))


class HoursEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursEntry

    profile = factory.SubFactory(VolunteerProfileFactory)
    opportunity = factory.SubFactory(OpportunityFactory)
    organisation = factory.SelfAttribute("opportunity.organisation")
    date = factory.LazyFunction(timezone.localdate)
    hours = Decimal("3.00")
    source = HoursEntry.Source.REPORTED


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Training {n}")
    grants = factory.SubFactory(QualificationFactory)
