"""Template tags every page uses: dates in two calendars, numbers in the reader's digits."""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.numberformat import format as number_format
from django.utils.safestring import SafeData, mark_safe

from tansiq.core import i18n

register = template.Library()


def _prefs(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return {
            "hijri": getattr(user, "show_hijri", "auto"),
            "region": getattr(user, "hijri_region", "") or settings.TANSIQ_HIJRI_REGION,
            "digits": getattr(user, "digits", "auto"),
        }
    return {"hijri": "auto", "region": settings.TANSIQ_HIJRI_REGION, "digits": "auto"}


def wants_hijri(preference: str, language: str) -> bool:
    if preference == "always":
        return True
    if preference == "never":
        return False
    return language in ("ar", "ms")


def wants_arabic_indic(preference: str, language: str) -> bool:
    if preference == "arabic":
        return language == "ar"
    if preference == "latin":
        return False
    return language == "ar" and settings.TANSIQ_ARABIC_DIGITS == "arabic-indic"


def _digits(text: str, context) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    if wants_arabic_indic(_prefs(context)["digits"], language):
        return i18n.arabic_indic(text)
    return text


@register.simple_tag(takes_context=True)
def hdate(context, value, fmt: str = "DATE_FORMAT", hijri: str = ""):
    """``{% hdate obj.when %}`` or ``{% hdate obj.when "DATETIME_FORMAT" %}``.

    Gregorian in the active language's format, with the Hijri date beside it where the reader's
    language or preference asks for it (``hijri="always"``: a document that prints both, whoever
    reads it). The only way templates show a date.
    """
    if value in (None, ""):
        return ""
    language = translation.get_language() or settings.LANGUAGE_CODE
    prefs = _prefs(context)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        day = value.date()
    else:
        day = value
    gregorian = _digits(formats.date_format(value, fmt), context)
    iso = value.isoformat()
    if not wants_hijri(hijri or prefs["hijri"], language):
        return format_html('<time datetime="{}">{}</time>', iso, gregorian)
    hijri = i18n.to_hijri(day, variant=settings.TANSIQ_HIJRI_VARIANT, region=prefs["region"]).format(language)
    return format_html(
        '<time datetime="{}">{}</time> <span class="hijri text-body-secondary">({})</span>',
        iso,
        gregorian,
        _digits(hijri, context),
    )


@register.simple_tag(takes_context=True)
def num(context, value, decimals: int | None = None):
    """A number grouped the way the reader's language groups it, in the reader's digits."""
    if value in (None, ""):
        return ""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if wants_arabic_indic(_prefs(context)["digits"], language):
        # Arabic-Indic digits take the Arabic separators (١٬١٧٣٫٥), whatever the Latin format says.
        latin = number_format(value, ".", decimal_pos=decimals, grouping=3, thousand_sep=",", force_grouping=True)
        return i18n.arabic_indic_number(latin)
    return number_format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


@register.simple_tag(takes_context=True)
def digits(context, value):
    """Any text (a reference number, a time, a validation message) with its digits in the reader's
    script. Safe HTML stays safe: changing digits cannot make markup."""
    text = _digits(str(value), context)
    return mark_safe(text) if isinstance(value, SafeData) else text  # noqa: S308


@register.filter
def bdi(value):
    """Isolate a name, address or number of unknown direction inside running text."""
    return format_html("<bdi>{}</bdi>", value)


_CHECK_WIDGETS = ("CheckboxInput",)
_SELECT_WIDGETS = ("Select", "SelectMultiple", "NullBooleanSelect")


@register.simple_tag
def widget(field):
    """Render a bound field's widget with Bootstrap classes and the ARIA links to its help and errors."""
    kind = field.field.widget.__class__.__name__
    if kind in _CHECK_WIDGETS:
        css = "form-check-input"
    elif kind in _SELECT_WIDGETS:
        css = "form-select"
    elif kind in ("CheckboxSelectMultiple", "RadioSelect", "GroupedCheckboxes"):
        css = ""
    else:
        css = "form-control"
    attrs = {}
    existing = field.field.widget.attrs.get("class", "")
    if css:
        attrs["class"] = f"{existing} {css}{' is-invalid' if field.errors else ''}".strip()
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each language: the switcher keeps the reader where they are."""
    from django.urls import translate_url

    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        links.append({"code": code, "name": name, "url": translate_url(path, code), "active": code == current})
    return links


@register.simple_tag(takes_context=True)
def bar_chart(context, rows, title):
    """``{% bar_chart rows title %}``: an SVG bar chart (tansiq.core.charts) of (label, value)
    pairs, values printed as ``num`` prints them, mirrored in a right-to-left language."""
    from tansiq.core.charts import bar_chart as draw

    drawn = [(str(label), float(value), str(num(context, value))) for label, value in rows]
    return draw(drawn, title=str(title), rtl=translation.get_language_bidi())
