"""Units and representatives in the API: what the units and representatives pages allow, no more.

The secretariat keeps the whole tree, a unit's admins the units below their own; a member's owners
and admins (and the secretariat, and the admins of its unit) name its representatives. Everyone
else gets 404 for what they may not see, 403 for a change to what they see, visitors 401, and a
read-only token 403 for any change.
"""

import pytest
from django.core import mail
from django.utils import timezone

from tansiq.accounts import services as accounts
from tansiq.core.models import AuditEntry
from tansiq.network.models import CommitteeSeat, Invitation, NetworkMembership, Unit
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import (
    CommitteeFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UnitFactory,
)

UNITS = "/api/v1/networks/uniw/units"
REPRESENTATIVES = "/api/v1/organisations/ours/representatives"
JSON = "application/json"


def bearer(user, scope: str) -> dict:
    raw = accounts.create_token(user, by=user, name=f"{scope} token", scope=scope)[1]
    return {"Authorization": f"Bearer {raw}"}


def _last_entry(obj) -> AuditEntry:
    return AuditEntry.objects.for_object(obj).order_by("at", "pk").last()


# A signed-in person reads the API in their preferred language: these two read English, so names,
# kinds and messages can be compared with the text (a token's reader asks with Accept-Language).
@pytest.fixture
def secretariat(secretariat):
    secretariat.language = "en"
    secretariat.save(update_fields=["language"])
    return secretariat


@pytest.fixture
def owner(owner):
    owner.language = "en"
    owner.save(update_fields=["language"])
    return owner


@pytest.fixture
def child(unit, network):
    return UnitFactory(network=network, parent=unit, slug="selangor", name_en="Selangor", name_ar="سلانغور")


@pytest.fixture
def sibling(network):
    """A top-level unit outside the unit admin's branch."""
    return UnitFactory(
        network=network, slug="womens-council", name_en="Women's Council", name_ar="مجلس المرأة", kind="council"
    )


@pytest.fixture
def retired(network):
    """An archived top-level unit."""
    unit = UnitFactory(network=network, slug="retired", name_en="Retired Unit")
    Unit.objects.filter(pk=unit.pk).update(archived_at=timezone.now())
    return unit


@pytest.fixture
def foreign_unit_admin(sibling):
    user = UserFactory(display_name="Council admin")
    sibling.admins.add(user)
    return user


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["items"]]


# --- Reading the tree ---------------------------------------------------------------------------


def test_visitors_and_members_get_the_top_level_units_the_network_home_lists(
    client, client_for, editor, member, unit, child, sibling, retired, unit_admin
):
    for reader in (None, editor, member):
        client.logout()
        if reader is not None:
            client = client_for(reader)
        for query in ("", "?archived=true"):
            rows = client.get(UNITS + query).json()["items"]
            # Active top-level units only; no member counts, no admins, nothing they may change.
            assert sorted(row["slug"] for row in rows) == sorted([unit.slug, sibling.slug])
            assert {(row["members"], row["admins"], row["may_change"], row["may_add"]) for row in rows} == {
                (None, None, False, False)
            }
    assert client.get("/api/v1/networks/nowhere/units").status_code == 404


def test_secretariat_lists_the_whole_tree_with_counts_and_admins(
    client_for, secretariat, unit, child, sibling, retired, org, unit_admin
):
    client = client_for(secretariat)
    data = client.get(UNITS).json()
    assert data["count"] == 3
    rows = {row["slug"]: row for row in data["items"]}
    assert list(rows) == [unit.slug, child.slug, sibling.slug]
    assert (rows[child.slug]["parent"], rows[child.slug]["depth"]) == (unit.slug, 1)
    assert (rows[unit.slug]["parent"], rows[unit.slug]["depth"]) == (None, 0)
    assert rows[unit.slug]["members"] == 1 and rows[unit.slug]["admins"] == ["Unit admin"]
    assert rows[child.slug]["name_ar"] == "سلانغور" and rows[child.slug]["name_ms"] == ""
    assert rows[sibling.slug]["kind"] == "council" and rows[sibling.slug]["kind_label"] == "Council"
    assert all(row["may_change"] and row["may_add"] for row in rows.values())
    archived = client.get(UNITS + "?archived=true").json()["items"]
    assert [(row["slug"], row["archived"]) for row in archived if row["archived"]] == [("retired", True)]


