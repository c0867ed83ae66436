"""Bringing a member list in from CSV or XLSX: read, check every row, then apply all of it or nothing.

Reading and checking (``read_table``, ``plan_import``) never write. ``import_members`` re-reads the
same file, checks it again against the registry as it is now, and applies it in one transaction: an
import with a single error changes nothing.

Headers may be written in Arabic, English or Malay; CSV may be UTF-8 (with or without BOM) or
Windows-1256, separated by commas, semicolons or tabs. Cells are only ever read as text: a cell
that looks like a formula (``=cmd``) is kept as the text it is, never evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

import rules
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from tansiq.core import audit
from tansiq.core.countries import vendored_names as vendored_country_names
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.forms import strip_bidi_controls
from tansiq.core.models import AuditEntry
from tansiq.core.rules import is_secretariat, require
from tansiq.core.search.tasks import refresh_documents
from tansiq.core.tasks import background
from tansiq.network.caching import forget_directory_searches, forget_network_stats
from tansiq.network.models import Contact, FocusArea, Network, NetworkMembership, Organisation
from tansiq.network.search import KIND
from tansiq.network.services.registry import slug_base

rules.set_perm("network.import_members", rules.is_authenticated & is_secretariat)

MAX_ROWS = 20_000
LANGUAGES = ("ar", "en", "ms")
# Several focus areas in one cell: semicolons, the Arabic comma, commas or vertical bars.
LIST_SEPARATORS = re.compile(r"[;؛،,|]")  # Latin and Arabic semicolons and commas, bars
DELIMITERS = (",", ";", "\t")


class ImportFileError(TansiqError):
    """The file as a whole cannot be read (encoding, format, columns); no row is looked at."""


# Header synonyms per field, in the three languages. Matching ignores case, spaces, punctuation and
# Arabic diacritics and letter variants (see ``normalise``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "legal_name": (
        "legal name", "registered name", "official name",
        "الاسم القانوني", "الاسم الرسمي", "الاسم المسجل",
        "nama sah", "nama berdaftar", "nama rasmi",
    ),
    "name_ar": (
        "display name ar", "display name arabic", "name ar", "arabic name", "name in arabic",
        "الاسم بالعربية", "الاسم العربي", "اسم العرض بالعربية",
        "nama arab", "nama dalam bahasa arab", "nama paparan arab",
    ),
    "name_en": (
        "display name en", "display name english", "name en", "english name", "name in english",
        "الاسم بالإنجليزية", "الاسم الإنجليزي", "اسم العرض بالإنجليزية",
        "nama inggeris", "nama dalam bahasa inggeris", "nama paparan inggeris",
    ),
    "name_ms": (
        "display name ms", "display name malay", "name ms", "malay name", "name in malay",
        "الاسم بالملايوية", "الاسم بالماليزية", "اسم العرض بالملايوية",
        "nama melayu", "nama dalam bahasa melayu", "nama paparan melayu", "nama paparan",
    ),
    "acronym": ("acronym", "abbreviation", "short name", "الاختصار", "الاسم المختصر", "akronim", "singkatan"),
    "type": (
        "type", "organisation type", "organization type",
        "النوع", "نوع المنظمة", "نوع الجهة",
        "jenis", "jenis organisasi", "jenis pertubuhan",
    ),
    "country": ("country", "country code", "الدولة", "البلد", "رمز الدولة", "negara", "kod negara"),
    "city": ("city", "town", "المدينة", "bandar", "bandaraya"),
    "website": ("website", "web site", "url", "الموقع الإلكتروني", "الموقع", "laman web", "laman sesawang"),
    "year_founded": (
        "year founded", "founded", "year of foundation", "سنة التأسيس", "تاريخ التأسيس",
        "tahun ditubuhkan", "tahun penubuhan",
    ),
    "registration_number": (
        "registration number", "registration no", "reg no", "رقم التسجيل", "رقم الترخيص",
        "nombor pendaftaran", "no pendaftaran",
    ),
    "slug": ("slug", "short name in addresses", "المعرف", "المعرف في الروابط", "pengenal", "slug alamat"),
    "focus_areas": (
        "focus areas", "focus area", "sectors", "مجالات العمل", "مجالات التركيز", "bidang tumpuan", "bidang",
    ),
    "category": (
        "category", "member category", "membership category", "فئة العضوية", "الفئة",
        "kategori", "kategori keahlian",
    ),
    "contact_email": (
        "email", "e-mail", "contact email", "email of contact", "البريد الإلكتروني", "بريد التواصل",
        "e-mel", "emel", "e-mel hubungan",
    ),
}  # fmt: skip
REQUIRED = ("legal_name", "country")
MAX_LENGTHS = {
    "legal_name": 300,
    "name_ar": 300,
    "name_en": 300,
    "name_ms": 300,
    "acronym": 30,
    "city": 120,
    "registration_number": 80,
    "slug": 80,
    "website": 200,
}
# What a row may change on an organisation; an empty cell leaves the field as it is.
ORGANISATION_FIELDS = (
    "legal_name",
    "name_ar",
    "name_en",
    "name_ms",
    "acronym",
    "type",
    "country",
    "city",
    "website",
    "year_founded",
    "registration_number",
)

_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alef, tatweel
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_NOT_WORD = re.compile(r"[^\w]+")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c]")


def normalise(text: str) -> str:
    """A key for comparing names and headers typed by people in three scripts."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", str(text))).casefold()
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    return " ".join(_NOT_WORD.sub(" ", text).split())


