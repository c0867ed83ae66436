"""The registry's API: networks, their figures and committees, the member directory, one's own profile."""

from __future__ import annotations

import datetime as dt

import rules
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tansiq.core.apitools import Pages
from tansiq.core.errors import Invalid, validated
from tansiq.network import search
from tansiq.network.forms.registry import DirectoryFilterForm, OrganisationForm, RegistrationForm
from tansiq.network.models import FocusArea
from tansiq.network.queries import directory as queries
from tansiq.network.services import registry as services

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


class OrganisationIn(Schema):
    name_ar: str = ""
    name_en: str = ""
    name_ms: str = ""
    legal_name: str = ""
    acronym: str = ""
    type: str = "ngo"
    country: str = ""
    city: str = ""
    registration_number: str = ""
    website: str = ""
    focus_areas: list[str] = []
    confirm_duplicate: bool = False
    owner_email: str = ""
    language: str = ""


def _focus_area_ids(slugs: list[str]) -> list:
    """Focus areas are slugs here, ids in the form: an unknown slug stays for the form to refuse."""
    known = dict(FocusArea.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    return [known.get(area, area) for area in slugs]


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
@paginate(Pages, page_size=50)
def list_organisations(
    request: HttpRequest,
    network: str | None = None,
    country: str | None = None,
    type: str | None = None,
    focus: str | None = None,
    committee: str | None = None,
    category: str | None = None,
    q: str | None = None,
):
    """The directory's filters, checked by the directory page's own form: a committee is one of
    ``network``'s, a category is the membership's in ``network``; an invalid value is a 422 naming
    the parameter (the page shows it beside the field and leaves it out)."""
    place = queries.network_for(request.user, network) if network else None
    if place is None and (committee or category):
        field = "committee" if committee else "category"
        raise Invalid(
            _("Some values are not valid."), errors={field: [_("Choose a network to filter by committee or category.")]}
        )
    given = {
        "country": (country or "").upper(),
        "type": type,
        "focus": focus,
        "committee": committee,
        "category": category,
        "q": q,
    }
    form = DirectoryFilterForm({name: value for name, value in given.items() if value}, network=place)
    filters = form.filters()
    if error := form.first_error():
        raise Invalid(_("Some values are not valid."), errors={error[0]: [str(error[1])]})
    organisations = queries.organisations_visible_to(request.user)
    if place is not None:
        members = queries.members_of(request.user, place, filters)
        organisations = organisations.filter(Exists(members.filter(organisation=OuterRef("pk"))))
    organisations = queries.narrowed(organisations, filters, network=place).prefetch_related("focus_areas")
    if filters.q:
        # The same search as the directory's page: the index, best matches first (QueryTooLong is a 400).
        matches = search.matching_organisations(
            filters.q, user=request.user, country=filters.country, within=organisations
        )
        if matches.searched:
            return queries.Ranked(organisations, matches.ids)
    return organisations.order_by("name", "pk")


@router.get("/organisations/{slug}", response=OrganisationDetailOut, auth=None, summary="One organisation")
def get_organisation(request: HttpRequest, slug: str):
    organisation, _editable = queries.organisation_for(request.user, slug)
    return organisation


@router.patch("/organisations/{slug}", response=OrganisationDetailOut, summary="Change your organisation's profile")
def update_organisation(request: HttpRequest, slug: str, payload: OrganisationPatch):
    """Editors, admins and owners of the organisation (write-scope token). Send the ``version`` you read.

    Checked by the profile page's form: what the page refuses is refused here (422, with the
    messages by field), and nothing is saved."""
    organisation, editable = queries.organisation_for(request.user, slug)
    if not editable:
        raise Http404
    values = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    if "focus_areas" in values:
        values["focus_areas"] = _focus_area_ids(values["focus_areas"])
    form = validated(OrganisationForm, values, instance=organisation, partial=True)
    cleaned = form.profile_values()
    return services.update_organisation(
        organisation,
        by=request.user,
        version=form.cleaned_data["version"],
        focus_areas=form.cleaned_data["focus_areas"] if "focus_areas" in values else None,
        **{name: cleaned[name] for name in values if name in cleaned},
    )


@router.post("/organisations", response={201: OrganisationDetailOut}, summary="Register an organisation")
def register_organisation(request: HttpRequest, payload: OrganisationIn):
    """Anyone signed in (write-scope token) registers an organisation and becomes its owner. It is in
    no network and no directory until a network admits it (``POST /applications``). A name in at
    least one language and the ``country`` are needed. Checked by the registration page's form (422
    by field). When an organisation of the same country has a similar name or the same acronym, the
    answer is 422 on ``confirm_duplicate``: send it again with ``confirm_duplicate: true`` if it is a
    different one. The secretariat may give ``owner_email`` (and the invitation's ``language``):
    the owner is then invited by e-mail instead."""
    invites_owner = rules.has_perm("network.register_organisation_for_others", request.user)
    values = payload.dict()
    if values["owner_email"] and not invites_owner:
        raise Invalid(
            _("Some values are not valid."),
            errors={"owner_email": [_("Only the secretariat registers an organisation for someone else.")]},
        )
    values["focus_areas"] = _focus_area_ids(values["focus_areas"])
    values["country"] = values["country"].upper()
    values["language"] = values["language"] or request.LANGUAGE_CODE
    form = validated(RegistrationForm, values, invites_owner=invites_owner)
    organisation = services.register_organisation(
        by=request.user,
        focus_areas=form.cleaned_data["focus_areas"],
        owner_email=form.cleaned_data.get("owner_email") or "",
        language=form.cleaned_data.get("language") or "",
        base_url=request.build_absolute_uri("/"),
        **form.registration_values(),
    )
    return Status(201, organisation)


# Admission (api/admission.py): the same rules and services as the admission pages.
router.add_router("/", "tansiq.network.api.admission.router")
# An organisation's contacts and representatives (api/representatives.py): the same rules and
# services as the contacts and representatives pages.
router.add_router("/", "tansiq.network.api.representatives.router")
# A network's units (api/units.py): the same rules and services as the units pages.
router.add_router("/", "tansiq.network.api.units.router")
