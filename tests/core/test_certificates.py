"""Certificates: issuing, codes that cannot be guessed, public verification that discloses nothing
beyond what the certificate prints, the PDF in three languages, and who may download or revoke."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re

import pytest
from django.contrib.auth.models import Group
from pypdf import PdfReader

from tansiq.core import certificates
from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import AuditEntry, Certificate
from tests.factories import UserFactory
from tests.helpers import with_mfa
from tests.workflow_app.apps import PARTICIPATION
from tests.workflow_app.models import Petition

pytestmark = pytest.mark.django_db

FACTS = {"event": "National Volunteering Forum", "hours": 24, "start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 3)}


def issue(holder, **overrides):
    values = {
        "kind": PARTICIPATION,
        "holder": holder,
        "organisation_name": "Ihsan Welfare Association",
        "signatory_name": "Dr Khalid Al-Mansouri",
        "signatory_title": "Chair of the board",
        "facts": FACTS,
    }
    return certificates.issue(**{**values, **overrides})


@pytest.fixture
def organiser(db):
    user = UserFactory(display_name="Organiser")
    user.groups.add(Group.objects.get_or_create(name="verifier")[0])
    return with_mfa(user)  # platform roles sign in with a second factor


# --- Issuing -----------------------------------------------------------------------------------------


def test_issuing_keeps_what_the_certificate_prints_and_audits_it(member, organiser):
    petition = Petition.objects.create(title="Forum", owner=member)
    certificate = issue(member, by=organiser, source=petition)
    certificate.refresh_from_db()
    assert certificate.holder == member and certificate.holder_name == "فاطمة الزهراء"
    assert certificate.language == "ar"  # the holder's language
    assert certificate.facts == {**FACTS, "start": "2026-03-01", "end": "2026-03-03"}
    assert certificate.object_id == str(petition.pk) and certificate.issued_by == organiser
    entry = AuditEntry.objects.for_object(certificate).get()
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == organiser


def test_someone_the_kind_does_not_allow_cannot_issue(member, outsider):
    with pytest.raises(Forbidden):
        issue(member, by=outsider)
    assert not Certificate.objects.exists()


def test_a_certificate_needs_a_name_an_organisation_and_known_facts(member):
    with pytest.raises(TansiqError):
        issue(member, organisation_name="  ")
    with pytest.raises(TansiqError):
        issue(member, language="fr")
    with pytest.raises(ValueError, match="no fact named salary"):
        issue(member, facts={"salary": 100})
    with pytest.raises(LookupError):
        issue(member, kind="nobody.registered")


# --- Codes ---------------------------------------------------------------------------------------------


def test_codes_are_random_unique_and_in_the_unambiguous_alphabet(member):
    codes = {issue(member).code for _ in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert len(code) == 25 and set(code) <= set(certificates.ALPHABET)
        assert not set(code) & set("ILOU")
    # Not sequential, not derived from the id: no two share a long common prefix.
    ordered = sorted(codes)
    assert all(a[:6] != b[:6] for a, b in itertools.pairwise(ordered))


def test_a_code_is_found_however_it_is_typed(member):
    certificate = issue(member)
    printed = certificates.format_code(certificate.code)
    assert re.fullmatch(r"([0-9A-Z]{5}-){4}[0-9A-Z]{5}", printed)
    sloppy = printed.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    arabic_digits = printed.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for typed in (certificate.code, printed, sloppy, arabic_digits, f"  {printed}  "):
        assert certificates.verify(typed) == certificate, typed


def test_an_unknown_or_malformed_code_finds_nothing(member):
    certificate = issue(member)
    wrong = ("0" if certificate.code[0] != "0" else "1") + certificate.code[1:]
    for typed in (wrong, certificate.code[:-1], certificate.code + "X", "", "' OR 1=1 --", "U" * 25):
        assert certificates.verify(typed) is None, typed


# --- Revoking ---------------------------------------------------------------------------------------------


def test_the_organiser_revokes_with_a_reason_and_it_is_audited(member, organiser):
    certificate = issue(member)
    with pytest.raises(TansiqError):
        certificates.revoke(certificate, by=organiser, reason="  ")
    certificates.revoke(certificate, by=organiser, reason="Hours withdrawn")
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == organiser
    entry = AuditEntry.objects.for_object(certificate).get(action=AuditEntry.Action.TRANSITION)
    assert (entry.from_state, entry.to_state, entry.reason) == ("issued", "revoked", "Hours withdrawn")
    with pytest.raises(Conflict):
        certificates.revoke(certificate, by=organiser, reason="Again")


def test_the_holder_and_others_cannot_revoke(member, outsider):
    certificate = issue(member)
    for person in (member, outsider):
        with pytest.raises(Forbidden):
            certificates.revoke(certificate, by=person, reason="Mine")
    certificate.refresh_from_db()
    assert not certificate.is_revoked


# --- Public verification -----------------------------------------------------------------------------------


def test_the_verification_page_shows_a_valid_certificate_and_nothing_else(client, member):
    member.email = "fatimah.private@example.org"
    member.save()
    certificate = issue(member)
    response = client.get(f"/en/certificates/{certificate.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid." in html
    for printed in ("فاطمة الزهراء", "Ihsan Welfare Association", "National Volunteering Forum", "Dr Khalid"):
        assert printed in html
    assert certificates.format_code(certificate.code) in html
    assert "fatimah.private" not in html and "@example.org" not in html
    assert f"/{member.pk}/" not in html and f'"{certificate.pk}"' not in html
    assert "Download the PDF" not in html  # a visitor may not


def test_a_revoked_certificate_verifies_as_revoked_without_its_reason(client, member, organiser):
    certificate = issue(member)
    certificates.revoke(certificate, by=organiser, reason="Hours withdrawn by the organisation")
    html = client.get(f"/ar/certificates/{certificate.code}/").content.decode()
    assert "Hours withdrawn" not in html
    client.get("/en/")
    html = client.get(f"/en/certificates/{certificate.code}/").content.decode()
    assert "This certificate was revoked." in html and "This certificate is valid." not in html


def test_the_form_takes_a_code_as_printed_and_opens_its_certificate(client, member):
    certificate = issue(member)
    response = client.get("/en/certificates/verify/", {"code": certificates.format_code(certificate.code).lower()})
    assert response.status_code == 302 and response["Location"] == f"/en/certificates/{certificate.code}/"
    dashed = client.get(f"/en/certificates/{certificates.format_code(certificate.code)}/")
    assert dashed.status_code == 302 and dashed["Location"] == f"/en/certificates/{certificate.code}/"


def test_an_unknown_code_says_so_plainly(client, member):
    issue(member)
    for url in ("/en/certificates/verify/?code=ABCDE-ABCDE-ABCDE-ABCDE-ABCDE", "/en/certificates/NOPE/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "No certificate with this code." in response.content.decode()
    empty = client.get("/en/certificates/verify/", {"code": ""})
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()


def test_looking_up_codes_is_rate_limited(client, member, settings):
    settings.TANSIQ_CERTIFICATE_RATE = "3/min"
    statuses = [client.get(f"/en/certificates/verify/?code={'A' * 25}").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    certificate = issue(member)
    refused = client.get(f"/en/certificates/{certificate.code}/")
    assert refused.status_code == 429 and "Retry-After" in refused


def test_the_footer_links_the_verification_page_in_every_language(client):
    for language in ("ar", "en", "ms"):
        html = client.get(f"/{language}/").content.decode()
        assert f'href="/{language}/certificates/verify/"' in html
        assert client.get(f"/{language}/certificates/verify/").status_code == 200


# --- API ------------------------------------------------------------------------------------------------------


def test_the_api_verifies_a_code_with_what_the_certificate_prints(client, member, organiser):
    certificate = issue(member)
    body = client.get(f"/api/v1/certificates/{certificates.format_code(certificate.code)}").json()
    assert body["status"] == "valid" and body["holder_name"] == "فاطمة الزهراء"
    assert body["code"] == certificates.format_code(certificate.code)
    assert {fact["value"] for fact in body["facts"]} == {"National Volunteering Forum", 24, "2026-03-01", "2026-03-03"}
    assert not {"id", "holder", "email", "revoked_reason", "issued_by"} & set(body)
    certificates.revoke(certificate, by=organiser, reason="Mistake")
    assert client.get(f"/api/v1/certificates/{certificate.code}").json()["status"] == "revoked"


def test_the_api_answers_404_in_the_one_error_shape_for_an_unknown_code(client):
    response = client.get("/api/v1/certificates/ABCDEABCDEABCDEABCDEABCDE")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


# --- PDF ------------------------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


@pytest.mark.parametrize(
    ("language", "holder_name", "title"),
    [
        ("ar", "Fatimah Zahra", "شهادة"),  # a Latin name inside Arabic text
        ("en", "Fatimah Zahra", "Certificate of participation"),
        ("ms", "Siti Aisyah binti Ahmad", "Sijil Penyertaan"),
    ],
)
def test_the_holder_downloads_the_pdf_in_the_certificates_language(client, language, holder_name, title):
    holder = UserFactory(display_name=holder_name, language=language)
    certificate = issue(holder)
    client.force_login(holder)
    response = client.get(f"/en/certificates/{certificate.code}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    assert holder_name in text
    assert certificates.format_code(certificate.code) in text
    assert f"/{language}/certificates/{certificate.code}/" in text.replace("\n", "")
    if language != "ar":  # Arabic text comes out of a PDF in presentation forms, not as typed
        assert title in text


def test_the_arabic_pdf_uses_the_vendored_arabic_font(member):
    from tansiq.core.certificates.pdf import render_pdf

    content = render_pdf(issue(member), verify_url="https://example.org/ar/certificates/X/")
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(io.BytesIO(content)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Tansiq-Arabic" in name for name in fonts), fonts  # the @font-face of the vendored file


def test_nobody_else_can_download_the_pdf(client, member, outsider):
    certificate = issue(member)
    for person in (None, outsider):
        client.logout()
        if person:
            client.force_login(person)
        assert client.get(f"/en/certificates/{certificate.code}/pdf/").status_code == 404
    client.force_login(member)
    assert "Download the PDF" in client.get(f"/en/certificates/{certificate.code}/").content.decode()


def test_whom_the_kind_allows_and_the_secretariat_download_the_pdf(client, member, organiser, secretariat):
    certificate = issue(member)
    for person in (organiser, secretariat):
        client.force_login(person)
        assert client.get(f"/en/certificates/{certificate.code}/pdf/").status_code == 200


# --- Erasure and the back office ----------------------------------------------------------------------------


def test_a_certificate_still_verifies_as_issued_after_its_holders_account_is_deleted(client, member):
    certificate = issue(member)
    member.delete()
    certificate.refresh_from_db()
    assert certificate.holder is None
    html = client.get(f"/en/certificates/{certificate.code}/").content.decode()
    assert "This certificate is valid." in html and "فاطمة الزهراء" in html


def test_the_secretariat_revokes_in_the_back_office_through_the_service(client, member, secretariat):
    certificate, other = issue(member), issue(member)
    client.force_login(secretariat)
    listing = client.get("/en/admin/core/certificate/", {"revoked": "no", "kind": PARTICIPATION})
    assert listing.status_code == 200 and "فاطمة الزهراء" in listing.content.decode()
    action = {"action": "revoke", "_selected_action": [certificate.pk]}
    confirm = client.post("/en/admin/core/certificate/", action)
    assert confirm.status_code == 200 and "Reason for revoking" in confirm.content.decode()
    client.post("/en/admin/core/certificate/", {**action, "apply": "1", "reason": "Issued by mistake"})
    certificate.refresh_from_db()
    other.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_reason == "Issued by mistake" and not other.is_revoked
    assert AuditEntry.objects.for_object(certificate).filter(to_state="revoked", actor=secretariat).exists()
    revoked = client.get("/en/admin/core/certificate/", {"revoked": "yes"}).content.decode()
    assert certificates.format_code(certificate.code) not in revoked  # the list shows names, not codes
    assert client.get(f"/en/admin/core/certificate/{certificate.pk}/change/").status_code == 200


def test_the_back_office_is_closed_to_other_staff(client):
    staff = UserFactory(is_staff=True)
    client.force_login(with_mfa(staff))
    assert client.get("/en/admin/core/certificate/").status_code == 403
