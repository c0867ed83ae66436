"""Compliance reminders: the annual return (due 60 days after the AGM) and the licence's expiry.

Owners and admins hear of each due date 30 days and again 7 days before it, in their own language.
Each reminder is recorded before it is sent, and the record is unique per organisation, kind, due
date and lead time: running the job twice, or on two machines at once, sends nothing twice. A day
the job did not run is caught up on the next run (a reminder late is better than none), but an
organisation that is already inside the 7-day window hears only the 7-day reminder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from tansiq.core.email import send_to_user
from tansiq.core.tasks import background
from tansiq.network.models import ComplianceReminder, Membership, Organisation

LEAD_DAYS = (7, 30)  # ascending: the nearest window wins
FIELDS = {
    ComplianceReminder.Kind.ANNUAL_RETURN: "annual_return_due",
    ComplianceReminder.Kind.LICENCE: "licence_expiry",
}
MANAGERS = (Membership.Role.OWNER, Membership.Role.ADMIN)

# Due dates other apps keep (the volunteering licence): ``source(today, horizon)`` yields
# (organisation, kind, due_on) for the dates between the two. Registered from ``AppConfig.ready()``.
Source = Callable[[dt.date, dt.date], Iterable[tuple[Organisation, str, dt.date]]]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def lead_time(due_on: dt.date, today: dt.date) -> int | None:
    """The reminder window ``due_on`` is in on ``today`` (7 or 30 days), or None."""
    days_left = (due_on - today).days
    if days_left < 0:
        return None
    return next((lead for lead in LEAD_DAYS if days_left <= lead), None)


def send_compliance_reminders(*, today: dt.date | None = None) -> int:
    """Send the reminders that are due today and not yet sent; return how many organisations heard."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(LEAD_DAYS))
    window = Q()
    for field in FIELDS.values():
        window |= Q(**{f"{field}__range": (today, horizon)})
    organisations = Organisation.objects.filter(window, people__role__in=MANAGERS).distinct().order_by("pk")
    sent = 0
    for organisation in organisations.iterator(chunk_size=500):
        for kind, field in FIELDS.items():
            due_on = getattr(organisation, field)
            lead = lead_time(due_on, today) if due_on else None
            if lead is not None and _remind(organisation, kind=kind, due_on=due_on, lead=lead):
                sent += 1
    for source in _sources:
        for organisation, kind, due_on in source(today, horizon):
            lead = lead_time(due_on, today)
            if lead is not None and _remind(organisation, kind=kind, due_on=due_on, lead=lead):
                sent += 1
    return sent


def _remind(organisation: Organisation, *, kind: str, due_on: dt.date, lead: int) -> bool:
    managers = [
        membership.user
        for membership in organisation.people.filter(role__in=MANAGERS, user__is_active=True).select_related("user")
        if membership.user.email
    ]
    if not managers:
        return False
    try:
        with transaction.atomic():
            ComplianceReminder.objects.create(organisation=organisation, kind=kind, due_on=due_on, days_before=lead)
            for user in managers:
                with translation.override(user.language):
                    link = reverse("network:organisation", args=[organisation.slug])
                # Rendered now in the recipient's language; delivered after commit.
                send_to_user(
                    user,
                    "network/email/compliance_reminder",
                    {"organisation": organisation, "kind": kind, "due_on": due_on, "lead": lead, "link": link},
                )
    except IntegrityError:
        # Already sent (by an earlier run, or by another worker at this very moment).
        return False
    return True


@background()
def remind_of_compliance_dates(today: str = "") -> int:
    """The daily job: ``today`` as an ISO date, or empty for the server's date."""
    return send_compliance_reminders(today=dt.date.fromisoformat(today) if today else None)
