"""The registry's API: networks, their figures and committees, the member directory, one's own profile."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from tansiq.core.errors import TansiqError
from tansiq.network import admission, queries, services
from tansiq.network.models import FocusArea

router = Router(tags=["network"])


class StatsOut(Schema):
    members: int
    countries: int
    by_category: dict[str, int]


class NetworkOut(Schema):
    slug: str
    name: str
    name_ar: str | None
    name_en: str | None
    name_ms: str | None
    referees_required: int
    min_years_since_founding: int
    notice_period_days: int


class NetworkDetailOut(NetworkOut):
    stats: StatsOut


class CommitteeOut(Schema):
    slug: str
    name: str
    kind: str
    mandate: str
    term_start: dt.date | None
    term_end: dt.date | None


class OrganisationOut(Schema):
    slug: str
    name: str
    name_ar: str | None
    name_en: str | None
    name_ms: str | None
    legal_name: str
    acronym: str
    type: str
    country: str
    region: str
    city: str
    website: str
    year_founded: int | None
    focus_areas: list[str]

    @staticmethod
    def resolve_country(organisation) -> str:
        return organisation.country.code

    @staticmethod
    def resolve_focus_areas(organisation) -> list[str]:
        return [area.slug for area in organisation.focus_areas.all()]


class OrganisationDetailOut(OrganisationOut):
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    social_links: dict[str, str]
    working_languages: list[str]
    staff_count: int | None
    volunteer_count: int | None
    version: int


class OrganisationPatch(Schema):
    version: int
    name_ar: str | None = None
    name_en: str | None = None
    name_ms: str | None = None
    legal_name: str | None = None
    acronym: str | None = None
    city: str | None = None
    region: str | None = None
    address: str | None = None
    website: str | None = None
    description_ar: str | None = None
    description_en: str | None = None
    description_ms: str | None = None
    staff_count: int | None = None
    volunteer_count: int | None = None
    focus_areas: list[str] | None = None


@router.get("/networks", response=list[NetworkOut], auth=None, summary="Networks")
def list_networks(request: HttpRequest):
    return queries.networks_visible_to(request.user)


@router.get("/networks/{slug}", response=NetworkDetailOut, auth=None, summary="A network with live figures")
def get_network(request: HttpRequest, slug: str):
    network = queries.network_for(request.user, slug)
    stats = queries.network_stats(network)
    network.stats = {"members": stats.members, "countries": stats.countries, "by_category": stats.by_category}
    return network


@router.get("/networks/{slug}/committees", response=list[CommitteeOut], auth=None, summary="A network's committees")
def list_committees(request: HttpRequest, slug: str):
    return queries.committees_of(queries.network_for(request.user, slug))


@router.get("/organisations", response=list[OrganisationOut], auth=None, summary="Member organisations")
@paginate(PageNumberPagination, page_size=50)
def list_organisations(
    request: HttpRequest,
    network: str | None = None,
    country: str | None = None,
    type: str | None = None,
    focus: str | None = None,
    committee: str | None = None,
    q: str | None = None,
):
    from django.db.models import Exists, OuterRef, Q

    organisations = queries.organisations_visible_to(request.user)
    if network:
        members = queries.directory_for(request.user, queries.network_for(request.user, network))
        organisations = organisations.filter(Exists(members.filter(organisation=OuterRef("pk"))))
    if country:
        organisations = organisations.filter(country=country.upper())
    if type:
        organisations = organisations.filter(type=type)
    if focus:
        organisations = organisations.filter(focus_areas__slug=focus)
    if committee:
        organisations = organisations.filter(committee_seats__committee__slug=committee)
    if q:
        term = q.strip()
        organisations = organisations.filter(
            Q(name_ar__icontains=term)
            | Q(name_en__icontains=term)
            | Q(name_ms__icontains=term)
            | Q(legal_name__icontains=term)
            | Q(acronym__icontains=term)
        )
    return organisations.distinct().order_by("name", "pk").prefetch_related("focus_areas")


@router.get("/organisations/{slug}", response=OrganisationDetailOut, auth=None, summary="One organisation")
def get_organisation(request: HttpRequest, slug: str):
    organisation, _editable = queries.organisation_for(request.user, slug)
    return organisation


@router.patch("/organisations/{slug}", response=OrganisationDetailOut, summary="Change your organisation's profile")
def update_organisation(request: HttpRequest, slug: str, payload: OrganisationPatch):
    """Editors, admins and owners of the organisation (write-scope token). Send the ``version`` you read."""
    organisation, editable = queries.organisation_for(request.user, slug)
    if not editable:
        raise Http404
    values = payload.dict(exclude_unset=True)
    version = values.pop("version")
    focus = values.pop("focus_areas", None)
    focus_areas = list(FocusArea.objects.filter(slug__in=focus)) if focus is not None else None
    return services.update_organisation(
        organisation, by=request.user, version=version, focus_areas=focus_areas, **values
    )


# --- Admission ----------------------------------------------------------------------------------


class ApplicationIn(Schema):
    organisation: str
    network: str
    category: str = "full"
    representative_name: str = ""
    motivation: str = ""
    referees: list[str] = []


class ReferenceOut(Schema):
    organisation: str
    state: str
    reason: str

    @staticmethod
    def resolve_organisation(reference) -> str:
        return reference.organisation.slug


class ApplicationOut(Schema):
    uuid: str
    organisation: str
    network: str
    state: str
    state_label: str
    category: str
    representative_name: str
    motivation: str
    submitted_at: dt.datetime | None
    notice_ends_on: dt.date | None
    documents: dict[str, bool]
    references: list[ReferenceOut]
    allowed_targets: list[str]

    @staticmethod
    def resolve_uuid(application) -> str:
        return str(application.uuid)

    @staticmethod
    def resolve_organisation(application) -> str:
        return application.organisation.slug

    @staticmethod
    def resolve_network(application) -> str:
        return application.network.slug

    @staticmethod
    def resolve_state_label(application) -> str:
        return str(application.get_state_display())

    @staticmethod
    def resolve_documents(application) -> dict[str, bool]:
        return {name: bool(getattr(application, name)) for name in admission.DOCUMENTS}

    @staticmethod
    def resolve_references(application) -> list:
        return list(application.references.select_related("organisation"))

    @staticmethod
    def resolve_allowed_targets(application) -> list[str]:
        return getattr(application, "targets", [])


class TransitionIn(Schema):
    target: str
    reason: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    category: str | None = None


def _application_out(request: HttpRequest, uuid):
    application, targets = queries.application_for(request.user, uuid)
    application.targets = targets
    return application


@router.post("/applications", response={201: ApplicationOut}, summary="Apply for membership of a network")
def create_application(request: HttpRequest, payload: ApplicationIn):
    """Owners and admins of the organisation. Documents are uploaded on the application's page."""
    organisation = queries.organisation_managed_by(request.user, payload.organisation)
    network = queries.network_for(request.user, payload.network)
    application = admission.start_application(by=request.user, organisation=organisation, network=network)
    referees = list(queries.organisations_visible_to(request.user).filter(slug__in=payload.referees))
    if len(referees) != len(set(payload.referees)):
        raise TansiqError(_("Referees must be member organisations of the network."), field="referees")
    admission.save_application(
        application,
        by=request.user,
        category=payload.category,
        representative_name=payload.representative_name,
        motivation=payload.motivation,
        referees=referees,
    )
    return Status(201, _application_out(request, application.uuid))


@router.get("/applications/{uuid}", response=ApplicationOut, summary="One of your applications")
def get_application(request: HttpRequest, uuid: str):
    return _application_out(request, uuid)


@router.post("/applications/{uuid}/transitions", response=ApplicationOut, summary="Move an application on")
def transition_application(request: HttpRequest, uuid: str, payload: TransitionIn):
    """Take one of ``allowed_targets``; the assembly's outcome needs the votes."""
    application, _targets = queries.application_for(request.user, uuid)
    votes = (payload.votes_for, payload.votes_against, payload.votes_abstain)
    admission.move_application(
        application,
        to=payload.target,
        by=request.user,
        reason=payload.reason,
        votes=None if all(vote is None for vote in votes) else tuple(vote or 0 for vote in votes),
        category=payload.category,
    )
    return _application_out(request, uuid)


# An organisation's contacts (manage_api.py): the same rules and services as the contacts page.
router.add_router("/", "tansiq.network.manage_api.router")
