"""A certificate's PDF: an HTML template rendered in the certificate's language, laid out by
WeasyPrint with the vendored Arabic font, carrying the code and a QR code of its verification page.

Made on demand (a few hundred milliseconds): nothing is stored, so a revoked certificate never
leaves a stale file behind, and what it prints is the certificate's own stored text.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from tansiq.core.certificates import format_code, kind_of, printed_facts
from tansiq.core.models import Certificate

FONTS = {
    400: "vendor/fonts/noto-sans-arabic-arabic-400-normal.woff2",
    700: "vendor/fonts/noto-sans-arabic-arabic-700-normal.woff2",
}


def qr_svg(url: str) -> str:
    """The URL as an inline SVG QR code (vector: sharp in print at any size)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=0)
    return image.to_string(encoding="unicode")


def font_urls() -> dict[int, str]:
    """The vendored fonts as TrueType files. WeasyPrint would decompress the WOFF2 files at every
    PDF (two thirds of its time); they are decompressed once into a cache folder instead."""
    urls = {}
    for weight, name in FONTS.items():
        path = finders.find(name)
        if path:
            urls[weight] = _decompressed(Path(path)).as_uri()
    return urls


@functools.cache
def _decompressed(woff2: Path) -> Path:
    from fontTools.ttLib import woff2 as woff2_format

    folder = Path(tempfile.gettempdir()) / "tansiq-fonts"
    folder.mkdir(exist_ok=True)
    ttf = folder / f"{woff2.stem}-{woff2.stat().st_size}-{int(woff2.stat().st_mtime)}.ttf"
    if not ttf.exists():
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as part:
            woff2_format.decompress(str(woff2), part)
        os.replace(part.name, ttf)  # atomic: another process never reads half a font
    return ttf


def html_of(certificate: Certificate, *, verify_url: str) -> str:
    with translation.override(certificate.language):
        kind = kind_of(certificate)
        return render_to_string(
            "certificates/pdf.html",
            {
                "certificate": certificate,
                "kind": kind,
                "facts": printed_facts(certificate),
                "code": format_code(certificate.code),
                "verify_url": verify_url,
                "qr": mark_safe(qr_svg(verify_url)),  # noqa: S308 (our own SVG of our own URL)
                "fonts": font_urls(),
                "LANGUAGE_BIDI": translation.get_language_bidi(),
                "LANGUAGE_CODE": certificate.language,
            },
        )


def render_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    return pdf_of_html(html_of(certificate, verify_url=verify_url))


def pdf_of_html(html: str) -> bytes:
    """Any of our HTML documents (with ``font_urls()`` in its @font-face rules) as a PDF."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The vendored fonts on disk, and nothing from the network.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["file"])).write_pdf()
