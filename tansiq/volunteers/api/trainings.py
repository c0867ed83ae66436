"""Trainings and qualifications in the API: the same filter, services and reads as the pages.

``GET /trainings`` (public, paginated; the list page's filters ``q``, ``when``, ``online``),
``GET /trainings/{uuid}``, ``POST /trainings/{uuid}/enrolment`` (the caller enrols) and
``DELETE /trainings/{uuid}/enrolment`` (the caller leaves), ``GET /volunteers/me/qualifications``.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tansiq.core.apitools import Pages
from tansiq.core.errors import validated
from tansiq.volunteers.forms.trainings import TrainingFilterForm
from tansiq.volunteers.queries import profiles as profile_queries
from tansiq.volunteers.queries import trainings as queries
from tansiq.volunteers.services import trainings as services

router = Router(tags=["volunteers"])


class SessionOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime


class TrainingOut(Schema):
    uuid: str
    kind: str
    title: str
    title_ar: str | None
    title_en: str | None
    title_ms: str | None
    organisation: str | None
    grants: str | None
    capacity: int | None
    enrolled: int
    online: bool
    place: str
    sessions: list[SessionOut]

    @staticmethod
    def resolve_uuid(training) -> str:
        return str(training.uuid)

    @staticmethod
    def resolve_organisation(training) -> str | None:
        return training.organisation.slug if training.organisation else None

    @staticmethod
    def resolve_grants(training) -> str | None:
        return training.grants.slug if training.grants else None

    @staticmethod
    def resolve_enrolled(training) -> int:
        return training.taken

    @staticmethod
    def resolve_online(training) -> bool:
        return training.remote

    @staticmethod
    def resolve_sessions(training) -> list:
        return list(training.sessions.all())


class EnrolmentOut(Schema):
    training: str
    state: str
    enrolled_at: dt.datetime
    completed_on: dt.date | None

    @staticmethod
    def resolve_training(enrolment) -> str:
        return str(enrolment.training.uuid)


class QualificationOut(Schema):
    qualification: str
    name: str
    kind: str
    granted_on: dt.date
    expires_on: dt.date | None
    valid: bool


@router.get("/trainings", response=list[TrainingOut], auth=None, summary="Trainings")
@paginate(Pages, page_size=50)
def list_trainings(request: HttpRequest, q: str = "", when: str = "", online: str = ""):
    """Every training, with the list page's filters (``when``: upcoming or past; ``online``: yes or
    no); an invalid value is a 422 naming the parameter."""
    form = validated(TrainingFilterForm, {"q": q, "when": when, "online": online})
    return queries.with_sessions(form.apply(queries.trainings()))


@router.get("/trainings/{uuid}", response=TrainingOut, auth=None, summary="A training")
def get_training(request: HttpRequest, uuid: str):
    return queries.training_by_uuid(_uuid(uuid))


@router.post("/trainings/{uuid}/enrolment", response={201: EnrolmentOut}, summary="Enrol in a training")
def enrol(request: HttpRequest, uuid: str):
    enrolment = services.enrol(queries.training_by_uuid(_uuid(uuid)), by=request.user)
    return Status(201, enrolment)


@router.delete("/trainings/{uuid}/enrolment", response=EnrolmentOut, summary="Leave a training")
def leave(request: HttpRequest, uuid: str):
    enrolment = queries.own_enrolment(request.user, queries.training_by_uuid(_uuid(uuid)))
    if enrolment is None:
        raise Http404
    return services.withdraw(enrolment, by=request.user)


@router.get("/volunteers/me/qualifications", response=list[QualificationOut], summary="My qualifications")
def my_qualifications(request: HttpRequest):
    """The caller's qualifications; ``valid`` is false once expired (an expired one gates nothing)."""
    rows = queries.qualifications_of(profile_queries.own_profile(request.user))
    return [
        {
            "qualification": row["held"].qualification.slug,
            "name": row["held"].qualification.name,
            "kind": row["held"].qualification.kind,
            "granted_on": row["held"].granted_on,
            "expires_on": row["held"].expires_on,
            "valid": row["valid"],
        }
        for row in rows
    ]


def _uuid(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None
