"""The one state-machine helper every workflow uses.

A model declares its states with a ``TextChoices`` field and its allowed edges in ``TRANSITIONS``::

    class Application(models.Model):
        class State(models.TextChoices): ...
        state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)

        STATE_FIELD = "state"          # the default
        TRANSITIONS = {
            (State.DRAFT, State.SUBMITTED): "network.submit_application",
            (State.SUBMITTED, State.WITHDRAWN): "network.withdraw_application",
        }

``transition(obj, to=..., by=user, reason=...)`` checks that the edge exists and that ``by`` holds
the rule named on it (a ``rules`` permission checked against ``obj``), saves, writes the audit
entry, and after commit sends ``transitioned`` so that the owning app can notify people.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from tansiq.core import audit
from tansiq.core.errors import Conflict, Forbidden, TansiqError

#: Sent after the transaction commits: ``sender`` is the model class; kwargs ``instance``,
#: ``from_state``, ``to_state``, ``by``, ``reason``, ``entry`` (the AuditEntry).
transitioned = Signal()


def state_of(obj: models.Model) -> str:
    return getattr(obj, getattr(obj, "STATE_FIELD", "state"))


def allowed_targets(obj: models.Model, user=None) -> list[str]:
    """States ``obj`` may move to next; with ``user``, only those this user may choose."""
    current = state_of(obj)
    targets = []
    for (source, target), rule in obj.TRANSITIONS.items():
        if source == current and (user is None or user.has_perm(rule, obj)):
            targets.append(target)
    return targets


def _label(obj: models.Model, state: str) -> str:
    field = obj._meta.get_field(getattr(obj, "STATE_FIELD", "state"))
    return str(dict(field.flatchoices).get(state, state))


def transition(
    obj: models.Model,
    *,
    to: str,
    by,
    reason: str = "",
    require_reason: bool = False,
    extra_fields: Iterable[str] = (),
    check_permission: bool = True,
    changes: dict[str, Any] | None = None,
) -> models.Model:
    """Move ``obj`` to state ``to``: check edge and permission, save, audit, notify after commit.

    Raises ``Conflict`` for an edge that does not exist from the current state (including a stale
    object whose state moved on), ``Forbidden`` when ``by`` may not take it, ``TansiqError`` when a
    reason is required but missing. ``extra_fields`` are saved together with the state.
    """
    field = getattr(obj, "STATE_FIELD", "state")
    source = state_of(obj)
    rule = obj.TRANSITIONS.get((source, to))
    if rule is None:
        raise Conflict(
            _("This cannot move from “%(source)s” to “%(target)s”.")
            % {"source": _label(obj, source), "target": _label(obj, to)}
        )
    if check_permission and not (by is not None and by.has_perm(rule, obj)):
        raise Forbidden(_("You are not allowed to make this change."))
    if require_reason and not reason.strip():
        raise TansiqError(_("Please give a reason."), field="reason")

    with transaction.atomic():
        if obj.pk is not None:
            # Compare-and-set: a concurrent transition that already moved the object wins and
            # this one is refused, instead of both being applied on top of each other.
            updated = type(obj)._default_manager.filter(pk=obj.pk, **{field: source}).update(**{field: to})
            if not updated:
                raise Conflict(_("Someone else changed this in the meantime. Reload the page and try again."))
        setattr(obj, field, to)
        obj.save(update_fields=[field, *extra_fields] if obj.pk is not None else None)
        entry = audit.record(
            "transition", by=by, obj=obj, from_state=source, to_state=to, reason=reason, changes=changes
        )
        transaction.on_commit(
            lambda: transitioned.send(
                sender=type(obj), instance=obj, from_state=source, to_state=to, by=by, reason=reason, entry=entry
            )
        )
    return obj
