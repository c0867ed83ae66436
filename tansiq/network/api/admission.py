"""Admission in the API: applying, the steps of the workflow, referees and documents, with the same
rules, reads and services as the admission pages.

Mounted on the registry's router (``api/registry.py``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from tansiq.core.apitools import Pages
from tansiq.core.errors import TansiqError, validated
from tansiq.network import documents
from tansiq.network.forms.admission import ApplicationForm
from tansiq.network.queries import admission as admission_queries
from tansiq.network.queries import directory as queries
from tansiq.network.queries import referees as referee_picker
from tansiq.network.services import admission

router = Router(tags=["network"])


class ApplicationIn(Schema):
    organisation: str
    network: str
    category: str = "full"
    representative_name: str = ""
    motivation: str = ""
    referees: list[str] = []


class ReferenceOut(Schema):
    uuid: str
    organisation: str
    state: str
    reason: str
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_uuid(reference) -> str:
        return str(reference.uuid)

    @staticmethod
    def resolve_organisation(reference) -> str:
        return reference.organisation.slug


class ApplicationOut(Schema):
    uuid: str
    organisation: str
    network: str
    state: str
    state_label: str
    category: str
    representative_name: str
    motivation: str
    submitted_at: dt.datetime | None
    notice_ends_on: dt.date | None
    documents: dict[str, bool]
    references: list[ReferenceOut]
    referee_places: int
    allowed_targets: list[str]

    @staticmethod
    def resolve_uuid(application) -> str:
        return str(application.uuid)

    @staticmethod
    def resolve_organisation(application) -> str:
        return application.organisation.slug

    @staticmethod
    def resolve_network(application) -> str:
        return application.network.slug

    @staticmethod
    def resolve_state_label(application) -> str:
        return str(application.get_state_display())

    @staticmethod
    def resolve_documents(application) -> dict[str, bool]:
        return {name: bool(getattr(application, name)) for name in admission.DOCUMENTS}

    @staticmethod
    def resolve_references(application) -> list:
        return list(application.references.select_related("organisation"))

    @staticmethod
    def resolve_referee_places(application) -> int:
        return admission.open_referee_places(application)

    @staticmethod
    def resolve_allowed_targets(application) -> list[str]:
        return getattr(application, "targets", [])


class TransitionIn(Schema):
    target: str
    reason: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    category: str | None = None


def _application_out(request: HttpRequest, uuid):
    application, targets = admission_queries.application_for(request.user, uuid)
    application.targets = targets
    return application


@router.post("/applications", response={201: ApplicationOut}, summary="Apply for membership of a network")
def create_application(request: HttpRequest, payload: ApplicationIn):
    """Owners and admins of the organisation. Upload the documents with ``POST …/documents/{kind}``.

    Checked by the application page's form (422 with its messages); nothing is kept when refused."""
    organisation = queries.organisation_managed_by(request.user, payload.organisation)
    network = queries.network_for(request.user, payload.network)
    with transaction.atomic():  # a refused application leaves no draft behind
        application = admission.start_application(by=request.user, organisation=organisation, network=network)
        values = payload.dict(include={"category", "representative_name", "motivation", "referees"})
        data = validated(ApplicationForm, values, application=application).cleaned_data
        referees = list(queries.organisations_visible_to(request.user).filter(slug__in=data["referees"]))
        if len(referees) != len(data["referees"]):
            raise TansiqError(_("Referees must be member organisations of the network."), field="referees")
        admission.save_application(
            application,
            by=request.user,
            category=data["category"],
            representative_name=data["representative_name"],
            motivation=data["motivation"],
            referees=referees,
        )
    return Status(201, _application_out(request, application.uuid))


@router.get("/applications/{uuid}", response=ApplicationOut, summary="One of your applications")
def get_application(request: HttpRequest, uuid: str):
    return _application_out(request, uuid)


@router.post("/applications/{uuid}/transitions", response=ApplicationOut, summary="Move an application on")
def transition_application(request: HttpRequest, uuid: str, payload: TransitionIn):
    """Take one of ``allowed_targets``; the assembly's outcome needs the votes."""
    application, _targets = admission_queries.application_for(request.user, uuid)
    votes = (payload.votes_for, payload.votes_against, payload.votes_abstain)
    admission.move_application(
        application,
        to=payload.target,
        by=request.user,
        reason=payload.reason,
        votes=None if all(vote is None for vote in votes) else tuple(vote or 0 for vote in votes),
        category=payload.category,
    )
    return _application_out(request, uuid)


