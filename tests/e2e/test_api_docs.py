"""The API reference renders in a real browser, under the site's CSP, with no internet."""

from __future__ import annotations

from tests.e2e.conftest import assert_page_healthy


def test_the_api_docs_render_their_operations_offline(page, live_server, db):
    elsewhere: list[str] = []

    def only_this_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:  # as on a machine with no internet
            elsewhere.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_this_server)
    page.goto("/api/v1/docs")
    operations = page.locator(".opblock")
    operations.first.wait_for()
    assert operations.count() > 10
    assert page.locator(".opblock-summary-path", has_text="/api/v1/").count() > 0
    assert page.locator("html").get_attribute("lang")
    assert not elsewhere, f"the docs page asked another host: {elsewhere}"
    assert_page_healthy(page)
