"""Notifications: one call keeps a message in the person's inbox and e-mails it by their preference.

Apps register the kinds they send from ``AppConfig.ready()``, with the e-mail templates that belong
to each kind (so ``core.email.send_to_user`` and ``send_templated`` route through here without
their callers naming a kind)::

    notify.register_kind("network.references", _("Reference requests"), templates=["network/email/reference_requested"])

and then::

    notify.notify(user, "network.references", template="network/email/reference_requested", context={...},
                  url=link, obj=reference)

Each person chooses per kind: e-mail at once, in a daily digest, or no e-mail; the inbox keeps the
message either way. Security kinds are always e-mailed at once and cannot be switched off. The
message is rendered in the recipient's language when it is sent. Kinds whose e-mails carry a
secret (a one-time link or code) keep only the subject in the inbox (``keep_body=False``).

The daily digest (``send_digests``, a daily job) sends each person one e-mail listing what came
for digest since their last one; each message is claimed before the e-mail is queued, so running
the job twice (or on two machines) sends nothing twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from tansiq.core.models import Notification, NotificationPreference
from tansiq.core.tasks import background, deliver_email

Delivery = Notification.Delivery
logger = logging.getLogger("tansiq.tasks")


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    templates: tuple[str, ...] = ()
    security: bool = False  # always e-mailed at once; the person cannot change it
    keep_body: bool = True  # False: the e-mail carries a secret; the inbox keeps the subject only
    default: str = Delivery.IMMEDIATE
    order: int = 100
    object_key: str = ""  # the e-mail context's entry naming the object the message is about


_kinds: dict[str, Kind] = {}
_by_template: dict[str, str] = {}


def register_kind(
    name: str,
    label: str | Promise,
    *,
    templates: tuple[str, ...] | list[str] = (),
    security: bool = False,
    keep_body: bool = True,
    default: str = Delivery.IMMEDIATE,
    order: int = 100,
    object_key: str = "",
) -> Kind:
    """Declare a kind of notification (from ``AppConfig.ready()``); its templates route to it."""
    if default not in Delivery.values:
        raise ValueError(f"Unknown delivery {default!r}")
    kind = Kind(name, label, tuple(templates), security, keep_body, default, order, object_key)
    _kinds[name] = kind
    for template in kind.templates:
        owner = _by_template.get(template)
        if owner is not None and owner != name:
            raise ValueError(f"The template {template!r} already belongs to the kind {owner!r}")
        _by_template[template] = name
    return kind


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.name))


def get_kind(name: str) -> Kind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No notification kind {name!r} is registered") from None


def kind_for_template(template_prefix: str) -> Kind | None:
    name = _by_template.get(template_prefix)
    return _kinds[name] if name else None


# --- Preferences ----------------------------------------------------------------------------------


def preferences_of(user) -> dict[str, str]:
    """Every registered kind's delivery for ``user`` (their choice, else the kind's default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.name: delivery_for(kind, chosen.get(kind.name)) for kind in kinds()}


def delivery_for(kind: Kind, chosen: str | None) -> str:
    if kind.security:
        return Delivery.IMMEDIATE
    return chosen if chosen in Delivery.values else kind.default


def set_preferences(user, choices: dict[str, str]) -> None:
    """Save ``user``'s choices (kind name → delivery); security kinds and unknown kinds are ignored."""
    with transaction.atomic():
        for name, delivery in choices.items():
            kind = _kinds.get(name)
            if kind is None or kind.security or delivery not in Delivery.values:
                continue
            NotificationPreference.objects.update_or_create(user=user, kind=name, defaults={"delivery": delivery})


# --- Sending ----------------------------------------------------------------------------------------


