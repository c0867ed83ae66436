"""A breadth-first crawler over the pages a persona can reach by following what the pages render.

It requests nothing it built itself: it starts from the home page of each language and follows
every same-site ``<a href>`` and ``<form method="get">`` action it finds, so a page or an app added
later is crawled as soon as something links to it. Long lists are sampled: at most
``per_pattern`` URLs per (URL pattern, query parameter names).

Every GET on the site is safe (it changes nothing), so nothing is skipped for fear of side effects;
the sign-out link leads to a confirmation page whose form posts.
"""

from __future__ import annotations

import re
import zipfile
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import polib
from django.urls import Resolver404, resolve

LANGUAGES = ("ar", "en", "ms")
# Same-site paths that are not under a language prefix, on purpose.
UNPREFIXED = ("/api/", "/healthz", "/i18n/", "/static/", "/media/")
LOCALE = Path(__file__).resolve().parent.parent / "tansiq" / "locale"
THIRD_PARTY = LOCALE.parent / "locale_thirdparty"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Latin-script words that may stand on an Arabic or Malay page: the product and the formats and
# standards it names, and the demo's own names. (Words the Arabic or Malay catalogue itself uses
# are allowed without being listed here.)
ALLOWED_WORDS = frozenset(
    [
        *("tansiq", "api", "csv", "xlsx", "hxl", "pdf", "json", "openapi", "swagger", "totp", "iso"),
        *("url", "http", "https", "www"),
        "english",  # the language menu names each language in itself
        *("city", "tell"),  # in place names of time zones: "Mexico City", "Tell City"
    ]
)
# Not read as page text: code; what a person typed (a textarea shows it back as written); the
# options of a select, which cannot isolate a name in <bdi> (organisations, time zones…).
SKIPPED_ELEMENTS = frozenset(
    {"script", "style", "noscript", "template", "code", "kbd", "samp", "pre", "svg", "title", "textarea", "option"}
)
# The back office (Django's admin) is checked like every page, except where it shows stored values
# as their authors wrote them, which it cannot isolate in <bdi>: the cells of a change list, the
# read-only values and the object's name in the breadcrumbs and the title of its own pages.
ADMIN = re.compile(r"^/[a-z]{2}/admin/")
ADMIN_OBJECT_PAGE = re.compile(r"^/[a-z]{2}/admin/.+/(change|history|delete)/$")
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Web and e-mail addresses are not words of any language.
ADDRESS = re.compile(r"\S+://\S+|\S+@\S+|\b[\w-]+(?:\.[\w-]+)+\.[a-z]{2,}\b")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


@dataclass
class Link:
    url: str
    source: str  # the page that rendered it
    kind: str = "a"  # "a" or "form"
    download: bool = False


class PageParser(HTMLParser):
    """Links, GET forms and the visible text (per element, with the language it is declared in)."""

    def __init__(self, page_language: str, search_term: str = "", path: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self._admin = bool(ADMIN.match(path))
        self._admin_object_page = bool(ADMIN_OBJECT_PAGE.match(path))
        self._search_term = search_term
        self._search_box = ""
        self.links: list[tuple[str, str, bool]] = []  # (href, kind, download)
        self.texts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped: hidden text or another language)
        self._page_language = page_language
        self._form: list[tuple[str, str]] | None = None
        self._form_action = ""

    def _skipped(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") is not None:
            self.links.append((attributes["href"], "a", "download" in attributes))
        if tag == "form" and (attributes.get("method") or "get").lower() == "get":
            self._form, self._form_action, self._search_box = [], attributes.get("action") or "", ""
        elif tag == "form":
            self._form = None
        if self._form is not None and tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self._form.append((attributes["name"], attributes.get("value") or ""))
        if self._form is not None and tag == "input" and attributes.get("type") == "search" and attributes.get("name"):
            self._search_box = attributes["name"]
        if tag in VOID_ELEMENTS:
            return
        language = (attributes.get("lang") or "")[:2]
        skipped = (
            self._skipped()
            or tag in SKIPPED_ELEMENTS
            or "hidden" in attributes
            or bool(language and language != self._page_language)
            or attributes.get("translate") == "no"
            # User text (names, titles) is isolated as the page shows it; it may be in any language.
            or tag == "bdi"
            or attributes.get("dir") == "auto"
            or (self._admin and self._stored_value(tag, attributes))
        )
        self._stack.append((tag, skipped))

    def _stored_value(self, tag: str, attributes: dict) -> bool:
        classes = (attributes.get("class") or "").split()
        return (
            (tag in ("td", "th") and any(name.startswith("field-") for name in classes))
            or "readonly" in classes
            or "breadcrumbs" in classes
            or (self._admin_object_page and tag in ("h1", "h2"))
        )

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            query = urlencode(self._form)
            self.links.append((self._form_action + ("?" + query if query else ""), "form", False))
            if self._search_box and self._search_term:  # and once with something to find
                query = urlencode([*self._form, (self._search_box, self._search_term)])
                self.links.append((self._form_action + "?" + query, "form", False))
            self._form = None
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data):
        if not self._skipped() and data.strip():
            self.texts.append(data)


