from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from tansiq.core import queries
from tansiq.core.apitools import Pages
from tansiq.core.rules import require

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


class NotificationOut(Schema):
    id: str
    kind: str
    subject: str
    message: str = Field(alias="body")
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_id(notification) -> str:
        return str(notification.uuid)


@router.get("/notifications", response=list[NotificationOut], summary="Your inbox, newest first")
@paginate(Pages, page_size=25)
def notifications(request: HttpRequest, unread: bool | None = None, kind: str | None = None):
    """Only your own messages. ``unread=true`` for the unread ones, ``kind`` for one kind."""
    found = queries.inbox_of(request.user)
    if unread is not None:
        found = found.filter(read_at=None) if unread else found.exclude(read_at=None)
    if kind:
        found = found.filter(kind=kind)
    return found


class UnreadOut(Schema):
    unread: int


@router.post("/notifications/read", response=UnreadOut, summary="Mark all your messages read")
def notifications_mark_all_read(request: HttpRequest):
    from tansiq.core import notify

    notify.mark_read(request.user)
    return {"unread": 0}


@router.post("/notifications/{notification_id}/read", response=NotificationOut, summary="Mark one message read")
def notification_mark_read(request: HttpRequest, notification_id: str):
    """404 for a message that is not yours, as for one that does not exist."""
    from tansiq.core import notify

    notification = queries.notification_of(request.user, notification_id)
    notify.mark_read(request.user, notification)
    notification.refresh_from_db()
    return notification
