"""A network's yearly achievements in volunteering: aggregates only, never a name.

For a period (a calendar year, or the current year up to today) and the organisations that are
members of the network (admitted or suspended):

- volunteers active: distinct volunteers with approved hours in the period (a volunteer who erased
  their data is no longer known as a person, so is not counted here, but their hours are);
- hours approved: every approved entry dated in the period, including the anonymous ones left by an
  erasure (decision 0042);
- organisations: those with approved hours or an opportunity with a shift in the period;
- opportunities with a shift in the period (published or later, not cancelled), by sector and by
  country;
- trainings completed: completions in the period, of the members' trainings and the network's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tansiq.core.countries import country_name
from tansiq.volunteers.models import Enrolment, HoursEntry, Opportunity

COUNTED_OPPORTUNITIES = (
    Opportunity.State.PUBLISHED,
    Opportunity.State.FULL,
    Opportunity.State.CLOSED,
    Opportunity.State.COMPLETED,
    Opportunity.State.ARCHIVED,
)


@dataclass(frozen=True)
class Achievements:
    year: int
    start: dt.date
    end: dt.date
    to_date: bool  # the current year, up to today
    volunteers: int
    hours: Decimal
    organisations: int
    opportunities: int
    by_sector: list[tuple[str, int]]
    by_country: list[tuple[str, int]]
    trainings_completed: int

    def rows(self) -> list[tuple[str, str, str]]:
        """(section, name, value) rows for the CSV/XLSX download."""
        found = [
            (_("Figures"), _("Volunteers active"), str(self.volunteers)),
            (_("Figures"), _("Hours approved"), str(self.hours)),
            (_("Figures"), _("Organisations"), str(self.organisations)),
            (_("Figures"), _("Opportunities"), str(self.opportunities)),
            (_("Figures"), _("Trainings completed"), str(self.trainings_completed)),
        ]
        found += [(_("Opportunities by sector"), name, str(count)) for name, count in self.by_sector]
        found += [(_("Opportunities by country"), name, str(count)) for name, count in self.by_country]
        return found


def first_network():
    from tansiq.network.models import Network

    return Network.objects.order_by("position", "pk").first()


def default_year(today: dt.date | None = None) -> int:
    """The last full year."""
    return (today or timezone.localdate()).year - 1


def years_with_figures(today: dt.date | None = None, *, back: int = 4) -> list[int]:
    """The current year and the ``back`` years before it, newest first (the page's year links)."""
    year = (today or timezone.localdate()).year
    return list(range(year, year - back - 1, -1))


def achievements(network, year: int, *, today: dt.date | None = None) -> Achievements:
    from tansiq.network.models import NetworkMembership

    today = today or timezone.localdate()
    start = dt.date(year, 1, 1)
    to_date = year == today.year
    end = today if to_date else dt.date(year, 12, 31)
    members = NetworkMembership.objects.filter(
        network=network, status__in=NetworkMembership.REPRESENTED_STATUSES
    ).values("organisation_id")
    hours = HoursEntry.objects.filter(
        organisation__in=members, state=HoursEntry.State.APPROVED, date__gte=start, date__lte=end
    )
    totals = hours.aggregate(
        hours=Sum("hours"),
        volunteers=Count("profile", distinct=True),
        organisations=Count("organisation", distinct=True),
    )
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    opportunities = Opportunity.objects.filter(
        organisation__in=members,
        state__in=COUNTED_OPPORTUNITIES,
        shifts__starts_at__gte=first,
        shifts__starts_at__lt=last,
        shifts__cancelled=False,
    ).distinct()
    opportunity_ids = list(opportunities.values_list("pk", flat=True))
    counted = Opportunity.objects.filter(pk__in=opportunity_ids)
    # The sector's name in the reader's language (modeltranslation): read through the objects.
    by_sector = _sector_names(counted)
    by_country = [
        (country_name(code) if code else _("Online"), count)
        for code, count in counted.values_list("country").annotate(count=Count("pk")).order_by("-count", "country")
    ]
    organisations = set(hours.values_list("organisation_id", flat=True).distinct()) | set(
        counted.values_list("organisation_id", flat=True).distinct()
    )
    completed = Enrolment.objects.filter(
        Q(training__organisation__in=members) | Q(training__organisation__isnull=True),
        state=Enrolment.State.COMPLETED,
        completed_on__gte=start,
        completed_on__lte=end,
    ).count()
    return Achievements(
        year=year,
        start=start,
        end=end,
        to_date=to_date,
        volunteers=totals["volunteers"] or 0,
        hours=(totals["hours"] or Decimal(0)).quantize(Decimal("0.1")),
        organisations=len(organisations),
        opportunities=len(opportunity_ids),
        by_sector=by_sector,
        by_country=by_country,
        trainings_completed=completed,
    )


def _sector_names(opportunities) -> list[tuple[str, int]]:
    from tansiq.volunteers.models import Cause

    counts = dict(opportunities.values_list("sector").annotate(count=Count("pk")).values_list("sector", "count"))
    names = {cause.pk: cause.name for cause in Cause.objects.filter(pk__in=[pk for pk in counts if pk])}
    rows = [(names.get(pk) or _("Other"), count) for pk, count in counts.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))