def test_names_come_in_the_readers_language(client, secretariat, unit, child):
    token = bearer(secretariat, "read")
    arabic = client.get(UNITS, headers={**token, "Accept-Language": "ar"}).json()["items"]
    assert arabic[1]["name"] == "سلانغور" and arabic[1]["kind_label"] not in ("", "Country representation")
    english = client.get(UNITS, headers={**token, "Accept-Language": "en"}).json()["items"]
    assert (english[1]["name"], english[1]["kind_label"]) == ("Selangor", "Country representation")


def test_a_token_holder_reads_as_themselves_and_a_bad_token_is_refused(client, unit_admin, unit, child, sibling):
    rows = client.get(UNITS, headers={**bearer(unit_admin, "read"), "Accept-Language": "en"}).json()["items"]
    assert [row["slug"] for row in rows] == [unit.slug, child.slug, sibling.slug]
    assert rows[0]["admins"] == ["Unit admin"]
    refused = client.get(UNITS, headers={"Authorization": "Bearer tsq_not-a-token"})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthenticated"


def test_contacts_list_recognises_a_token_too(client, editor, org):
    names = {row["name"] for row in client.get("/api/v1/organisations/ours/contacts").json()}
    assert names == {"Public Desk"}
    names = {
        row["name"] for row in client.get("/api/v1/organisations/ours/contacts", headers=bearer(editor, "read")).json()
    }
    assert names == {"Public Desk", "Treasurer Private"}


def test_unit_admin_sees_what_it_may_do_and_reads_only_its_branch(
    client_for, unit_admin, unit, child, sibling, foreign_unit_admin
):
    client = client_for(unit_admin)
    rows = {row["slug"]: row for row in client.get(UNITS).json()["items"]}
    # Its own unit: it adds inside but does not reshape it; the unit below: both; elsewhere: neither.
    assert (rows[unit.slug]["may_change"], rows[unit.slug]["may_add"]) == (False, True)
    assert (rows[child.slug]["may_change"], rows[child.slug]["may_add"]) == (True, True)
    assert (rows[sibling.slug]["may_change"], rows[sibling.slug]["may_add"]) == (False, False)
    own = client.get(f"{UNITS}/{unit.slug}")
    assert own.status_code == 200
    data = own.json()
    assert data["units"] == [child.slug] and data["version"] == 1
    assert [admin["uuid"] for admin in data["admins"]] == [str(unit_admin.uuid)]
    assert (data["may_change"], data["may_add"]) == (False, True)
    assert client.get(f"{UNITS}/{child.slug}").json()["parent"] == unit.slug
    assert client.get(f"{UNITS}/{sibling.slug}").status_code == 404


# --- Changing the tree --------------------------------------------------------------------------


def test_secretariat_adds_renames_moves_archives_and_restores_a_unit_with_audit_entries(client, secretariat, sibling):
    write = bearer(secretariat, "write")
    created = client.post(
        UNITS,
        {"parent": None, "kind": "international", "name_ar": "الوحدة الدولية", "name_en": "International Unit"},
        content_type=JSON,
        headers=write,
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["slug"], data["parent"], data["version"], data["kind"]) == (
        "international-unit",
        None,
        1,
        "international",
    )
    unit = Unit.objects.get(slug="international-unit")
    assert AuditEntry.objects.for_object(unit).get().action == "create"
    address = f"{UNITS}/{unit.slug}"

    renamed = client.patch(address, {"version": 1, "name_ms": "Unit Antarabangsa"}, content_type=JSON, headers=write)
    assert renamed.status_code == 200
    assert (renamed.json()["name_ms"], renamed.json()["name_ar"], renamed.json()["version"]) == (
        "Unit Antarabangsa",
        "الوحدة الدولية",
        2,
    )
    assert _last_entry(unit).changes == {"fields": ["name_ms"]}

    moved = client.post(f"{address}/move", {"version": 2, "parent": sibling.slug}, content_type=JSON, headers=write)
    assert moved.status_code == 200 and moved.json()["parent"] == sibling.slug
    assert _last_entry(unit).changes["parent"] == {"from": "", "to": sibling.slug}

    archived = client.post(
        f"{address}/archive", {"version": 3, "reason": "Merged into the council"}, content_type=JSON, headers=write
    )
    assert archived.status_code == 200 and archived.json()["archived"] is True
    entry = _last_entry(unit)
    assert (entry.from_state, entry.to_state, entry.reason, entry.actor) == (
        "active",
        "archived",
        "Merged into the council",
        secretariat,
    )

    restored = client.post(f"{address}/restore", {"version": 4}, content_type=JSON, headers=write)
    assert restored.status_code == 200 and restored.json()["archived"] is False
    assert _last_entry(unit).to_state == "active"
    assert AuditEntry.objects.for_object(unit).count() == 5


