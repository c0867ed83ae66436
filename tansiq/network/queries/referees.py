"""Choosing referees among thousands of members: what the referee picker shows.

An applicant names referees (the statute's number, the union's two) among the network's admitted
members with a vote (``queries.admission.eligible_referees``); a network can have ten thousand of them, so
no form lists them all. The picker shows the referees already chosen, checked, then at most
``SHOWN`` members that the words typed find in the search index: in any of a member's names
(Arabic, English, Malay, legal name), its acronym (and, less highly ranked, its city or
description), with the analyser's spelling variants, the last word read as the beginning of a word.
Only when every eligible member fits in the list are they shown before anything is typed (a small
network). The search is ``search.matching_organisations`` restricted to the eligible members inside
the statement, so each answer costs the same few queries however large the network.

The picker only shows: the service still judges whatever organisation is sent
(``admission._check_referee``), and a slug that names no visible organisation gets the same message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tansiq.core.errors import TansiqError
from tansiq.core.search.parsing import MIN_PREFIX, OR_WORDS, QueryTooLong
from tansiq.core.text import tokenize
from tansiq.network import search
from tansiq.network.models import Application, Organisation
from tansiq.network.queries import directory as queries
from tansiq.network.queries.admission import eligible_referees

SHOWN = 20
# The matches ranked for one picker search (the newest this many, as the global search does): a
# name typed to choose one member needs no more, and a word that finds more is shown as such.
WINDOW = 1_000
# More than any statute asks for; a longer list sent is not a choice of referees.
MAX_CHOSEN = 20

DRAFT = "referees"  # the draft's field: several referees, checkboxes
REPLACEMENT = "organisation"  # the replacement's field: one referee, radio buttons
FIELDS = (DRAFT, REPLACEMENT)

_LAST_WORD = re.compile(r'(?<!\S)(?P<word>[^\s"]+)$')


@dataclass
class Picker:
    """What one referee picker shows: the chosen members, then the matches of the words typed."""

    field: str
    q: str = ""
    chosen: list[Organisation] = field(default_factory=list)
    matches: list[Organisation] = field(default_factory=list)
    searched: bool = False  # the words typed had something to look for
    more: bool = False  # more members match than are shown
    everyone: bool = False  # nothing typed, and every member that may be chosen is shown
    error: str = ""

    @property
    def multiple(self) -> bool:
        return self.field == DRAFT

    @property
    def waiting(self) -> bool:
        """Something was typed, but nothing to search for (only stop words or punctuation)."""
        return bool(self.q) and not self.searched and not self.error


def query_text(text: str) -> str:
    """What the picker searches for when ``text`` is typed: the last word as the beginning of a word.

    A person choosing from a list types the start of a name ("Kony", "جمعية قوني"). The search's
    syntax (quotes, OR, a minus) is left as it is. A last word of fewer than three letters is a
    whole word (an acronym such as "UN"): a shorter beginning would begin too many words. The
    reading is the same while typing and on *Find*, so the two answers never disagree.
    """
    text = (text or "").strip()
    found = _LAST_WORD.search(text)
    if found is None or text.count('"') % 2:
        return text
    word = found["word"]
    if word in OR_WORDS or word.startswith("-") or word.endswith("*"):
        return text
    tokens = tokenize(word)
    if not tokens or len(tokens[-1]) < MIN_PREFIX:
        return text
    return f"{text}*"


def candidates(application: Application, *, field: str) -> QuerySet[Organisation]:
    """Who may be chosen: the eligible members; a replacement also not one already named (nor one
    that declined)."""
    eligible = eligible_referees(application)
    if field == REPLACEMENT:
        eligible = eligible.exclude(references_given__application=application)
    return eligible


def matching(application: Application, text: str, *, user, field: str) -> search.Matches:
    """Ids of the members ``text`` finds among ``candidates``, best first (at most ``WINDOW``).

    Raises ``QueryTooLong`` for an over-long text.
    """
    return search.matching_organisations(
        query_text(text), user=user, within=candidates(application, field=field), window=WINDOW
    )


def pick(application: Application, *, user, field: str, q: str = "", chosen=()) -> Picker:
    """The picker of ``field`` for ``user`` with ``q`` typed and the slugs in ``chosen`` checked.

    Three queries at most (the chosen, the search, the matches' rows) and the reader's audience for
    the search, whatever the number of members.
    """
    eligible = candidates(application, field=field).order_by()
    picker = Picker(field=field, q=(q or "").strip())
    slugs = [slug for slug in dict.fromkeys(str(slug).strip() for slug in chosen) if slug][:MAX_CHOSEN]
    if slugs:
        rows = {organisation.slug: organisation for organisation in eligible.filter(slug__in=slugs)}
        picker.chosen = [rows[slug] for slug in slugs if slug in rows]
    taken = {organisation.pk for organisation in picker.chosen}
    if picker.q:
        try:
            found = matching(application, picker.q, user=user, field=field)
        except QueryTooLong as error:
            picker.error = str(error.message)
            return picker
        picker.searched = found.searched
        ids = [pk for pk in found.ids if pk not in taken]
        picker.more = found.more or len(ids) > SHOWN
        ids = ids[:SHOWN]
        if ids:
            rows = {organisation.pk: organisation for organisation in eligible.filter(pk__in=ids)}
            picker.matches = [rows[pk] for pk in ids if pk in rows]
        return picker
    # Nothing typed: the first SHOWN + 1 in any order tell whether everyone fits (a small network);
    # sorting all members by name to show the first few would cost more as the network grows.
    first = list(eligible.exclude(pk__in=taken)[: SHOWN + 1])
    if len(first) <= SHOWN:
        picker.everyone = True
        picker.matches = sorted(first, key=lambda organisation: (str(organisation.name).casefold(), organisation.pk))
    return picker


def named_referees(user, slugs: list[str]) -> list[Organisation]:
    """The organisations the slugs name, among those ``user`` may see; the service judges them.

    Raises the service's own message for a slug that names none of them.
    """
    slugs = list(dict.fromkeys(slugs))
    if not slugs:
        return []
    found = list(queries.organisations_visible_to(user).filter(slug__in=slugs))
    if len(found) != len(slugs):
        raise TansiqError(_("Referees must be member organisations of the network."), field=DRAFT)
    return found
