"""Writing the audit log. Every transition and every back-office change passes through here."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tansiq.core.models import AuditEntry

# Field names whose values must never reach the log, whatever model they belong to.
SECRET_FIELD_MARKERS = ("password", "token", "secret", "key", "code", "otp", "hash")


def is_secret_field(name: str) -> bool:
    lowered = name.lower()
    return any(marker in lowered for marker in SECRET_FIELD_MARKERS)


def scrub(changes: dict[str, Any]) -> dict[str, Any]:
    """Replace the value of any secret-looking field (at any depth) by a marker."""
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if is_secret_field(name):
            clean[name] = "[hidden]"
        elif isinstance(value, dict):
            clean[name] = scrub(value)
        else:
            clean[name] = value
    return clean


def actor_label(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return (getattr(user, "display_name", "") or user.get_username())[:200]


def record(
    action: str,
    *,
    by=None,
    obj: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry. Call inside the transaction that makes the change."""
    return AuditEntry.objects.create(
        actor=by if getattr(by, "is_authenticated", False) else None,
        actor_label=actor_label(by),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
        changes=scrub(changes or {}),
    )


_ADMIN_ACTIONS = {1: AuditEntry.Action.ADMIN_ADD, 2: AuditEntry.Action.ADMIN_CHANGE, 3: AuditEntry.Action.ADMIN_DELETE}


def mirror_admin_entries(entries) -> None:
    """Every back-office change (our admins and third-party ones alike) lands in the audit log.

    Django's admin writes LogEntry rows for each add/change/delete; their change message lists the
    changed field names, never their values, so nothing secret is copied.
    """
    rows = []
    for instance in entries:
        fields: list[str] = []
        for item in _parse(instance.change_message or ""):
            for verb in ("changed", "added"):
                fields.extend(item.get(verb, {}).get("fields", []))
        user = instance.user
        rows.append(
            AuditEntry(
                actor=user,
                actor_label=actor_label(user),
                action=_ADMIN_ACTIONS.get(instance.action_flag, AuditEntry.Action.ADMIN_CHANGE),
                content_type_id=instance.content_type_id,
                object_id=str(instance.object_id or "")[:64],
                object_repr=(instance.object_repr or "")[:300],
                changes={"fields": sorted(set(fields))} if fields else {},
            )
        )
    AuditEntry.objects.bulk_create(rows)


def _parse(message: str) -> list[dict]:
    try:
        data = json.loads(message)
    except ValueError:
        return []
    return data if isinstance(data, list) else []


def connect_admin_log() -> None:
    """Wrap ``LogEntryManager.log_actions``, the one method every admin add/change/delete goes
    through since Django 5.1. A post_save receiver would miss bulk deletions (bulk_create)."""
    from django.contrib.admin.models import LogEntryManager

    original = LogEntryManager.log_actions
    if getattr(original, "tansiq_audited", False):
        return

    def log_actions(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        mirror_admin_entries(result if isinstance(result, list) else [result])
        return result

    log_actions.tansiq_audited = True
    LogEntryManager.log_actions = log_actions