class RefereeIn(Schema):
    organisation: str


class OrganisationRefOut(Schema):
    slug: str
    name: str


@router.post(
    "/applications/{uuid}/referees",
    response={200: ApplicationOut, 201: ApplicationOut},
    summary="Name another referee in place of one that declined",
)
def name_referee(request: HttpRequest, uuid: str, payload: RefereeIn):
    """Owners and admins of the applicant, while the application waits for the referees and
    ``referee_places`` is above 0 (a referee declined). The organisation (a slug) must be an admitted
    member of the network with a vote, not the applicant, not already named and not one that
    declined. 201 when it is asked now; 200 when the same organisation was already asked for that
    place (a repeated request changes nothing)."""
    application, _targets = admission_queries.application_for(request.user, uuid)
    organisation = queries.organisations_visible_to(request.user).filter(slug=payload.organisation).first()
    _reference, created = admission.name_another_referee(application, by=request.user, organisation=organisation)
    return Status(201 if created else 200, _application_out(request, uuid))


@router.get(
    "/applications/{uuid}/referee-choices",
    response=list[OrganisationRefOut],
    summary="Organisations that may be named as referees",
)
@paginate(Pages, page_size=100)
def referee_choices(request: HttpRequest, uuid: str, q: str | None = None):
    """Admitted members of the network with a vote, without the applicant and those already named
    (including those that declined), by name. Owners and admins of the applicant only.

    With ``q``, those the words find in any of their names or their acronym, best first, as the
    application page's picker finds them: the analyser's spelling variants, the last word read as
    the beginning of a word (``kony`` finds Konya); at most the best of the newest 1 000 matches."""
    application, _targets = admission_queries.application_for(request.user, uuid)
    if not request.user.has_perm("network.replace_referee", application):
        raise Http404
    choices = referee_picker.candidates(application, field=referee_picker.REPLACEMENT).only("slug", "name")
    if q and q.strip():
        matches = referee_picker.matching(application, q, user=request.user, field=referee_picker.REPLACEMENT)
        if matches.searched:
            return queries.Ranked(choices, matches.ids)
    return choices


class DocumentOut(Schema):
    kind: str
    label: str
    uploaded: bool
    content_type: str | None
    size: int | None
    download: str | None


def _document_out(application, kind: str) -> dict:

    document = getattr(application, kind)
    return {
        "kind": kind,
        "label": str(application._meta.get_field(kind).verbose_name),
        "uploaded": bool(document),
        "content_type": documents.content_type_of(document.name) if document else None,
        "size": document.size if document else None,
        "download": reverse("api:application_document", args=[application.uuid, kind]) if document else None,
    }


@router.get("/applications/{uuid}/documents", response=list[DocumentOut], summary="An application's documents")
def list_documents(request: HttpRequest, uuid: str):
    """The applicant's people and the secretariat; anyone else gets 404."""
    application, _targets = admission_queries.application_for(request.user, uuid)
    return [_document_out(application, kind) for kind in admission.DOCUMENTS]


@router.get(
    "/applications/{uuid}/documents/{kind}",
    url_name="application_document",
    summary="Download one of an application's documents",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in sorted(set(documents.CONTENT_TYPES.values()))
                },
            }
        }
    },
)
def download_document(request: HttpRequest, uuid: str, kind: str):
    """Served by the same code as the page's download: the applicant's people and the secretariat."""
    application, _targets = admission_queries.application_for(request.user, uuid)
    return documents.download(application, kind)


@router.post(
    "/applications/{uuid}/documents/{kind}", response=DocumentOut, summary="Upload one of an application's documents"
)
def upload_document(request: HttpRequest, uuid: str, kind: str, file: File[UploadedFile]):
    """Multipart, field ``file``: a PDF, JPEG or PNG whose content matches its name (and its declared
    type), within the upload size limit. ``kind`` is ``board_resolution`` or
    ``registration_certificate``. Owners, admins and editors of the applicant, while it is a draft;
    uploading again replaces the document."""
    application, _targets = admission_queries.application_for(request.user, uuid)
    application = admission.upload_documents(application, by=request.user, files={kind: file})
    return _document_out(application, kind)
