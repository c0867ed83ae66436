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
