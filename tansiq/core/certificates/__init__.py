"""Verifiable certificates: one mechanism for volunteering, attendance and awards.

Apps register the kinds they issue from ``AppConfig.ready()``::

    certificates.register_kind(
        "volunteers.hours",
        _("Certificate of volunteering"),
        body_template="volunteers/certificates/hours.html",
        facts={"hours": certificates.Fact(_("Hours"), "number"), "start": certificates.Fact(_("From"), "date")},
        can_download=lambda user, certificate: ...,  # besides the holder and the secretariat
    )

and issue them from their own services (``issue``). A certificate keeps, as text, everything it
prints (the holder's and the organisation's names, the signatory, the facts), so it verifies as
issued even after the holder's account is erased or the source object is gone. Its only public
handle is its code: 25 random characters of Crockford's base32 (125 bits), never a sequential id
(docs/decisions/0033-certificate-codes-and-verification.md). Anyone may verify a code (``verify``,
the page and ``GET /api/v1/certificates/{code}``) and sees valid or revoked and what the
certificate prints, nothing more; the PDF goes to the holder and to whom the kind allows.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tansiq.core import audit
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.i18n import ascii_digits
from tansiq.core.models import AuditEntry, Certificate
from tansiq.core.rules import require

# --- Kinds ------------------------------------------------------------------------------------------

FACT_TYPES = ("text", "number", "date")


@dataclass(frozen=True)
class Fact:
    """One printed fact of a kind: its label, and how its value is shown (a date in both calendars,
    a number in the reader's digits, or text as given)."""

    label: str | Promise
    type: str = "text"


Hook = Callable[..., bool]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise  # the title printed on the certificate
    body_template: str = ""  # the sentence(s) under the holder's name, rendered in the certificate's language
    facts: dict[str, Fact] = field(default_factory=dict)  # printed in this order, on the PDF and when verified
    can_issue: Hook | None = None  # (user, certificate) → may this user issue it (besides the secretariat)
    can_download: Hook | None = None  # (user, certificate) → may this user download the PDF (besides holder)
    can_revoke: Hook | None = None  # (user, certificate) → may this user revoke it (besides the secretariat)


_kinds: dict[str, Kind] = {}


def register_kind(
    name: str,
    label: str | Promise,
    *,
    body_template: str = "",
    facts: dict[str, Fact] | None = None,
    can_issue: Hook | None = None,
    can_download: Hook | None = None,
    can_revoke: Hook | None = None,
) -> Kind:
    """Declare a kind of certificate (from ``AppConfig.ready()``)."""
    for fact in (facts or {}).values():
        if fact.type not in FACT_TYPES:
            raise ValueError(f"Unknown fact type {fact.type!r} (one of {', '.join(FACT_TYPES)})")
    kind = Kind(name, label, body_template, dict(facts or {}), can_issue, can_download, can_revoke)
    _kinds[name] = kind
    return kind


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: kind.name)


def get_kind(name: str) -> Kind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No certificate kind {name!r} is registered") from None


def kind_of(certificate: Certificate) -> Kind:
    """The certificate's kind; one whose app is gone still verifies, under its stored name."""
    return _kinds.get(certificate.kind) or Kind(certificate.kind, certificate.kind)


def printed_facts(certificate: Certificate) -> list[tuple[str, object, str]]:
    """(label, value, type) of each fact the certificate prints, in its kind's order."""
    kind = kind_of(certificate)
    if not kind.facts:
        return [(name, value, "text") for name, value in certificate.facts.items()]
    return [
        (str(fact.label), _typed(certificate.facts[name], fact.type), fact.type)
        for name, fact in kind.facts.items()
        if certificate.facts.get(name) not in (None, "")
    ]


def _typed(value, type: str):
    if type == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


