"""Opportunities in the API: the public search and page, and the coordinators' writes.

``GET /opportunities`` lists the published ones (and the full ones) with the search page's own
filter form; ``GET /opportunities/{uuid}`` reads one the caller may see. Coordinators (an
organisation's owners, admins and editors) create and change opportunities, add shifts and move
them through their workflow with the pages' forms and services: 422 with the form's messages,
404 for an opportunity outside their organisation.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tansiq.core.apitools import Pages
from tansiq.core.errors import Invalid, validated
from tansiq.volunteers.forms.opportunities import (
    MoveForm,
    OpportunityForm,
    OpportunitySearchForm,
    ShiftForm,
    shift_values,
)
from tansiq.volunteers.models import Cause, Level, Qualification
from tansiq.volunteers.queries import opportunities as queries
from tansiq.volunteers.services import opportunities as services

router = Router(tags=["volunteers"])


class Texts(Schema):
    ar: str
    en: str
    ms: str


class OrganisationRef(Schema):
    slug: str
    name: str


class OpportunityOut(Schema):
    uuid: str
    title: str
    titles: Texts
    organisation: OrganisationRef
    sector: str | None
    state: str
    remote: bool
    country: str
    city: str
    languages: list[str]
    published_at: dt.datetime | None

    @staticmethod
    def resolve_uuid(opportunity) -> str:
        return str(opportunity.uuid)

    @staticmethod
    def resolve_titles(opportunity) -> dict:
        return {code: getattr(opportunity, f"title_{code}") or "" for code in ("ar", "en", "ms")}

    @staticmethod
    def resolve_organisation(opportunity) -> dict:
        return {"slug": opportunity.organisation.slug, "name": opportunity.organisation.name}

    @staticmethod
    def resolve_sector(opportunity) -> str | None:
        return opportunity.sector.slug if opportunity.sector_id else None


class SkillOut(Schema):
    name: str
    level: str
    required: bool


class ShiftOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    capacity: int
    free: int
    cancelled: bool


class OpportunityDetailOut(OpportunityOut):
    description: str
    descriptions: Texts
    address: str
    latitude: float | None
    longitude: float | None
    min_age: int | None
    gender: str
    qualifications: list[str]
    skills: list[SkillOut]
    questions: list[str]
    shifts: list[ShiftOut]

    @staticmethod
    def resolve_descriptions(opportunity) -> dict:
        return {code: getattr(opportunity, f"description_{code}") or "" for code in ("ar", "en", "ms")}

    @staticmethod
    def resolve_qualifications(opportunity) -> list[str]:
        return [qualification.slug for qualification in opportunity.qualifications.all()]

    @staticmethod
    def resolve_skills(opportunity) -> list[dict]:
        return [{"name": s.name, "level": s.level, "required": s.required} for s in opportunity.skills.all()]

    @staticmethod
    def resolve_shifts(opportunity) -> list:
        return queries.shifts_of(opportunity)


class SkillIn(Schema):
    name: str
    level: str = Level.GOOD
    required: bool = True


class OpportunityIn(Schema):
    title_ar: str = ""
    title_en: str = ""
    title_ms: str = ""
    description_ar: str = ""
    description_en: str = ""
    description_ms: str = ""
    sector: str | None = None
    min_age: int | None = None
    gender: str = ""
    qualifications: list[str] = []
    languages: list[str] = []
    remote: bool = False
    country: str = ""
    city: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    questions: list[str] = []
    skills: list[SkillIn] = []


class ShiftIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    place: str = ""
    weekly_until: dt.date | None = None


class MoveIn(Schema):
    target: str
    reason: str = ""


@router.get("/opportunities", response=list[OpportunityOut], auth=None, summary="Volunteering opportunities")
@paginate(Pages, page_size=50)
def list_opportunities(
    request: HttpRequest,
    q: str | None = None,
    sector: str | None = None,
    country: str | None = None,
    remote: bool | None = None,
    language: str | None = None,
):
    """Published opportunities (and full ones, where a place may free), newest first, through the
    search page's filters: ``q`` words in the titles, descriptions, organisation or city; ``sector``
    a cause code; ``country`` an ISO code; ``remote`` true or false; ``language`` a code spoken on
    it. An unknown value is a 422 naming the parameter."""
    given = {
        "q": q,
        "sector": sector,
        "country": (country or "").upper(),
        "remote": {True: "yes", False: "no"}.get(remote, ""),
        "language": language,
    }
    form = validated(
        OpportunitySearchForm, {name: value for name, value in given.items() if value}, language=get_language()
    )
    return form.apply(queries.searchable_opportunities())


@router.get("/opportunities/{uuid}", response=OpportunityDetailOut, auth=None, summary="One opportunity")
def get_opportunity(request: HttpRequest, uuid: str):
    return queries.opportunity_for(request.user, _uuid(uuid))


def _uuid(value: str):
    try:
        return UUID(value)
    except ValueError:
        raise Http404 from None


def _save(request, payload: OpportunityIn, *, organisation, opportunity=None):
    """Through the opportunity page's form: codes (sector, qualifications) become its choices."""
    data = payload.dict(exclude={"skills", "qualifications", "languages", "questions", "sector"})
    data = {name: value for name, value in data.items() if value is not None}
    if data.get("remote") is False:
        del data["remote"]  # an unticked box is absent from a form
    data["languages"] = payload.languages
    data["questions_text"] = "\n".join(payload.questions)
    if payload.sector:
        sector = Cause.objects.filter(slug=payload.sector).values_list("pk", flat=True).first()
        if sector is None:
            raise Invalid(_("Some values are not valid."), errors={"sector": [_("Unknown sector.")]})
        data["sector"] = sector
    wanted = set(payload.qualifications)
    qualifications = dict(Qualification.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    if len(qualifications) != len(wanted):
        raise Invalid(_("Some values are not valid."), errors={"qualifications": [_("Unknown qualification.")]})
    data["qualifications"] = list(qualifications.values())
    skills = [(row.name.strip(), row.level, row.required) for row in payload.skills if row.name.strip()]
    if any(level not in Level.values for _name, level, _required in skills):
        raise Invalid(_("Some values are not valid."), errors={"skills": [_("Choose a level for each skill.")]})
    form = validated(OpportunityForm, data, instance=opportunity, organisation=organisation, language=get_language())
    chosen = form.cleaned_data["qualifications"]
    if opportunity is None:
        return services.create_opportunity(
            organisation, by=request.user, values=form.values(), skills=skills, qualifications=chosen
        )
    return services.update_opportunity(
        opportunity, by=request.user, values=form.values(), skills=skills, qualifications=chosen
    )


@router.post(
    "/organisations/{slug}/opportunities",
    response={201: OpportunityDetailOut},
    summary="Create an opportunity (a draft)",
)
def create_opportunity(request: HttpRequest, slug: str, payload: OpportunityIn):
    """The organisation's owners, admins and editors; the opportunity page's form checks it."""
    organisation = queries.organisation_for_opportunities(request.user, slug)
    opportunity = _save(request, payload, organisation=organisation)
    return Status(201, queries.opportunity_for(request.user, opportunity.uuid))


@router.put("/opportunities/{uuid}", response=OpportunityDetailOut, summary="Replace what an opportunity says")
def update_opportunity(request: HttpRequest, uuid: str, payload: OpportunityIn):
    opportunity = queries.opportunity_managed_by(request.user, _uuid(uuid))
    _save(request, payload, organisation=opportunity.organisation, opportunity=opportunity)
    return queries.opportunity_for(request.user, opportunity.uuid)


@router.post("/opportunities/{uuid}/shifts", response={201: list[ShiftOut]}, summary="Add a shift or a weekly series")
def add_shifts(request: HttpRequest, uuid: str, payload: ShiftIn):
    opportunity = queries.opportunity_managed_by(request.user, _uuid(uuid))
    data = {
        "starts_at": payload.starts_at.isoformat(),
        "ends_at": payload.ends_at.isoformat(),
        "capacity": payload.capacity,
        "place": payload.place,
        "weekly_until": payload.weekly_until.isoformat() if payload.weekly_until else "",
    }
    form = validated(ShiftForm, data)
    added = services.add_shifts(opportunity, by=request.user, **shift_values(form))
    found = {shift.pk: shift for shift in queries.shifts_of(opportunity)}
    return Status(201, [found[shift.pk] for shift in added if shift.pk in found])


@router.post(
    "/opportunities/{uuid}/transitions", response=OpportunityDetailOut, summary="Move an opportunity to its next state"
)
def move_opportunity(request: HttpRequest, uuid: str, payload: MoveIn):
    """``target``: in_review, published, draft (returned by the secretariat, with a ``reason``),
    closed, completed, archived, cancelled (with a ``reason``, sent to everyone who applied)."""
    opportunity = queries.opportunity_for(request.user, _uuid(uuid))
    if not queries.may_move(request.user, opportunity):
        raise Http404
    form = validated(MoveForm, {"state": payload.target, "reason": payload.reason})
    services.move_opportunity(
        opportunity, by=request.user, to=form.cleaned_data["state"], reason=form.cleaned_data["reason"]
    )
    return queries.opportunity_for(request.user, opportunity.uuid)