def test_unit_admin_changes_units_in_its_branch_only(client_for, unit_admin, unit, child, sibling):
    client = client_for(unit_admin)
    inside = client.post(UNITS, {"parent": child.slug, "kind": "other", "name_en": "Petaling"}, content_type=JSON)
    assert inside.status_code == 201 and inside.json()["parent"] == child.slug
    petaling = Unit.objects.get(name_en="Petaling")
    assert AuditEntry.objects.for_object(petaling).get().actor == unit_admin
    # At the top level or in a unit it sees but does not keep: refused by the rules (403).
    for parent in (None, sibling.slug):
        refused = client.post(UNITS, {"parent": parent, "kind": "other", "name_en": "Rogue"}, content_type=JSON)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert not Unit.objects.filter(name_en="Rogue").exists()

    renamed = client.patch(f"{UNITS}/{child.slug}", {"version": 1, "name_en": "Selangor State"}, content_type=JSON)
    assert renamed.status_code == 200 and renamed.json()["name_en"] == "Selangor State"
    # Its own unit's name is the secretariat's choice; a unit outside its branch is not found.
    assert client.patch(f"{UNITS}/{unit.slug}", {"version": 1, "name_en": "Mine"}, content_type=JSON).status_code == 403
    assert client.patch(f"{UNITS}/{sibling.slug}", {"version": 1, "name_en": "X"}, content_type=JSON).status_code == 404

    for parent in (sibling.slug, None):
        moved = client.post(f"{UNITS}/{petaling.slug}/move", {"version": 1, "parent": parent}, content_type=JSON)
        assert moved.status_code == 403
    assert client.post(f"{UNITS}/{unit.slug}/archive", {"version": 1}, content_type=JSON).status_code == 403
    moved = client.post(f"{UNITS}/{petaling.slug}/move", {"version": 1, "parent": unit.slug}, content_type=JSON)
    assert moved.status_code == 200 and moved.json()["parent"] == unit.slug
    for model_unit, name in ((unit, None), (sibling, "Women's Council")):
        model_unit.refresh_from_db()
        assert model_unit.version == 1 and (name is None or model_unit.name_en == name)


def test_bad_input_is_refused_beside_the_field_and_changes_nothing(client_for, secretariat, unit, child, retired):
    client = client_for(secretariat)

    def refused(method: str, url: str, body: dict, status: int, field: str | None = None) -> None:
        response = getattr(client, method)(url, body, content_type=JSON)
        assert response.status_code == status, (url, body, response.content)
        error = response.json()["error"]
        assert error["message"]
        if field:
            assert field in error["fields"], error

    refused("post", UNITS, {"parent": "nowhere", "kind": "other", "name_en": "X"}, 422, "parent")
    refused("post", UNITS, {"parent": None, "kind": "other", "name_en": " "}, 422, "name_ar")
    refused("post", UNITS, {"parent": None, "kind": "castle", "name_en": "X"}, 422, "kind")
    refused("post", UNITS, {"parent": None, "name_en": "X"}, 422, "kind")
    refused("post", UNITS, {"parent": "retired", "kind": "other", "name_en": "X"}, 409)
    refused("post", UNITS, {"parent": None, "kind": "other", "name_en": "x" * 201}, 422, "name_en")
    # The same name at the same place twice.
    refused("post", UNITS, {"parent": unit.slug, "kind": "other", "name_en": "selangor"}, 409)
    assert Unit.objects.count() == 3

    address = f"{UNITS}/{unit.slug}"
    refused("patch", address, {"version": 1, "name_ar": "", "name_en": "", "name_ms": ""}, 422, "name_ar")
    refused("patch", address, {"version": 1, "kind": "castle"}, 422, "kind")
    refused("patch", address, {"name_en": "No version"}, 422, "version")
    refused("patch", address, {"version": 7, "name_en": "Stale"}, 409)
    # Not inside itself or one of its own units, nor under a unit that does not exist.
    refused("post", f"{address}/move", {"version": 1, "parent": child.slug}, 422, "parent")
    refused("post", f"{address}/move", {"version": 1, "parent": unit.slug}, 422, "parent")
    refused("post", f"{address}/move", {"version": 1, "parent": "nowhere"}, 422, "parent")
    refused("post", f"{address}/move", {"version": 1}, 422, "parent")
    refused("post", f"{UNITS}/{child.slug}/move", {"version": 9, "parent": None}, 409)
    # Archiving waits for the units inside; restoring, for an archived unit.
    refused("post", f"{address}/archive", {"version": 1}, 409)
    refused("post", f"{UNITS}/{child.slug}/archive", {"version": 2}, 409)
    refused("post", f"{address}/restore", {"version": 1}, 409)
    refused("post", f"{address}/archive", {"version": 1, "reason": "x" * 2001}, 422, "reason")
    for place in (unit, child):
        place.refresh_from_db()
        assert (place.version, place.archived_at) == (1, None)
    assert child.parent == unit and unit.parent is None and unit.name_en.startswith("Unit ")
    assert not AuditEntry.objects.for_object(unit).exists() and not AuditEntry.objects.for_object(child).exists()


