"""Every link and GET form a page renders works, for every persona, in every language.

The crawler (tests/crawler.py) follows what the pages render, breadth-first from /ar/, /en/ and
/ms/, on the demo network; it fails on a server error, a 403 or 404 behind a rendered link, a
``??`` or unprefixed link, an export that is not the file it declares, and English words on an
Arabic or Malay page.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.crawler import crawl
from tests.factories import UserFactory
from tests.helpers import with_mfa

DEMO = "demo.tansiq.org"
PERSONAS = {
    "visitor": None,
    "no organisation": "new",
    "owner of a member": "fatimah.zahra",  # owner of a Tunisian member of the union
    "unit admin": "aylin.demir",  # admin of the union's Turkish representation
    "secretariat": "secretariat",
    "volunteer": "volunteer",  # the demo volunteer with the most approved hours, bookings and certificates
}


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for name in ("secretariat", "analyst", "verifier", "judge"):
        Group.objects.get_or_create(name=name)
    call_command("load_demo", stdout=io.StringIO())


def persona_user(who):
    from tansiq.accounts.models import User

    if who is None:
        return None
    if who == "new":
        return UserFactory(display_name="Zainab Othman", language="ms")
    if who == "volunteer":
        from django.db.models import Count

        return (
            User.objects.filter(volunteer_profile__isnull=False, email__endswith=f"@{DEMO}")
            .annotate(entries=Count("volunteer_profile__hours_entries"))
            .order_by("-entries", "pk")
            .first()
        )
    user = User.objects.get(email=f"{who}@{DEMO}")
    return with_mfa(user) if user.is_staff else user


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_rendered_link_works(demo, client, persona):
    user = persona_user(PERSONAS[persona])
    if user is not None:
        client.force_login(user)
    # An Arabic word: the results on Malay and English pages must still be named in their language.
    report = crawl(client, persona, search_term="جمعية")
    print(f"{persona}: {report.visited} pages", *report.pages, sep="\n  ")
    assert report.visited > 20, f"{persona}: only {report.visited} pages reached"
    if user is not None:
        # "My organisations" and registering one are reached by links (the account menu, the home page).
        for page in ("organisations/", "organisations/register/"):
            assert any(path.endswith(f"/{page}") for path in report.pages), f"{persona}: {page} not reached"
    assert not report.problems, f"{len(report.problems)} problems in {report.visited} pages:\n" + "\n".join(
        report.problems
    )


class PagesOnly:
    """A client that serves fixed responses, to check what the crawler reports."""

    def __init__(self, pages: dict) -> None:
        self.pages = pages
        self.asked: list[str] = []

    def get(self, path, query=None):
        from django.http import HttpResponse, HttpResponseNotFound, HttpResponseRedirect

        self.asked.append(path)
        found = self.pages.get(path)
        if found is None:
            return HttpResponseNotFound("missing")
        if isinstance(found, tuple) and found[0] == "redirect":
            return HttpResponseRedirect(found[1])
        body, content_type = found if isinstance(found, tuple) else (found, "text/html; charset=utf-8")
        return HttpResponse(body, content_type=content_type)


def test_the_crawler_reports_each_kind_of_defect(db):
    home = """<html lang="ar"><body><h1>الرئيسية</h1>
      <a href="??page=2">التالي</a> <a href="/about/">عن</a> <a href="/ar/gone/">قديم</a>
      <a href="/ar/old/">قديم</a> <a href="/ar/list/?export=csv" download>CSV</a>
      <a href="/ar/list/?export=xlsx" download>XLSX</a>
      <a href="/ar/list/?export=hxl" download>HXL</a> <a href="https://example.org/">خارج</a>
      <p>Members of the network</p> <p><bdi>Members Trust</bdi> <span dir="auto">Save</span></p>
      <form method="get" action="/ar/search/"><input type="hidden" name="kind" value="x"></form>
      <a href="/ar/admin/">الإدارة</a> <a href="/ar/admin/things/thing/1/change/">شيء</a>
    </body></html>"""
    # The back office: its own labels are checked, what it shows of stored values is not.
    admin_list = """<html lang="ar"><body><h1>Task Results</h1><table><tr><th class="field-name">Monthly export</th>
      <td class="field-acronym">CAN</td></tr></table></body></html>"""
    admin_object = """<html lang="ar"><body><div class="breadcrumbs">› Monthly export</div><h2>Monthly export</h2>
      <div class="readonly">The statute's conditions are met.</div><label>Queue name:</label></body></html>"""
    client = PagesOnly(
        {
            "/ar/": home,
            "/en/": "<html lang='en'><p>Members</p></html>",
            "/ms/": "<html lang='ms'><p>Ahli</p></html>",
            "/ar/list/": ("<!DOCTYPE html><html></html>", "text/html"),
            "/ar/search/": "<html lang='ar'><p>بحث</p></html>",
            "/ar/old/": ("redirect", "/new/"),
            "/ar/admin/": admin_list,
            "/ar/admin/things/thing/1/change/": admin_object,
        }
    )
    problems = "\n".join(crawl(client, "tester").problems)
    assert "'??page=2' (a doubled '?')" in problems
    assert "'/about/' (no language prefix)" in problems
    assert "/ar/gone/ (linked from /ar/): 404" in problems
    assert "/ar/old/ (linked from /ar/): redirects to '/new/' (no language prefix)" in problems
    assert "export csv: an HTML page instead of a file" in problems
    assert "export xlsx: an HTML page instead of a file" in problems
    assert "English on /ar/: 'Members of the network'" in problems
    assert "Trust" not in problems and "Save" not in problems  # isolated user text is not judged
    assert "English on /ar/admin/: 'Task Results'" in problems
    assert "English on /ar/admin/things/thing/1/change/: 'Queue name:'" in problems
    assert not any(word in problems for word in ("Monthly", "CAN", "statute"))
    assert "/ms/" not in problems and "/en/: " not in problems
    assert "/ar/search/" in client.asked  # the GET form was submitted
    assert not any("example.org" in path for path in client.asked)


def test_an_export_is_checked_by_type_and_content():
    from django.http import HttpResponse

    from tests.crawler import XLSX, check_export

    assert check_export(HttpResponse("a,b\n1,2\n", content_type="text/csv"), "csv") == ""
    assert check_export(HttpResponse("a,b\n#x,#y\n", content_type="text/csv"), "hxl") == ""
    assert check_export(HttpResponse("a,b\n1,2\n", content_type="text/csv"), "hxl") == (
        "no HXL hashtag row under the header"
    )
    assert check_export(HttpResponse(b"PK\x03\x04 nonsense", content_type=XLSX), "xlsx") == "not a ZIP (XLSX) file"
    assert (
        check_export(HttpResponse("a,b\n", content_type="application/json"), "csv") == "Content-Type application/json"
    )
