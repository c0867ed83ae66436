"""Where people find admission: the secretariat's header link, the profile's link, "apply" on a network's home."""

from tests.network.factories import MembershipFactory, OrganisationFactory


def test_the_secretariat_sees_the_applications_link_in_the_header(client, secretariat, owner, network):
    client.force_login(secretariat)
    assert 'href="/en/applications/"' in client.get("/en/").content.decode()
    client.force_login(owner)
    assert 'href="/en/applications/"' not in client.get("/en/").content.decode()
    client.logout()
    assert 'href="/en/applications/"' not in client.get("/en/").content.decode()


def test_the_profile_links_to_its_applications_for_owners_and_admins_only(client, org, owner, editor, outsider):
    link = f'href="/en/organisations/{org.slug}/applications/"'
    client.force_login(owner)
    assert link in client.get(f"/en/organisations/{org.slug}/").content.decode()
    for person in (editor, outsider):
        client.force_login(person)
        assert link not in client.get(f"/en/organisations/{org.slug}/").content.decode()


def test_an_owner_of_a_non_member_is_invited_to_apply_from_the_network_home(client, network, owner, outsider):
    candidate = OrganisationFactory(slug="candidate", name_en="Candidate Society")
    MembershipFactory(user=owner, organisation=candidate, role="admin")
    apply_link = f'href="/en/organisations/candidate/applications/?network={network.slug}"'

    client.force_login(owner)
    page = client.get(f"/en/networks/{network.slug}/").content.decode()
    assert apply_link in page and "Apply for membership" in page
    # Its member organisation ("ours") is not offered.
    assert "/organisations/ours/applications/" not in page
    form = client.get(f"/en/organisations/candidate/applications/?network={network.slug}").content.decode()
    assert f'value="{network.slug}" selected' in form

    client.force_login(outsider)
    assert "Apply for membership" not in client.get(f"/en/networks/{network.slug}/").content.decode()
    client.logout()
    assert "Apply for membership" not in client.get(f"/en/networks/{network.slug}/").content.decode()


def test_only_the_current_section_is_highlighted_in_the_header(client, secretariat, network, org):
    client.force_login(secretariat)
    html = client.get(f"/en/networks/{network.slug}/members/").content.decode()
    assert html.count('class="nav-link active"') == 1
    import re

    current = re.search(r'class="nav-link active" aria-current="page" href="([^"]+)"', html)
    assert current and current.group(1).endswith("/members/")


def test_the_secretariats_work_pages_are_in_the_manage_menu(client, secretariat, network, org):
    client.force_login(secretariat)
    html = client.get("/en/applications/").content.decode()
    menu = html.split('aria-labelledby="manage-menu"')[1].split("</ul>")[0]
    assert "/en/applications/" in menu and "/en/audit/" in menu and "/en/admin/" in menu
    # The menu's toggle shows where the reader is; the page's own link is marked current inside it.
    assert (
        'dropdown-toggle active" type="button" data-bs-toggle="dropdown" aria-expanded="false" id="manage-menu"' in html
    )
    assert 'class="dropdown-item active" aria-current="page" href="/en/applications/"' in html
    navbar = html.split('id="main-nav"')[1].split('id="manage-menu"')[0]
    assert 'href="/en/applications/"' not in navbar
