"""A network's units as a tree: the secretariat keeps it all, a unit admin keeps its branch."""

import pytest

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import AuditEntry
from tansiq.network.models import NetworkMembership, Unit
from tansiq.network.services import units as manage
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, UnitFactory

UNITS = "/en/networks/uniw/units/"


@pytest.fixture
def child(unit, network):
    return UnitFactory(network=network, parent=unit, slug="selangor", name_en="Selangor", name_ar="سلانغور")


@pytest.fixture
def sibling(network):
    """A top-level unit outside the unit admin's branch."""
    return UnitFactory(network=network, slug="womens-council", name_en="Women's Council", kind="council")


@pytest.fixture
def foreign_unit_admin(sibling):
    user = UserFactory(display_name="Council admin")
    sibling.admins.add(user)
    return user


def test_secretariat_adds_a_top_level_unit_with_three_names(client_for, secretariat, network):
    response = client_for(secretariat).post(
        UNITS,
        {
            "parent": "",
            "name_ar": "الوحدة الدولية",
            "name_en": "International Unit",
            "name_ms": "Unit Antarabangsa",
            "kind": "international",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(slug="international-unit")
    assert (unit.name_ar, unit.name_ms, unit.parent, unit.kind) == (
        "الوحدة الدولية",
        "Unit Antarabangsa",
        None,
        "international",
    )
    assert response["Location"] == f"/en/networks/uniw/units/{unit.slug}/"
    assert AuditEntry.objects.for_object(unit).get().action == "create"


def test_a_unit_needs_a_name_and_a_double_submission_adds_it_once(client_for, secretariat, network):
    client = client_for(secretariat)
    nameless = client.post(UNITS, {"parent": "", "kind": "council"})
    assert nameless.status_code == 400
    assert 'id="id_name_ar_error"' in nameless.content.decode()
    data = {"parent": "", "name_en": "Youth Council", "kind": "council"}
    assert client.post(UNITS, data).status_code == 302
    again = client.post(UNITS, data)
    assert again.status_code == 400
    assert "already exists at this place" in again.content.decode()
    assert Unit.objects.filter(name_en="Youth Council").count() == 1


def test_a_unit_with_an_arabic_name_only_gets_an_address(secretariat, network):
    unit = manage.add_unit(network, by=secretariat, kind="country", name_ar="تمثيل قطر")
    assert unit.slug == "unit"
    assert manage.add_unit(network, by=secretariat, kind="country", name_ar="تمثيل تركيا").slug == "unit-2"


def test_tree_shows_units_in_order_with_member_counts(client_for, secretariat, unit, child, sibling, org):
    html = client_for(secretariat).get(UNITS).content.decode()
    assert html.index(str(unit.name_en)) < html.index("Selangor")
    assert "Women&#x27;s Council" in html


def test_unit_admin_adds_units_inside_its_branch_only(client_for, unit_admin, unit, child, sibling, network):
    client = client_for(unit_admin)
    page = client.get(UNITS).content.decode()
    # The unit admin may not add at the top level: that choice is not offered.
    assert "top level" not in page
    inside = client.post(UNITS, {"parent": child.slug, "name_en": "Petaling", "kind": "other"})
    assert inside.status_code == 302
    assert Unit.objects.get(name_en="Petaling").parent == child
    for parent in ("", sibling.slug):
        refused = client.post(UNITS, {"parent": parent, "name_en": "Rogue", "kind": "other"})
        assert refused.status_code == 400
    assert not Unit.objects.filter(name_en="Rogue").exists()
    with pytest.raises(Forbidden):
        manage.add_unit(network, by=unit_admin, parent=sibling, kind="other", name_en="Rogue")
    with pytest.raises(Forbidden):
        manage.add_unit(network, by=unit_admin, kind="other", name_en="Rogue")


def test_unit_admin_renames_units_below_but_not_its_own(client_for, unit_admin, unit, child):
    client = client_for(unit_admin)
    data = {"name_ar": "سلانغور", "name_en": "Selangor State", "name_ms": "Negeri Selangor", "kind": "country"}
    response = client.post(f"{UNITS}{child.slug}/rename/", {**data, "version": child.version})
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.name_en, child.name_ms, child.version) == ("Selangor State", "Negeri Selangor", 2)
    assert client.get(f"{UNITS}{unit.slug}/").status_code == 200
    own = client.post(f"{UNITS}{unit.slug}/rename/", {**data, "name_en": "Mine", "version": unit.version})
    assert own.status_code == 403
    unit.refresh_from_db()
    assert unit.name_en != "Mine"


def test_a_rename_made_on_an_older_version_is_refused(client_for, secretariat, child):
    client = client_for(secretariat)
    data = {"name_en": "First", "kind": "country", "version": 1}
    assert client.post(f"{UNITS}{child.slug}/rename/", data).status_code == 302
    second = client.post(f"{UNITS}{child.slug}/rename/", {**data, "name_en": "Second"})
    assert second.status_code == 400
    assert "Someone else changed this unit" in second.content.decode()
    child.refresh_from_db()
    assert child.name_en == "First"


def test_moving_a_unit_inside_itself_is_refused(client_for, secretariat, unit, child):
    response = client_for(secretariat).post(
        f"{UNITS}{unit.slug}/move/", {"parent": child.slug, "version": unit.version}
    )
    assert response.status_code == 400
    unit.refresh_from_db()
    assert unit.parent is None
    with pytest.raises(TansiqError):
        manage.move_unit(unit, by=secretariat, version=unit.version, parent=child)


def test_secretariat_moves_a_branch_and_it_is_audited(client_for, secretariat, unit, child, sibling):
    response = client_for(secretariat).post(f"{UNITS}{child.slug}/move/", {"parent": sibling.slug, "version": 1})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.parent == sibling
    entry = AuditEntry.objects.for_object(child).get()
    assert entry.changes["parent"] == {"from": unit.slug, "to": sibling.slug}


def test_unit_admin_cannot_move_a_unit_out_of_its_branch(client_for, unit_admin, unit, child, sibling):
    response = client_for(unit_admin).post(f"{UNITS}{child.slug}/move/", {"parent": sibling.slug, "version": 1})
    assert response.status_code == 400
    with pytest.raises(Forbidden):
        manage.move_unit(child, by=unit_admin, version=1, parent=sibling)
    with pytest.raises(Forbidden):
        manage.move_unit(child, by=unit_admin, version=1, parent=None)
    child.refresh_from_db()
    assert child.parent == unit


def test_archiving_waits_for_the_units_organisations_and_subunits(client_for, secretariat, unit, child, org):
    client = client_for(secretariat)
    refused = client.post(f"{UNITS}{unit.slug}/archive/", {"version": unit.version})
    assert refused.status_code == 400
    assert "Archive or move the units inside this one first." in refused.content.decode()
    assert (
        client.post(f"{UNITS}{child.slug}/archive/", {"version": child.version, "reason": "merged"}).status_code == 302
    )
    with pytest.raises(Conflict, match="Place the organisations"):
        manage.archive_unit(unit, by=secretariat, version=unit.version)
    child.refresh_from_db()
    assert child.archived_at is not None
    entry = AuditEntry.objects.for_object(child).get()
    assert (entry.from_state, entry.to_state, entry.reason) == ("active", "archived", "merged")
    assert "Selangor" not in client.get(UNITS).content.decode()
    assert "Selangor" in client.get(UNITS + "?archived=1").content.decode()
    assert client.post(f"{UNITS}{child.slug}/archive/", {"version": child.version}).status_code == 302
    child.refresh_from_db()
    assert child.archived_at is None


def test_the_admins_of_an_archived_unit_no_longer_act(secretariat, network, org, client_for):
    retired = UnitFactory(network=network, slug="retired")
    admin = UserFactory()
    retired.admins.add(admin)
    NetworkMembership.objects.filter(organisation=org).update(unit=retired)
    assert admin.has_perm("network.manage_contacts", org)
    NetworkMembership.objects.filter(organisation=org).update(unit=None)
    manage.archive_unit(retired, by=secretariat, version=retired.version)
    NetworkMembership.objects.filter(organisation=org).update(unit=retired)
    fresh = type(admin).objects.get(pk=admin.pk)
    assert not fresh.has_perm("network.manage_contacts", org)
    assert client_for(fresh).get(UNITS).status_code == 404


def test_unit_admins_are_added_by_email_and_removed(client_for, secretariat, sibling):
    person = UserFactory(email="council.admin@example.org", display_name="Council Admin")
    client = client_for(secretariat)
    unknown = client.post(f"{UNITS}{sibling.slug}/admins/", {"email": "nobody@example.org"})
    assert unknown.status_code == 400
    assert "Nobody has an account with this e-mail address" in unknown.content.decode()
    invalid = client.post(f"{UNITS}{sibling.slug}/admins/", {"email": "not an address"})
    assert invalid.status_code == 400 and 'id="id_email_error"' in invalid.content.decode()
    assert client.post(f"{UNITS}{sibling.slug}/admins/", {"email": "Council.Admin@example.org"}).status_code == 302
    assert list(sibling.admins.all()) == [person]
    again = client.post(f"{UNITS}{sibling.slug}/admins/", {"email": person.email})
    assert "already an admin" in again.content.decode()
    assert client.post(f"{UNITS}{sibling.slug}/admins/{person.uuid}/remove/").status_code == 302
    assert not sibling.admins.exists()
    assert AuditEntry.objects.for_object(sibling).count() == 2


def test_unit_admin_places_organisations_of_its_branch_in_a_subunit(client_for, unit_admin, child, org, other_org):
    client = client_for(unit_admin)
    ours = org.network_memberships.get()
    listed = client.get(f"{UNITS}{child.slug}/?where=elsewhere").content.decode()
    assert "Our Association" in listed and "Their Foundation" not in listed
    response = client.post(f"{UNITS}{child.slug}/members/{ours.uuid}/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.content == b""
    ours.refresh_from_db()
    assert ours.unit == child
    assert AuditEntry.objects.for_object(ours).get().changes["fields"] == ["unit"]
    theirs = other_org.network_memberships.get()
    assert client.post(f"{UNITS}{child.slug}/members/{theirs.uuid}/").status_code == 404
    with pytest.raises(Forbidden):
        manage.place_member(theirs, by=unit_admin, unit=child)
    theirs.refresh_from_db()
    assert theirs.unit is None


def test_secretariat_places_any_member_anywhere(client_for, secretariat, sibling, other_org):
    theirs = other_org.network_memberships.get()
    assert client_for(secretariat).post(f"{UNITS}{sibling.slug}/members/{theirs.uuid}/").status_code == 302
    theirs.refresh_from_db()
    assert theirs.unit == sibling
    manage.place_member(theirs, by=secretariat, unit=None)
    theirs.refresh_from_db()
    assert theirs.unit is None


def test_unit_pages_are_refused_to_those_the_rules_leave_out(
    client, unit, child, sibling, foreign_unit_admin, org, editor, member
):
    ours = org.network_memberships.get()
    owner_elsewhere = UserFactory()
    MembershipFactory(user=owner_elsewhere, organisation=org, role="owner")
    branch = [
        f"{UNITS}{unit.slug}/",
        f"{UNITS}{child.slug}/",
        ("post", f"{UNITS}{child.slug}/rename/"),
        ("post", f"{UNITS}{child.slug}/move/"),
        ("post", f"{UNITS}{child.slug}/archive/"),
        ("post", f"{UNITS}{child.slug}/units/"),
        ("post", f"{UNITS}{child.slug}/admins/"),
        ("post", f"{UNITS}{child.slug}/members/{ours.uuid}/"),
    ]
    # The admin of another unit: nothing of this branch.
    assert_refused(client, foreign_unit_admin, branch, allowed=(403, 404))
    # Editors, owners and plain members of organisations: no units page at all.
    for user in (editor, owner_elsewhere, member):
        assert_refused(client, user, [UNITS, ("post", UNITS), *branch], allowed=(404,))
    assert_refused(client, None, [UNITS, ("post", UNITS), *branch])
    child.refresh_from_db()
    assert child.version == 1 and child.archived_at is None


def test_header_links_to_units_for_those_who_keep_them(client_for, unit_admin, member, unit):
    html = client_for(unit_admin).get("/en/").content.decode()
    assert 'href="/en/units/"' in html
    assert client_for(unit_admin).get("/en/units/")["Location"] == UNITS
    assert 'href="/en/units/"' not in client_for(member).get("/en/").content.decode()


def test_units_page_keeps_its_query_budget(client_for, secretariat, network, django_assert_max_num_queries):
    for _number in range(20):
        parent = UnitFactory(network=network)
        UnitFactory(network=network, parent=parent).admins.add(UserFactory())
    client = client_for(secretariat)
    client.get(UNITS)
    with django_assert_max_num_queries(10):
        assert client.get(UNITS).status_code == 200
