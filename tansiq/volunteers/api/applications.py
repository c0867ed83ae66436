"""Applications in the API: the volunteer's own (list, apply, withdraw, confirm, answer an offer)
and an organisation's roster (list, decide), through the pages' forms and the same services.

Bad values are 422 with the form's messages; a refusal of a rule or a gate is 400/409 with its
reason; an application or opportunity outside the caller's scope is 404.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tansiq.core.apitools import Pages
from tansiq.core.errors import valid
from tansiq.volunteers.forms.applications import ApplyForm, ConfirmForm, DecideForm, RosterFilter
from tansiq.volunteers.queries import applications as queries
from tansiq.volunteers.queries.profiles import own_profile
from tansiq.volunteers.services import applications as services

router = Router(tags=["volunteers"])


class BookingOut(Schema):
    shift: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str
    offer_expires_at: dt.datetime | None
    attendance: str

    @staticmethod
    def resolve_shift(booking) -> int:
        return booking.shift_id

    @staticmethod
    def resolve_starts_at(booking) -> dt.datetime:
        return booking.shift.starts_at

    @staticmethod
    def resolve_ends_at(booking) -> dt.datetime:
        return booking.shift.ends_at


class Answer(Schema):
    question: str
    answer: str


class ApplicationOut(Schema):
    uuid: str
    opportunity: str
    opportunity_title: str
    organisation: str
    state: str
    answers: list[Answer]
    motivation: str
    offer_expires_at: dt.datetime | None
    agreement_accepted_at: dt.datetime | None
    created_at: dt.datetime
    bookings: list[BookingOut]

    @staticmethod
    def resolve_uuid(application) -> str:
        return str(application.uuid)

    @staticmethod
    def resolve_opportunity(application) -> str:
        return str(application.opportunity.uuid)

    @staticmethod
    def resolve_opportunity_title(application) -> str:
        return application.opportunity.title

    @staticmethod
    def resolve_organisation(application) -> str:
        return application.opportunity.organisation.slug

    @staticmethod
    def resolve_bookings(application) -> list:
        return list(application.bookings.all())


class RosterEntryOut(ApplicationOut):
    volunteer: str
    volunteer_profile: str

    @staticmethod
    def resolve_volunteer(application) -> str:
        return application.profile.display_name

    @staticmethod
    def resolve_volunteer_profile(application) -> str:
        return str(application.profile.uuid)


class ApplyIn(Schema):
    opportunity: str
    shifts: list[int]
    answers: list[str] = []
    motivation: str = ""
    waitlist: bool = False


class ConfirmIn(Schema):
    agreement: bool = False


class OfferIn(Schema):
    take: bool


class DecisionIn(Schema):
    decision: str
    applications: list[str]


class DecisionOut(Schema):
    done: list[str]
    refused: dict[str, str]


@router.get("/volunteers/applications", response=list[ApplicationOut], summary="My volunteer applications")
@paginate(Pages)
def my_applications(request: HttpRequest):
    return queries.applications_of(request.user)


@router.post("/volunteers/applications", response={200: ApplicationOut, 201: ApplicationOut}, summary="Apply")
def apply(request: HttpRequest, payload: ApplyIn):
    """Apply to a published opportunity for some of its shifts (ids), with an answer to each of its
    questions in order. Submitting again answers 200 with the application already made."""
    opportunity = queries.opportunity_to_apply(_uuid(payload.opportunity))
    services.check_gates(own_profile(request.user), opportunity, request.user)
    questions = opportunity.questions or []
    data = {
        "shifts": payload.shifts,
        "motivation": payload.motivation,
        **{f"answer_{index}": answer for index, answer in enumerate(payload.answers)},
    }
    if payload.waitlist:
        data["waitlist"] = "on"
    form = valid(ApplyForm(data, shifts=queries.open_shifts(opportunity), questions=questions))
    application, created = services.apply(opportunity, by=request.user, **form.application_values())
    return Status(201 if created else 200, queries.own_application(request.user, application.uuid))


@router.get("/volunteers/applications/{uuid}", response=ApplicationOut, summary="One of my applications")
def my_application(request: HttpRequest, uuid: str):
    return queries.own_application(request.user, _uuid(uuid))


@router.post("/volunteers/applications/{uuid}/withdraw", response=ApplicationOut, summary="Withdraw my application")
def withdraw(request: HttpRequest, uuid: str):
    application = queries.own_application(request.user, _uuid(uuid))
    services.withdraw(application, by=request.user)
    return queries.own_application(request.user, application.uuid)


@router.post("/volunteers/applications/{uuid}/confirm", response=ApplicationOut, summary="Confirm my place")
def confirm(request: HttpRequest, uuid: str, payload: ConfirmIn):
    """Confirm an accepted place; ``agreement`` true accepts the organisation's volunteer agreement."""
    application = queries.own_application(request.user, _uuid(uuid))
    settings = getattr(application.opportunity.organisation, "volunteering_settings", None)
    text = settings.agreement_text if settings is not None else ""
    form = valid(ConfirmForm({"agreement": "on"} if payload.agreement else {}, agreement_text=text))
    services.confirm(application, by=request.user, agreement_accepted=bool(form.cleaned_data.get("agreement")))
    return queries.own_application(request.user, application.uuid)


@router.post(
    "/volunteers/applications/{uuid}/offers/{shift_id}", response=ApplicationOut, summary="Take or let go a place"
)
def answer_offer(request: HttpRequest, uuid: str, shift_id: int, payload: OfferIn):
    booking = queries.offered_booking(request.user, _uuid(uuid), shift_id)
    if payload.take:
        services.take_offer(booking, by=request.user)
    else:
        services.decline_offer(booking, by=request.user)
    return queries.own_application(request.user, booking.application.uuid)


@router.get(
    "/volunteers/opportunities/{uuid}/roster",
    response=list[RosterEntryOut],
    summary="An opportunity's applications (its organisation's owners and admins)",
)
@paginate(Pages)
def roster(request: HttpRequest, uuid: str, state: str = "", shift: int | None = None):
    """Filters as on the roster page: ``state`` of the application, ``shift`` id."""
    opportunity = queries.opportunity_for_roster(request.user, _uuid(uuid))
    query = {"state": state, **({"shift": shift} if shift is not None else {})}
    form = valid(RosterFilter(query, opportunity=opportunity))
    return queries.roster(opportunity, state=form.cleaned_data["state"], shift=form.cleaned_data["shift"])


@router.post(
    "/volunteers/opportunities/{uuid}/roster/decisions",
    response=DecisionOut,
    summary="Shortlist, accept, waitlist or decline applications",
)
def decide(request: HttpRequest, uuid: str, payload: DecisionIn):
    """One decision for each application (uuids); each is taken on its own: ``refused`` gives the
    reason of those refused."""
    opportunity = queries.opportunity_for_roster(request.user, _uuid(uuid))
    form = valid(DecideForm(payload.dict(), opportunity=opportunity))
    result = services.decide_many(
        form.cleaned_data["applications"], by=request.user, decision=form.cleaned_data["decision"]
    )
    return {
        "done": [str(application.uuid) for application in result.done],
        "refused": {str(application.uuid): reason for application, reason in result.refused},
    }


def _uuid(value: str) -> uuid.UUID:
    """A UUID from the path or the body; anything else names nothing: 404."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None