_HEADERS = {normalise(synonym): name for name, synonyms in COLUMNS.items() for synonym in synonyms}


def field_label(name: str) -> str:
    labels = {
        "legal_name": _("Legal name"),
        "name_ar": _("Display name (Arabic)"),
        "name_en": _("Display name (English)"),
        "name_ms": _("Display name (Malay)"),
        "acronym": _("Acronym"),
        "type": _("Type"),
        "country": _("Country"),
        "city": _("City"),
        "website": _("Website"),
        "year_founded": _("Year founded"),
        "registration_number": _("Registration number"),
        "slug": _("Short name in addresses"),
        "focus_areas": _("Focus areas"),
        "category": _("Category"),
        "contact_email": _("Contact e-mail address"),
    }
    return labels[name]


# Reading the file ----------------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    # (row number as the spreadsheet shows it, cells as text)
    rows: list[tuple[int, list[str]]]


def read_table(content: bytes, filename: str) -> Table:
    """The header and rows of a CSV or XLSX file, judged by its content, not only by its name."""
    if not content or not content.strip():
        raise ImportFileError(_("The file is empty."), code="empty")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    is_zip = content[:4] == b"PK\x03\x04"
    if extension == "xlsx":
        if not is_zip:
            raise ImportFileError(
                _("This file is not an Excel workbook (XLSX), whatever its name says. Save it again as XLSX or CSV."),
                code="not_xlsx",
            )
        return _read_xlsx(content)
    if extension in ("csv", "txt", "tsv"):
        if is_zip:
            raise ImportFileError(
                _("This file is a workbook, not a CSV file. Give it the .xlsx extension or save it as CSV."),
                code="not_csv",
            )
        return _read_csv(content)
    raise ImportFileError(_("Upload a CSV or XLSX file."), code="file_type")


