"""The volunteer's own profile in the API: the same form, service and reads as the profile page.

``GET /volunteers/me`` reads it; ``PUT /volunteers/me`` creates or replaces it through the page's
form (422 with its messages). The identity number is write-only; reads show it masked.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tansiq.core.errors import Invalid, TansiqError, validated
from tansiq.volunteers.forms.profiles import LanguageForm, ProfileForm, SkillForm
from tansiq.volunteers.models import Cause
from tansiq.volunteers.queries import profiles as queries
from tansiq.volunteers.services import profiles as services

router = Router(tags=["volunteers"])


class Ability(Schema):
    name: str
    level: str


class ProfileOut(Schema):
    uuid: str
    legal_name: str
    name_arabic: str
    name_latin: str
    birth_date: dt.date
    birth_calendar: str
    birth_date_hijri: str
    gender: str
    nationality: str
    country: str
    city: str
    latitude: float | None
    longitude: float | None
    causes: list[str]
    languages: list[Ability]
    skills: list[Ability]
    availability: list[str]
    mode: str
    travel_km: int
    emergency_name: str
    emergency_phone: str
    identity_number: str
    discoverable: bool
    guardian_consent: bool

    @staticmethod
    def resolve_uuid(profile) -> str:
        return str(profile.uuid)

    @staticmethod
    def resolve_causes(profile) -> list[str]:
        return [cause.slug for cause in profile.causes.all()]

    @staticmethod
    def resolve_languages(profile) -> list[dict]:
        return [{"name": row.language, "level": row.level} for row in profile.languages.all()]

    @staticmethod
    def resolve_skills(profile) -> list[dict]:
        return [{"name": row.name, "level": row.level} for row in profile.skills.all()]

    @staticmethod
    def resolve_identity_number(profile) -> str:
        return profile.identity_number_masked

    @staticmethod
    def resolve_guardian_consent(profile) -> bool:
        return profile.has_guardian_consent


class ProfileIn(Schema):
    legal_name: str
    name_arabic: str = ""
    name_latin: str = ""
    birth_calendar: str = "gregorian"
    birth_date: str = ""
    hijri_year: int | None = None
    hijri_month: int | None = None
    hijri_day: int | None = None
    gender: str = ""
    nationality: str
    country: str
    city: str
    latitude: float | None = None
    longitude: float | None = None
    causes: list[str] = []
    languages: list[Ability] = []
    skills: list[Ability] = []
    availability: list[str] = []
    mode: str = "both"
    travel_km: int = 20
    emergency_name: str = ""
    emergency_phone: str = ""
    identity_number: str = ""
    discoverable: bool = False


class NotFound(TansiqError):
    status = 404
    code = "not_found"


def _rows(form_class, key: str, rows: list[Ability], field: str) -> list[tuple[str, str]]:
    """Each language or skill goes through the page's row form: 422 names the list it came from."""
    clean = []
    for row in rows:
        try:
            form = validated(form_class, {key: row.name, "level": row.level})
        except Invalid as error:
            messages = [message for found in error.errors.values() for message in found]
            raise Invalid(error.message, errors={field: messages}) from None
        clean.append((form.cleaned_data[key].strip(), form.cleaned_data["level"]))
    return clean


@router.get("/volunteers/me", response=ProfileOut, summary="My volunteer profile")
def my_profile(request: HttpRequest):
    """404 until the signed-in person creates a volunteer profile."""
    profile = queries.own_profile(request.user)
    if profile is None:
        raise NotFound(_("You have no volunteer profile yet."))
    return profile


@router.put("/volunteers/me", response=ProfileOut, summary="Create or replace my volunteer profile")
def save_my_profile(request: HttpRequest, payload: ProfileIn):
    """The profile page's rules: a Hijri ``birth_calendar`` takes ``hijri_year``/``hijri_month``
    (``hijri_day`` defaults to 1, the 1 Rajab placeholder); ``identity_number`` left empty keeps
    the one on record; ``causes`` are cause codes."""
    data = payload.dict(exclude={"causes", "languages", "skills"})
    causes = list(Cause.objects.filter(slug__in=payload.causes))
    if len(causes) != len(set(payload.causes)):
        raise Invalid(_("Some values are not valid."), errors={"causes": [_("Unknown cause.")]})
    data["causes"] = [cause.pk for cause in causes]
    data = {name: value for name, value in data.items() if value is not None}
    if data.get("discoverable") is False:
        del data["discoverable"]  # an unticked box is absent from a form
    form = validated(ProfileForm, data, instance=queries.own_profile(request.user), language=get_language())
    services.save_profile(
        request.user,
        by=request.user,
        values=form.profile_values(),
        causes=form.cleaned_data["causes"],
        languages=_rows(LanguageForm, "language", payload.languages, "languages"),
        skills=_rows(SkillForm, "name", payload.skills, "skills"),
        identity_number=form.cleaned_data["identity_number"] or None,
    )
    return queries.own_profile(request.user)