def test_unit_admins_are_added_by_email_and_removed(client_for, secretariat, sibling):
    person = UserFactory(email="council.admin@example.org", display_name="Council Admin")
    client = client_for(secretariat)
    address = f"{UNITS}/{sibling.slug}/admins"
    unknown = client.post(address, {"email": "nobody@example.org"}, content_type=JSON)
    assert unknown.status_code == 400 and "email" in unknown.json()["error"]["fields"]
    added = client.post(address, {"email": "Council.Admin@example.org"}, content_type=JSON)
    assert added.status_code == 201 and added.json() == {
        "uuid": str(person.uuid),
        "name": "Council Admin",
        "email": "council.admin@example.org",
    }
    assert list(sibling.admins.all()) == [person]
    assert client.post(address, {"email": person.email}, content_type=JSON).status_code == 409
    assert client.get(f"{UNITS}/{sibling.slug}").json()["admins"][0]["uuid"] == str(person.uuid)
    assert client.delete(f"{address}/{person.uuid}").status_code == 204
    assert not sibling.admins.exists()
    assert client.delete(f"{address}/{person.uuid}").status_code == 404
    changes = [entry.changes["admins"] for entry in AuditEntry.objects.for_object(sibling).order_by("at", "pk")]
    assert changes == [{"added": "Council Admin"}, {"removed": "Council Admin"}]


