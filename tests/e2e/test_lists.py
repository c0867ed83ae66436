"""A visitor in Arabic pages through the member directory and downloads it: the links the page
renders lead to page 2 and to a real CSV file (not the HTML page)."""

import re
from pathlib import Path

import pytest

from tests.network.factories import NetworkFactory, NetworkMembershipFactory, OrganisationFactory


@pytest.fixture
def long_directory(transactional_db):
    network = NetworkFactory(slug="uniw", name_en="Union of NGOs", name_ar="اتحاد المنظمات الأهلية")
    for number in range(30):  # more than one page of 25
        NetworkMembershipFactory(network=network, organisation=OrganisationFactory(slug=f"member-{number:02}"))
    return network


def test_a_visitor_pages_through_the_directory_and_downloads_it_in_arabic(page, long_directory):
    page.goto("/ar/networks/uniw/members/")
    first_page = page.locator("#results tbody tr").all_inner_texts()
    assert len(first_page) == 25

    page.locator("a[rel=next]").first.click()
    page.wait_for_url(re.compile(r"/ar/networks/uniw/members/\?page=2$"))
    second_page = page.locator("#results tbody tr").all_inner_texts()
    assert len(second_page) == 5 and not set(second_page) & set(first_page)

    with page.expect_download() as download_info:
        page.locator("a[href*='export=csv']").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    assert not content.lstrip().lower().startswith(("<!doctype", "<html"))
    assert len(content.splitlines()) == 31  # a header and the 30 members, whichever page was shown
