"""/api/v1/docs: Swagger UI from vendored files, nothing inline, nothing from another host."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

STATIC_URL = "/static/"


def test_the_api_docs_page_loads_only_same_origin_static_files_the_csp_allows(client, db):
    response = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="ms")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="ms" dir="ltr">', html)

    # No inline script (a JSON data block would be allowed, but there is none either) and no style.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html
    sources = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert sources, html
    for source in sources:
        assert source.startswith(STATIC_URL), f"{source} is not one of our static files"
        assert finders.find(source[len(STATIC_URL) :]), f"{source} is not shipped"
    assert any(s.endswith("vendor/swagger-ui/swagger-ui-bundle.js") for s in sources)
    assert any(s.endswith("tansiq/api-docs.js") for s in sources)
    assert 'data-openapi-url="/api/v1/openapi.json"' in html

    policy = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";") if directive
    )
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert "connect-src" in policy and "'self'" in policy["connect-src"]


def test_the_api_docs_page_follows_the_readers_language(client, db):
    html = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_the_boot_script_fetches_nothing_from_another_host():
    script = Path(finders.find("tansiq/api-docs.js")).read_text(encoding="utf-8")
    assert not re.search(r"https?://", script)
    assert "validatorUrl: null" in script
