"""What the union's keepers manage, at benchmark scale: a tree of about 200 units, one member's
long list of contacts, and its representatives in both networks chosen among many people.

``load_demo --scale large`` adds it after the union has grown (``network.grow_union``) and the
bulk people exist, so that the management pages (contacts, representatives, units, one unit) are
measured with as much data as a large network keeps. Deterministic and idempotent, like the rest of
the demo: a fixed seed, and nothing is added once the regional units exist.
"""

from __future__ import annotations

import random

from django.utils import translation
from django.utils.text import slugify

from tansiq.core.countries import country_name
from tansiq.demo.network import COUNTRIES, LARGE
from tansiq.demo.people import FAMILY, GIVEN

# The union's regions: (slug, Arabic, English, Malay, country codes).
REGIONS = [
    (
        "arab-region",
        "المنطقة العربية",
        "Arab region",
        "Rantau Arab",
        "EG SA JO PS LB SY IQ YE KW QA BH AE OM SD LY TN DZ MA MR",
    ),
    (
        "west-africa",
        "غرب أفريقيا",
        "West Africa region",
        "Rantau Afrika Barat",
        "SN ML NE TD BF GN CI CM BJ NG GH SL GM",
    ),
    (
        "east-africa",
        "شرق أفريقيا والقرن الأفريقي",
        "East Africa and the Horn region",
        "Rantau Afrika Timur dan Tanduk Afrika",
        "SO DJ KM KE TZ UG ET ZA MZ",
    ),
    (
        "south-east-asia",
        "جنوب آسيا وجنوب شرقها",
        "South and South-East Asia region",
        "Rantau Asia Selatan dan Asia Tenggara",
        "MY ID PK BD AF IR LK IN",
    ),
    (
        "turkiye-central-asia",
        "تركيا والقوقاز وآسيا الوسطى",
        "Türkiye, the Caucasus and Central Asia region",
        "Rantau Turki, Kaukasus dan Asia Tengah",
        "TR AZ KZ KG UZ TJ RU",
    ),
    ("europe", "أوروبا", "Europe region", "Rantau Eropah", "BA XK AL MK DE AT FR BE GB"),
]
# Each region's committees: (slug suffix, Arabic, English, Malay).
REGIONAL_COMMITTEES = [
    ("women", "لجنة المرأة والأسرة في {r}", "Women and family committee, {r}", "Jawatankuasa Wanita dan Keluarga, {r}"),
    ("youth", "لجنة الشباب في {r}", "Youth committee, {r}", "Jawatankuasa Belia, {r}"),
    ("relief", "لجنة الإغاثة في {r}", "Relief committee, {r}", "Jawatankuasa Bantuan Kemanusiaan, {r}"),
    ("education", "لجنة التعليم في {r}", "Education committee, {r}", "Jawatankuasa Pendidikan, {r}"),
]
# Units of the union as a whole, beside the regions.
CENTRAL_UNITS = [
    ("council-of-women", "council", "مجلس المرأة", "Women's council", "Majlis Wanita"),
    ("youth-council", "council", "مجلس الشباب", "Youth council", "Majlis Belia"),
    ("council-of-scholars", "council", "مجلس العلماء", "Council of scholars", "Majlis Ulama"),
    (
        "international-relations",
        "international",
        "وحدة العلاقات الدولية",
        "International relations unit",
        "Unit Hubungan Antarabangsa",
    ),
    ("media-unit", "other", "وحدة الإعلام", "Media unit", "Unit Media"),
    ("projects-unit", "other", "وحدة المشاريع المشتركة", "Joint projects unit", "Unit Projek Bersama"),
]

CONTACTS = 200  # the organisation that keeps the most contacts
PEOPLE_ACTING = 40  # people acting for it, among whom it names its representatives
ROLES = [
    ("الأمين العام", "Secretary general", "Setiausaha Agung"),
    ("أمين الصندوق", "Treasurer", "Bendahari"),
    ("مسؤول الإعلام", "Press officer", "Pegawai Media"),
    ("منسق المتطوعين", "Volunteer coordinator", "Penyelaras Sukarelawan"),
    ("مدير البرامج", "Programme manager", "Pengurus Program"),
    ("مسؤول الشراكات", "Partnerships officer", "Pegawai Perkongsian"),
]


def load_at_scale(*, domain: str, stdout=None) -> bool:
    """Add the union's unit tree, one member's contacts and representatives; False if already there."""
    from tansiq.accounts.models import User
    from tansiq.network.models import Network, Unit

    union = Network.objects.filter(slug="uniw").first()
    if union is None or Unit.objects.filter(network=union, slug=REGIONS[0][0]).exists():
        return False
    rng = random.Random(2027)
    # The bulk people of the large demo (``person000000@…``) keep units and act for the organisation.
    people = list(User.objects.filter(email__startswith="person", email__endswith=f"@{domain}").order_by("email")[:400])
    units = _unit_tree(union, people)
    organisation = _keeper_organisation(domain)
    contacts = representatives = 0
    if organisation is not None:
        contacts = _contacts(organisation, rng)
        representatives = _representatives(organisation, people[200 : 200 + PEOPLE_ACTING])
    if stdout is not None:
        stdout.write(
            f"  Registry keeping at scale: {units} units in the union, {contacts} contacts and "
            f"{representatives} people acting for {organisation.slug if organisation else '—'}."
        )
    return True


