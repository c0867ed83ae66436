"""A committee's chair and vice-chair are representatives seated on it; an office falls vacant when
its holder no longer represents a member there (decision 0018)."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from tansiq.core.errors import TansiqError
from tansiq.core.models import AuditEntry
from tansiq.network.models import Committee, CommitteeSeat, NetworkMembership
from tansiq.network.services import committees
from tansiq.network.services import people as services
from tansiq.network.services import registry as registry_services
from tansiq.network.services import representatives as manage
from tests.factories import UserFactory
from tests.helpers import with_mfa
from tests.network.factories import CommitteeFactory, MembershipFactory

REPRESENTATIVES = "/en/organisations/ours/representatives/"


def _person(organisation, name, role="viewer", **fields):
    user = UserFactory(display_name=name, **fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def _represent(organisation, network, person):
    NetworkMembership.objects.filter(organisation=organisation, network=network).update(representative=person)


@pytest.fixture
def committee(network):
    return CommitteeFactory(
        network=network, slug="rights", name_en="Human Rights Commission", name_ar="لجنة حقوق الإنسان"
    )


@pytest.fixture
def amina(org, network, committee):
    """Our representative in the network and on the commission."""
    person = _person(org, "Amina Representative")
    _represent(org, network, person)
    CommitteeSeat.objects.create(committee=committee, organisation=org, representative=person)
    return person


@pytest.fixture
def bilal(other_org, network, committee):
    """Their representative in the network and on the commission."""
    person = _person(other_org, "Bilal Delegate")
    _represent(other_org, network, person)
    CommitteeSeat.objects.create(committee=committee, organisation=other_org, representative=person)
    return person


@pytest.fixture
def yusuf(org):
    return _person(org, "Yusuf Newcomer")


@pytest.fixture
def chaired(committee, amina, bilal):
    """Amina chairs the commission, Bilal is its vice-chair."""
    Committee.objects.filter(pk=committee.pk).update(chair=amina, vice_chair=bilal)
    committee.refresh_from_db()
    return committee


@pytest.fixture
def arabic_secretariat(db):
    user = UserFactory(display_name="الأمانة العامة", language="ar", email="amana@example.org", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    return with_mfa(user)


def _vacancies(committee):
    return AuditEntry.objects.for_object(committee).filter(changes__has_key="vacated")


# --- The rule -----------------------------------------------------------------------------------


def test_seated_representatives_of_members_may_hold_the_offices(committee, amina, bilal):
    committees.check_offices(committee, chair=amina, vice_chair=bilal)
    committees.check_offices(committee, chair=None, vice_chair=None)
    assert set(committees.seated_representatives(committee)) == {amina, bilal}


def test_someone_without_a_seat_cannot_hold_an_office(committee, amina, owner, outsider):
    # The owner acts for a seated member, but is not its representative on the commission.
    for person in (owner, outsider):
        with pytest.raises(TansiqError) as refused:
            committees.check_offices(committee, chair=person, vice_chair=None)
        assert refused.value.field == "chair"
        assert person.get_full_name() in str(refused.value.message)
    with pytest.raises(TansiqError) as refused:
        committees.check_offices(committee, chair=amina, vice_chair=outsider)
    assert refused.value.field == "vice_chair"


def test_one_person_cannot_hold_both_offices(committee, amina):
    with pytest.raises(TansiqError) as refused:
        committees.check_offices(committee, chair=amina, vice_chair=amina)
    assert refused.value.field == "vice_chair"
    assert "two different people" in str(refused.value.message)


def test_a_suspended_member_is_still_represented_a_former_member_is_not(committee, other_org, network, bilal):
    membership = NetworkMembership.objects.filter(organisation=other_org, network=network)
    membership.update(status="suspended")
    committees.check_offices(committee, chair=bilal, vice_chair=None)
    for ended in ("withdrawn", "expelled"):
        membership.update(status=ended)
        with pytest.raises(TansiqError):
            committees.check_offices(committee, chair=bilal, vice_chair=None)


def test_a_seat_on_another_committee_does_not_count(network, amina):
    elsewhere = CommitteeFactory(network=network, slug="youth")
    with pytest.raises(TansiqError):
        committees.check_offices(elsewhere, chair=amina, vice_chair=None)


def test_the_rule_weighs_seats_about_to_change(committee, org, amina, yusuf):
    seat = CommitteeSeat.objects.get(committee=committee, organisation=org)
    with pytest.raises(TansiqError):
        committees.check_offices(committee, chair=amina, vice_chair=None, seats_removed=[seat.pk])
    committees.check_offices(
        committee, chair=yusuf, vice_chair=None, seats_removed=[seat.pk], seats_added=[(org.pk, yusuf.pk)]
    )


# --- The back office ----------------------------------------------------------------------------


def _change_url(committee):
    return f"/en/admin/network/committee/{committee.pk}/change/"


def _form_data(response):
    """What the browser would send back from an admin change page, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is not None and value is not False:
                data[field.html_name] = value
    return data