@cache
def catalogue_words(language: str) -> frozenset[str]:
    """Lower-case Latin words of ``language``'s translations ("" = the English msgids of ours), with
    its country names: the words a page in that language may legitimately use."""
    words: set[str] = set()
    catalogues = [LOCALE / (language or "ms") / "LC_MESSAGES" / "django.po"]
    if language:
        catalogues.append(THIRD_PARTY / language / "LC_MESSAGES" / "django.po")
    for path in catalogues:
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            texts = [entry.msgstr, *entry.msgstr_plural.values()] if language else [entry.msgid, entry.msgid_plural]
            for text in texts:
                text = re.sub(r"%\([a-z_]+\)[sd]|\{[^}]*\}|<[^>]+>", " ", text or "")
                words.update(word.lower() for word in WORD.findall(text))
    if language:
        from django_countries import countries

        from tansiq.core.countries import country_name

        for code, _name in countries:
            words.update(word.lower() for word in WORD.findall(country_name(code, language)))
    return frozenset(words)


def english_words(text: str, page_language: str) -> list[str]:
    """Words of the English catalogue in ``text`` that the page's own catalogue does not use."""
    english = catalogue_words("")
    own = catalogue_words(page_language)
    found = []
    for word in WORD.findall(ADDRESS.sub(" ", text)):
        lower = word.lower()
        if len(lower) < 3 or lower in ALLOWED_WORDS or lower in own or lower not in english:
            continue
        found.append(word)
    return found


@dataclass
class Report:
    persona: str
    visited: int = 0
    pages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)


def page_language(path: str) -> str:
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in LANGUAGES else ""


def route_of(path: str) -> str:
    """The URL pattern, the same in every language (the sample is shared by the three)."""
    try:
        route = resolve(path).route
    except Resolver404:
        route = path
    return re.sub(r"^/?(?:ar|en|ms)/", "", route)


def query_names(query: str) -> str:
    return ",".join(sorted({name for name, _value in parse_qsl(query, keep_blank_values=True)}))


def export_format(url: str, download: bool) -> str:
    query = dict(parse_qsl(urlsplit(url).query))
    if "export" in query:
        return query["export"]
    path = urlsplit(url).path
    for suffix in ("csv", "xlsx", "hxl"):
        if path.endswith("." + suffix) or path.rstrip("/").endswith("/" + suffix):
            return suffix
    return "file" if download else ""


def body_of(response) -> bytes:
    """The whole body. A streaming one (a file) is read to the end: the test client then closes it,
    as it does every response (calling ``close()`` again would close the database connection)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def check_export(response, declared: str, body: bytes | None = None) -> str:
    """What is wrong with an export's response ("" when it is the declared file type)."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    body = body_of(response) if body is None else body
    if response.status_code != 200:
        return f"status {response.status_code}"
    if content_type == "text/html" or body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        return "an HTML page instead of a file"
    if declared == "xlsx":
        if content_type != XLSX:
            return f"Content-Type {content_type}"
        try:
            names = zipfile.ZipFile(BytesIO(body)).namelist()
        except zipfile.BadZipFile:
            return "not a ZIP (XLSX) file"
        return "" if "xl/workbook.xml" in names else "a ZIP without xl/workbook.xml"
    if declared in ("csv", "hxl"):
        if content_type != "text/csv":
            return f"Content-Type {content_type}"
        lines = body.decode("utf-8-sig").splitlines()
        if not lines or "," not in lines[0]:
            return "not comma-separated"
        if declared == "hxl" and not (len(lines) > 1 and lines[1].startswith("#")):
            return "no HXL hashtag row under the header"
    return ""