def _names_of_country(code: str) -> tuple[str, str, str]:
    with translation.override("en"):
        english = country_name(code, "en")
    return country_name(code, "ar"), english, country_name(code, "ms")


def _unit_tree(union, people) -> int:
    """Regions, their committees, a representation per country and a branch per city (≈ 200 units)."""
    from tansiq.network.models import NetworkMembership, Unit

    existing = {unit.slug: unit for unit in Unit.objects.filter(network=union)}
    admins = iter(people)
    created = 0

    def unit(slug, kind, ar, en, ms, parent=None, *, admin=False) -> Unit:
        nonlocal created
        found = existing.get(slug)
        if found is None:
            found = Unit.objects.create(
                network=union, slug=slug, kind=kind, parent=parent, name=ar, name_ar=ar, name_en=en, name_ms=ms
            )
            existing[slug] = found
            created += 1
        elif found.parent_id != (parent.pk if parent else None):
            Unit.objects.filter(pk=found.pk).update(parent=parent)
            found.parent = parent
        person = next(admins, None) if admin else None
        if person is not None:
            found.admins.add(person)
        return found

    for slug, kind, ar, en, ms in CENTRAL_UNITS:
        unit(slug, kind, ar, en, ms)
    by_code = {code: cities for code, _language, cities in COUNTRIES}
    for slug, ar, en, ms, codes in REGIONS:
        region = unit(slug, Unit.Kind.OTHER, ar, en, ms, admin=True)
        for suffix, committee_ar, committee_en, committee_ms in REGIONAL_COMMITTEES:
            unit(
                f"{slug}-{suffix}",
                Unit.Kind.COUNCIL,
                committee_ar.format(r=ar),
                committee_en.format(r=en.removesuffix(" region")),
                committee_ms.format(r=ms.removeprefix("Rantau ")),
                region,
            )
        for code in codes.split():
            country_ar, country_en, country_ms = _names_of_country(code)
            # The four representations the demo union starts with keep their names and addresses.
            country = unit(
                code.lower(),
                Unit.Kind.COUNTRY,
                f"ممثلية {country_ar}",
                f"{country_en} representation",
                f"Perwakilan {country_ms}",
                region,
                admin=code in LARGE,
            )
            for _local, latin, arabic in by_code[code]:
                unit(
                    f"{code.lower()}-{slugify(latin)}",
                    Unit.Kind.OTHER,
                    f"فرع {arabic}",
                    f"{latin} branch",
                    f"Cawangan {latin}",
                    country,
                )
            # Every member of the union belongs to its country's representation.
            NetworkMembership.objects.filter(network=union, unit=None, organisation__country=code).update(unit=country)
    return created


def _keeper_organisation(domain: str):
    """The Malaysian member its demo owner (Ahmad Kamal) keeps: a member of both networks."""
    from tansiq.network.models import Membership

    membership = (
        Membership.objects.filter(user__email=f"ahmad.kamal@{domain}", role="owner")
        .select_related("organisation")
        .order_by("organisation__pk")
        .first()
    )
    return membership.organisation if membership else None


def _contacts(organisation, rng: random.Random) -> int:
    from tansiq.network.models import Contact

    if organisation.contacts.exists():
        return 0
    visibilities = [Contact.Visibility.PUBLIC, Contact.Visibility.MEMBERS, Contact.Visibility.ADMINS]
    contacts = []
    for number in range(CONTACTS):
        language = ("ms", "ar", "en")[number % 3]
        given, family = rng.choice(GIVEN[language]), rng.choice(FAMILY[language])
        role = ROLES[number % len(ROLES)][(2, 0, 1)[number % 3]]
        contacts.append(
            Contact(
                organisation=organisation,
                name=f"{given} {family}",
                role=role,
                email=f"contact{number:03d}@{organisation.slug[:30]}.example.org",
                phone=f"+60 3 {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
                visibility=visibilities[number % 3],
            )
        )
    Contact.objects.bulk_create(contacts)
    return len(contacts)


def _representatives(organisation, people) -> int:
    """People act for the organisation; it names a representative and an alternate in each network
    and on each of its committee seats."""
    from tansiq.network.models import CommitteeSeat, Membership, NetworkMembership

    if not people:
        return 0
    Membership.objects.bulk_create(
        [Membership(user=person, organisation=organisation, role=Membership.Role.VIEWER) for person in people],
        ignore_conflicts=True,
    )
    memberships = NetworkMembership.objects.filter(organisation=organisation).order_by("network__position")
    for index, membership in enumerate(memberships):
        NetworkMembership.objects.filter(pk=membership.pk).update(
            representative=people[2 * index % len(people)], alternate=people[(2 * index + 1) % len(people)]
        )
        CommitteeSeat.objects.filter(organisation=organisation, committee__network=membership.network_id).update(
            representative=people[2 * index % len(people)]
        )
    return len(people)
