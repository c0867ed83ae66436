"""The management pages keep their budget (≤ 10 queries) with as much data as a large network keeps:
two hundred contacts, two hundred units, three hundred members in one unit, forty people to choose
representatives among. The move form's list of places comes on demand, to those who may move."""

import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tansiq.accounts.models import User
from tansiq.demo import keeping
from tansiq.network.models import Contact, NetworkMembership, Unit
from tests.helpers import assert_refused
from tests.network.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

UNITS = "/ar/networks/uniw/units/"


def _twice_within(client, url, budget, django_assert_max_num_queries):
    client.get(url)  # the first visit fills the per-process caches, as on a running server
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_contacts_page_of_two_hundred_contacts_keeps_its_budget(client_for, owner, org, django_assert_max_num_queries):
    Contact.objects.bulk_create(
        Contact(organisation=org, name=f"Contact {number:03d}", email=f"c{number}@example.org", visibility="members")
        for number in range(200)
    )
    html = _twice_within(client_for(owner), "/ar/organisations/ours/contacts/", 10, django_assert_max_num_queries)
    assert html.count('id="contact-') == 25  # one page of the shared pagination
    assert "Contact 000" in html and "Contact 025" not in html
    html = _twice_within(
        client_for(owner), "/ar/organisations/ours/contacts/?page=8", 10, django_assert_max_num_queries
    )
    assert "Contact 199" in html


def test_representatives_page_for_two_networks_and_forty_people_keeps_its_budget(
    client_for, owner, org, forty_people_two_networks, django_assert_max_num_queries
):
    people = forty_people_two_networks
    html = _twice_within(
        client_for(owner), "/ar/organisations/ours/representatives/", 10, django_assert_max_num_queries
    )
    # Both networks, each with the organisation's forty-one people to choose among and its seats.
    assert html.count('name="m') >= 4
    assert html.count(f'<option value="{people[39].pk}"') == 4
    assert html.count(f'<option value="{people[0].pk}" selected>') == 2
    assert html.count("committee-2/") == 2


def test_people_and_seats_are_read_once_however_many_networks(client_for, owner, org):
    third = NetworkFactory(slug="third")
    client = client_for(owner)
    client.get("/ar/organisations/ours/representatives/")
    with CaptureQueriesContext(connection) as one:
        client.get("/ar/organisations/ours/representatives/")
    NetworkMembershipFactory(network=third, organisation=org)
    client.get("/ar/organisations/ours/representatives/")
    with CaptureQueriesContext(connection) as two:
        html = client.get("/ar/organisations/ours/representatives/").content.decode()
    assert html.count("<section") == 2
    assert [q["sql"][:60] for q in two.captured_queries] == [q["sql"][:60] for q in one.captured_queries]


def _parent_choice(html: str) -> str:
    return html.split('<select name="parent"')[1].split("</select>")[0]


def test_units_tree_of_two_hundred_units_keeps_its_budget(client_for, secretariat, tree, django_assert_max_num_queries):
    html = _twice_within(client_for(secretariat), UNITS, 10, django_assert_max_num_queries)
    assert html.count("<tr") == len(tree) + 1  # every unit, and the head of the table
    # One shared form to add a unit, its choice of parent listing every unit once.
    assert _parent_choice(html).count("<option") == len(tree) + 1  # and "the network itself"
    assert html.count('href="/ar/networks/uniw/units/r19-c8/"') == 1


def test_units_tree_for_a_unit_admin_keeps_its_budget(client_for, tree, django_assert_max_num_queries):
    region = tree[1]
    admin = region.admins.get()
    html = _twice_within(client_for(admin), UNITS, 10, django_assert_max_num_queries)
    # The region's admin links to its countries (it keeps them), not to other regions' ones.
    assert 'href="/ar/networks/uniw/units/r00-c0/"' in html
    assert 'href="/ar/networks/uniw/units/r01-c0/"' not in html
    assert _parent_choice(html).count("<option") == 10  # the region and its nine countries


