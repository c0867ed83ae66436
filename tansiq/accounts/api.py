from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from tansiq.accounts import services

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: str
    email: str
    display_name: str
    language: str
    time_zone: str
    show_hijri: str
    hijri_region: str
    digits: str
    platform_roles: list[str]
    date_joined: dt.datetime

    @staticmethod
    def resolve_id(user) -> str:
        return str(user.uuid)


class MePatch(Schema):
    display_name: str | None = None
    language: str | None = None
    time_zone: str | None = None
    show_hijri: str | None = None
    hijri_region: str | None = None
    digits: str | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, value):
        if value is not None and value not in dict(settings.LANGUAGES):
            raise PydanticCustomError(
                "value_error", "unknown language", {"choices": ", ".join(dict(settings.LANGUAGES))}
            )
        return value


@router.get("/me", response=MeOut, summary="The signed-in user")
def me(request: HttpRequest):
    return request.user


@router.patch("/me", response=MeOut, summary="Change your own preferences")
def update_me(request: HttpRequest, payload: MePatch):
    """Checked by the profile page's form: what the page refuses is refused here (422)."""
    from tansiq.accounts.forms import ProfileForm
    from tansiq.accounts.models import User
    from tansiq.core.errors import validated

    values = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    form = validated(ProfileForm, values, instance=User.objects.get(pk=request.user.pk), partial=True)
    changed = {name: form.cleaned_data[name] for name in values}
    return services.update_profile(request.user, by=request.user, **changed)
