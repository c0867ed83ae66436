"""CSV and XLSX downloads of any list, safe to open in a spreadsheet.

A cell that a spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage
return, also after leading spaces or invisible direction marks that Arabic text often carries) is
prefixed with an apostrophe, the OWASP-recommended neutralisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import tablib
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

# Whitespace and the invisible marks (LRM, RLM, ALM, bidi embeddings/isolates, BOM, ZW*) that may
# stand before a formula trigger without being seen.
_INVISIBLE = "\\s\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c"
_FORMULA = re.compile(f"^[{_INVISIBLE}]*[=+\\-@\\t\\r]")

MAX_EXPORT_ROWS = 100_000


def neutralise(value):
    if isinstance(value, str) and (_FORMULA.match(value) or value[:1] in ("\t", "\r")):
        return "'" + value
    return value


def build_dataset(headers: Sequence[str], rows: Iterable[Sequence]) -> tablib.Dataset:
    data = tablib.Dataset(headers=[str(h) for h in headers])
    for count, row in enumerate(rows):
        if count >= MAX_EXPORT_ROWS:
            break
        data.append([neutralise(_plain(cell)) for cell in row])
    return data


def _plain(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        if getattr(value, "tzinfo", None) is not None:
            value = timezone.localtime(value)
        return value.isoformat(sep=" ", timespec="minutes") if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, int | float | bool):
        return value
    return str(value)


def export_response(fmt: str, *, name: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """An attachment in ``fmt`` ("csv" or "xlsx"); CSV is UTF-8 with BOM so Excel reads Arabic."""
    data = build_dataset(headers, rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{slugify(name) or 'export'}-{stamp}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(
            data.export("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse("\ufeff" + data.export("csv"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_format(request) -> str | None:
    """The download a list page was asked for (``?export=csv`` or ``xlsx``), if any."""
    fmt = request.GET.get("export")
    return fmt if fmt in ("csv", "xlsx") else None