def _seat_prefix(response, seat):
    formset = response.context["inline_admin_formsets"][0].formset
    index = next(i for i, form in enumerate(formset.forms) if form.instance.pk == seat.pk)
    return f"{formset.prefix}-{index}-"


def test_back_office_offers_the_seated_representatives_as_officers(client_for, secretariat, committee, amina, bilal):
    response = client_for(secretariat).get(_change_url(committee))
    form = response.context["adminform"].form
    for office in ("chair", "vice_chair"):
        assert set(form.fields[office].queryset) == {amina, bilal}
    assert "Amina Representative" in response.content.decode()


def test_back_office_records_seated_representatives(client_for, secretariat, committee, amina, bilal):
    client = client_for(secretariat)
    data = {**_form_data(client.get(_change_url(committee))), "chair": amina.pk, "vice_chair": bilal.pk}
    response = client.post(_change_url(committee), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    committee.refresh_from_db()
    assert (committee.chair, committee.vice_chair) == (amina, bilal)
    entry = AuditEntry.objects.for_object(committee).get()
    assert entry.actor == secretariat and entry.action == AuditEntry.Action.ADMIN_CHANGE


def test_back_office_refuses_a_chair_without_a_seat_and_saves_nothing(client_for, secretariat, committee, amina, owner):
    client = client_for(secretariat)
    data = {**_form_data(client.get(_change_url(committee))), "chair": owner.pk, "name_en": "Renamed"}
    response = client.post(_change_url(committee), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Choose one of the representatives seated on this committee" in str(errors["chair"])
    committee.refresh_from_db()
    assert committee.chair is None and committee.name_en == "Human Rights Commission"


def test_back_office_refuses_the_same_person_in_both_offices(client_for, secretariat, committee, amina):
    client = client_for(secretariat)
    data = {**_form_data(client.get(_change_url(committee))), "chair": amina.pk, "vice_chair": amina.pk}
    response = client.post(_change_url(committee), data)
    assert response.status_code == 200
    assert "two different people" in str(response.context["adminform"].form.errors["vice_chair"])
    committee.refresh_from_db()
    assert committee.chair is None and committee.vice_chair is None


def test_back_office_shows_and_refuses_a_holder_who_lost_their_seat(client_for, secretariat, committee, amina, owner):
    # Recorded before the rule existed: shown as it is, and refused until someone seated replaces them.
    Committee.objects.filter(pk=committee.pk).update(chair=owner)
    client = client_for(secretariat)
    response = client.get(_change_url(committee))
    assert owner in response.context["adminform"].form.fields["chair"].queryset
    response = client.post(_change_url(committee), _form_data(response))
    assert response.status_code == 200
    assert "does not represent a member organisation" in str(response.context["adminform"].form.errors["chair"])
    data = {**_form_data(response), "chair": amina.pk}
    assert client.post(_change_url(committee), data).status_code == 302
    committee.refresh_from_db()
    assert committee.chair == amina


def test_back_office_refuses_to_unseat_the_chair_it_keeps(client_for, secretariat, chaired, org, amina, yusuf):
    seat = CommitteeSeat.objects.get(committee=chaired, organisation=org)
    client = client_for(secretariat)
    response = client.get(_change_url(chaired))
    prefix = _seat_prefix(response, seat)
    for change in ({f"{prefix}DELETE": "on"}, {f"{prefix}representative": yusuf.pk}):
        refused = client.post(_change_url(chaired), {**_form_data(response), **change})
        assert refused.status_code == 200
        formset = refused.context["inline_admin_formsets"][0].formset
        assert "cannot be its chair" in str(formset.non_form_errors())
        seat.refresh_from_db()
        assert seat.representative == amina
    # Leaving the office vacant in the same form lets the seat pass to the newcomer.
    data = {**_form_data(response), f"{prefix}representative": yusuf.pk, "chair": ""}
    assert client.post(_change_url(chaired), data).status_code == 302
    chaired.refresh_from_db()
    seat.refresh_from_db()
    assert (chaired.chair, seat.representative) == (None, yusuf)


def test_removing_the_chairs_seat_on_its_own_page_vacates_the_office(
    client_for, secretariat, chaired, org, django_capture_on_commit_callbacks
):
    seat = CommitteeSeat.objects.get(committee=chaired, organisation=org)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(f"/en/admin/network/committeeseat/{seat.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    chaired.refresh_from_db()
    assert chaired.chair is None and chaired.vice_chair is not None
    entry = _vacancies(chaired).get()
    assert entry.changes["vacated"] == committees.SEAT_CHANGED and entry.actor == secretariat
    assert entry.changes["chair"] == {"from": "Amina Representative", "to": ""}
    assert [message.to for message in mail.outbox] == [[secretariat.email]]


def test_giving_the_chairs_seat_to_someone_else_on_its_page_vacates_the_office(
    client_for, secretariat, chaired, org, yusuf
):
    seat = CommitteeSeat.objects.get(committee=chaired, organisation=org)
    client = client_for(secretariat)
    url = f"/en/admin/network/committeeseat/{seat.pk}/change/"
    response = client.post(url, {**_form_data(client.get(url)), "representative": yusuf.pk})
    assert response.status_code == 302
    chaired.refresh_from_db()
    assert chaired.chair is None
    assert _vacancies(chaired).get().changes["fields"] == ["chair"]


def test_a_seat_page_change_that_keeps_the_representative_keeps_the_office(client_for, secretariat, chaired, org):
    seat = CommitteeSeat.objects.get(committee=chaired, organisation=org)
    client = client_for(secretariat)
    url = f"/en/admin/network/committeeseat/{seat.pk}/change/"
    assert client.post(url, {**_form_data(client.get(url)), "since": "2025-02-01"}).status_code == 302
    chaired.refresh_from_db()
    assert chaired.chair is not None and not _vacancies(chaired).exists()


def test_deleting_a_membership_in_the_back_office_vacates_its_representatives_offices(
    client_for, secretariat, chaired, other_org
):
    membership = other_org.network_memberships.get()
    url = f"/en/admin/network/networkmembership/{membership.pk}/delete/"
    assert client_for(secretariat).post(url, {"post": "yes"}).status_code == 302
    chaired.refresh_from_db()
    assert chaired.vice_chair is None and chaired.chair is not None
    assert _vacancies(chaired).get().changes["vacated"] == committees.MEMBERSHIP_ENDED


def test_the_back_office_of_committees_is_refused_to_those_without_it(client, chaired, owner, unit_admin, amina, bilal):
    url = _change_url(chaired)
    for user in (None, owner, unit_admin, amina):
        client.logout()
        if user is not None:
            client.force_login(user)
        for response in (client.get(url), client.post(url, {"chair": bilal.pk, "vice_chair": ""})):
            # Sent to sign in (the back office is for staff), never shown the form.
            assert response.status_code == 302 and "login" in response["Location"], (user, response)
    chaired.refresh_from_db()
    assert (chaired.chair, chaired.vice_chair) == (amina, bilal)


# --- A new representative -----------------------------------------------------------------------


def _name(client, membership, **values):
    prefix = f"m{membership.pk}-"
    data = {
        "expected_representative": membership.representative_id or "",
        "expected_alternate": membership.alternate_id or "",
        **values,
    }
    return client.post(f"{REPRESENTATIVES}{membership.uuid}/", {prefix + k: v for k, v in data.items()})


def test_a_new_representative_takes_the_seat_but_not_the_office(
    client_for, owner, chaired, org, amina, yusuf, secretariat, arabic_secretariat, django_capture_on_commit_callbacks
):
    membership = org.network_memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = _name(client_for(owner), membership, representative=yusuf.pk, alternate=amina.pk)
    assert response.status_code == 302
    seat = CommitteeSeat.objects.get(committee=chaired, organisation=org)
    chaired.refresh_from_db()
    assert seat.representative == yusuf
    assert chaired.chair is None
    assert chaired.vice_chair is not None  # Bilal still represents his organisation there
    entry = _vacancies(chaired).get()
    assert entry.actor == owner
    assert entry.changes["vacated"] == committees.REPRESENTATIVE_CHANGED
    assert entry.changes["chair"] == {"from": "Amina Representative", "to": ""}
    # The secretariat hears of it, each in their own language; the one who acted does not.
    by_person = {message.to[0]: message for message in mail.outbox}
    assert set(by_person) == {secretariat.email, arabic_secretariat.email}
    malay, arabic = by_person[secretariat.email], by_person[arabic_secretariat.email]
    assert f"/ms/admin/network/committee/{chaired.pk}/change/" in malay.body
    assert "/ms/networks/uniw/committees/rights/" in malay.body
    assert f"/ar/admin/network/committee/{chaired.pk}/change/" in arabic.body
    assert "لجنة حقوق الإنسان" in arabic.subject and "Amina Representative" in arabic.body


def test_a_new_representative_named_through_the_api_takes_the_seat_but_not_the_office(
    client_for, owner, chaired, org, amina, yusuf, secretariat, django_capture_on_commit_callbacks
):
    membership = org.network_memberships.get()
    naming = {
        "representative": str(yusuf.uuid),
        "alternate": None,
        "expected_representative": str(amina.uuid),
        "expected_alternate": None,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).put(
            f"/api/v1/organisations/ours/representatives/{membership.uuid}", naming, content_type="application/json"
        )
    assert response.status_code == 200, response.content
    assert [seat["representative"]["uuid"] for seat in response.json()["seats"]] == [str(yusuf.uuid)]
    chaired.refresh_from_db()
    assert chaired.chair is None and chaired.vice_chair is not None
    entry = _vacancies(chaired).get()
    assert entry.actor == owner and entry.changes["vacated"] == committees.REPRESENTATIVE_CHANGED
    assert [message.to for message in mail.outbox] == [[secretariat.email]]


def test_the_chair_keeps_the_office_while_representing_another_member_there(
    owner, chaired, org, other_org, network, amina, yusuf
):
    # Amina also acts for their organisation and sits for it on the commission.
    MembershipFactory(user=amina, organisation=other_org, role="viewer")
    CommitteeSeat.objects.filter(committee=chaired, organisation=other_org).update(representative=amina)
    Committee.objects.filter(pk=chaired.pk).update(vice_chair=None)
    membership = org.network_memberships.get()
    manage.name_representatives(membership, by=owner, representative=yusuf, alternate=None, expected=(amina.pk, None))
    chaired.refresh_from_db()
    assert chaired.chair == amina and not _vacancies(chaired).exists()


def test_a_change_of_alternate_only_touches_no_office(owner, chaired, org, amina, yusuf):
    manage.name_representatives(
        org.network_memberships.get(), by=owner, representative=amina, alternate=yusuf, expected=(amina.pk, None)
    )
    chaired.refresh_from_db()
    assert chaired.chair == amina and not _vacancies(chaired).exists()


def test_an_office_in_another_network_is_that_networks_business(owner, org, amina, yusuf):
    # Amina also chairs a committee of another network, sitting there for the same organisation.
    elsewhere = CommitteeFactory(slug="maim-family")
    NetworkMembership.objects.create(network=elsewhere.network, organisation=org, status="admitted")
    CommitteeSeat.objects.create(committee=elsewhere, organisation=org, representative=amina)
    Committee.objects.filter(pk=elsewhere.pk).update(chair=amina)
    manage.name_representatives(
        org.network_memberships.get(network__slug="uniw"),
        by=owner,
        representative=yusuf,
        alternate=None,
        expected=(amina.pk, None),
    )
    elsewhere.refresh_from_db()
    assert elsewhere.chair == amina


def test_an_accepted_invitation_to_represent_vacates_the_outgoing_representatives_office(
    owner, chaired, org, secretariat, django_capture_on_commit_callbacks
):
    membership = org.network_memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_representative(
            membership, by=owner, email="delegate@example.org", seat="representative", role="viewer", language="en"
        )
    raw = mail.outbox[0].body.split("/en/invitations/")[1].split("/")[0]
    mail.outbox = []
    delegate = UserFactory(email="delegate@example.org", display_name="Delegate")
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_invitation(raw, by=delegate)
    chaired.refresh_from_db()
    assert CommitteeSeat.objects.get(committee=chaired, organisation=org).representative == delegate
    assert chaired.chair is None
    entry = _vacancies(chaired).get()
    assert entry.actor == delegate and entry.changes["vacated"] == committees.REPRESENTATIVE_CHANGED
    assert [message.to for message in mail.outbox] == [[secretariat.email]]
    assert "Amina Representative" in mail.outbox[0].body


# --- A membership that ends ---------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["withdrawn", "expelled"])
def test_a_membership_that_ends_vacates_its_representatives_offices(
    secretariat, chaired, other_org, ending, django_capture_on_commit_callbacks
):
    membership = other_org.network_memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.change_membership_status(membership, to=ending, by=secretariat, reason="Statute art. 9")
    chaired.refresh_from_db()
    assert chaired.vice_chair is None and chaired.chair is not None
    entry = _vacancies(chaired).get()
    assert entry.changes["vacated"] == committees.MEMBERSHIP_ENDED and entry.changes["fields"] == ["vice_chair"]
    assert [message.to for message in mail.outbox] == [[secretariat.email]]
    assert "Bilal Delegate" in mail.outbox[0].body


def test_a_suspended_member_keeps_its_offices(secretariat, chaired, other_org):
    registry_services.change_membership_status(
        other_org.network_memberships.get(), to="suspended", by=secretariat, reason="Dues"
    )
    chaired.refresh_from_db()
    assert chaired.vice_chair is not None and not _vacancies(chaired).exists()


def test_withdrawing_from_the_organisation_page_vacates_the_office(client_for, owner, chaired, org):
    membership = org.network_memberships.get()
    response = client_for(owner).post(
        f"/en/memberships/{membership.uuid}/status/", {"to": "withdrawn", "on": "2026-01-10", "reason": "We leave."}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    chaired.refresh_from_db()
    assert membership.status == "withdrawn" and chaired.chair is None
    assert _vacancies(chaired).get().actor == owner


def test_a_representative_removed_from_the_organisation_stops_representing_it(
    owner, chaired, org, amina, yusuf, django_capture_on_commit_callbacks
):
    membership = org.network_memberships.get()
    manage.name_representatives(membership, by=owner, representative=amina, alternate=yusuf, expected=(amina.pk, None))
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_person(amina.memberships.get(organisation=org), by=owner)
    membership.refresh_from_db()
    chaired.refresh_from_db()
    assert membership.representative is None and membership.alternate == yusuf
    assert CommitteeSeat.objects.get(committee=chaired, organisation=org).representative is None
    assert chaired.chair is None and chaired.vice_chair is not None
    assert _vacancies(chaired).get().actor == owner
    named = AuditEntry.objects.for_object(membership).filter(changes__because=manage.PERSON_LEFT).get()
    assert named.changes["representative"] == {"from": "Amina Representative", "to": ""}


def test_someone_leaving_on_their_own_leaves_their_seat_and_office(chaired, org, amina):
    services.remove_person(amina.memberships.get(organisation=org), by=amina)
    chaired.refresh_from_db()
    assert org.network_memberships.get().representative is None
    assert chaired.chair is None


def test_a_seat_held_without_being_the_representative_is_left_too(owner, chaired, org, amina, yusuf):
    CommitteeSeat.objects.filter(committee=chaired, organisation=org).update(representative=yusuf)
    Committee.objects.filter(pk=chaired.pk).update(chair=yusuf)
    services.remove_person(yusuf.memberships.get(organisation=org), by=owner)
    chaired.refresh_from_db()
    assert CommitteeSeat.objects.get(committee=chaired, organisation=org).representative is None
    assert chaired.chair is None
    assert org.network_memberships.get().representative == amina  # the member's representative stays


def test_representatives_are_not_edited_in_the_back_office(client_for, secretariat, org, amina, yusuf):
    membership = org.network_memberships.get()
    page = client_for(secretariat).get(f"/en/admin/network/networkmembership/{membership.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="representative"' not in html and 'name="alternate"' not in html
    assert "Amina Representative" in html  # shown, read-only


# --- The committee's page -----------------------------------------------------------------------


def test_the_committee_page_shows_a_vacant_office_as_vacant(client, chaired, org, network, amina, yusuf, owner):
    page = f"/en/networks/{network.slug}/committees/{chaired.slug}/"
    html = client.get(page).content.decode()
    assert "Amina Representative" in html and 'data-office="chair"' not in html
    manage.name_representatives(
        org.network_memberships.get(), by=owner, representative=yusuf, alternate=None, expected=(amina.pk, None)
    )
    html = client.get(page).content.decode()
    assert 'data-office="chair"' in html and "Vacant" in html
    assert "Amina Representative" not in html and "Bilal Delegate" in html


# --- At the same moment -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_election_and_a_new_representative_at_once_leave_no_chair_without_a_seat(
    secretariat, committee, org, owner, amina, bilal, yusuf
):
    """The back office records Amina as chair while her organisation names Yusuf in her place:
    whichever comes first, the other sees it (the election is refused, or the office is vacated)."""
    from django.test import Client

    from tests.network.test_manage_races import _at_once

    back_office = Client()
    back_office.force_login(secretariat)
    data = {**_form_data(back_office.get(_change_url(committee))), "chair": amina.pk}
    membership = org.network_memberships.get()
    outcomes = _at_once(
        lambda: back_office.post(_change_url(committee), data).status_code,
        lambda: manage.name_representatives(
            NetworkMembership.objects.get(pk=membership.pk),
            by=owner,
            representative=yusuf,
            alternate=None,
            expected=(amina.pk, None),
        ),
    )
    assert outcomes[0] in (200, 302) and isinstance(outcomes[1], NetworkMembership), outcomes
    committee.refresh_from_db()
    assert committee.chair is None
    assert CommitteeSeat.objects.get(committee=committee, organisation=org).representative == yusuf
    assert _vacancies(committee).count() == (1 if outcomes[0] == 302 else 0)
