"""Volunteers: their profiles, the causes they care about, and the agreements they accept.

A profile belongs to one user. Its identity number is stored encrypted and only ever shown masked.
Agreements (the privacy notice and the volunteering charter) have versions; an acceptance records
the version and the time, so a new version asks again. A minor accepts nothing before a guardian's
consent is on record.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ADULT_AGE = 18


class Cause(models.Model):
    """A cause volunteers care about and opportunities serve (the volunteering sector taxonomy)."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    BASIC = "basic", _("Basic")
    GOOD = "good", _("Good")
    FLUENT = "fluent", _("Fluent / expert")


WEEKDAYS = (
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
)
DAY_PARTS = (("morning", _("morning")), ("afternoon", _("afternoon")), ("evening", _("evening")))
AVAILABILITY_SLOTS = tuple(f"{day}-{part}" for day, _label in WEEKDAYS for part, _p in DAY_PARTS)


def age_on(birth_date: dt.date, today: dt.date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


class VolunteerProfile(models.Model):
    class Calendar(models.TextChoices):
        GREGORIAN = "gregorian", _("Gregorian")
        HIJRI = "hijri", _("Hijri")

    class Gender(models.TextChoices):
        UNSTATED = "", _("Not stated")
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        REMOTE = "remote", _("Remote")
        BOTH = "both", _("On site or remote")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    legal_name = models.CharField(_("name as on the identity document"), max_length=200)
    name_arabic = models.CharField(_("name in Arabic script"), max_length=200, blank=True)
    name_latin = models.CharField(_("name in Latin script"), max_length=200, blank=True)
    birth_date = models.DateField(_("date of birth"))
    birth_calendar = models.CharField(
        _("calendar of the date of birth"), max_length=10, choices=Calendar.choices, default=Calendar.GREGORIAN
    )
    # As entered ("1410-07-01"), kept when the date was given in the Hijri calendar.
    birth_date_hijri = models.CharField(_("Hijri date of birth"), max_length=10, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2)
    country = models.CharField(_("country of residence"), max_length=2)
    city = models.CharField(_("city"), max_length=120)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    causes = models.ManyToManyField(Cause, verbose_name=_("causes"), blank=True, related_name="volunteers")
    availability = models.JSONField(_("weekly availability"), default=list, blank=True)
    mode = models.CharField(_("remote or on site"), max_length=10, choices=Mode.choices, default=Mode.BOTH)
    travel_km = models.PositiveSmallIntegerField(_("how far I will travel (km)"), default=20)
    emergency_name = models.CharField(_("emergency contact"), max_length=200, blank=True)
    emergency_phone = models.CharField(_("emergency contact's phone"), max_length=40, blank=True)
    identity_number_encrypted = models.TextField(_("identity number (encrypted)"), blank=True, editable=False)
    identity_number_last = models.CharField(max_length=4, blank=True, editable=False)
    discoverable = models.BooleanField(
        _("organisations may find me"),
        default=False,
        help_text=_("Organisations of the network may see your profile and invite you, even before you apply."),
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    guardian_contact = models.CharField(_("guardian's phone or e-mail"), max_length=200, blank=True)
    guardian_consent_at = models.DateTimeField(_("guardian's consent given"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        ordering = ["legal_name"]
        indexes = [models.Index(fields=["discoverable", "country"])]

    def __str__(self) -> str:
        # No name: the audit log keeps this text after the volunteer's data is erased.
        return f"#{self.uuid.hex[:8]}"

    @property
    def display_name(self) -> str:
        return self.name_latin or self.name_arabic or self.legal_name

    def age(self, today: dt.date | None = None) -> int:
        return age_on(self.birth_date, today or timezone.localdate())

    @property
    def is_minor(self) -> bool:
        return self.age() < ADULT_AGE

    @property
    def has_guardian_consent(self) -> bool:
        return bool(self.guardian_name and self.guardian_contact and self.guardian_consent_at)

    @property
    def availability_labels(self) -> list[str]:
        days, parts = dict(WEEKDAYS), dict(DAY_PARTS)
        labels = []
        for slot in self.availability:
            day, _sep, part = slot.partition("-")
            if day in days and part in parts:
                labels.append(f"{days[day]} · {parts[part]}")
        return labels

    @property
    def identity_number_masked(self) -> str:
        return f"••••{self.identity_number_last}" if self.identity_number_encrypted else ""


class VolunteerLanguage(models.Model):
    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.GOOD)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["profile", "language"], name="volunteer_language_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"

    @property
    def name(self) -> str:
        from django.utils.translation import get_language_info

        try:
            return get_language_info(self.language)["name_translated"]
        except KeyError:
            return self.language


class VolunteerSkill(models.Model):
    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(_("skill"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.GOOD)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"


class Agreement(models.Model):
    """One version of the privacy notice or of the volunteering charter, written by the secretariat."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Privacy notice")
        CHARTER = "charter", _("Volunteering charter")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("in force from"), default=timezone.now)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="agreement_version_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Acceptance(models.Model):
    """A volunteer accepted one version of an agreement, at a time (a record: never edited)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_acceptances")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ["-accepted_at"]
        constraints = [models.UniqueConstraint(fields=["user", "agreement"], name="acceptance_once")]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.accepted_at:%Y-%m-%d}"


class OrganisationSettings(models.Model):
    """How an organisation takes volunteers: its licence, the agreement volunteers sign with it,
    and who approves their hours."""

    class Approvers(models.TextChoices):
        MANAGERS = "managers", _("Owners and admins")
        EDITORS = "editors", _("Owners, admins and editors")

    organisation = models.OneToOneField(
        "network.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="volunteering_settings",
    )
    licence_number = models.CharField(_("volunteering licence number"), max_length=60, blank=True)
    licence_expires_on = models.DateField(_("licence expires on"), null=True, blank=True)
    agreement_text = models.TextField(
        _("volunteer agreement"),
        blank=True,
        help_text=_("What volunteers accept when they confirm a place with the organisation."),
    )
    hours_approvers = models.CharField(
        _("who approves volunteers' hours"), max_length=10, choices=Approvers.choices, default=Approvers.MANAGERS
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation's volunteering settings")
        verbose_name_plural = _("organisations' volunteering settings")

    def __str__(self) -> str:
        return str(self.organisation)


# --- Capacity building: trainings grant qualifications that gate opportunities ------------------------


class Qualification(models.Model):
    """Something an opportunity may require: a training completed, or a document checked by an
    organisation (a police clearance, a first-aid card). ``valid_days`` is how long it lasts (none:
    for good)."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training completed")
        DOCUMENT = "document", _("Document checked")

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TRAINING)
    valid_days = models.PositiveIntegerField(_("valid for (days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class HeldQualification(models.Model):
    """A volunteer holds a qualification from a date, until an expiry (none: for good)."""

    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="qualifications")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="holders")
    granted_on = models.DateField(_("granted on"), default=timezone.localdate)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The training whose completion granted it (empty for a document checked).
    enrolment = models.ForeignKey(
        "volunteers.Enrolment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("held qualification")
        verbose_name_plural = _("held qualifications")
        ordering = ["qualification__slug"]
        constraints = [models.UniqueConstraint(fields=["profile", "qualification"], name="qualification_held_once")]

    def __str__(self) -> str:
        return f"{self.qualification} · {self.granted_on}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.granted_on <= day and (self.expires_on is None or day <= self.expires_on)


class Training(models.Model):
    """A course or workshop an organisation (or the secretariat, with no organisation) runs; its
    completion grants ``grants`` when set."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        WORKSHOP = "workshop", _("Workshop")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="volunteer_trainings",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COURSE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    grants = models.ForeignKey(
        Qualification,
        verbose_name=_("qualification granted on completion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    remote = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after")
        ]

    def __str__(self) -> str:
        return f"{self.training} · {self.starts_at:%Y-%m-%d %H:%M}"


class Enrolment(models.Model):
    class State(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        NOT_COMPLETED = "not_completed", _("Not completed")

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="enrolments")
    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="enrolments")
    state = models.CharField(_("state"), max_length=15, choices=State.choices, default=State.ENROLLED)
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["training", "profile"], name="enrolment_once")]

    def __str__(self) -> str:
        return f"{self.training} · {self.get_state_display()}"


class SessionAttendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendance")
        constraints = [models.UniqueConstraint(fields=["enrolment", "session"], name="session_attendance_once")]

    def __str__(self) -> str:
        return f"{self.session} · {self.present}"


# --- Opportunities and their shifts -----------------------------------------------------------------


class Opportunity(models.Model):
    """A way to volunteer with an organisation: what, where, who may take it, and its shifts.

    States: draft → in review (when the network vets opportunities) → published → full / closed →
    completed → archived; cancelled (with a notice to everyone who applied) from any state before
    completed.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        FULL = "full", _("Full")
        CLOSED = "closed", _("Closed to applications")
        COMPLETED = "completed", _("Completed")
        ARCHIVED = "archived", _("Archived")
        CANCELLED = "cancelled", _("Cancelled")

    class Gender(models.TextChoices):
        ANY = "", _("Anyone")
        WOMEN = "female", _("Women only")
        MEN = "male", _("Men only")

    # Each edge names the rule that allows it (tansiq/volunteers/rules.py). Full and back to
    # published are made by the platform itself when the last free place goes or comes back.
    TRANSITIONS = {
        (State.DRAFT, State.IN_REVIEW): "volunteers.submit_opportunity",
        (State.DRAFT, State.PUBLISHED): "volunteers.publish_opportunity",
        (State.IN_REVIEW, State.PUBLISHED): "volunteers.review_opportunity",
        (State.IN_REVIEW, State.DRAFT): "volunteers.review_opportunity",
        (State.PUBLISHED, State.FULL): "volunteers.fill_opportunity",
        (State.FULL, State.PUBLISHED): "volunteers.fill_opportunity",
        (State.PUBLISHED, State.CLOSED): "volunteers.manage_opportunity",
        (State.FULL, State.CLOSED): "volunteers.manage_opportunity",
        (State.CLOSED, State.PUBLISHED): "volunteers.manage_opportunity",
        (State.PUBLISHED, State.COMPLETED): "volunteers.manage_opportunity",
        (State.FULL, State.COMPLETED): "volunteers.manage_opportunity",
        (State.CLOSED, State.COMPLETED): "volunteers.manage_opportunity",
        (State.COMPLETED, State.ARCHIVED): "volunteers.manage_opportunity",
        (State.DRAFT, State.CANCELLED): "volunteers.cancel_opportunity",
        (State.IN_REVIEW, State.CANCELLED): "volunteers.cancel_opportunity",
        (State.PUBLISHED, State.CANCELLED): "volunteers.cancel_opportunity",
        (State.FULL, State.CANCELLED): "volunteers.cancel_opportunity",
        (State.CLOSED, State.CANCELLED): "volunteers.cancel_opportunity",
    }
    #: Whoever reads the site sees an opportunity in these states.
    PUBLIC_STATES = (State.PUBLISHED, State.FULL, State.CLOSED, State.COMPLETED)
    #: Its organisation may still change what it says and its shifts.
    CHANGEABLE_STATES = (State.DRAFT, State.PUBLISHED, State.FULL, State.CLOSED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="volunteer_opportunities",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    sector = models.ForeignKey(
        Cause, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="opportunities"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    gender = models.CharField(
        _("open to"),
        max_length=10,
        choices=Gender.choices,
        blank=True,
        help_text=_("Only where the programme requires it (for example, classes in a women's prison)."),
    )
    qualifications = models.ManyToManyField(
        Qualification, verbose_name=_("qualifications required"), blank=True, related_name="opportunities"
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)  # language codes
    remote = models.BooleanField(_("remote"), default=False)
    country = models.CharField(_("country"), max_length=2, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    address = models.CharField(_("place"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    questions = models.JSONField(_("application questions"), default=list, blank=True)  # list of question texts
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["state", "country"]), models.Index(fields=["organisation", "state"])]

    def __str__(self) -> str:
        return self.title


class OpportunitySkill(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(_("skill"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.GOOD)
    required = models.BooleanField(_("required"), default=True)  # otherwise preferred

    class Meta:
        verbose_name = _("skill asked for")
        verbose_name_plural = _("skills asked for")
        ordering = ["-required", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"


class Shift(models.Model):
    """A time an opportunity needs volunteers, with its seats. ``checkin_token`` is the shift's own
    QR code (the volunteer scans it to check in); it is random and rotated on demand."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    checkin_token = models.CharField(max_length=43, unique=True, editable=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="shift_has_a_place"),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.opportunity} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


