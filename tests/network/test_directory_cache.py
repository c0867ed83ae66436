"""A visitor's directory results are kept rendered, under the registry's version: never stale."""

from tansiq.network.services import registry as services

URL = "/en/networks/uniw/members/"
ROWS = "network/_directory_rows.html"


def _rendered(response) -> bool:
    return ROWS in [template.name for template in response.templates]


def test_a_visitor_gets_kept_results_until_the_registry_changes(client, owner, secretariat, org):
    first = client.get(URL)
    assert _rendered(first) and "Our Association" in first.content.decode()
    again = client.get(URL)
    assert not _rendered(again), "the second visit is served from the kept results"
    assert again.context["results"] == first.context["results"]
    assert again.context["results"] in again.content.decode()
    assert again.context["page_obj"].paginator.count == 1  # still there for whoever asks

    services.update_organisation(org, by=owner, version=org.version, name_en="Renamed Association")
    html = client.get(URL).content.decode()
    assert "Renamed Association" in html and "Our Association" not in html

    membership = org.network_memberships.get()
    services.change_membership_status(membership, to="suspended", by=secretariat, reason="Dues unpaid")
    assert "Renamed Association" not in client.get(URL).content.decode()


def test_kept_results_vary_with_language_query_and_htmx(client, org, other_org):
    english = client.get(URL).content.decode()
    assert "Our Association" in english
    arabic = client.get("/ar/networks/uniw/members/").content.decode()
    assert 'lang="ar"' in arabic and arabic != english
    searched = client.get(URL, {"q": "zzzz-nothing"}).content.decode()
    assert "Our Association" not in searched
    partial = client.get(URL, headers={"HX-Request": "true"})
    assert not _rendered(partial)
    assert partial.content.decode() in english and "<html" not in partial.content.decode()


def test_signed_in_readers_are_not_served_kept_results(client_for, owner, org):
    reader = client_for(owner)
    assert _rendered(reader.get(URL))
    assert _rendered(reader.get(URL))