def test_unit_admin_lists_and_places_the_organisations_of_its_branch(
    client_for, unit_admin, unit, child, org, other_org
):
    client = client_for(unit_admin)
    ours, theirs = org.network_memberships.get(), other_org.network_memberships.get()
    here = client.get(f"{UNITS}/{unit.slug}/members").json()
    assert [row["organisation"] for row in here["items"]] == ["ours"]
    assert here["items"][0]["unit"] == unit.slug and here["items"][0]["status"] == "admitted"
    # Elsewhere in its branch: our organisation, not the one outside the branch.
    elsewhere = client.get(f"{UNITS}/{child.slug}/members?where=elsewhere").json()["items"]
    assert [row["membership"] for row in elsewhere] == [str(ours.uuid)]
    assert client.get(f"{UNITS}/{child.slug}/members?where=elsewhere&q=nothing-like-it").json()["count"] == 0
    assert client.get(f"{UNITS}/{child.slug}/members?where=nowhere").status_code == 422
    placed = client.put(f"{UNITS}/{child.slug}/members/{ours.uuid}")
    assert placed.status_code == 200 and placed.json()["unit"] == child.slug and placed.json()["name"]
    ours.refresh_from_db()
    assert ours.unit == child
    assert AuditEntry.objects.for_object(ours).get().changes["unit"] == {"from": unit.slug, "to": child.slug}
    # Again: nothing changes, nothing is logged twice.
    assert client.put(f"{UNITS}/{child.slug}/members/{ours.uuid}").status_code == 200
    assert AuditEntry.objects.for_object(ours).count() == 1
    assert client.put(f"{UNITS}/{child.slug}/members/{theirs.uuid}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.unit is None


def test_secretariat_places_any_member_and_not_in_an_archived_unit(
    client_for, secretariat, sibling, retired, other_org
):
    theirs = other_org.network_memberships.get()
    client = client_for(secretariat)
    assert client.put(f"{UNITS}/{sibling.slug}/members/{theirs.uuid}").json()["unit"] == sibling.slug
    assert client.put(f"{UNITS}/retired/members/{theirs.uuid}").status_code == 409
    elsewhere_network = NetworkMembershipFactory(network=NetworkFactory(), organisation=other_org)
    assert client.put(f"{UNITS}/{sibling.slug}/members/{elsewhere_network.uuid}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.unit == sibling


def test_units_endpoints_are_refused_to_those_the_rules_leave_out(
    client, secretariat, unit, child, sibling, foreign_unit_admin, org, editor, member
):
    ours = org.network_memberships.get()
    owner_elsewhere = UserFactory()
    MembershipFactory(user=owner_elsewhere, organisation=org, role="owner")
    branch = [
        f"{UNITS}/{unit.slug}",
        f"{UNITS}/{child.slug}",
        f"{UNITS}/{child.slug}/members",
        ("patch", f"{UNITS}/{child.slug}", {"version": 1, "name_en": "Taken"}),
        ("post", f"{UNITS}/{child.slug}/move", {"version": 1, "parent": sibling.slug}),
        ("post", f"{UNITS}/{child.slug}/archive", {"version": 1}),
        ("post", f"{UNITS}/{child.slug}/restore", {"version": 1}),
        ("post", UNITS, {"parent": child.slug, "kind": "other", "name_en": "Rogue"}),
        ("post", f"{UNITS}/{child.slug}/admins", {"email": member.email}),
        ("delete", f"{UNITS}/{unit.slug}/admins/{secretariat.uuid}"),
        ("put", f"{UNITS}/{child.slug}/members/{ours.uuid}"),
    ]
    # The admin of another unit: nothing of this branch (404), nor a unit of its own here (403).
    assert_refused(client, foreign_unit_admin, branch, allowed=(403, 404))
    # Editors, owners and plain members of organisations: no unit to keep at all.
    for user in (editor, owner_elsewhere, member):
        assert_refused(client, user, branch, allowed=(404,))
    assert_refused(client, None, branch, allowed=(401,))
    # A read-only token changes nothing, even the secretariat's.
    client.logout()
    read = bearer(secretariat, "read")
    for method, url, *body in branch[3:]:
        response = getattr(client, method)(url, *body, content_type=JSON, headers=read)
        assert response.status_code == 403, (method, url)
        assert response.json()["error"]["code"] == "forbidden"
    child.refresh_from_db()
    assert (child.version, child.archived_at, child.name_en) == (1, None, "Selangor")
    assert not Unit.objects.filter(name_en="Rogue").exists() and not child.admins.exists()
    ours.refresh_from_db()
    assert ours.unit == unit


def test_units_endpoints_are_documented(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/networks/{slug}/units"])
    assert {"get", "patch"} <= set(paths["/api/v1/networks/{slug}/units/{unit}"])
    for action in ("move", "archive", "restore", "admins"):
        assert "post" in paths[f"/api/v1/networks/{{slug}}/units/{{unit}}/{action}"]
    assert "delete" in paths["/api/v1/networks/{slug}/units/{unit}/admins/{person}"]
    assert "get" in paths["/api/v1/networks/{slug}/units/{unit}/members"]
    assert "put" in paths["/api/v1/networks/{slug}/units/{unit}/members/{membership}"]
    assert {"get"} <= set(paths["/api/v1/organisations/{slug}/representatives"])
    assert "put" in paths["/api/v1/organisations/{slug}/representatives/{membership}"]
    assert "post" in paths["/api/v1/organisations/{slug}/representatives/{membership}/invitations"]


def _twice_within(client, url, budget, django_assert_max_num_queries, **kwargs):
    client.get(url, **kwargs)  # the first request fills the per-process caches, as on a running server
    with django_assert_max_num_queries(budget):
        response = client.get(url, **kwargs)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_tree_of_two_hundred_units_comes_in_pages_within_the_query_budget(
    client, client_for, secretariat, tree, django_assert_max_num_queries
):
    signed_in = client_for(secretariat)
    first = _twice_within(signed_in, UNITS, 10, django_assert_max_num_queries)
    assert first["count"] == 201 and len(first["items"]) == 100
    last = _twice_within(signed_in, UNITS + "?page=3", 10, django_assert_max_num_queries)
    assert len(last["items"]) == 1
    every = first["items"] + _twice_within(signed_in, UNITS + "?page=2", 10, django_assert_max_num_queries)["items"]
    every += last["items"]
    assert len({row["slug"] for row in every}) == 201
    # Depth first: every unit comes after the unit it belongs to.
    seen: set[str] = set()
    for row in every:
        assert row["parent"] is None or row["parent"] in seen
        seen.add(row["slug"])
    region = tree[1]
    token = bearer(region.admins.get(), "read")
    client.logout()
    seen = _twice_within(client, UNITS + "?page=2", 10, django_assert_max_num_queries, headers=token)
    assert len(seen["items"]) == 100
    _twice_within(client, UNITS, 10, django_assert_max_num_queries)  # a visitor


def test_a_unit_with_three_hundred_members_is_read_within_the_query_budget(
    client_for, secretariat, network, tree, django_assert_max_num_queries
):
    region = tree[1]
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network=network, organisation=organisation, unit=region, status="admitted")
        for organisation in OrganisationFactory.create_batch(300)
    )
    client = client_for(secretariat)
    detail = _twice_within(client, f"{UNITS}/{region.slug}", 10, django_assert_max_num_queries)
    assert len(detail["units"]) == 9 and len(detail["admins"]) == 1
    members = _twice_within(client, f"{UNITS}/{region.slug}/members?page=6", 10, django_assert_max_num_queries)
    assert members["count"] == 300 and len(members["items"]) == 50
    _twice_within(client, f"{UNITS}/{region.slug}/members?where=elsewhere&q=a", 10, django_assert_max_num_queries)


# --- Representatives ----------------------------------------------------------------------------


def _naming(representative=None, alternate=None, expected=(None, None)) -> dict:
    uuid = lambda person: str(person.uuid) if person is not None else None  # noqa: E731
    return {
        "representative": uuid(representative),
        "alternate": uuid(alternate),
        "expected_representative": uuid(expected[0]),
        "expected_alternate": uuid(expected[1]),
    }


def test_owner_reads_and_names_representatives_with_compare_and_set(client_for, owner, membership, amina, yusuf):
    client = client_for(owner)
    read = client.get(REPRESENTATIVES).json()
    assert read == [
        {
            "membership": str(membership.uuid),
            "network": "uniw",
            "network_name": "Union of NGOs",
            "status": "admitted",
            "unit": membership.unit.slug,
            "representative": None,
            "alternate": None,
            "seats": [],
        }
    ]
    people = client.get(f"{REPRESENTATIVES}/people").json()
    assert {person["email"] for person in people["items"]} == {owner.email, amina.email, yusuf.email}
    address = f"{REPRESENTATIVES}/{membership.uuid}"
    named = client.put(address, _naming(amina, yusuf), content_type=JSON)
    assert named.status_code == 200, named.content
    assert (named.json()["representative"]["uuid"], named.json()["alternate"]["name"]) == (
        str(amina.uuid),
        "Yusuf Alternate",
    )
    membership.refresh_from_db()
    assert (membership.representative, membership.alternate) == (amina, yusuf)
    entry = AuditEntry.objects.for_object(membership).get()
    assert entry.actor == owner and entry.changes["fields"] == ["alternate", "representative"]
    assert entry.changes["representative"] == {"from": "", "to": "Amina Representative"}
    # Written against what was named before: someone else changed it since.
    stale = client.put(address, _naming(yusuf, None), content_type=JSON)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert "Someone else changed the representatives" in stale.json()["error"]["message"]
    swapped = client.put(address, _naming(yusuf, amina, expected=(amina, yusuf)), content_type=JSON)
    assert swapped.status_code == 200 and swapped.json()["representative"]["uuid"] == str(yusuf.uuid)
    assert client.put(address, _naming(None, None, expected=(yusuf, amina)), content_type=JSON).status_code == 200
    membership.refresh_from_db()
    assert (membership.representative, membership.alternate) == (None, None)


def test_committee_seats_follow_the_representative_named_through_the_api(client_for, owner, membership, network, amina):
    committee = CommitteeFactory(network=network, slug="youth")
    seat = CommitteeSeat.objects.create(committee=committee, organisation=membership.organisation)
    response = client_for(owner).put(f"{REPRESENTATIVES}/{membership.uuid}", _naming(amina), content_type=JSON)
    assert response.json()["seats"] == [
        {
            "committee": "youth",
            "committee_name": committee.name_en,
            "representative": {"uuid": str(amina.uuid), "name": "Amina Representative", "email": amina.email},
        }
    ]
    seat.refresh_from_db()
    assert seat.representative == amina
    assert AuditEntry.objects.for_object(seat).get().changes["representative"]["to"] == "Amina Representative"


def test_representatives_must_act_for_the_organisation_and_differ(client_for, owner, membership, amina, outsider):
    client = client_for(owner)
    address = f"{REPRESENTATIVES}/{membership.uuid}"
    for payload, field in (
        (_naming(outsider), "representative"),
        (_naming(None, outsider), "alternate"),
        (_naming(amina, amina), "alternate"),
        ({**_naming(), "representative": "00000000-0000-0000-0000-000000000000"}, "representative"),
    ):
        response = client.put(address, payload, content_type=JSON)
        assert response.status_code == 422, payload
        assert field in response.json()["error"]["fields"]
    assert client.put(address, {**_naming(), "representative": "amina"}, content_type=JSON).status_code == 422
    incomplete = client.put(address, {"representative": str(amina.uuid)}, content_type=JSON)
    assert incomplete.status_code == 422 and "expected_representative" in incomplete.json()["error"]["fields"]
    membership.refresh_from_db()
    assert (membership.representative, membership.alternate) == (None, None)
    assert not AuditEntry.objects.for_object(membership).exists()


def test_unit_admin_of_the_members_unit_and_the_secretariat_name_too(
    client_for, unit_admin, secretariat, membership, amina, yusuf
):
    address = f"{REPRESENTATIVES}/{membership.uuid}"
    assert client_for(unit_admin).put(address, _naming(amina), content_type=JSON).status_code == 200
    named = client_for(secretariat).put(address, _naming(amina, yusuf, expected=(amina, None)), content_type=JSON)
    assert named.status_code == 200
    assert [entry.actor for entry in AuditEntry.objects.for_object(membership).order_by("at", "pk")] == [
        unit_admin,
        secretariat,
    ]


def test_inviting_a_representative_sends_the_invitation_in_the_invitees_language(
    client, owner, membership, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{REPRESENTATIVES}/{membership.uuid}/invitations",
            {"email": "Delegate@Example.org", "seat": "alternate", "language": "ar"},
            content_type=JSON,
            headers={**bearer(owner, "write"), "Accept-Language": "en"},
        )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["email"], data["seat"], data["role"], data["language"]) == (
        "delegate@example.org",
        "alternate",
        "viewer",
        "ar",
    )
    invitation = Invitation.objects.get()
    assert (invitation.represents, invitation.represents_as, str(invitation.uuid)) == (
        membership,
        "alternate",
        data["uuid"],
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["delegate@example.org"]
    assert "/ar/invitations/" in mail.outbox[0].body
    assert AuditEntry.objects.for_object(membership).get().changes["invited"] == "alternate"


def test_an_invitation_with_bad_values_is_refused_beside_the_field(client_for, owner, membership, amina):
    client = client_for(owner)
    address = f"{REPRESENTATIVES}/{membership.uuid}/invitations"
    base = {"email": "new@example.org", "seat": "representative", "role": "viewer", "language": "en"}
    for values, status, field in (
        ({"email": "not mail"}, 422, "email"),
        ({"seat": "chair"}, 422, "seat"),
        ({"role": "emperor"}, 422, "role"),
        ({"language": "fr"}, 422, "language"),
        ({"email": amina.email}, 409, "email"),
    ):
        response = client.post(address, {**base, **values}, content_type=JSON)
        assert response.status_code == status, values
        assert field in response.json()["error"]["fields"]
    missing = client.post(address, {"email": "new@example.org", "seat": "alternate"}, content_type=JSON)
    assert missing.status_code == 422 and "language" in missing.json()["error"]["fields"]
    assert not Invitation.objects.exists() and not mail.outbox


def test_representatives_endpoints_are_refused_to_those_the_rules_leave_out(
    client, owner, org, membership, editor, other_owner, network, member, amina
):
    foreign_unit_admin = UserFactory()
    UnitFactory(network=network).admins.add(foreign_unit_admin)
    invitation = {"email": "x@example.org", "seat": "alternate", "role": "viewer", "language": "en"}
    requests = [
        REPRESENTATIVES,
        f"{REPRESENTATIVES}/people",
        ("put", f"{REPRESENTATIVES}/{membership.uuid}", _naming(amina)),
        ("post", f"{REPRESENTATIVES}/{membership.uuid}/invitations", invitation),
    ]
    for user in (editor, other_owner, foreign_unit_admin, member):
        assert_refused(client, user, requests, allowed=(404,))
    assert_refused(client, None, requests, allowed=(401,))
    client.logout()
    read = bearer(owner, "read")
    assert client.get(REPRESENTATIVES, headers=read).status_code == 200
    for _method, url, body in requests[2:]:
        method = getattr(client, _method)
        assert method(url, body, content_type=JSON, headers=read).status_code == 403
    membership.refresh_from_db()
    assert membership.representative is None and not Invitation.objects.exists()


def test_another_members_or_an_applicants_membership_is_not_reachable(
    client_for, owner, org, other_org, applicant, amina
):
    theirs = other_org.network_memberships.get()
    client = client_for(owner)
    assert client.put(f"{REPRESENTATIVES}/{theirs.uuid}", _naming(amina), content_type=JSON).status_code == 404
    applicant_owner = UserFactory()
    MembershipFactory(user=applicant_owner, organisation=applicant, role="owner")
    pending = NetworkMembership.objects.get(organisation=applicant)
    client = client_for(applicant_owner)
    assert client.get("/api/v1/organisations/pending/representatives").status_code == 404
    address = f"/api/v1/organisations/pending/representatives/{pending.uuid}"
    assert client.put(address, _naming(), content_type=JSON).status_code == 404


def test_representatives_for_two_networks_and_forty_people_within_the_query_budget(
    client_for, owner, org, forty_people_two_networks, django_assert_max_num_queries
):
    people = forty_people_two_networks
    client = client_for(owner)
    read = _twice_within(client, REPRESENTATIVES, 10, django_assert_max_num_queries)
    assert [len(entry["seats"]) for entry in read] == [3, 3]
    assert {entry["alternate"]["uuid"] for entry in read} == {str(people[1].uuid)}
    choices = _twice_within(client, f"{REPRESENTATIVES}/people?page=1", 10, django_assert_max_num_queries)
    assert choices["count"] == 41
    membership = NetworkMembership.objects.get(organisation=org, network__slug="council")
    with django_assert_max_num_queries(20):
        named = client.put(
            f"{REPRESENTATIVES}/{membership.uuid}",
            _naming(people[2], None, expected=(people[0], people[1])),
            content_type=JSON,
        )
    assert named.status_code == 200
    assert named.json()["representative"]["uuid"] == str(people[2].uuid) and named.json()["alternate"] is None
    seat = CommitteeSeat.objects.get(committee__slug="council-committee-0")
    assert seat.representative == people[2]


def test_invalid_values_answer_422_with_the_pages_messages_in_the_callers_language(
    client_for, secretariat, owner, membership, sibling
):
    """Each write goes through its page's form: the same messages as the page, in the caller's language
    (their account's, as on the pages)."""
    secretariat.language, owner.language = "ar", "ms"
    secretariat.save(update_fields=["language"])
    owner.save(update_fields=["language"])
    client = client_for(secretariat)
    nameless = client.post(UNITS, {"parent": None, "kind": "other", "name_en": " "}, content_type=JSON)
    assert nameless.status_code == 422
    error = nameless.json()["error"]
    assert error["code"] == "invalid" and error["fields"]["name_ar"] == ["اكتب اسم الوحدة بلغة واحدة على الأقل."]
    not_mail = client.post(f"{UNITS}/{sibling.slug}/admins", {"email": "not mail"}, content_type=JSON)
    assert not_mail.status_code == 422
    assert any("\u0600" <= ch <= "\u06ff" for ch in not_mail.json()["error"]["fields"]["email"][0])
    too_long = client.post(f"{UNITS}/{sibling.slug}/archive", {"version": 1, "reason": "x" * 2001}, content_type=JSON)
    assert too_long.status_code == 422 and "reason" in too_long.json()["error"]["fields"]
    invitation = client_for(owner).post(
        f"{REPRESENTATIVES}/{membership.uuid}/invitations",
        {"email": "new@example.org", "seat": "chair", "role": "viewer", "language": "en"},
        content_type=JSON,
    )
    assert invitation.status_code == 422
    assert invitation.json()["error"]["fields"]["seat"][0].startswith("Pilih")
    sibling.refresh_from_db()
    assert sibling.version == 1 and not sibling.admins.exists() and not Invitation.objects.exists()
