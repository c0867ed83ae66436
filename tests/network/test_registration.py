"""Registering a new organisation: its owner, its absence from every directory, the duplicate
warning (Arabic spelling variants included), the secretariat's invitation of its owner, the API,
and "My organisations"."""

import pytest
from django.core import mail

from tansiq.accounts import services as accounts
from tansiq.core.errors import Forbidden
from tansiq.core.models import AuditEntry
from tansiq.network.models import Invitation, Membership, Organisation
from tansiq.network.search import probable_duplicates
from tansiq.network.services import people
from tansiq.network.services.registry import register_organisation
from tests.factories import UserFactory
from tests.network.factories import FocusAreaFactory, MembershipFactory, OrganisationFactory

REGISTER = "/en/organisations/register/"
MINE = "/en/organisations/"
API = "/api/v1/organisations"
JSON = "application/json"


def bearer(user) -> dict:
    raw = accounts.create_token(user, by=user, name="registration", scope="write")[1]
    return {"Authorization": f"Bearer {raw}"}


def _form(**values) -> dict:
    return {"name_ar": "جمعية النور الخيرية", "name_en": "", "name_ms": "", "type": "ngo", "country": "JO", **values}


def test_a_person_with_no_organisation_registers_one_and_owns_it(client_for, network, org):
    person = UserFactory()
    area = FocusAreaFactory()
    client = client_for(person)
    response = client.post(
        REGISTER,
        _form(
            name_en="Al-Noor Charity",
            city="Amman",
            website="noor.example.org",
            registration_number="JO-77",
            focus_areas=[area.pk],
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    organisation = Organisation.objects.get(name_en="Al-Noor Charity")
    assert response.status_code == 302
    assert response["Location"] == f"/en/organisations/{organisation.slug}/"
    assert organisation.slug == "al-noor-charity"
    assert organisation.legal_name == "جمعية النور الخيرية"  # the first name, when no legal name is given
    assert organisation.website == "https://noor.example.org"
    assert list(organisation.focus_areas.all()) == [area]
    assert Membership.objects.get(organisation=organisation).user == person
    assert Membership.objects.get(organisation=organisation).role == "owner"
    assert not organisation.network_memberships.exists()
    assert AuditEntry.objects.for_object(organisation).get().action == "create"
    # Its page links to the admission workflow; no directory lists it.
    page = client.get(response["Location"]).content.decode()
    assert f"/en/organisations/{organisation.slug}/applications/" in page
    directory = client.get("/en/networks/uniw/members/").content.decode()
    assert "Al-Noor Charity" not in directory


def test_an_outsider_gets_404_on_someone_elses_new_organisation(client_for, client, db):
    owner = UserFactory()
    organisation = register_organisation(by=owner, name_en="Quiet Draft Society", country="MY")
    path = f"/en/organisations/{organisation.slug}/"
    assert client_for(owner).get(path).status_code == 200
    assert client_for(UserFactory()).get(path).status_code == 404
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get(f"/api/v1/organisations/{organisation.slug}").status_code == 404


def test_the_form_needs_a_name_in_one_language_and_a_country(client_for, db):
    client = client_for(UserFactory())
    response = client.post(REGISTER, _form(name_ar="", country=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert "name_ar" in form.errors and "country" in form.errors
    assert not Organisation.objects.exists()


def test_visitors_are_sent_to_sign_in(client, db):
    assert client.get(REGISTER).status_code == 302
    assert client.get(MINE).status_code == 302
    with pytest.raises(Forbidden):
        register_organisation(by=None, name_en="Nobody's", country="MY")


@pytest.mark.parametrize(
    ("registered", "typed"),
    [
        ("جمعية الإغاثة الإسلامية", "جمعيه الاغاثه الاسلاميه"),  # hamza on alef and taa marbuta dropped
        ("مؤسسة الأمل للتنمية", "موسسه الامل للتنميه"),  # hamza seat and taa marbuta
        ("هيئة الإغاثة", "هيأة الاغاثة"),  # two spellings of the hamza's seat
        ("جمعية البِرّ الخيرية", "جمعية البر الخيريه"),  # diacritics
    ],
)
def test_arabic_spelling_variants_are_probable_duplicates(db, registered, typed):
    existing = OrganisationFactory(name_ar=registered, name_en="", acronym="", country="JO")
    assert probable_duplicates(country="JO", names=[typed]) == [existing]
    # Another country's organisation of the same name is not a duplicate.
    assert probable_duplicates(country="EG", names=[typed]) == []


def test_different_names_and_acronyms_are_not_duplicates(db):
    OrganisationFactory(name_ar="جمعية الأمل للتنمية", name_en="Hope Development", acronym="HDA", country="JO")
    assert probable_duplicates(country="JO", names=["جمعية الإغاثة الإسلامية", "Islamic Relief"], acronym="IR") == []
    assert len(probable_duplicates(country="JO", names=["Something else"], acronym="h.d.a.")) == 1


def test_a_probable_duplicate_is_warned_about_then_registered_once_confirmed(client_for, org):
    client = client_for(UserFactory())
    # ``org`` is an admitted member in Malaysia named "Our Association" with the acronym "PK".
    first = client.post(REGISTER, _form(name_ar="", name_en="Our Associations", country="MY"))
    assert first.status_code == 200
    assert first.context["duplicates"] == [org]
    page = first.content.decode()
    assert "Is it already registered?" in page and "/en/organisations/ours/" in page
    assert not Organisation.objects.filter(name_en="Our Associations").exists()
    confirmed = client.post(
        REGISTER, _form(name_ar="", name_en="Our Associations", country="MY", confirm_duplicate="on")
    )
    assert confirmed.status_code == 302
    assert Organisation.objects.filter(name_en="Our Associations").count() == 1


def test_a_duplicate_nobody_may_see_is_counted_not_named(client_for, db):
    hidden = register_organisation(by=UserFactory(), name_en="Hidden Relief Trust", country="MY")
    response = client_for(UserFactory()).post(REGISTER, _form(name_ar="", name_en="Hidden Relief Trust", country="MY"))
    assert response.context["duplicates"] == []
    assert response.context["unlisted_duplicates"] == 1
    assert hidden.slug not in response.content.decode()


def test_the_secretariat_registers_one_and_invites_its_owner(
    client_for, secretariat, network, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    assert "owner_email" in client.get(REGISTER).context["form"].fields
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, _form(owner_email="Founder@Example.org", language="ar"))
    assert response.status_code == 302
    organisation = Organisation.objects.get(name_ar="جمعية النور الخيرية")
    assert not organisation.people.exists()  # nobody acts for it until the owner accepts
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role, invitation.language) == ("founder@example.org", "owner", "ar")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["founder@example.org"]
    # The invitation is bound to its address: someone else holding the link cannot take the organisation.
    raw = mail.outbox[0].body.split("/invitations/")[1].split("/")[0]
    with pytest.raises(Forbidden):
        people.accept_invitation(raw, by=UserFactory(email="someone.else@example.org"))
    founder = UserFactory(email="founder@example.org")
    assert people.accept_invitation(raw, by=founder).role == "owner"


def test_only_the_secretariat_invites_an_owner(client_for, db):
    client = client_for(UserFactory())
    assert "owner_email" not in client.get(REGISTER).context["form"].fields
    with pytest.raises(Forbidden):
        register_organisation(by=UserFactory(), name_en="For Someone", country="MY", owner_email="x@example.org")


def test_my_organisations_lists_roles_and_network_states(client_for, org, applicant, network, owner):
    MembershipFactory(user=owner, organisation=applicant, role="viewer")
    fresh = register_organisation(by=owner, name_en="Brand New Circle", country="MY")
    page = client_for(owner).get(MINE).content.decode()
    for name in ("Our Association", "Pending Applicant Society", "Brand New Circle"):
        assert name in page
    assert "Not a member of any network yet" in page
    assert f"/en/organisations/{fresh.slug}/applications/" in page
    assert "Applicant" in page and "Member" in page
    home = client_for(owner).get("/en/").content.decode()
    assert "My organisations" in home and "Brand New Circle" in home and "/en/organisations/register/" in home


def test_my_organisations_empty_state(client_for, db):
    client = client_for(UserFactory())
    page = client.get(MINE).content.decode()
    assert "You do not act for any organisation yet" in page
    assert 'href="/en/organisations/register/"' in page
    # The account menu links to it.
    assert 'href="/en/organisations/"' in client.get("/en/").content.decode()


def test_the_api_registers_through_the_same_form(client, db, network):
    person = UserFactory()
    area = FocusAreaFactory(slug="water")
    headers = bearer(person)
    refused = client.post(
        API, {"name_en": "x", "country": "ZZ", "website": "not a url"}, content_type=JSON, headers=headers
    )
    assert refused.status_code == 422
    assert set(refused.json()["error"]["fields"]) >= {"country", "website"}
    created = client.post(
        API,
        {"name_ar": "جمعية الإغاثة الإسلامية", "country": "jo", "focus_areas": ["water"]},
        content_type=JSON,
        headers=headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["country"] == "JO" and body["focus_areas"] == [area.slug]
    assert Membership.objects.get(organisation__slug=body["slug"]).user == person
    again = client.post(
        API, {"name_ar": "جمعيه الاغاثه الاسلاميه", "country": "JO"}, content_type=JSON, headers=headers
    )
    assert again.status_code == 422 and "confirm_duplicate" in again.json()["error"]["fields"]
    confirmed = client.post(
        API,
        {"name_ar": "جمعيه الاغاثه الاسلاميه", "country": "JO", "confirm_duplicate": True},
        content_type=JSON,
        headers=headers,
    )
    assert confirmed.status_code == 201
    for_others = client.post(
        API, {"name_en": "Other", "country": "JO", "owner_email": "a@example.org"}, content_type=JSON, headers=headers
    )
    assert for_others.status_code == 422 and "owner_email" in for_others.json()["error"]["fields"]


def test_the_api_needs_a_signed_in_caller(client, db):
    assert client.post(API, {"name_en": "x", "country": "MY"}, content_type=JSON).status_code in (401, 403)
    assert not Organisation.objects.exists()
