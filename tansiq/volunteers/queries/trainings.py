"""Reads of trainings and qualifications, scoped to what the reader may see.

The list of trainings is public (it is how volunteers find them); who enrolled, and their
attendance, only the organiser sees; a volunteer's qualifications only the volunteer (and the
organisations that may already see the volunteer's profile).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Min, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from tansiq.volunteers.models import (
    Enrolment,
    HeldQualification,
    SessionAttendance,
    Training,
    VolunteerProfile,
)

TAKES_PLACES = (Enrolment.State.ENROLLED, Enrolment.State.COMPLETED)


def trainings():
    """Every training with its first and last session and the places taken, soonest first."""
    return (
        Training.objects.select_related("organisation", "grants")
        .annotate(
            first_session=Min("sessions__starts_at"),
            last_session=Max("sessions__ends_at"),
            taken=Count("enrolments", filter=Q(enrolments__state__in=TAKES_PLACES), distinct=True),
        )
        .order_by("first_session", "pk")
    )


def training_by_uuid(uuid) -> Training:
    found = trainings().filter(uuid=uuid).first()
    if found is None:
        raise Http404
    return found


def organised_training(user, uuid) -> Training:
    """A training whose enrolments and attendance ``user`` keeps, or 404 (no hint it exists)."""
    found = training_by_uuid(uuid)
    if not user.has_perm("volunteers.organise_training", found):
        raise Http404
    return found


def own_enrolment(user, training: Training) -> Enrolment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrolment.objects.filter(training=training, profile__user=user).first()


def own_enrolments(user):
    return (
        Enrolment.objects.filter(profile__user=user)
        .select_related("training", "training__organisation", "training__grants")
        .order_by("-enrolled_at")
    )


def attendance_sheet(training: Training) -> tuple[list, list[dict]]:
    """The sessions and, per enrolment (enrolled or completed), its presence at each session
    (True, False or None when not recorded) and how many sessions it attended."""
    sessions = list(training.sessions.all())
    enrolments = list(
        training.enrolments.filter(state__in=(*TAKES_PLACES, Enrolment.State.NOT_COMPLETED))
        .select_related("profile")
        .order_by("profile__legal_name", "pk")
    )
    marks = {
        (row.enrolment_id, row.session_id): row.present
        for row in SessionAttendance.objects.filter(enrolment__training=training)
    }
    rows = []
    for enrolment in enrolments:
        present = [marks.get((enrolment.pk, session.pk)) for session in sessions]
        rows.append({"enrolment": enrolment, "present": present, "attended": sum(1 for p in present if p)})
    return sessions, rows


def enrolment_of(training: Training, pk: str) -> Enrolment:
    if not str(pk).isdigit():
        raise Http404
    found = training.enrolments.filter(pk=pk).select_related("profile", "profile__user").first()
    if found is None:
        raise Http404
    return found


def qualifications_of(profile: VolunteerProfile | None, *, today: dt.date | None = None) -> list[dict]:
    """The volunteer's qualifications, each with whether it is still valid today."""
    if profile is None:
        return []
    today = today or timezone.localdate()
    held = HeldQualification.objects.filter(profile=profile).select_related("qualification")
    return [{"held": row, "valid": row.is_valid_on(today)} for row in held]


def valid_qualification_ids(profile_ids, *, today: dt.date) -> dict[int, set[int]]:
    """Profile id → ids of the qualifications it holds and that are valid on ``today`` (what gates
    opportunities: an expired one counts as not held)."""
    found: dict[int, set[int]] = {}
    rows = HeldQualification.objects.filter(profile_id__in=list(profile_ids), granted_on__lte=today).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    for profile_id, qualification_id in rows.values_list("profile_id", "qualification_id"):
        found.setdefault(profile_id, set()).add(qualification_id)
    return found


def with_sessions(found):
    from tansiq.volunteers.models import TrainingSession

    return found.prefetch_related(Prefetch("sessions", queryset=TrainingSession.objects.order_by("starts_at")))
