from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from tansiq.core import queries
from tansiq.core.permissions import require

router = Router(tags=["platform"])


class AuditEntryOut(Schema):
    id: str = Field(alias="uuid")
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
@paginate(PageNumberPagination, page_size=50)
def audit_log(request: HttpRequest, action: str | None = None, object_type: str | None = None):
    require(request.user, "core.view_audit_log")
    entries = queries.audit_log_for(request.user)
    if action:
        entries = entries.filter(action=action)
    if object_type and "." in object_type:
        app_label, model = object_type.split(".", 1)
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    return entries
