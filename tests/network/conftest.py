"""A network with two admitted members (each with an owner), an applicant and a unit."""

import pytest

from tests.factories import UserFactory
from tests.network.factories import (
    ContactFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UnitFactory,
    pdf,
    png,
)


@pytest.fixture
def network(db):
    return NetworkFactory(slug="uniw", name_en="Union of NGOs", name_ar="اتحاد المنظمات")


@pytest.fixture
def unit(network):
    return UnitFactory(network=network)


@pytest.fixture
def org(network, unit):
    organisation = OrganisationFactory(slug="ours", name_en="Our Association")
    NetworkMembershipFactory(network=network, organisation=organisation, unit=unit)
    ContactFactory(organisation=organisation, name="Public Desk", email="desk@example.org", visibility="public")
    ContactFactory(organisation=organisation, name="Treasurer Private", email="treasurer@example.org")
    return organisation


@pytest.fixture
def other_org(network):
    organisation = OrganisationFactory(slug="theirs", name_en="Their Foundation", country="TR", city="Konya")
    NetworkMembershipFactory(network=network, organisation=organisation)
    return organisation


@pytest.fixture
def applicant(network):
    organisation = OrganisationFactory(slug="pending", name_en="Pending Applicant Society")
    NetworkMembershipFactory(network=network, organisation=organisation, status="applicant")
    return organisation


@pytest.fixture
def owner(org):
    user = UserFactory(display_name="Owner", language="ar")
    MembershipFactory(user=user, organisation=org, role="owner")
    return user


@pytest.fixture
def editor(org):
    user = UserFactory(display_name="Editor")
    MembershipFactory(user=user, organisation=org, role="editor")
    return user


@pytest.fixture
def other_owner(other_org):
    user = UserFactory(display_name="Other owner")
    MembershipFactory(user=user, organisation=other_org, role="owner")
    return user


@pytest.fixture
def unit_admin(unit):
    user = UserFactory(display_name="Unit admin")
    unit.admins.add(user)
    return user


# --- representatives ------------------------------------------------------------------------------


@pytest.fixture
def membership(org):
    """Our organisation's membership of the network."""
    return org.network_memberships.get()


@pytest.fixture
def amina(org):
    """One of our people, a viewer: may be named representative."""
    user = UserFactory(display_name="Amina Representative", email="amina@example.org")
    MembershipFactory(user=user, organisation=org, role="viewer")
    return user


@pytest.fixture
def yusuf(org):
    """Another of our people, an editor: may be named alternate."""
    user = UserFactory(display_name="Yusuf Alternate", email="yusuf@example.org")
    MembershipFactory(user=user, organisation=org, role="editor")
    return user


@pytest.fixture
def forty_people_two_networks(org, network):
    """Our organisation in two networks with forty people to choose among, its representative and
    alternate named, and three committee seats in each network: a large member's representatives."""
    from tansiq.network.models import CommitteeSeat, NetworkMembership
    from tests.network.factories import CommitteeFactory, NetworkFactory, NetworkMembershipFactory

    council = NetworkFactory(slug="council")
    NetworkMembershipFactory(network=council, organisation=org)
    people = UserFactory.create_batch(40)
    for person in people:
        MembershipFactory(user=person, organisation=org, role="viewer")
    for place in (network, council):
        for number in range(3):
            committee = CommitteeFactory(network=place, slug=f"{place.slug}-committee-{number}")
            CommitteeSeat.objects.create(committee=committee, organisation=org, representative=people[number])
    NetworkMembership.objects.filter(organisation=org).update(representative=people[0], alternate=people[1])
    return people


@pytest.fixture
def tree(network, unit):
    """The unit and two hundred more: twenty regions of nine countries each, every unit with an admin
    (a large network's tree, for the budgets of the units pages and API)."""
    from tansiq.network.models import Unit
    from tests.factories import UserFactory
    from tests.network.factories import UnitFactory

    units = [unit]
    for region_number in range(20):
        region = UnitFactory(network=network, slug=f"region-{region_number:02d}")
        units.append(region)
        for country_number in range(9):
            units.append(UnitFactory(network=network, parent=region, slug=f"r{region_number:02d}-c{country_number}"))
    admins = UserFactory.create_batch(len(units))
    Unit.admins.through.objects.bulk_create(
        Unit.admins.through(unit_id=place.pk, user_id=person.pk) for place, person in zip(units, admins, strict=True)
    )
    return units


@pytest.fixture
def reindex(db):
    """``reindex()`` brings the organisations' search documents up to date, as the background task
    that follows each save after commit would (tests run inside a transaction that never commits)."""
    from tansiq.core.search.services import rebuild

    return lambda: rebuild("organisation")


# --- admission -------------------------------------------------------------------------------------


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploads land in a directory of the test's own (admission documents are written to disk)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def candidate(network):
    return OrganisationFactory(slug="candidate", name_en="Candidate Society", year_founded=2010)


@pytest.fixture
def candidate_owner(candidate):
    """The applicant's owner reads English, so messages can be compared with the text."""
    user = UserFactory(display_name="Candidate owner", language="en")
    MembershipFactory(user=user, organisation=candidate, role="owner")
    return user


@pytest.fixture
def draft(network, candidate, candidate_owner, org, other_org):
    """An application with its documents and two referees, not yet submitted."""
    from tansiq.network.services import admission

    application = admission.start_application(by=candidate_owner, organisation=candidate, network=network)
    return admission.save_application(
        application,
        by=candidate_owner,
        category="full",
        representative_name="Aminah binti Yusof",
        referees=[org, other_org],
        board_resolution=pdf(),
        registration_certificate=png(),
    )


@pytest.fixture
def submitted(draft, candidate_owner):
    """The draft, submitted: its two referees have not answered yet."""
    from tansiq.network.services import admission

    return admission.submit_application(draft, by=candidate_owner)