def notify(
    user,
    kind: str,
    *,
    template: str,
    context: dict | None = None,
    url: str = "",
    obj=None,
    to: str = "",
) -> Notification:
    """Keep a message for ``user`` in their inbox and e-mail it as they chose for ``kind``.

    Rendered now, in the recipient's language, from ``template`` (see ``core.email``); the e-mail
    leaves after commit. ``to`` overrides the address (e.g. confirming a new one).
    """
    from tansiq.core.email import render

    registered = get_kind(kind)
    subject, text, html = render(template, {"user": user, **(context or {})}, language=user.language)
    chosen = NotificationPreference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    delivery = delivery_for(registered, chosen)
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        subject=subject[:300],
        body=text if registered.keep_body else "",
        url=url[:500],
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        delivery=delivery,
    )
    forget_unread(user.pk)
    address = to or user.email
    if delivery == Delivery.IMMEDIATE and address:
        transaction.on_commit(lambda: deliver_email.enqueue([address], subject, text, html))
    return notification


# --- The inbox --------------------------------------------------------------------------------------


def unread_key(user_id: int) -> str:
    return f"tansiq:notify:unread:{user_id}"


def unread_keys_of_reader(request) -> list[str]:
    user = getattr(request, "user", None)
    return [unread_key(user.pk)] if getattr(user, "is_authenticated", False) else []


def forget_unread(user_id: int) -> None:
    transaction.on_commit(lambda: cache.delete(unread_key(user_id)))


UNREAD_TIMEOUT = 7 * 24 * 3600  # forgotten whenever it changes; long-lived so pages rarely count


def unread_count(user) -> int:
    """How many unread messages ``user`` has; cached (read with the request's first statement)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    count = cache.get(unread_key(user.pk))
    return _count_unread(user) if count is None else count


def _count_unread(user) -> int:
    count = Notification.objects.filter(user=user, read_at=None).count()
    cache.set(unread_key(user.pk), count, UNREAD_TIMEOUT)
    return count


def count_unread_on_sign_in(sender, request, user, **kwargs) -> None:
    """Signing in (a write already) prepares the header's count, so the pages after it do not count."""
    _count_unread(user)


def mark_read(user, notification: Notification | None = None) -> int:
    """Mark one of ``user``'s messages (or all of them) read; how many changed."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    with transaction.atomic():
        changed = unread.update(read_at=timezone.now())
        if changed:
            forget_unread(user.pk)
    return changed


# --- The daily digest -------------------------------------------------------------------------------


def send_digests() -> int:
    """One e-mail per person listing what came for the digest since their last one; how many sent."""
    pending = Notification.objects.filter(delivery=Delivery.DIGEST, digested_at=None)
    people = defaultdict(list)
    for user_id, pk in pending.order_by("user_id", "created_at", "pk").values_list("user_id", "pk"):
        people[user_id].append(pk)
    users = get_user_model().objects.in_bulk(list(people))
    sent = 0
    for user_id, ids in people.items():
        user = users.get(user_id)
        if user is not None and _send_digest(user, ids):
            sent += 1
    return sent


def _send_digest(user, ids: list[int]) -> bool:
    from tansiq.core.email import render

    with transaction.atomic():
        # Claim the messages: another run that got here first has claimed (and sent) them.
        claimed = Notification.objects.filter(pk__in=ids, digested_at=None).update(digested_at=timezone.now())
        if claimed != len(ids):
            transaction.set_rollback(True)
            return False
        if not user.email or not user.is_active:
            return False
        # A kind switched off since its messages came is left out (they stay in the inbox).
        switched_off = [kind for kind, delivery in preferences_of(user).items() if delivery == Delivery.OFF]
        notifications = list(
            Notification.objects.filter(pk__in=ids).exclude(kind__in=switched_off).order_by("created_at", "pk")
        )
        if not notifications:
            return False
        subject, text, html = render(
            "core/email/digest", {"user": user, "notifications": notifications}, language=user.language
        )
        transaction.on_commit(lambda: deliver_email.enqueue([user.email], subject, text, html))
    return True


@background()
def send_daily_digests() -> int:
    """The daily job (``core.notify-digest``)."""
    return send_digests()
