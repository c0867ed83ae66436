from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from tansiq.core import queries
from tansiq.core.apitools import Pages
from tansiq.core.permissions import require

router = Router(tags=["platform"])


class AuditEntryOut(Schema):
    id: str
    at: dt.datetime
    actor: str = Field(alias="actor_label")
    action: str
    object_type: str | None
    object_id: str
    object: str = Field(alias="object_repr")
    from_state: str
    to_state: str
    reason: str

    @staticmethod
    def resolve_object_type(entry) -> str | None:
        return f"{entry.content_type.app_label}.{entry.content_type.model}" if entry.content_type else None

    @staticmethod
    def resolve_id(entry) -> str:
        return str(entry.uuid)


@router.get("/audit", response=list[AuditEntryOut], summary="Audit log (secretariat only)")
@paginate(Pages, page_size=50)
def audit_log(request: HttpRequest, action: str | None = None, object_type: str | None = None):
    require(request.user, "core.view_audit_log")
    entries = queries.audit_log_for(request.user)
    if action:
        entries = entries.filter(action=action)
    if object_type and "." in object_type:
        app_label, model = object_type.split(".", 1)
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    return entries


class HijriOut(Schema):
    gregorian: dt.date
    year: int
    month: int
    day: int
    month_name: str
    text: str
    variant: str
    region: str


@router.get(
    "/hijri", response=HijriOut, auth=None, summary="The Hijri date of a Gregorian date, as the platform shows it"
)
def hijri_date(request: HttpRequest, date: dt.date, region: str = ""):
    """Umm al-Qura (or the deployment's variant), following month starts announced in ``region``."""
    from django.conf import settings
    from django.utils import translation

    from tansiq.core import i18n

    region = region.strip().upper()[:2]
    day = i18n.to_hijri(date, variant=settings.TANSIQ_HIJRI_VARIANT, region=region)
    language = translation.get_language() or settings.LANGUAGE_CODE
    language = language if language in i18n.MONTHS else "en"
    return {
        "gregorian": date,
        "year": day.year,
        "month": day.month,
        "day": day.day,
        "month_name": i18n.MONTHS[language][day.month - 1],
        "text": day.format(language),
        "variant": settings.TANSIQ_HIJRI_VARIANT,
        "region": region,
    }
