"""Volunteers' work in the API: my shifts and hours (list, report), an organisation's hours (list,
approve, decline) and check-in by code, through the pages' forms, services and scoped reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tansiq.core.apitools import Pages
from tansiq.core.errors import Invalid, validated
from tansiq.volunteers.forms.hours import CodeForm, DeclineForm, HoursFilterForm, ReportHoursForm
from tansiq.volunteers.queries import hours as queries
from tansiq.volunteers.queries import profiles as profile_queries
from tansiq.volunteers.services import hours as services

router = Router(tags=["volunteers"])


class ShiftOut(Schema):
    opportunity: str
    opportunity_title: str
    organisation: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    cancelled: bool
    code: str  # the volunteer's own check-in code for this shift
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    attendance: str

    @staticmethod
    def resolve_opportunity(booking) -> str:
        return str(booking.shift.opportunity.uuid)

    @staticmethod
    def resolve_opportunity_title(booking) -> str:
        return str(booking.shift.opportunity.title)

    @staticmethod
    def resolve_organisation(booking) -> str:
        return booking.shift.opportunity.organisation.slug

    @staticmethod
    def resolve_starts_at(booking) -> dt.datetime:
        return booking.shift.starts_at

    @staticmethod
    def resolve_ends_at(booking) -> dt.datetime:
        return booking.shift.ends_at

    @staticmethod
    def resolve_place(booking) -> str:
        return booking.shift.place

    @staticmethod
    def resolve_cancelled(booking) -> bool:
        return booking.shift.cancelled


class HoursOut(Schema):
    id: int
    date: dt.date
    hours: Decimal
    organisation: str
    opportunity: str | None
    volunteer: str | None
    source: str
    state: str
    note: str
    decline_reason: str

    @staticmethod
    def resolve_organisation(entry) -> str:
        return entry.organisation.slug

    @staticmethod
    def resolve_opportunity(entry) -> str | None:
        return str(entry.opportunity.uuid) if entry.opportunity else None

    @staticmethod
    def resolve_volunteer(entry) -> str | None:
        return entry.profile.display_name if entry.profile else None


class ReportIn(Schema):
    opportunity: str
    date: str
    hours: str
    note: str


class ApproveIn(Schema):
    entries: list[int]


class DeclineIn(Schema):
    reason: str


class CheckInIn(Schema):
    code: str
    direction: str = "in"


class CheckInOut(Schema):
    volunteer: str
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None


def _own_profile(request):
    profile = profile_queries.own_profile(request.user)
    if profile is None:
        raise Invalid(_("You have no volunteer profile yet."), errors={"profile": [_("Create your profile first.")]})
    return profile


@router.get("/volunteers/me/shifts", response=list[ShiftOut], summary="My places on shifts")
@paginate(Pages, page_size=50)
def my_shifts(request: HttpRequest):
    return queries.own_shifts(request.user).order_by("-shift__starts_at", "pk")


@router.get("/volunteers/me/hours", response=list[HoursOut], summary="My hours")
@paginate(Pages, page_size=50)
def my_hours(request: HttpRequest):
    return queries.own_hours(request.user)


@router.post("/volunteers/me/hours", response={201: HoursOut}, summary="Report hours")
def report_hours(request: HttpRequest, payload: ReportIn):
    """The page's form and rules: an opportunity where you hold a place (its uuid), a past date,
    at most 24 hours and not more than that day's shift, a note."""
    profile = _own_profile(request)
    form = validated(ReportHoursForm, payload.dict(), opportunities=queries.opportunities_to_report(profile))
    return Status(201, services.report_hours(profile, by=request.user, **form.cleaned_data))


@router.get("/volunteers/organisations/{slug}/hours", response=list[HoursOut], summary="An organisation's hours")
@paginate(Pages, page_size=100)
def organisation_hours(
    request: HttpRequest,
    slug: str,
    state: str = Query(""),
    source: str = Query(""),
    start: str = Query(""),
    end: str = Query(""),
):
    """For the organisation's hours approvers; the page's filters (``state``, ``source``, ``start``, ``end``)."""
    organisation = queries.organisation_for(request.user, slug, "volunteers.approve_hours")
    filters = {"state": state, "source": source, "start": start, "end": end}
    form = validated(HoursFilterForm, {name: value for name, value in filters.items() if value})
    return form.apply(queries.hours_of_organisation(organisation))


@router.post("/volunteers/organisations/{slug}/hours/approve", response=list[HoursOut], summary="Approve hours")
def approve_hours(request: HttpRequest, slug: str, payload: ApproveIn):
    """Approves the listed pending entries of the organisation; the answer lists those approved now."""
    organisation = queries.organisation_for(request.user, slug, "volunteers.approve_hours")
    entries = [
        entry
        for entry in queries.hours_entries_for(request.user, payload.entries)
        if entry.organisation_id == organisation.pk
    ]
    return services.approve_hours(entries, by=request.user)


@router.post("/volunteers/organisations/{slug}/hours/{entry_id}/decline", response=HoursOut, summary="Decline hours")
def decline_hours(request: HttpRequest, slug: str, entry_id: int, payload: DeclineIn):
    organisation = queries.organisation_for(request.user, slug, "volunteers.approve_hours")
    entry = queries.hours_entry_for(request.user, entry_id)
    if entry.organisation_id != organisation.pk:
        raise Http404
    form = validated(DeclineForm, payload.dict())
    return services.decline_hours(entry, by=request.user, reason=form.cleaned_data["reason"])


@router.post(
    "/volunteers/opportunities/{uuid}/shifts/{shift_id}/check-in",
    response=CheckInOut,
    summary="Check a volunteer in or out by their code",
)
def check_in(request: HttpRequest, uuid: UUID, shift_id: int, payload: CheckInIn):
    """For the organisation's coordinators: ``direction`` ``in`` or ``out``; a forged code, one for
    another shift, a second check-in or a used code are refused (400/409 with the reason)."""
    shift = queries.shift_for(request.user, uuid, shift_id)
    form = validated(CodeForm, payload.dict())
    act = services.check_in if form.cleaned_data["direction"] == "in" else services.check_out
    booking = act(shift, form.cleaned_data["code"], by=request.user)
    return {
        "volunteer": booking.application.profile.display_name,
        "checked_in_at": booking.checked_in_at,
        "checked_out_at": booking.checked_out_at,
    }