def _decode(content: bytes) -> str:
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportFileError(
            _("This file is saved as UTF-16. Save it as CSV UTF-8 and upload it again."), code="encoding"
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Windows-1256 (Arabic Windows, older Excel) gives every byte a meaning, so a binary file would
    # decode too: control characters that no text file holds betray it.
    text = content.decode("cp1256", errors="replace")
    if "\ufffd" in text or re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise ImportFileError(
            _(
                "The file's characters cannot be read. Save it as CSV UTF-8 (or as an Excel workbook) "
                "and upload it again."
            ),
            code="encoding",
        )
    return text


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(content: bytes) -> Table:
    text = _decode(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        records = [[cell.strip() for cell in record] for record in reader]
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)s.") % {"line": reader.line_num}, code="malformed"
        ) from error
    return _table(records)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        # Formulas are read as the text that was typed (data_only=False), never computed.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        records = []
        for record in sheet.iter_rows(values_only=True):
            records.append([_cell_text(cell) for cell in record])
            if len(records) > MAX_ROWS + 1:
                break
        workbook.close()
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, OSError) as error:
        raise ImportFileError(
            _("This Excel workbook cannot be read. Open it, save it again as XLSX or CSV, and upload it again."),
            code="not_xlsx",
        ) from error
    return _table(records)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _table(records: list[list[str]]) -> Table:
    numbered = [(number, record) for number, record in enumerate(records, start=1) if any(record)]
    if not numbered:
        raise ImportFileError(_("The file is empty."), code="empty")
    (_number, headers), rows = numbered[0], numbered[1:]
    if not rows:
        raise ImportFileError(_("The file has a header row but no organisations below it."), code="no_rows")
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(limit)s rows. Split it into smaller files.") % {"limit": f"{MAX_ROWS:,}"},
            code="too_many_rows",
        )
    return Table(headers=[str(header).strip() for header in headers], rows=rows)


