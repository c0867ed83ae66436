"""Network home, directory, exports, profile editing, committees, API."""

import pytest
from django.db import IntegrityError

from tansiq.core.errors import Conflict
from tansiq.network.models import CommitteeSeat, Organisation
from tansiq.network.services import committees as committees_services
from tansiq.network.services import registry as services
from tansiq.network.services import units as manage
from tests.network.factories import (
    CommitteeFactory,
    FocusAreaFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UnitFactory,
)


def test_network_home_counts_members_and_countries_live(client, org, other_org, applicant):
    response = client.get("/en/networks/uniw/")
    assert response.status_code == 200
    assert response.context["stats"].members == 2
    assert response.context["stats"].countries == 2
    assert "2 members from 2 countries" in response.content.decode()
    data = client.get("/api/v1/networks/uniw").json()
    assert data["stats"] == {"members": 2, "countries": 2, "by_category": {"founding": 0, "full": 2, "associate": 0}}


def test_network_home_lists_active_top_level_units_only(client_for, client, network, unit, owner, secretariat):
    archived = UnitFactory(network=network, slug="closed", name_en="Closed Representation")
    manage.archive_unit(archived, by=secretariat, version=archived.version, reason="Merged into the region")
    UnitFactory(network=network, parent=unit, slug="branch", name_en="City Branch")
    for reader in (None, owner):
        if reader is not None:
            client = client_for(reader)
        html = client.get("/en/networks/uniw/").content.decode()
        assert str(unit.name_en) in html, reader
        assert "Closed Representation" not in html and "City Branch" not in html, reader
        assert "Closed Representation" not in client.get("/en/networks/uniw/members/").content.decode()
        assert "Closed Representation" not in client.get("/api/v1/networks/uniw").content.decode()


def test_header_link_and_home_card(client, org):
    response = client.get("/en/")
    assert "Member organisations" in [str(card.title) for card in response.context["cards"]]
    assert client.get("/en/members/").url == "/en/networks/uniw/members/"


def test_directory_filters_and_search(client, network, org, other_org, reindex):
    reindex()
    area = FocusAreaFactory(slug="education")
    other_org.focus_areas.add(area)
    committee = CommitteeFactory(network=network, slug="rights")
    CommitteeSeat.objects.create(committee=committee, organisation=org)
    assert [m.organisation.slug for m in client.get("/en/networks/uniw/members/?country=TR").context["page_obj"]] == [
        "theirs"
    ]
    assert [
        m.organisation.slug for m in client.get("/en/networks/uniw/members/?focus=education").context["page_obj"]
    ] == ["theirs"]
    assert [
        m.organisation.slug for m in client.get("/en/networks/uniw/members/?committee=rights").context["page_obj"]
    ] == ["ours"]
    found = client.get("/en/networks/uniw/members/?q=الخير").context["page_obj"]
    assert sorted(m.organisation.slug for m in found) == ["ours", "theirs"]  # equally relevant: any order
    response = client.get("/en/networks/uniw/members/?q=nothing-like-this")
    assert "No member organisations match." in response.content.decode()


