"""``{% match_reasons match.reasons %}``: why a volunteer and an opportunity match, in the reader's
language and digits ("speaks Arabic and Malay · 2 of 3 skills · 12 km · free Saturday morning").

The one renderer of ``matching``'s reasons (data such as ``("skills", 2, 3)``); every page that
shows a match uses it.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language_info, ngettext, pgettext
from django.utils.translation import gettext as _

from tansiq.core.i18n import join_list
from tansiq.core.templatetags.tansiq import num
from tansiq.volunteers.models import DAY_PARTS, WEEKDAYS, Cause

register = template.Library()

SEPARATOR = " · "
MOST_TIMES = 3  # free times named; more read as "…"


def _and(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": join_list(items[:-1]), "last": items[-1]}


def _language(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _cause_names(context, given) -> dict[str, str]:
    if given is not None:
        return given
    names = context.render_context.get("volunteering_causes")
    if names is None:
        names = {cause.slug: cause.name for cause in Cause.objects.all()}
        context.render_context["volunteering_causes"] = names
    return names


def reason_texts(context, reasons, causes: dict[str, str] | None = None) -> list[str]:
    """Each reason as a phrase in the active language; ``causes`` (code → name) saves reading them."""
    days, parts = dict(WEEKDAYS), dict(DAY_PARTS)
    texts = []
    for reason in reasons:
        kind = reason[0]
        if kind == "languages":
            texts.append(_("speaks %(languages)s") % {"languages": _and([_language(code) for code in reason[1]])})
        elif kind == "skills":
            held, wanted = reason[1], reason[2]
            texts.append(
                ngettext("%(held)s of %(wanted)s skill", "%(held)s of %(wanted)s skills", wanted)
                % {"held": num(context, held), "wanted": num(context, wanted)}
            )
        elif kind == "remote":
            texts.append(_("remote"))
        elif kind == "distance_km":
            texts.append(_("%(km)s km away") % {"km": num(context, reason[1])})
        elif kind == "free":
            times = [
                pgettext("a day and a part of it", "%(day)s %(part)s") % {"day": days[day], "part": parts[part]}
                for day, part in reason[1][:MOST_TIMES]
            ]
            if len(reason[1]) > MOST_TIMES:
                times.append("…")
            texts.append(_("free %(times)s") % {"times": join_list(times)})
        elif kind == "cause":
            texts.append(
                _("cares about %(cause)s") % {"cause": _cause_names(context, causes).get(reason[1], reason[1])}
            )
    return texts


@register.simple_tag(takes_context=True)
def match_reasons(context, reasons, causes=None) -> str:
    """``{% match_reasons match.reasons %}``, or with the cause names the page already holds:
    ``{% match_reasons match.reasons cause_names %}``."""
    return SEPARATOR.join(reason_texts(context, reasons, causes))
