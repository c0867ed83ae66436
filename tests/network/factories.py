import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tansiq.network.models import (
    Committee,
    Contact,
    FocusArea,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Reference,
    Unit,
)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    slug = factory.Sequence(lambda n: f"network-{n}")
    name_ar = factory.Sequence(lambda n: f"اتحاد رقم {n}")
    name_en = factory.Sequence(lambda n: f"Union {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    network = factory.SubFactory(NetworkFactory)
    slug = factory.Sequence(lambda n: f"unit-{n}")
    name_ar = factory.Sequence(lambda n: f"وحدة {n}")
    name_en = factory.Sequence(lambda n: f"Unit {n}")
    kind = Unit.Kind.COUNTRY


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    slug = factory.Sequence(lambda n: f"area-{n}")
    name_ar = factory.Sequence(lambda n: f"مجال {n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    legal_name = factory.Sequence(lambda n: f"Persatuan Kebajikan {n}")
    name_ar = factory.Sequence(lambda n: f"جمعية الخير {n}")
    name_en = factory.Sequence(lambda n: f"Charity Association {n}")
    acronym = "PK"
    country = "MY"
    city = "Kuala Lumpur"
    registration_number = "PPM-SECRET-001"
    agm_date = dt.date(2025, 6, 1)


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = NetworkMembership.Status.ADMITTED
    category = NetworkMembership.Category.FULL


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.OWNER


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    network = factory.SubFactory(NetworkFactory)
    slug = factory.Sequence(lambda n: f"committee-{n}")
    name_ar = factory.Sequence(lambda n: f"لجنة {n}")
    name_en = factory.Sequence(lambda n: f"Commission {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Hidden Person"
    email = "hidden@example.org"
    visibility = Contact.Visibility.ADMINS


def pdf(name="resolution.pdf", size=0):
    """An upload that is a PDF, as an application's board resolution is."""
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size + b"\n%%EOF", content_type="application/pdf")


def png(name="certificate.png"):
    """An upload that is a PNG image, as a scanned registration certificate is."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def reference_of(application, organisation):
    return Reference.objects.get(application=application, organisation=organisation)


def application_with_referees(*, network, organisation, by, referees, submit=False):
    """An application of ``organisation`` with its documents and ``referees`` named (submitted if asked)."""
    from tansiq.network.services import admission

    application = admission.start_application(by=by, organisation=organisation, network=network)
    admission.save_application(
        application,
        by=by,
        category="full",
        representative_name="Aminah binti Yusof",
        referees=referees,
        board_resolution=pdf(),
        registration_certificate=png(),
    )
    return admission.submit_application(application, by=by) if submit else application
