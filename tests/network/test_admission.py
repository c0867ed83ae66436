"""Admission by the statute: an organisation applies, referees vouch, the secretariat moves it through."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import AuditEntry
from tansiq.network.models import Application, NetworkMembership, Reference
from tansiq.network.services import admission
from tests.factories import UserFactory
from tests.helpers import ROLE_REFUSED, assert_refused
from tests.network.factories import MembershipFactory, pdf, png, reference_of

State = Application.State
pytestmark = pytest.mark.usefixtures("private_media")


@pytest.fixture
def candidate_owner(candidate):
    user = UserFactory(display_name="Candidate owner", language="ms")
    MembershipFactory(user=user, organisation=candidate, role="owner")
    return user


def test_an_organisation_applies_is_vouched_for_and_admitted_through_the_pages(
    client,
    network,
    candidate,
    candidate_owner,
    org,
    owner,
    other_org,
    other_owner,
    secretariat,
    django_capture_on_commit_callbacks,
):
    client.force_login(candidate_owner)
    response = client.post("/en/organisations/candidate/applications/", {"network": "uniw"})
    application = Application.objects.get(organisation=candidate)
    assert response.url == f"/en/applications/{application.uuid}/"
    response = client.post(
        f"/en/applications/{application.uuid}/",
        {
            "category": "associate",
            "representative_name": "Aminah binti Yusof",
            "referees": [org.slug, other_org.slug],  # the picker sends slugs
            "board_resolution": pdf(),
            "registration_certificate": png(),
        },
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/applications/{application.uuid}/submit/")
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    referee_mail = [message for message in mail.outbox if owner.email in message.to]
    assert len(referee_mail) == 1 and "/ar/references/" in referee_mail[0].body  # the referee's own language

    for referee, organisation in ((owner, org), (other_owner, other_org)):
        client.force_login(referee)
        reference = reference_of(application, organisation)
        assert client.get(f"/en/references/{reference.uuid}/").status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/en/references/{reference.uuid}/", {"answer": "confirm"})
    application.refresh_from_db()
    assert application.state == State.REFEREES_CONFIRMED  # moved on by itself

    client.force_login(secretariat)
    page = client.get(f"/en/applications/{application.uuid}/review/").content.decode()
    assert "2 of 2 confirmed" in page and "Both documents are here" in page
    assert 'value="reviewed"' in page and 'value="admitted"' not in page
    for target in ("reviewed", "eligible"):
        client.post(f"/en/applications/{application.uuid}/review/", {"target": target, "reason": "Statute met"})
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/applications/{application.uuid}/review/", {"target": "notice"})
    application.refresh_from_db()
    assert application.state == State.NOTICE
    assert application.notice_ends_on == timezone.localdate() + timezone.timedelta(days=network.notice_period_days)
    assert {owner.email, other_owner.email} <= {address for message in mail.outbox for address in message.to}

    Application.objects.filter(pk=application.pk).update(notice_ends_on=timezone.localdate())
    response = client.post(
        f"/en/applications/{application.uuid}/review/",
        {"target": "admitted", "votes_for": 30, "votes_against": 4, "votes_abstain": 2, "category": "full"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.ADMITTED
    membership = NetworkMembership.objects.get(network=network, organisation=candidate)
    assert (membership.status, membership.category) == ("admitted", "full")

    steps = AuditEntry.objects.filter(
        object_id=str(application.pk), action="transition", content_type__model="application"
    )
    assert list(steps.order_by("pk").values_list("to_state", flat=True)) == [
        "submitted",
        "referees_confirmed",
        "reviewed",
        "eligible",
        "notice",
        "admitted",
    ]
    assert all(entry.actor_id and entry.at for entry in steps)

    client.force_login(candidate_owner)
    page = client.get(f"/en/applications/{application.uuid}/").content.decode()
    assert "Admitted" in page and 'aria-current="step"' in page


def test_the_assembly_rejects_when_no_more_vote_for_than_against(
    submitted, secretariat, org, other_org, owner, other_owner
):
    for referee, organisation in ((owner, org), (other_owner, other_org)):
        admission.answer_reference(reference_of(submitted, organisation), by=referee, confirm=True)
    for target in ("reviewed", "eligible", "notice"):
        admission.move_application(submitted, to=target, by=secretariat)
    Application.objects.filter(pk=submitted.pk).update(notice_ends_on=timezone.localdate())
    application = admission.record_assembly_vote(submitted, by=secretariat, votes=(5, 5, 1))
    assert application.state == State.REJECTED
    assert not NetworkMembership.objects.filter(organisation=submitted.organisation).exists()


def test_applicant_cannot_move_its_own_application_past_submitted(client, submitted, candidate_owner):
    with pytest.raises(Forbidden):
        admission.move_application(submitted, to=State.REFEREES_CONFIRMED, by=candidate_owner)
    client.force_login(candidate_owner)
    response = client.post(
        f"/api/v1/applications/{submitted.uuid}/transitions",
        {"target": "referees_confirmed"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert (
        client.post(f"/en/applications/{submitted.uuid}/review/", {"target": "referees_confirmed"}).status_code == 404
    )
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_referee_cannot_confirm_for_another_organisation(client, submitted, owner, other_org):
    reference = reference_of(submitted, other_org)
    with pytest.raises(Forbidden):
        admission.answer_reference(reference, by=owner, confirm=True)
    assert_refused(client, owner, [f"/en/references/{reference.uuid}/", ("post", f"/en/references/{reference.uuid}/")])
    reference.refresh_from_db()
    assert reference.state == Reference.State.PENDING


def test_a_decline_needs_a_reason_and_the_applicant_hears_of_it(
    submitted, owner, org, candidate_owner, django_capture_on_commit_callbacks
):
    reference = reference_of(submitted, org)
    with pytest.raises(TansiqError):
        admission.answer_reference(reference, by=owner, confirm=False, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        admission.answer_reference(reference, by=owner, confirm=False, reason="We do not know them")
    assert reference_of(submitted, org).state == Reference.State.DECLINED
    message = next(message for message in mail.outbox if candidate_owner.email in message.to)
    assert "/ms/applications/" in message.body and "We do not know them" in message.body


def test_the_assembly_cannot_vote_before_the_notice_period_ends(
    client, submitted, secretariat, org, other_org, owner, other_owner
):
    for referee, organisation in ((owner, org), (other_owner, other_org)):
        admission.answer_reference(reference_of(submitted, organisation), by=referee, confirm=True)
    for target in ("reviewed", "eligible", "notice"):
        admission.move_application(submitted, to=target, by=secretariat)
    with pytest.raises(Conflict, match="notice period ends"):
        admission.record_assembly_vote(submitted, by=secretariat, votes=(10, 1, 0))
    client.force_login(secretariat)
    response = client.post(
        f"/en/applications/{submitted.uuid}/review/", {"target": "admitted", "votes_for": 10, "votes_against": 1}
    )
    assert response.status_code == 400
    assert "The assembly cannot vote before the notice period ends" in response.content.decode()
    api = client.post(
        f"/api/v1/applications/{submitted.uuid}/transitions",
        {"target": "admitted", "votes_for": 10, "votes_against": 1, "votes_abstain": 0},
        content_type="application/json",
    )
    assert api.status_code == 409
    submitted.refresh_from_db()
    assert submitted.state == State.NOTICE


def test_ineligible_needs_the_councils_reason(submitted, secretariat, org, other_org, owner, other_owner):
    for referee, organisation in ((owner, org), (other_owner, other_org)):
        admission.answer_reference(reference_of(submitted, organisation), by=referee, confirm=True)
    admission.move_application(submitted, to="reviewed", by=secretariat)
    with pytest.raises(TansiqError):
        admission.move_application(submitted, to="ineligible", by=secretariat)
    application = admission.move_application(submitted, to="ineligible", by=secretariat, reason="Founded last month")
    assert (application.state, application.decision_reason) == ("ineligible", "Founded last month")
    labels = [status for _label, status in admission.steps_of(application)]
    assert labels[-1] == "ended"


def test_outsiders_get_404_on_pages_api_and_documents(client, submitted, outsider, owner):
    base = f"/en/applications/{submitted.uuid}"
    urls = [
        f"{base}/",
        f"{base}/documents/board_resolution/",
        f"{base}/documents/registration_certificate/",
        f"{base}/review/",
        ("post", f"{base}/submit/"),
        ("post", f"{base}/withdraw/"),
        f"/api/v1/applications/{submitted.uuid}",
        "/en/organisations/candidate/applications/",
    ]
    for user in (outsider, owner):  # a referee sees its reference, not the application and its documents
        assert_refused(client, user, urls, allowed=(404,))
    assert_refused(client, None, urls[:4])


def test_documents_are_downloadable_by_the_applicant_and_the_secretariat_only_through_the_view(
    client, settings, submitted, candidate_owner, secretariat
):
    for user in (candidate_owner, secretariat):
        client.force_login(user)
        response = client.get(f"/en/applications/{submitted.uuid}/documents/board_resolution/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert not (settings.MEDIA_ROOT / submitted.board_resolution.name).exists()  # nothing under a public URL


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("resolution.pdf", b"MZ\x90\x00 not a pdf at all"),
            "not the PDF, JPEG or PNG its name says",
        ),
        (SimpleUploadedFile("resolution.docx", b"PK\x03\x04"), "Upload a PDF, JPEG or PNG file."),
        ("oversized", "the largest allowed is 1 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_is_saved(
    client, settings, network, candidate, candidate_owner, upload, message
):
    settings.TANSIQ_MAX_UPLOAD_MB = 1
    if upload == "oversized":
        upload = pdf(size=1_200_000)
    application = admission.start_application(by=candidate_owner, organisation=candidate, network=network)
    client.force_login(candidate_owner)
    response = client.post(
        f"/en/applications/{application.uuid}/",
        {"category": "full", "representative_name": "Changed name", "board_resolution": upload},
    )
    assert response.status_code == 400  # the form comes back with its errors
    assert message in response.content.decode()
    application.refresh_from_db()
    assert not application.board_resolution and application.representative_name == ""


def test_the_upload_error_is_translated(client, network, candidate, candidate_owner):
    application = admission.start_application(by=candidate_owner, organisation=candidate, network=network)
    client.force_login(candidate_owner)
    fake = SimpleUploadedFile("resolution.pdf", b"plain text")
    response = client.post(
        f"/ar/applications/{application.uuid}/",
        {"category": "full", "representative_name": "x", "board_resolution": fake},
    )
    assert response.status_code == 400
    assert 'lang="ar"' in response.content.decode() and 'dir="rtl"' in response.content.decode()


def test_double_submission_is_harmless(client, draft, candidate_owner, django_capture_on_commit_callbacks):
    client.force_login(candidate_owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/applications/{draft.uuid}/submit/")
    sent = len(mail.outbox)
    assert sent
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/applications/{draft.uuid}/submit/")
    assert response.status_code == 302
    assert len(mail.outbox) == sent
    assert AuditEntry.objects.filter(object_id=str(draft.pk), to_state="submitted").count() == 1
    assert (
        admission.start_application(by=candidate_owner, organisation=draft.organisation, network=draft.network) == draft
    )


def test_submission_needs_documents_and_the_statutes_number_of_referees(network, candidate, candidate_owner, org):
    application = admission.start_application(by=candidate_owner, organisation=candidate, network=network)
    admission.save_application(
        application,
        by=candidate_owner,
        category="full",
        representative_name="A",
        referees=[org],
        board_resolution=pdf(),
    )
    with pytest.raises(TansiqError, match="missing documents"):
        admission.submit_application(application, by=candidate_owner)
    admission.save_application(
        application, by=candidate_owner, category="full", representative_name="A", registration_certificate=png()
    )
    with pytest.raises(TansiqError, match="exactly 2"):
        admission.submit_application(application, by=candidate_owner)
    with pytest.raises(TansiqError, match="own referee"):
        admission.save_application(
            application, by=candidate_owner, category="full", representative_name="A", referees=[candidate]
        )


def test_applicant_may_withdraw_before_the_decision(client, submitted, candidate_owner):
    client.force_login(candidate_owner)
    client.post(f"/en/applications/{submitted.uuid}/withdraw/")
    submitted.refresh_from_db()
    assert submitted.state == State.WITHDRAWN


def test_api_creates_reads_and_submits_ones_own_application(
    client, network, candidate, candidate_owner, org, other_org
):
    client.force_login(candidate_owner)
    response = client.post(
        "/api/v1/applications",
        {"organisation": "candidate", "network": "uniw", "representative_name": "A", "referees": ["ours", "theirs"]},
        content_type="application/json",
    )
    assert response.status_code == 201
    data = response.json()
    assert data["state"] == "draft" and {r["organisation"] for r in data["references"]} == {"ours", "theirs"}
    assert "submitted" in data["allowed_targets"]
    application = Application.objects.get(uuid=data["uuid"])
    admission.save_application(
        application,
        by=candidate_owner,
        category="full",
        representative_name="A",
        board_resolution=pdf(),
        registration_certificate=png(),
    )
    response = client.post(
        f"/api/v1/applications/{data['uuid']}/transitions", {"target": "submitted"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert client.get(f"/api/v1/applications/{data['uuid']}").json()["allowed_targets"] == ["withdrawn"]


def test_api_refuses_to_apply_for_another_organisation(client, network, candidate, owner):
    client.force_login(owner)
    response = client.post(
        "/api/v1/applications", {"organisation": "candidate", "network": "uniw"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_secretariat_queue_filters_paginates_and_says_when_empty(client, submitted, secretariat, owner):
    client.force_login(secretariat)
    page = client.get("/en/applications/").content.decode()
    assert "Candidate Society" in page
    empty = client.get("/en/applications/?state=notice").content.decode()
    assert "No applications match." in empty and "Candidate Society" not in empty
    assert client.get("/en/applications/?page=7").status_code == 200
    assert client.get("/en/applications/", headers={"HX-Request": "true"}).content.decode().count("<html") == 0
    assert_refused(client, owner, ["/en/applications/"], allowed=ROLE_REFUSED)


def test_queue_and_review_pages_are_right_to_left_in_arabic(client, submitted, secretariat):
    client.force_login(secretariat)
    for url in ("/ar/applications/", f"/ar/applications/{submitted.uuid}/review/"):
        html = client.get(url).content.decode()
        assert 'dir="rtl"' in html


def test_an_application_that_ends_without_admission_leaves_no_applicant_in_the_register(
    submitted, secretariat, org, other_org, owner, other_owner
):
    pending = NetworkMembership.objects.filter(organisation=submitted.organisation, network=submitted.network)
    assert pending.get().status == "applicant"
    for referee, organisation in ((owner, org), (other_owner, other_org)):
        admission.answer_reference(reference_of(submitted, organisation), by=referee, confirm=True)
    admission.move_application(submitted, to="reviewed", by=secretariat)
    admission.move_application(submitted, to="ineligible", by=secretariat, reason="Founded last month")

    assert not pending.exists()
    entry = AuditEntry.objects.filter(action="delete", content_type__model="networkmembership").get()
    assert (entry.from_state, entry.changes["outcome"]) == ("applicant", "ineligible")


def test_a_withdrawn_application_takes_the_organisation_out_of_the_applicants(client, submitted, candidate_owner):
    client.force_login(candidate_owner)
    client.post(f"/en/applications/{submitted.uuid}/withdraw/")
    assert not NetworkMembership.objects.filter(organisation=submitted.organisation).exists()


def test_an_earlier_membership_is_kept_when_a_new_application_is_withdrawn(network, candidate, candidate_owner):
    NetworkMembership.objects.create(network=network, organisation=candidate, status="withdrawn")
    application = admission.start_application(by=candidate_owner, organisation=candidate, network=network)
    admission.withdraw_application(application, by=candidate_owner)
    assert NetworkMembership.objects.get(organisation=candidate).status == "withdrawn"
