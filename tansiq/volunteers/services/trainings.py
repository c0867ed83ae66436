"""Capacity building: trainings, enrolment, attendance, completion, and the qualifications they grant.

A completed training grants its qualification (``Training.grants``) until ``valid_days`` after the
completion; an organisation records a "document checked" qualification for a volunteer who applied
to it. Both end up as one ``HeldQualification`` per volunteer and qualification (renewed, never
duplicated), which is what gates opportunities.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tansiq.core import audit
from tansiq.core.email import send_to_user
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.rules import require
from tansiq.volunteers.models import (
    Enrolment,
    HeldQualification,
    Qualification,
    SessionAttendance,
    Training,
    TrainingSession,
    VolunteerProfile,
)

TRAINING_FIELDS = (
    "kind",
    "title_ar",
    "title_en",
    "title_ms",
    "description_ar",
    "description_en",
    "description_ms",
    "grants",
    "capacity",
    "remote",
    "place",
)
TAKES_PLACES = (Enrolment.State.ENROLLED, Enrolment.State.COMPLETED)


def create_training(organisation, *, by, values: dict, sessions: list[tuple[dt.datetime, dt.datetime]]) -> Training:
    """An organisation's owners or admins (``organisation``), or the secretariat (``None``), create a
    course or workshop with its sessions (at least one; each ends after it starts)."""
    require(by, "volunteers.create_training", organisation)
    unknown = set(values) - set(TRAINING_FIELDS)
    if unknown:
        raise TansiqError(_("Unknown field."), field=sorted(unknown)[0])
    if not any(values.get(f"title_{code}", "").strip() for code in ("ar", "en", "ms")):
        raise TansiqError(_("Give the training a title in at least one language."), field="title_ar")
    if not sessions:
        raise TansiqError(_("Add at least one session."), field="sessions")
    for starts_at, ends_at in sessions:
        if ends_at <= starts_at:
            raise TansiqError(_("A session must end after it starts."), field="sessions")
    if not values.get("remote") and not values.get("place", "").strip():
        raise TansiqError(_("Give the place, or mark the training as online."), field="place")
    with transaction.atomic():
        training = Training(organisation=organisation, **values)
        training.save()
        TrainingSession.objects.bulk_create(
            TrainingSession(training=training, starts_at=start, ends_at=end) for start, end in sorted(sessions)
        )
        audit.record("create", by=by, obj=training, changes={"sessions": len(sessions)})
    return training


def _own_profile(by) -> VolunteerProfile:
    profile = VolunteerProfile.objects.filter(user=by).first() if by is not None else None
    if profile is None:
        raise TansiqError(_("Create your volunteer profile first."), code="profile_missing")
    return profile


def enrol(training: Training, *, by) -> Enrolment:
    """The signed-in volunteer enrols (or enrols again after withdrawing) while places are left and
    the training has not ended."""
    require(by, "volunteers.enrol", training)
    profile = _own_profile(by)
    with transaction.atomic():
        # One enrolment at a time per training: the last place is never given twice.
        training = Training.objects.select_for_update().get(pk=training.pk)
        last = training.sessions.order_by("-ends_at").first()
        if last is not None and last.ends_at <= timezone.now():
            raise Conflict(_("This training has ended."))
        enrolment = Enrolment.objects.filter(training=training, profile=profile).first()
        if enrolment is not None and enrolment.state in TAKES_PLACES:
            raise Conflict(_("You are already enrolled in this training."))
        taken = training.enrolments.filter(state__in=TAKES_PLACES).count()
        if training.capacity is not None and taken >= training.capacity:
            raise Conflict(_("This training is full."))
        created, previous = enrolment is None, enrolment.state if enrolment else ""
        if enrolment is None:
            enrolment = Enrolment.objects.create(training=training, profile=profile)
        else:
            enrolment.state, enrolment.enrolled_at = Enrolment.State.ENROLLED, timezone.now()
            enrolment.save(update_fields=["state", "enrolled_at"])
        if created:
            audit.record("create", by=by, obj=enrolment)
        else:
            audit.record("transition", by=by, obj=enrolment, from_state=previous, to_state=Enrolment.State.ENROLLED)
    return enrolment


def withdraw(enrolment: Enrolment, *, by) -> Enrolment:
    """The volunteer leaves a training they have not completed: the place is freed."""
    if by is None or enrolment.profile.user_id != by.pk:
        raise TansiqError(_("You are not allowed to do this."), code="forbidden")
    return _settle(
        enrolment,
        to=Enrolment.State.WITHDRAWN,
        by=by,
        refusal=_("Only an enrolment in progress can be withdrawn."),
    )


def _settle(enrolment: Enrolment, *, to: str, by, refusal) -> Enrolment:
    """Move an enrolment in progress to ``to`` (compare-and-set: a concurrent change wins), audited."""
    with transaction.atomic():
        updated = Enrolment.objects.filter(pk=enrolment.pk, state=Enrolment.State.ENROLLED).update(state=to)
        if not updated:
            raise Conflict(refusal)
        enrolment.state = to
        audit.record("transition", by=by, obj=enrolment, from_state=Enrolment.State.ENROLLED, to_state=to)
    return enrolment


def record_attendance(session: TrainingSession, *, by, present: dict[int, bool]) -> int:
    """The organiser's attendance sheet for one session: enrolment id → present. Returns how many
    rows were recorded; an id that is not an enrolment of this training is refused."""
    training = session.training
    require(by, "volunteers.organise_training", training)
    enrolments = set(
        training.enrolments.filter(state__in=TAKES_PLACES, pk__in=list(present)).values_list("pk", flat=True)
    )
    if set(present) - enrolments:
        raise TansiqError(_("Someone on this sheet is not enrolled in the training."), field="attendance")
    with transaction.atomic():
        for enrolment_id, here in sorted(present.items()):
            SessionAttendance.objects.update_or_create(
                enrolment_id=enrolment_id, session=session, defaults={"present": bool(here)}
            )
        audit.record("update", by=by, obj=session, changes={"fields": ["present"], "rows": len(present)})
    return len(present)


def complete(enrolment: Enrolment, *, by, require_all_sessions: bool = False, today: dt.date | None = None):
    """The organiser marks the volunteer's training completed: the training's qualification is granted
    (or renewed) from today until ``valid_days`` later, and the volunteer is told."""
    training = enrolment.training
    require(by, "volunteers.organise_training", training)
    today = today or timezone.localdate()
    if require_all_sessions:
        sessions = training.sessions.count()
        attended = SessionAttendance.objects.filter(enrolment=enrolment, present=True).count()
        if attended < sessions:
            raise Conflict(
                _("This volunteer attended %(attended)s of %(sessions)s sessions.")
                % {"attended": attended, "sessions": sessions}
            )
    with transaction.atomic():
        previous = enrolment.state
        updated = Enrolment.objects.filter(
            pk=enrolment.pk, state__in=(Enrolment.State.ENROLLED, Enrolment.State.NOT_COMPLETED)
        ).update(state=Enrolment.State.COMPLETED, completed_on=today)
        if not updated:
            raise Conflict(_("This enrolment cannot be completed (already completed or withdrawn)."))
        enrolment.state, enrolment.completed_on = Enrolment.State.COMPLETED, today
        held = None
        if training.grants_id is not None:
            held = _grant(enrolment.profile, training.grants, by=by, today=today, enrolment=enrolment)
        audit.record(
            "transition",
            by=by,
            obj=enrolment,
            from_state=previous,
            to_state=Enrolment.State.COMPLETED,
            changes={"qualification": training.grants.slug if held else ""},
        )
    user = enrolment.profile.user
    with translation.override(user.language):
        link = reverse("volunteers:qualifications")
    transaction.on_commit(
        lambda: send_to_user(
            user, "volunteers/email/training_completed", {"training": training, "held": held, "link": link}
        )
    )
    return enrolment


def mark_not_completed(enrolment: Enrolment, *, by) -> Enrolment:
    """The organiser records that the volunteer did not complete the training (no qualification)."""
    require(by, "volunteers.organise_training", enrolment.training)
    return _settle(
        enrolment,
        to=Enrolment.State.NOT_COMPLETED,
        by=by,
        refusal=_("Only an enrolment in progress can be marked as not completed."),
    )


def _grant(profile, qualification: Qualification, *, by, today: dt.date, enrolment=None) -> HeldQualification:
    expires = today + dt.timedelta(days=qualification.valid_days) if qualification.valid_days else None
    held, _created = HeldQualification.objects.update_or_create(
        profile=profile,
        qualification=qualification,
        defaults={"granted_on": today, "expires_on": expires, "granted_by": by, "enrolment": enrolment},
    )
    return held


def record_document_check(
    organisation, profile: VolunteerProfile, qualification: Qualification, *, by, checked_on: dt.date | None = None
) -> HeldQualification:
    """An organisation's owner or admin records that they checked a volunteer's document (a police
    clearance, a first-aid card) — only for a volunteer who applied to the organisation, and only for
    a qualification of the "document checked" kind. Valid from ``checked_on`` for ``valid_days``."""
    require(by, "volunteers.check_document", (organisation, profile))
    if qualification.kind != Qualification.Kind.DOCUMENT:
        raise TansiqError(_("This qualification is granted by a training, not by a document."), field="qualification")
    today = timezone.localdate()
    checked_on = checked_on or today
    if checked_on > today:
        raise TansiqError(_("The date of the check cannot be in the future."), field="checked_on")
    with transaction.atomic():
        held = _grant(profile, qualification, by=by, today=checked_on)
        audit.record(
            "update",
            by=by,
            obj=held,
            changes={"fields": ["granted_on", "expires_on"], "organisation": organisation.slug},
        )
    return held