def crawl(client, persona: str, *, search_term: str = "", max_pages: int = 600, per_pattern: int = 3) -> Report:
    """Crawl as the client's user; ``search_term`` is typed into every search box met."""
    report = Report(persona)
    queue: deque[Link] = deque(Link(f"/{language}/", "(start)") for language in LANGUAGES)
    seen: set[str] = {link.url for link in queue}
    per: dict[str, int] = {}
    while queue and report.visited < max_pages:
        link = queue.popleft()
        parts = urlsplit(link.url)
        path_and_query = parts.path + ("?" + parts.query if parts.query else "")
        response = client.get(parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)))
        report.visited += 1
        report.pages.append(path_and_query)
        body = body_of(response)
        where = f"{persona}: {path_and_query} (linked from {link.source})"
        status = response.status_code
        if status >= 500:
            report.add(f"{where}: {status}")
            continue
        if status in (403, 404, 405, 410):
            report.add(f"{where}: {status}")
            continue
        declared = export_format(link.url, link.download)
        if declared:
            problem = check_export(response, declared, body)
            if problem:
                report.add(f"{where}: export {declared}: {problem}")
            continue
        if status in (301, 302, 303, 307, 308):
            # Followed like a link (a visitor sent to sign in is fine), and held to the same rules.
            target = urlsplit(urljoin(link.url, response["Location"]))
            local = target._replace(scheme="", netloc="").geturl()
            if target.netloc not in ("", "testserver") or local in seen:
                continue
            if not page_language(target.path) and not target.path.startswith(UNPREFIXED):
                report.add(f"{where}: redirects to {local!r} (no language prefix)")
                continue
            seen.add(local)
            queue.append(Link(local, path_and_query))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        language = page_language(parts.path)
        parser = PageParser(language, search_term, parts.path)
        parser.feed(body.decode("utf-8"))
        if language in ("ar", "ms"):
            for text in parser.texts:
                if english_words(text, language):
                    report.add(f"{persona}: English on {path_and_query}: {' '.join(text.split())[:120]!r}")
        for href, kind, download in parser.links:
            if href.startswith(("mailto:", "tel:", "javascript:", "#", "data:")):
                continue
            if "??" in href:
                report.add(f"{persona}: {path_and_query} links to {href!r} (a doubled '?')")
                continue
            absolute = urljoin(parts.path + ("?" + parts.query if parts.query else ""), href)
            target = urlsplit(absolute)
            if target.netloc not in ("", "testserver") or target.path.startswith(("/static/", "/media/")):
                continue
            if not page_language(target.path) and not target.path.startswith(UNPREFIXED):
                report.add(f"{persona}: {path_and_query} links to {href!r} (no language prefix)")
                continue
            url = target._replace(scheme="", netloc="", fragment="").geturl()
            if url in seen:
                continue
            seen.add(url)
            if not export_format(url, download):
                # Sampling: a few URLs per URL pattern and set of query parameters, and a few such
                # sets per pattern (a list's filters and orderings multiply otherwise).
                route = route_of(target.path)
                key = route + "?" + query_names(target.query)
                if key not in per:
                    per[route] = per.get(route, 0) + 1
                per[key] = per.get(key, 0) + 1
                # The back office is Django's admin, the same code for every model: one of each.
                limit = 1 if route.startswith("admin/") else per_pattern
                if per[key] > limit or per[route] > limit * 2:
                    continue
            queue.append(Link(url, path_and_query, kind, download))
    return report