def test_unit_page_with_three_hundred_members_keeps_its_budget(
    client_for, secretariat, network, unit, tree, django_assert_max_num_queries
):
    organisations = OrganisationFactory.create_batch(300)
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network=network, organisation=organisation, unit=tree[1], status="admitted")
        for organisation in organisations
    )
    url = f"{UNITS}{tree[1].slug}/"
    html = _twice_within(client_for(secretariat), url, 10, django_assert_max_num_queries)
    assert html.count('id="member-') == 25
    assert "r00-c8" in html  # the units inside it
    # The two hundred places to move it to are not on the page: they come with the move form.
    assert "<option" not in html.split('id="move-unit"')[1].split("</div>\n</div>")[0]
    assert f'hx-get="{url}move/"' in html
    _twice_within(client_for(secretariat), f"{url}?where=elsewhere&page=3", 10, django_assert_max_num_queries)


def test_the_move_form_lists_every_place_but_the_unit_and_its_branch(client_for, secretariat, tree):
    region = tree[1]
    client = client_for(secretariat)
    page = client.get(f"{UNITS}{region.slug}/move/").content.decode()
    assert '<form method="post" action="/ar/networks/uniw/units/region-00/move/"' in page
    assert 'value="region-01"' in page and 'value="r01-c3"' in page
    assert 'value="region-00"' not in page and 'value="r00-c3"' not in page
    partial = client.get(f"{UNITS}{region.slug}/move/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'id="move-unit"' in partial
    assert client.post(f"{UNITS}{region.slug}/move/", {"parent": "region-01", "version": 1}).status_code == 302
    region.refresh_from_db()
    assert region.parent.slug == "region-01"


def test_the_move_form_is_refused_to_those_who_may_not_move_the_unit(
    client, tree, unit_admin, member, outsider, editor
):
    region = tree[1]
    own_admin = region.admins.get()  # keeps the region's countries, but does not move the region itself
    url = f"{UNITS}{region.slug}/move/"
    for user in (own_admin, unit_admin, member, outsider, editor):
        assert_refused(client, user, [url], allowed=(404,))
    assert_refused(client, None, [url])
    # The region's admin moves one of its countries, and sees the places of its branch only.
    client.force_login(own_admin)
    page = client.get(f"{UNITS}r00-c1/move/").content.decode()
    assert 'value="r00-c2"' in page and 'value="region-01"' not in page and 'value="r00-c1"' not in page


def test_the_large_demo_keeps_two_hundred_units_contacts_and_representatives(db):
    from django.contrib.auth.models import Group

    for name in ("secretariat", "analyst", "verifier", "judge"):
        Group.objects.get_or_create(name=name)
    call_command("load_demo", stdout=io.StringIO())
    User.objects.bulk_create(User(email=f"person{number:06d}@demo.tansiq.org") for number in range(300))
    assert keeping.load_at_scale(domain="demo.tansiq.org") is True
    union = Unit.objects.filter(network__slug="uniw")
    assert union.count() >= 200
    assert union.get(slug="tr").parent.slug == "turkiye-central-asia"
    assert union.get(slug="tr").name_en == "Türkiye representation"  # the demo's own names stay
    assert union.get(slug="eg").name_ms == "Perwakilan Mesir"
    # Every member of the union now belongs to its country's representation.
    assert not NetworkMembership.objects.filter(network__slug="uniw", unit=None).exists()
    organisation = keeping._keeper_organisation("demo.tansiq.org")
    assert organisation.contacts.count() == keeping.CONTACTS
    assert organisation.network_memberships.count() == 2
    assert organisation.network_memberships.filter(representative=None).count() == 0
    # Loading again adds nothing.
    assert keeping.load_at_scale(domain="demo.tansiq.org") is False
    assert Unit.objects.filter(network__slug="uniw").count() == union.count()
