import datetime as dt

import factory

from tansiq.volunteers.models import Agreement, VolunteerProfile
from tests.factories import UserFactory


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
