from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from tansiq.core import certificates

router = Router(tags=["certificates"])


class FactOut(Schema):
    label: str
    value: str | int | float
    type: str


class CertificateOut(Schema):
    code: str
    status: str  # "valid" or "revoked"
    kind: str
    title: str
    holder_name: str
    organisation_name: str
    signatory_name: str
    signatory_title: str
    facts: list[FactOut]
    language: str
    issued_at: dt.datetime
    revoked_at: dt.datetime | None


@router.get(
    "/certificates/{code}",
    response=CertificateOut,
    auth=None,
    summary="Verify a certificate by its code (public)",
)
def verify_certificate(request: HttpRequest, code: str):
    """Valid or revoked, and what the certificate prints (its holder's and organisation's names,
    its facts, its date), nothing more. The code may be given with or without its dashes. 404 for
    a code no certificate has."""
    found = certificates.verify(code)
    if found is None:
        raise Http404
    return {
        "code": certificates.format_code(found.code),
        "status": "revoked" if found.is_revoked else "valid",
        "kind": found.kind,
        "title": str(certificates.kind_of(found).label),
        "holder_name": found.holder_name,
        "organisation_name": found.organisation_name,
        "signatory_name": found.signatory_name,
        "signatory_title": found.signatory_title,
        "facts": [
            {"label": label, "value": value.isoformat() if isinstance(value, dt.date) else value, "type": kind}
            for label, value, kind in certificates.printed_facts(found)
        ],
        "language": found.language,
        "issued_at": found.issued_at,
        "revoked_at": found.revoked_at,
    }
