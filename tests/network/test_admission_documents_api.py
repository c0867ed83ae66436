"""Application documents through the API: upload (multipart), list, download.

The API asks the same checks as the pages (``documents.validate_document``), the same rules
(the applicant's owners, admins and editors write while it is a draft; its people and the
secretariat read; referees, other organisations and visitors are refused) and serves files
through the same code as the page's download.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tansiq.accounts import services as account_services
from tansiq.core.models import AuditEntry
from tansiq.network.models import Application
from tansiq.network.services import admission
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, pdf, png

pytestmark = pytest.mark.usefixtures("private_media")


@pytest.fixture
def application(network, candidate, candidate_owner):
    return admission.start_application(by=candidate_owner, organisation=candidate, network=network)


@pytest.fixture
def person_of_candidate(candidate):
    def make(role):
        user = UserFactory(display_name=f"Candidate {role}")
        MembershipFactory(user=user, organisation=candidate, role=role)
        return user

    return make


def upload(client, application, kind, file, **headers):
    return client.post(f"/api/v1/applications/{application.uuid}/documents/{kind}", {"file": file}, headers=headers)


def stored(application):
    application = Application.objects.get(pk=application.pk)
    return {
        kind: application_field.name
        for kind in admission.DOCUMENTS
        if (application_field := getattr(application, kind))
    }


def test_the_applicant_uploads_lists_and_downloads_its_documents(
    client, settings, application, candidate_owner, django_capture_on_commit_callbacks
):
    client.force_login(candidate_owner)
    listing = client.get(f"/api/v1/applications/{application.uuid}/documents").json()
    assert [(item["kind"], item["uploaded"]) for item in listing] == [
        ("board_resolution", False),
        ("registration_certificate", False),
    ]
    response = upload(client, application, "board_resolution", pdf())
    assert response.status_code == 200
    data = response.json()
    assert data["uploaded"] and data["content_type"] == "application/pdf" and data["size"] > 0
    assert data["download"] == f"/api/v1/applications/{application.uuid}/documents/board_resolution"
    assert upload(client, application, "registration_certificate", png()).status_code == 200

    listing = client.get(f"/api/v1/applications/{application.uuid}/documents").json()
    assert all(item["uploaded"] for item in listing)
    download = client.get(data["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == 'attachment; filename="board_resolution.pdf"'
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF-")
    # The page's download answers with the same file and the same headers: one way out.
    page = client.get(f"/en/applications/{application.uuid}/documents/board_resolution/")
    assert b"".join(page.streaming_content) == body
    assert {key: page[key] for key in ("Content-Type", "Content-Disposition", "Cache-Control")} == {
        key: download[key] for key in ("Content-Type", "Content-Disposition", "Cache-Control")
    }
    assert not (settings.MEDIA_ROOT / stored(application)["board_resolution"]).exists()  # no public copy

    entries = AuditEntry.objects.for_object(application).filter(action="update")
    assert [entry.changes["fields"] for entry in entries.order_by("pk")] == [
        ["board_resolution"],
        ["registration_certificate"],
    ]

    # Uploading again replaces the document; the old file leaves the store once the change is saved.
    old = stored(application)["board_resolution"]
    storage = Application._meta.get_field("board_resolution").storage
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, application, "board_resolution", pdf("second.pdf", size=10)).status_code == 200
    assert stored(application)["board_resolution"] != old and not storage.exists(old)


def test_an_editor_uploads_but_a_viewer_and_the_secretariat_only_read(
    client, application, candidate_owner, person_of_candidate, secretariat
):
    editor, viewer = person_of_candidate("editor"), person_of_candidate("viewer")
    client.force_login(editor)
    assert upload(client, application, "board_resolution", pdf()).status_code == 200
    for user in (viewer, secretariat):
        client.force_login(user)
        response = upload(client, application, "registration_certificate", png())
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
        assert client.get(f"/api/v1/applications/{application.uuid}/documents").status_code == 200
        download = client.get(f"/api/v1/applications/{application.uuid}/documents/board_resolution")
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF-")  # read to the end, which closes it
    assert set(stored(application)) == {"board_resolution"}


def test_referees_other_organisations_and_visitors_are_refused(client, submitted, owner, other_owner, outsider):
    base = f"/api/v1/applications/{submitted.uuid}/documents"
    urls = [base, f"{base}/board_resolution", f"{base}/registration_certificate"]
    before = stored(submitted)
    # The referees (their organisations vouch for the applicant) never see its documents.
    for user in (owner, other_owner, outsider):
        assert_refused(client, user, urls, allowed=(404,))
        response = upload(client, submitted, "board_resolution", pdf("mine.pdf"))
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert_refused(client, None, urls, allowed=(401,))
    response = upload(client, submitted, "board_resolution", pdf("mine.pdf"))
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    assert stored(submitted) == before


@pytest.mark.parametrize(
    ("kind", "file", "message"),
    [
        (
            "board_resolution",
            SimpleUploadedFile("resolution.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"),
            "not the PDF, JPEG or PNG its name says",
        ),
        ("registration_certificate", "png claiming to be a pdf", "not the PDF, JPEG or PNG its name says"),
        (
            "board_resolution",
            SimpleUploadedFile("resolution.docx", b"PK\x03\x04", content_type="application/msword"),
            "Upload a PDF, JPEG or PNG file.",
        ),
        ("board_resolution", "oversized", "the largest allowed is 1 MB"),
        ("minutes", "a good pdf", "Choose which document this is"),
    ],
)
def test_bad_uploads_get_the_apis_error_shape_and_nothing_is_stored(
    client, settings, application, candidate_owner, kind, file, message
):
    settings.TANSIQ_MAX_UPLOAD_MB = 1
    if file == "oversized":
        file = pdf(size=1_200_000)
    elif file == "a good pdf":
        file = pdf()
    elif file == "png claiming to be a pdf":
        file = png("certificate.png")
        file.content_type = "application/pdf"
    client.force_login(candidate_owner)
    response = upload(client, application, kind, file)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and message in error["message"]
    assert error["fields"] == {kind if kind in admission.DOCUMENTS else "kind": [error["message"]]}
    assert stored(application) == {}
    assert not AuditEntry.objects.for_object(application).filter(action="update").exists()


def test_a_missing_file_is_a_validation_error_in_the_same_shape(client, application, candidate_owner):
    client.force_login(candidate_owner)
    response = client.post(f"/api/v1/applications/{application.uuid}/documents/board_resolution", {})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"file.file": ["This field is required."]}


def test_the_refusal_is_in_the_applicants_language(client, application, candidate_owner):
    candidate_owner.language = "ar"
    candidate_owner.save(update_fields=["language"])
    client.force_login(candidate_owner)
    fake = SimpleUploadedFile("resolution.docx", b"PK\x03\x04")
    response = upload(client, application, "board_resolution", fake)
    message = response.json()["error"]["message"]
    assert response.status_code == 400 and any("\u0600" <= ch <= "\u06ff" for ch in message), message


def test_documents_are_fixed_once_the_application_is_submitted(client, submitted, candidate_owner):
    before = stored(submitted)
    client.force_login(candidate_owner)
    response = upload(client, submitted, "board_resolution", pdf("new.pdf"))
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    assert stored(submitted) == before


def test_a_read_only_token_cannot_upload(client, application, candidate_owner):
    _token, raw = account_services.create_token(candidate_owner, by=candidate_owner, name="read", scope="read")
    bearer = {"Authorization": f"Bearer {raw}"}
    assert client.get(f"/api/v1/applications/{application.uuid}/documents", headers=bearer).status_code == 200
    assert upload(client, application, "board_resolution", pdf(), **bearer).status_code == 403
    _token, raw = account_services.create_token(candidate_owner, by=candidate_owner, name="write", scope="write")
    assert upload(client, application, "board_resolution", pdf(), Authorization=f"Bearer {raw}").status_code == 200


def test_an_editor_uploads_on_the_page_too_and_the_same_checks_apply(
    client, settings, application, person_of_candidate
):
    editor = person_of_candidate("editor")
    client.force_login(editor)
    page = client.get(f"/en/applications/{application.uuid}/").content.decode()
    assert "Upload the documents" in page and "Complete the application" not in page
    url = f"/en/applications/{application.uuid}/documents/"
    bad = client.post(url, {"board_resolution": SimpleUploadedFile("resolution.pdf", b"plain text")})
    assert bad.status_code == 400 and "not the PDF, JPEG or PNG its name says" in bad.content.decode()
    assert client.post(url, {}).status_code == 400
    assert stored(application) == {}
    response = client.post(url, {"board_resolution": pdf(), "registration_certificate": png()})
    assert response.status_code == 302
    assert set(stored(application)) == {"board_resolution", "registration_certificate"}


def test_a_bad_file_among_two_on_the_page_stores_neither(client, application, candidate_owner):
    client.force_login(candidate_owner)
    response = client.post(
        f"/en/applications/{application.uuid}/documents/",
        {"board_resolution": pdf(), "registration_certificate": SimpleUploadedFile("c.png", b"not an image")},
    )
    assert response.status_code == 400
    assert stored(application) == {}


def test_the_openapi_schema_documents_the_document_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    upload_operation = paths["/api/v1/applications/{uuid}/documents/{kind}"]["post"]
    assert "multipart/form-data" in upload_operation["requestBody"]["content"]
    download = paths["/api/v1/applications/{uuid}/documents/{kind}"]["get"]
    assert "application/pdf" in download["responses"]["200"]["content"]
    assert "/api/v1/applications/{uuid}/documents" in paths