def map_columns(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which column holds which field, and the headers that match none (ignored)."""
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        name = _HEADERS.get(normalise(header))
        if name is None:
            if header:
                ignored.append(header)
            continue
        if name in found:
            raise ImportFileError(
                _('Two columns ("%(first)s" and "%(second)s") both give the %(field)s. Keep only one of them.')
                % {"first": headers[found[name]], "second": header, "field": field_label(name)},
                code="duplicate_column",
            )
        found[name] = index
    missing = [field_label(name) for name in REQUIRED if name not in found]
    if missing:
        raise ImportFileError(
            _("The file has no column for: %(fields)s. Add it (in Arabic, English or Malay) and upload again.")
            % {"fields": ", ".join(missing)},
            code="missing_column",
        )
    return found, ignored


# Checking the rows -------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PlannedRow:
    number: int
    values: dict
    action: str = "create"  # create, update or unchanged
    organisation: Organisation | None = None
    changes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "errors": len(self.errors),
        }


class _Lookups:
    """Accepted values, each reachable by any of its names in the three languages."""

    def __init__(self) -> None:
        self.countries = country_lookup()
        self.types = _choice_lookup(Organisation.Type)
        self.categories = _choice_lookup(NetworkMembership.Category)
        self.focus_areas: dict[str, int] = {}
        for area in FocusArea.objects.only("pk", "slug", *(f"name_{code}" for code in LANGUAGES)):
            for name in (area.slug, *(getattr(area, f"name_{code}") for code in LANGUAGES)):
                if name:
                    self.focus_areas.setdefault(normalise(name), area.pk)


def country_lookup() -> dict[str, str]:
    found: dict[str, str] = {}
    for code in LANGUAGES:
        with translation.override(code):
            for alpha2, name in countries:
                found.setdefault(normalise(name), alpha2)
    for code in ("ar", "ms"):
        for alpha2, name in vendored_country_names(code).items():
            found.setdefault(normalise(name), alpha2)
    for alpha2, _name in countries:
        found[normalise(alpha2)] = alpha2
    return found


def _choice_lookup(choices) -> dict[str, str]:
    found = {normalise(value): value for value in choices.values}
    for code in LANGUAGES:
        with translation.override(code):
            for value, label in choices.choices:
                found.setdefault(normalise(str(label)), value)
    return found


_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")


def _clean_row(number: int, cells: list[str], columns: dict[str, int], lookups: _Lookups, errors: list[RowError]):
    values: dict = {}

    def error(name: str, message: str) -> None:
        errors.append(RowError(row=number, column=field_label(name), message=message))

    for name, index in columns.items():
        # Bidi override/isolate controls go, as in the forms (they can make a name display as another).
        raw = strip_bidi_controls(cells[index]).strip() if index < len(cells) else ""
        if not raw:
            continue
        if len(raw) > MAX_LENGTHS.get(name, 1000):
            error(name, _("Too long: at most %(limit)s characters.") % {"limit": MAX_LENGTHS.get(name, 1000)})
            continue
        values[name] = raw
    for name in REQUIRED:
        if name not in values and not any(e.row == number and e.column == field_label(name) for e in errors):
            error(name, _("This cell is required."))
    for name, lookup, choices in (
        ("country", lookups.countries, None),
        ("type", lookups.types, Organisation.Type),
        ("category", lookups.categories, NetworkMembership.Category),
    ):
        if name in values:
            found = lookup.get(normalise(values[name]))
            if found is None:
                error(name, _unknown(name, values[name], choices))
            values[name] = found
    if "year_founded" in values:
        year = values["year_founded"]
        if not year.isdigit() or not 1800 <= int(year) <= timezone.localdate().year:
            error("year_founded", _('"%(value)s" is not a year of foundation (e.g. 1998).') % {"value": year})
            values["year_founded"] = None
        else:
            values["year_founded"] = int(year)
    if "website" in values:
        website = values["website"]
        if "://" not in website:
            website = "https://" + website
        try:
            _url(website)
            values["website"] = website
        except ValidationError:
            error("website", _('"%(value)s" is not a web address.') % {"value": values["website"]})
    if "contact_email" in values:
        values["contact_email"] = values["contact_email"].lower()
        try:
            _email(values["contact_email"])
        except ValidationError:
            error("contact_email", _('"%(value)s" is not an e-mail address.') % {"value": values["contact_email"]})
    if "slug" in values and slugify(values["slug"]) != values["slug"]:
        error("slug", _("Use only lower-case Latin letters, digits and hyphens."))
    if "focus_areas" in values:
        areas = []
        for part in LIST_SEPARATORS.split(values["focus_areas"]):
            if part.strip():
                pk = lookups.focus_areas.get(normalise(part))
                if pk is None:
                    error("focus_areas", _('Unknown focus area "%(value)s".') % {"value": part.strip()})
                else:
                    areas.append(pk)
        values["focus_areas"] = sorted(set(areas))
    return values


def _unknown(name: str, value: str, choices) -> str:
    if choices is None:
        return _('Unknown country "%(value)s". Write its name or its two-letter code.') % {"value": value}
    accepted = ", ".join(str(label) for label in choices.labels)
    if name == "type":
        return _('Unknown type "%(value)s". Accepted: %(accepted)s.') % {"value": value, "accepted": accepted}
    return _('Unknown member category "%(value)s". Accepted: %(accepted)s.') % {"value": value, "accepted": accepted}


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_import(network: Network, table: Table) -> Plan:
    """Check every row and say, for each, whether it creates, updates or leaves an organisation as it is.

    Raises ``ImportFileError`` when the columns are wrong; row problems are collected in ``errors``.
    """
    columns, ignored = map_columns(table.headers)
    lookups = _Lookups()
    plan = Plan(ignored_columns=ignored)
    seen: dict[tuple[str, str], int] = {}
    for number, cells in table.rows:
        before = len(plan.errors)
        values = _clean_row(number, cells, columns, lookups, plan.errors)
        for key in _identity_keys(values):
            if key in seen:
                plan.errors.append(
                    RowError(
                        row=number,
                        column=field_label(key[0]),
                        message=_("The same organisation is already on row %(row)s.") % {"row": seen[key]},
                    )
                )
                break
        for key in _identity_keys(values):
            seen.setdefault(key, number)
        if len(plan.errors) == before:
            plan.rows.append(PlannedRow(number=number, values=values))
    _match(network, plan)
    return plan


def _identity_keys(values: dict) -> list[tuple[str, str]]:
    keys = []
    if values.get("registration_number"):
        keys.append(("registration_number", normalise(values["registration_number"])))
    if values.get("slug"):
        keys.append(("slug", values["slug"]))
    if values.get("legal_name") and values.get("country"):
        keys.append(("legal_name", f"{normalise(values['legal_name'])}|{values['country']}"))
    return keys


def _match(network: Network, plan: Plan) -> None:
    """Find the organisations the rows update: by registration number, else by short name (slug)."""
    numbers = sorted({row.values["registration_number"] for row in plan.rows if row.values.get("registration_number")})
    slugs = sorted({row.values["slug"] for row in plan.rows if row.values.get("slug")})
    by_number: dict[str, list[int]] = {}
    for chunk in _chunks(numbers):
        for pk, number in Organisation.objects.filter(registration_number__in=chunk).values_list(
            "pk", "registration_number"
        ):
            by_number.setdefault(number, []).append(pk)
    by_slug: dict[str, int] = {}
    for chunk in _chunks(slugs):
        by_slug.update(Organisation.objects.filter(slug__in=chunk).values_list("slug", "pk"))

    wanted: dict[int, PlannedRow] = {}
    for row in list(plan.rows):
        number, slug = row.values.get("registration_number"), row.values.get("slug")
        found = by_number.get(number, []) if number else []
        if len(found) > 1:
            plan.errors.append(
                RowError(
                    row.number,
                    field_label("registration_number"),
                    _("Several organisations have this registration number; give the short name (slug) instead."),
                )
            )
            plan.rows.remove(row)
            continue
        pk = found[0] if found else None
        if slug and slug in by_slug:
            if pk is not None and pk != by_slug[slug]:
                plan.errors.append(
                    RowError(
                        row.number,
                        field_label("slug"),
                        _("The registration number and the short name belong to two different organisations."),
                    )
                )
                plan.rows.remove(row)
                continue
            pk = by_slug[slug]
        if pk is not None:
            if pk in wanted:
                plan.errors.append(
                    RowError(
                        row.number,
                        field_label("legal_name"),
                        _("The same organisation is already on row %(row)s.") % {"row": wanted[pk].number},
                    )
                )
                plan.rows.remove(row)
                continue
            wanted[pk] = row

    pks = list(wanted)
    organisations: dict[int, Organisation] = {}
    areas: dict[int, set[int]] = {}
    emails: dict[int, set[str]] = {}
    memberships: dict[int, NetworkMembership] = {}
    for chunk in _chunks(pks):
        organisations.update(Organisation.objects.in_bulk(chunk))
        for organisation_id, area_id in Organisation.focus_areas.through.objects.filter(
            organisation_id__in=chunk
        ).values_list("organisation_id", "focusarea_id"):
            areas.setdefault(organisation_id, set()).add(area_id)
        for organisation_id, email in Contact.objects.filter(organisation_id__in=chunk).values_list(
            "organisation_id", "email"
        ):
            emails.setdefault(organisation_id, set()).add(email.lower())
        for membership in NetworkMembership.objects.filter(network=network, organisation_id__in=chunk):
            memberships[membership.organisation_id] = membership
    for pk, row in wanted.items():
        organisation = organisations[pk]
        row.organisation = organisation
        changes = [
            name
            for name in ORGANISATION_FIELDS
            if name in row.values and row.values[name] != _current(organisation, name)
        ]
        if "focus_areas" in row.values and set(row.values["focus_areas"]) != areas.get(pk, set()):
            changes.append("focus_areas")
        if "contact_email" in row.values and row.values["contact_email"] not in emails.get(pk, set()):
            changes.append("contact_email")
        membership = memberships.get(pk)
        if membership is None:
            changes.append("membership")
        elif row.values.get("category") and row.values["category"] != membership.category:
            changes.append("category")
        row.changes = changes
        row.action = "update" if changes else "unchanged"


def _current(organisation: Organisation, name: str):
    value = getattr(organisation, name)
    if name == "country":
        return value.code if value else ""
    return value


# Applying ---------------------------------------------------------------------------------------


def dry_run(network: Network, *, content: bytes, filename: str) -> Plan:
    """Everything an import would do, without doing it."""
    return plan_import(network, read_table(content, filename))


def import_members(network: Network, *, by, content: bytes, filename: str, token: str, progress=None) -> Plan:
    """The secretariat imports a member list: all rows or none, in one transaction, with one audit entry.

    ``token`` names this upload; confirming the same upload twice imports it once.
    Raises ``ImportFileError`` (unreadable file), ``TansiqError`` (rows with errors, nothing changed)
    or ``Conflict`` (already imported). ``progress(step, done, total)`` hears how far it got.

    Reading and checking the rows (seconds for a large file) happen before the write transaction
    opens, so the database's write lock (SQLite has one for the whole file) is held only while the
    rows are written. Inside, a fingerprint of what the check read says whether the registry changed
    meanwhile; if it did, the rows are checked again (docs/decisions/0028-member-import-in-the-background.md).
    """
    require(by, "network.import_members", network)
    step = progress or (lambda *args: None)
    table = read_table(content, filename)
    step("check", 0, len(table.rows))
    for _attempt in range(3):
        seen = _registry_state(network)
        plan = _checked_plan(network, table, token)
        # On SQLite, even the new rows' statements are built before the lock is taken, with the ids
        # they will get (the fingerprint below makes sure nobody took them meanwhile).
        prepared = _prepare(network, plan, first_pk=(seen[0][1] or 0) + 1) if _one_writer() else None
        step("write", len(table.rows), len(table.rows))
        with transaction.atomic():
            if _registry_state(network) != seen:
                continue  # someone changed the registry meanwhile: check again (the lock is released)
            if network_import_done(network, token):
                raise Conflict(_("This file has already been imported."), code="already_imported")
            _write(network, plan, by=by, filename=filename, token=token, prepared=prepared)
            return plan
    # The registry kept changing under us: check while holding the lock, as a last resort.
    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).first()
        plan = _checked_plan(network, table, token)
        _write(network, plan, by=by, filename=filename, token=token)
    return plan


def _checked_plan(network: Network, table: Table, token: str) -> Plan:
    if network_import_done(network, token):
        raise Conflict(_("This file has already been imported."), code="already_imported")
    plan = plan_import(network, table)
    if plan.errors:
        raise TansiqError(
            _("The file has %(count)s errors; nothing was imported.") % {"count": len(plan.errors)},
            code="rows_invalid",
        )
    return plan


def _one_writer() -> bool:
    """SQLite: one write lock for the whole database, so the time it is held is what matters."""
    from django.db import connection

    return connection.vendor == "sqlite"


def _write(network: Network, plan: Plan, *, by, filename: str, token: str, prepared=None) -> None:
    # One import at a time per network (PostgreSQL; SQLite's write lock already serialises them).
    Network.objects.select_for_update().filter(pk=network.pk).first()
    if prepared is None:
        _apply(network, plan)
    else:
        for statement in prepared:
            statement()
    transaction.on_commit(partial(_after_import, network, plan))
    audit.record(
        "update",
        by=by,
        obj=network,
        changes={"import_members": {**plan.summary, "file": filename[:200], "upload": token}},
    )


def _registry_state(network: Network) -> tuple:
    """What ``plan_import`` read, summed up: counts, the newest ids and the sums of the versions that
    every change of an organisation or contact increments, and this network's memberships."""
    from django.db.models import Count, Max, Sum

    def summary(queryset, *versioned) -> tuple:
        extra = {"versions": Sum("version")} if versioned else {}
        return tuple(queryset.aggregate(count=Count("pk"), newest=Max("pk"), **extra).values())

    return (
        summary(Organisation.objects.all(), True),
        summary(Contact.objects.all(), True),
        summary(Organisation.focus_areas.through.objects.all()),
        summary(FocusArea.objects.all()),
        tuple(NetworkMembership.objects.filter(network=network).order_by("pk").values_list("pk", "category")),
    )


JOB_KIND = "network.import_members"
UPLOAD_DIR = "imports"
KEEP_UPLOADS = dt.timedelta(days=1)


@background()
def run_member_import(job_id: str) -> None:
    """The confirmed import, in the background; its page polls the job for progress."""
    from tansiq.core import jobs

    jobs.run(job_id, _import_job)


def _import_job(job, progress) -> dict:
    from tansiq.network.documents import private_storage

    arguments = job.arguments
    storage = private_storage()
    try:
        network = Network.objects.get(pk=arguments["network"])
        if not storage.exists(arguments["path"]):
            raise TansiqError(_("The uploaded file is no longer there. Upload it again."), code="upload_gone")
        with storage.open(arguments["path"], "rb") as file:
            content = file.read()
        plan = import_members(
            network,
            by=job.owner,
            content=content,
            filename=arguments["filename"],
            token=arguments["token"],
            progress=progress,
        )
    finally:
        storage.delete(arguments["path"])  # used once, whatever happened
    return plan.summary


@background()
def delete_stale_uploads() -> int:
    """The daily job: member lists uploaded more than a day ago and never confirmed are deleted."""
    from tansiq.network.documents import private_storage

    storage = private_storage()
    try:
        _dirs, names = storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - KEEP_UPLOADS
    stale = [name for name in names if storage.get_modified_time(f"{UPLOAD_DIR}/{name}") < cutoff]
    for name in stale:
        storage.delete(f"{UPLOAD_DIR}/{name}")
    return len(stale)


REFRESH_CHUNK = 1000


def _after_import(network: Network, plan: Plan) -> None:
    """The bulk writes sent no signals: the figures, the directory's kept searches and the search
    index learn of the imported organisations here, once the import is committed."""

    forget_network_stats(network)
    forget_directory_searches()
    ids = sorted({str(row.organisation.pk) for row in plan.rows if getattr(row, "organisation", None) is not None})
    for start in range(0, len(ids), REFRESH_CHUNK):
        refresh_documents.enqueue(KIND, ids[start : start + REFRESH_CHUNK])


def network_import_done(network: Network, token: str) -> bool:

    return AuditEntry.objects.filter(
        object_id=str(network.pk), changes__import_members__upload=token, content_type__model="network"
    ).exists()


def _apply(network: Network, plan: Plan) -> None:
    """Write the plan now (inside the caller's transaction)."""
    for statement in _prepare(network, plan):
        statement()


def _prepare(network: Network, plan: Plan, *, first_pk: int | None = None) -> list:
    """The plan's writes, as functions to call in order inside the write transaction.

    Without ``first_pk`` the new organisations are inserted while this runs (their ids come from
    the database). With it they get the ids ``first_pk``, ``first_pk + 1`` … and every insert is
    compiled to SQL here, so that the transaction only executes statements."""
    today = timezone.localdate()
    now = timezone.now()
    later: list = []
    insert = partial(_compiled_insert, later) if first_pk is not None else _bulk_insert
    new_rows = [row for row in plan.rows if row.action == "create"]
    slugs = _SlugMaker()
    slugs.reserve(row.values["slug"] for row in new_rows if row.values.get("slug"))
    created = []
    for row in new_rows:
        values = row.values
        if not any(values.get(f"name_{code}") for code in LANGUAGES):
            # No display name given: show the legal name, in the language its script says.
            script = "ar" if _ARABIC_SCRIPT.search(values["legal_name"]) else "en"
            values[f"name_{script}"] = values["legal_name"]
        organisation = Organisation(
            slug=values.get("slug") or slugs.make(values),
            **{name: values[name] for name in ORGANISATION_FIELDS if name in values},
        )
        if first_pk is not None:
            organisation.pk = first_pk + len(created)
        # modeltranslation keeps the untranslated column; fill it like a save() in the default language.
        organisation.name = values.get(f"name_{settings.LANGUAGE_CODE}") or next(
            values[f"name_{code}"] for code in LANGUAGES if values.get(f"name_{code}")
        )
        row.organisation = organisation
        created.append(organisation)
    insert(Organisation, created)

    memberships, area_links, contacts = [], [], []
    Through = Organisation.focus_areas.through
    for row in plan.rows:
        organisation, values = row.organisation, row.values
        if row.action == "update":
            fields = [name for name in row.changes if name in ORGANISATION_FIELDS]
            for name in fields:
                setattr(organisation, name, values[name])
            if fields:
                later.append(
                    partial(
                        Organisation.objects.filter(pk=organisation.pk).update,
                        **{name: values[name] for name in fields},
                        version=F("version") + 1,
                        updated_at=now,
                    )
                )
            if "focus_areas" in row.changes:
                later.append(Through.objects.filter(organisation_id=organisation.pk).delete)
            if "category" in row.changes:
                later.append(
                    partial(
                        NetworkMembership.objects.filter(network=network, organisation=organisation).update,
                        category=values["category"],
                    )
                )
        if row.action == "create" or "focus_areas" in row.changes:
            area_links += [
                Through(organisation_id=organisation.pk, focusarea_id=pk) for pk in values.get("focus_areas", ())
            ]
        if (row.action == "create" or "contact_email" in row.changes) and values.get("contact_email"):
            email = values["contact_email"]
            contacts.append(Contact(organisation=organisation, name=email, email=email))
        if row.action == "create" or "membership" in row.changes:
            memberships.append(
                NetworkMembership(
                    network=network,
                    organisation=organisation,
                    category=values.get("category") or NetworkMembership.Category.FULL,
                    status=NetworkMembership.Status.ADMITTED,
                    admitted_on=today,
                )
            )
    if first_pk is None:  # inserted already: what is left runs now, in order
        for statement in later:
            statement()
        later = []
    insert(NetworkMembership, memberships)
    insert(Through, area_links)
    insert(Contact, contacts)
    return later


def _bulk_insert(model, objects: list) -> None:
    model.objects.bulk_create(objects, batch_size=500)


def _compiled_insert(statements: list, model, objects: list) -> None:
    """Compile ``bulk_create``'s INSERTs now; append functions that execute them."""
    from django.db import connection
    from django.db.models.sql import InsertQuery

    if not objects:
        return
    opts = model._meta
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    with_pk = objects[0].pk is not None
    fields = [field for field in opts.concrete_fields if with_pk or field is not opts.auto_field]
    size = min(500, connection.ops.bulk_batch_size(fields, objects) or 500)
    for start in range(0, len(objects), size):
        query = InsertQuery(model)
        query.insert_values(fields, objects[start : start + size], raw=False)
        for sql, params in query.get_compiler(connection=connection).as_sql():
            statements.append(lambda sql=sql, params=params: _execute(sql, params))


def _execute(sql: str, params) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class _SlugMaker:
    """Unique short names for new organisations, from their Latin name, else a numbered fallback."""

    def __init__(self) -> None:
        self.taken = set(Organisation.objects.values_list("slug", flat=True))

    def reserve(self, slugs: Iterable[str]) -> None:
        self.taken.update(slugs)

    def make(self, values: dict) -> str:
        base = slug_base(values)
        slug, counter = base, 1
        while slug in self.taken:
            counter += 1
            slug = f"{base}-{counter}"
        self.taken.add(slug)
        return slug