# --- Applications, seats, hours ------------------------------------------------------------------


class Application(models.Model):
    """A volunteer applies to an opportunity with the shifts they want.

    submitted → shortlisted → accepted / waitlisted / declined → confirmed (agreement accepted,
    guardian consent present); the volunteer may withdraw before the work is done. A waitlisted
    application offered a freed seat holds the offer until ``offer_expires_at``. Per shift, what
    happens next (check-in, attendance, hours) is on the ``Booking``. Both sides rate afterwards.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled by the organisation")

    # The edges and the rule each asks (core.workflow). Taking a freed place moves a waitlisted
    # application on, by the volunteer (taking an offer) or a coordinator (accepting).
    TRANSITIONS = {
        (State.SUBMITTED, State.SHORTLISTED): "volunteers.decide_application",
        (State.SUBMITTED, State.ACCEPTED): "volunteers.decide_application",
        (State.SUBMITTED, State.WAITLISTED): "volunteers.decide_application",
        (State.SUBMITTED, State.DECLINED): "volunteers.decide_application",
        (State.SHORTLISTED, State.ACCEPTED): "volunteers.decide_application",
        (State.SHORTLISTED, State.WAITLISTED): "volunteers.decide_application",
        (State.SHORTLISTED, State.DECLINED): "volunteers.decide_application",
        (State.WAITLISTED, State.ACCEPTED): "volunteers.take_place",
        (State.WAITLISTED, State.DECLINED): "volunteers.decide_application",
        (State.ACCEPTED, State.DECLINED): "volunteers.decide_application",
        (State.ACCEPTED, State.CONFIRMED): "volunteers.confirm_application",
        (State.SUBMITTED, State.WITHDRAWN): "volunteers.withdraw_application",
        (State.SHORTLISTED, State.WITHDRAWN): "volunteers.withdraw_application",
        (State.ACCEPTED, State.WITHDRAWN): "volunteers.withdraw_application",
        (State.WAITLISTED, State.WITHDRAWN): "volunteers.withdraw_application",
        (State.CONFIRMED, State.WITHDRAWN): "volunteers.withdraw_application",
        (State.SUBMITTED, State.CANCELLED): "volunteers.decide_application",
        (State.SHORTLISTED, State.CANCELLED): "volunteers.decide_application",
        (State.ACCEPTED, State.CANCELLED): "volunteers.decide_application",
        (State.WAITLISTED, State.CANCELLED): "volunteers.decide_application",
        (State.CONFIRMED, State.CANCELLED): "volunteers.decide_application",
    }
    OPEN = (State.SUBMITTED, State.SHORTLISTED, State.ACCEPTED, State.WAITLISTED, State.CONFIRMED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="applications")
    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="applications")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    answers = models.JSONField(_("answers"), default=list, blank=True)  # [{"question": …, "answer": …}]
    motivation = models.TextField(_("why I want to help"), blank=True)
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    agreement_accepted_at = models.DateTimeField(_("organisation's agreement accepted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    volunteer_rating = models.PositiveSmallIntegerField(_("volunteer's rating"), null=True, blank=True)
    volunteer_comment = models.TextField(_("volunteer's comment"), blank=True)
    organisation_rating = models.PositiveSmallIntegerField(_("organisation's rating"), null=True, blank=True)
    organisation_comment = models.TextField(_("organisation's comment"), blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "profile"], name="application_once"),
            models.CheckConstraint(
                condition=models.Q(volunteer_rating__isnull=True) | models.Q(volunteer_rating__range=(1, 5)),
                name="volunteer_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(organisation_rating__isnull=True) | models.Q(organisation_rating__range=(1, 5)),
                name="organisation_rating_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["opportunity", "state"])]

    def __str__(self) -> str:
        return f"{self.opportunity} · {self.profile}"


class Booking(models.Model):
    """One shift of an application: the seat, then check-in, check-out and attendance.

    ``code`` is the volunteer's own QR code for this shift (the coordinator scans it); random,
    unguessable, good for one check-in and one check-out.
    """

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        OFFERED = "offered", _("Seat offered")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    #: A booking in these states holds one of the shift's places.
    SEAT_STATES = (State.ACCEPTED, State.OFFERED)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="bookings")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="bookings")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    code = models.CharField(max_length=43, unique=True, editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    checkout_missing_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booked shift")
        verbose_name_plural = _("booked shifts")
        ordering = ["shift__starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "shift"], name="booking_once")]
        indexes = [models.Index(fields=["shift", "state"])]

    def __str__(self) -> str:
        return f"{self.shift} · {self.get_state_display()}"


class HoursEntry(models.Model):
    """Hours a volunteer gave: from a check-in/check-out, or reported by the volunteer with a note.

    The organisation approves or declines; a declined entry stays on record (never deleted). When a
    volunteer erases their data, ``profile`` and ``booking`` become empty and the hours remain as an
    anonymous count for the organisation, the opportunity and the network's yearly figures.
    """

    class Source(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in and check-out")
        REPORTED = "reported", _("Reported by the volunteer")
        RECORDED = "recorded", _("Recorded by the organisation")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    profile = models.ForeignKey(
        VolunteerProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="hours_entries"
    )
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="hours")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.CASCADE, related_name="volunteer_hours")
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="hours_entries"
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("hours")
        verbose_name_plural = _("hours")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0) & models.Q(hours__lte=24), name="hours_in_a_day"),
        ]
        indexes = [models.Index(fields=["organisation", "state"]), models.Index(fields=["profile", "state"])]

    def __str__(self) -> str:
        return f"{self.hours} h · {self.date}"


class VolunteeringPolicy(models.Model):
    """How a network runs volunteering: whether the secretariat vets opportunities before they are
    published, and how long a waitlisted volunteer has to take a freed seat."""

    network = models.OneToOneField(
        "network.Network", verbose_name=_("network"), on_delete=models.CASCADE, related_name="volunteering_policy"
    )
    vets_opportunities = models.BooleanField(
        _("the secretariat reviews opportunities before they are published"), default=False
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours a waitlisted volunteer has to take a freed place"), default=48
    )

    class Meta:
        verbose_name = _("volunteering policy")
        verbose_name_plural = _("volunteering policies")

    def __str__(self) -> str:
        return str(self.network)


class Tier(models.Model):
    """A recognition level a volunteer reaches at a number of cumulative approved hours (e.g. 500
    and 1 000), per network."""

    network = models.ForeignKey(
        "network.Network", verbose_name=_("network"), on_delete=models.CASCADE, related_name="volunteer_tiers"
    )
    name = models.CharField(_("name"), max_length=100)
    min_hours = models.PositiveIntegerField(_("from (hours)"))

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["network", "min_hours"]
        constraints = [models.UniqueConstraint(fields=["network", "min_hours"], name="tier_threshold_once")]

    def __str__(self) -> str:
        return self.name


class AssignmentRun(models.Model):
    """The optimal assignment of an opportunity's applicants to its shifts, as the coordinator
    reviewed it. ``pairs`` is ``[[application_id, shift_id], …]``; publishing turns them into
    accepted bookings and notifies the volunteers."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="assignment_runs")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    max_per_person = models.PositiveSmallIntegerField(_("shifts per person at most"), default=1)
    pairs = models.JSONField(default=list)
    total_score = models.FloatField(_("total score"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.opportunity} · {self.created_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """The secret address of a person's calendar of shifts (iCalendar), for their calendar app to
    subscribe to. Renewing it replaces the token; removing it ends the feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_calendar_feed"
    )
    token = models.CharField(max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return f"#{self.pk}"