def test_directory_htmx_returns_the_rows_only(client, org):
    html = client.get("/en/networks/uniw/members/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and "Our Association" in html


def test_malay_country_names_come_from_the_vendored_list(client, org):
    from tansiq.core.countries import country_name

    assert country_name("AE", "ms") == "Emiriah Arab Bersatu"
    assert "Malaysia" in client.get("/ms/networks/uniw/members/").content.decode()


def test_export_neutralises_formulas_and_hxl_has_tags(client, network):
    organisation = OrganisationFactory(slug="evil", name_en='=HYPERLINK("http://x")', acronym="+1")
    NetworkMembershipFactory(network=network, organisation=organisation)
    body = client.get("/en/networks/uniw/members/?export=csv").content.decode()
    assert "'=HYPERLINK" in body and "'+1" in body
    lines = client.get("/en/networks/uniw/members/?export=hxl").content.decode().lstrip("\ufeff").splitlines()
    assert lines[1] == "#org+name,#org+acronym,#org+type,#country+code,#adm1+name,#sector"
    assert "'+1" in lines[2]
    xlsx = client.get("/en/networks/uniw/members/?export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
def test_pages_stay_within_the_query_budget(
    client_for, client, network, org, owner, language, django_assert_max_num_queries
):
    for _n in range(30):
        organisation = OrganisationFactory()
        NetworkMembershipFactory(network=network, organisation=organisation)
    CommitteeFactory(network=network, slug="c1")
    urls = [
        f"/{language}/networks/uniw/",
        f"/{language}/networks/uniw/members/",
        f"/{language}/networks/uniw/members/?page=2&country=MY",
        f"/{language}/organisations/ours/",
        f"/{language}/networks/uniw/committees/c1/",
    ]
    for user in (None, owner):
        if user:
            client_for(user)
        for url in urls:
            client.get(url)  # warm the caches, as a running site has them
            with django_assert_max_num_queries(10):
                assert client.get(url).status_code == 200, url
    for url in ["/en/organisations/ours/edit/", "/en/organisations/ours/people/"]:
        client.get(url)
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200, url


def test_a_stale_edit_is_refused_not_overwritten(client_for, owner, editor, org):
    form = client_for(editor).get("/en/organisations/ours/edit/").context["form"]
    stale_version = form.initial["version"]
    services.update_organisation(org, by=owner, version=org.version, city="Shah Alam")
    data = {"name_ar": "اسم جديد", "legal_name": "Persatuan", "type": "ngo", "country": "MY", "city": "Ipoh"}
    response = client_for(editor).post("/en/organisations/ours/edit/", {**data, "version": stale_version})
    assert response.status_code == 200
    assert "Someone else saved this profile" in response.content.decode()
    assert Organisation.objects.get(pk=org.pk).city == "Shah Alam"


def test_editor_saves_the_profile_with_errors_beside_fields(client_for, editor, org):
    client = client_for(editor)
    response = client.post("/en/organisations/ours/edit/", {"version": org.version, "year_founded": "12"})
    assert response.status_code == 200
    assert 'id="id_year_founded_error"' in response.content.decode()
    data = {
        "version": org.version,
        "name_ar": "جمعية جديدة",
        "legal_name": "Persatuan Baharu",
        "type": "women",
        "country": "MY",
        "agm_date": "2025-03-01",
        "social_x": "https://x.com/ours",
    }
    assert client.post("/en/organisations/ours/edit/", data).status_code == 302
    org.refresh_from_db()
    assert org.name_ar == "جمعية جديدة" and org.type == "women" and org.version == 2
    assert str(org.annual_return_due) == "2025-04-30"
    assert org.social_links == {"x": "https://x.com/ours"}


def test_api_patch_needs_editor_and_current_version(client, client_for, editor, org):
    from tansiq.accounts import services as account_services

    _token, raw = account_services.create_token(editor, by=editor, name="w", scope="write")
    headers = {"Authorization": f"Bearer {raw}"}
    response = client.patch(
        "/api/v1/organisations/ours",
        {"version": org.version, "city": "Ipoh"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["city"] == "Ipoh"
    stale = client.patch(
        "/api/v1/organisations/ours",
        {"version": 1, "city": "Kuantan"},
        content_type="application/json",
        headers=headers,
    )
    assert stale.status_code == 409
    _token, read = account_services.create_token(editor, by=editor, name="r", scope="read")
    refused = client.patch(
        "/api/v1/organisations/ours",
        {"version": 2, "city": "Kuantan"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {read}"},
    )
    assert refused.status_code == 403


def test_api_lists_with_filters_and_committees(client, network, org, other_org):
    CommitteeFactory(network=network, slug="women")
    assert [o["slug"] for o in client.get("/api/v1/organisations?network=uniw&country=tr").json()["items"]] == [
        "theirs"
    ]
    assert [c["slug"] for c in client.get("/api/v1/networks/uniw/committees").json()] == ["women"]
    assert [n["slug"] for n in client.get("/api/v1/networks").json()] == ["uniw"]
    assert client.get("/api/v1/networks/nope").status_code == 404


def test_one_seat_per_organisation_per_committee(secretariat, network, org):
    committee = CommitteeFactory(network=network)
    committees_services.add_committee_seat(committee, by=secretariat, organisation=org)
    with pytest.raises(Conflict):
        committees_services.add_committee_seat(committee, by=secretariat, organisation=org)
    with pytest.raises(IntegrityError):
        CommitteeSeat.objects.create(committee=committee, organisation=org)


def test_committee_page_adds_seats_for_the_secretariat_only(client, client_for, secretariat, outsider, network, org):
    committee = CommitteeFactory(network=network, slug="rights")
    url = "/en/networks/uniw/committees/rights/"
    assert client_for(outsider).post(url, {"organisation": org.pk}).status_code == 404
    assert client_for(secretariat).post(url, {"organisation": org.pk}).status_code == 302
    assert committee.seats.filter(organisation=org).exists()


def test_unknown_slugs_are_404(client, db):
    for url in [
        "/en/networks/nope/",
        "/en/networks/nope/members/",
        "/en/organisations/nope/",
        "/api/v1/organisations/nope",
    ]:
        assert client.get(url).status_code == 404, url


def test_the_profile_form_groups_focus_areas_and_languages_under_legends(client_for, editor, org):
    """Each long list is a fieldset under its legend, in groups that are fieldsets too (sectors,
    then the SDGs), with a filter box that stays hidden until the script shows it."""
    from html.parser import HTMLParser

    from tests.network.factories import FocusAreaFactory

    FocusAreaFactory(slug="water", name_en="Water", kind="sector")
    FocusAreaFactory(slug="sdg-1", name_en="No poverty", kind="sdg", position=1)
    editor.language = "ar"
    editor.save(update_fields=["language"])
    client = client_for(editor)
    response = client.get("/ar/organisations/ours/edit/")
    html = response.content.decode()

    class Legends(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.legends, self.in_legend = [], [], False

        def handle_starttag(self, tag, attrs):
            if tag == "fieldset":
                self.stack.append([])
            elif tag == "legend":
                self.in_legend = True
                self.legends.append((len(self.stack), ""))

        def handle_endtag(self, tag):
            if tag == "fieldset":
                self.stack.pop()
            elif tag == "legend":
                self.in_legend = False

        def handle_data(self, data):
            if self.in_legend:
                depth, text = self.legends[-1]
                self.legends[-1] = (depth, (text + data).strip())

    parser = Legends()
    parser.feed(html)
    assert (1, "مجالات العمل") in parser.legends and (1, "لغات العمل") in parser.legends
    assert (2, "القطاعات") in parser.legends and (2, "أهداف التنمية المستدامة") in parser.legends
    assert (2, "لغات هذه المنصة") in parser.legends and (2, "لغات أخرى") in parser.legends
    assert html.count('class="form-control form-control-sm mb-2 grouped-choices-filter" hidden') == 2
    # Without JavaScript the checkboxes post as before.
    focus = response.context["form"].fields["focus_areas"].queryset.get(slug="water")
    data = {
        "version": org.version,
        "name_ar": org.name_ar,
        "legal_name": "Persatuan",
        "type": "ngo",
        "country": "MY",
        "focus_areas": [focus.pk],
        "working_languages": ["ar", "tr"],
    }
    assert client.post("/ar/organisations/ours/edit/", data).status_code == 302
    org.refresh_from_db()
    assert [area.slug for area in org.focus_areas.all()] == ["water"] and org.working_languages == ["ar", "tr"]