# --- Codes --------------------------------------------------------------------------------------------

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 25  # 125 random bits
GROUP = 5
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐-―_.]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """The stored form of a code as someone typed it (any case, with or without dashes and
    spaces, O for 0, I or L for 1, Arabic-Indic digits), or None when it cannot be a code."""
    code = _SEPARATORS.sub("", ascii_digits(str(text or ""))).upper().translate(_MISREAD)
    if len(code) != CODE_LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def format_code(code: str) -> str:
    """``ABCDE-FGHJK-…``: the printed form, in groups of five."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))


# --- Services -----------------------------------------------------------------------------------------


def issue(
    *,
    kind: str,
    holder,
    organisation_name: str,
    facts: dict | None = None,
    by=None,
    holder_name: str = "",
    signatory_name: str = "",
    signatory_title: str = "",
    language: str = "",
    source: models.Model | None = None,
) -> Certificate:
    """Issue a certificate of ``kind`` to ``holder``, printing the given names and facts as they are now.

    ``by`` is the person issuing it (``core.issue_certificate``: the secretariat, or whom the kind
    allows); ``None`` only when the platform issues it itself (a task acting on a decision already
    checked). ``holder_name`` defaults to the holder's display name, ``language`` to theirs.
    """
    registered = get_kind(kind)
    facts = json.loads(json.dumps(facts or {}, cls=DjangoJSONEncoder))  # dates as ISO text, as printed
    unknown = sorted(set(facts) - set(registered.facts)) if registered.facts else []
    if unknown:
        raise ValueError(f"The kind {kind!r} prints no fact named {', '.join(unknown)}")
    holder_name = (holder_name or getattr(holder, "display_name", "") or "").strip()
    if not holder_name:
        raise TansiqError(_("A certificate needs the holder's name."), field="holder_name")
    if not organisation_name.strip():
        raise TansiqError(_("A certificate needs the organisation's name."), field="organisation_name")
    language = language or getattr(holder, "language", "") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise TansiqError(_("Choose one of the platform's languages."), field="language")
    certificate = Certificate(
        kind=kind,
        holder=holder,
        holder_name=holder_name[:200],
        organisation_name=organisation_name.strip()[:300],
        signatory_name=signatory_name.strip()[:200],
        signatory_title=signatory_title.strip()[:200],
        facts=facts,
        language=language,
        issued_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if source is not None:
        certificate.content_type = ContentType.objects.get_for_model(source)
        certificate.object_id = str(source.pk)
    if by is not None:
        require(by, "core.issue_certificate", certificate)
    with transaction.atomic():
        for attempt in range(3):  # a collision of 125 random bits will not happen; a retry costs nothing
            certificate.code = new_code()
            try:
                with transaction.atomic():
                    certificate.save()
                break
            except IntegrityError:
                if attempt == 2:
                    raise
        audit.record(
            AuditEntry.Action.CREATE,
            by=by,
            obj=certificate,
            changes={"kind": kind, "holder_name": certificate.holder_name, "language": language},
        )
    return certificate


def revoke(certificate: Certificate, *, by, reason: str) -> Certificate:
    """Revoke a certificate (a mistake, hours withdrawn, an award annulled). It still verifies, as
    revoked, with the date; the reason stays in the back office and the audit log."""
    require(by, "core.revoke_certificate", certificate)
    reason = (reason or "").strip()
    if not reason:
        raise TansiqError(_("Say why the certificate is revoked."), field="reason")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise Conflict(_("This certificate is already revoked."))
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason
        certificate.revoked_by = by
        certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        audit.record(
            AuditEntry.Action.TRANSITION, by=by, obj=certificate, from_state="issued", to_state="revoked", reason=reason
        )
    return certificate


def verify(code: str) -> Certificate | None:
    """The certificate with this code (valid or revoked), or None. One indexed lookup whatever was
    typed, so an unknown code answers about as fast as a known one."""
    return Certificate.objects.filter(code=normalise_code(code) or "-").first()


def may_download(user, certificate: Certificate) -> bool:
    return bool(user and user.has_perm("core.download_certificate", certificate))
