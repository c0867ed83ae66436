from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tansiq.core.validators import MaxUploadSize


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEntry(models.Model):
    """Who did what to which object, when, from which state to which, and why.

    Written by ``tansiq.core.audit`` only. Never holds a password, token or other secret: changes
    are recorded as field names, and values only for fields that a model declares safe.
    """

    class Action(models.TextChoices):
        TRANSITION = "transition", _("State change")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        ADMIN_ADD = "admin.add", _("Added in the back office")
        ADMIN_CHANGE = "admin.change", _("Changed in the back office")
        ADMIN_DELETE = "admin.delete", _("Deleted in the back office")
        SECURITY = "security", _("Security event")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.object_repr}"

    def _model(self) -> type[models.Model] | None:
        return self.content_type.model_class() if self.content_type_id and self.content_type else None

    def _state_label(self, state: str) -> str:
        model = self._model()
        if not state or model is None:
            return state
        try:
            field = model._meta.get_field(getattr(model, "STATE_FIELD", "state"))
        except FieldDoesNotExist:
            return state
        return str(dict(field.flatchoices).get(state, state))

    @property
    def from_state_label(self) -> str:
        """The state it left, named as the model's choices name it in the reader's language."""
        return self._state_label(self.from_state)

    @property
    def to_state_label(self) -> str:
        return self._state_label(self.to_state)

    @property
    def changed_fields_text(self) -> str:
        """The changed fields by their verbose names (the stored names are code), as a list."""
        names = (self.changes or {}).get("fields") or []
        model = self._model()
        labels = []
        for name in names:
            try:
                labels.append(str(model._meta.get_field(name).verbose_name) if model else name)
            except FieldDoesNotExist:
                labels.append(name)
        from tansiq.core import i18n  # i18n reads the models (announced months): imported when used

        return i18n.join_list(labels)

    @property
    def event_label(self) -> str:
        """A translated description of a security event (stored as a code, shown in any language)."""
        return str(SECURITY_EVENTS.get(self.changes.get("event", ""), "")) if self.changes else ""


SECURITY_EVENTS = {
    "login": _("Signed in"),
    "password": _("Password changed"),
    "email": _("E-mail address changed"),
    "mfa_on": _("Two-factor authentication turned on"),
    "mfa_off": _("Two-factor authentication turned off"),
}


class HijriMonthStart(models.Model):
    """An official start of a Hijri month announced by sighting in one country.

    Umm al-Qura is computed; Malaysia (and others) announce the start of some months after sighting
    the crescent, which can differ by a day. The secretariat records the announcement here and dates
    for that region follow it until the next month's start.
    """

    region = models.CharField(_("country"), max_length=2, help_text=_("Two-letter country code, e.g. MY for Malaysia."))
    hijri_year = models.PositiveSmallIntegerField(
        _("Hijri year"), validators=[MinValueValidator(1343), MaxValueValidator(1500)]
    )
    hijri_month = models.PositiveSmallIntegerField(
        _("Hijri month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    starts_on = models.DateField(_("first day (Gregorian)"))
    note = models.CharField(_("announcement"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("announced Hijri month start")
        verbose_name_plural = _("announced Hijri month starts")
        ordering = ["region", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["region", "hijri_year", "hijri_month"], name="hijri_month_once"),
            models.UniqueConstraint(fields=["region", "starts_on"], name="hijri_start_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.hijri_year}-{self.hijri_month:02d} = {self.starts_on}"

    def save(self, *args, **kwargs):
        self.region = self.region.upper()
        super().save(*args, **kwargs)
        from tansiq.core import i18n

        i18n.clear_override_cache()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from tansiq.core import i18n

        i18n.clear_override_cache()
        return result


class SiteIdentity(models.Model):
    """The name and logo shown in every page's header: the network that runs this deployment.

    One row; the secretariat edits it in the back office. Name is reference data, translated with
    modeltranslation (ar, en, ms).
    """

    name = models.CharField(_("name"), max_length=200)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="site/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), MaxUploadSize()],
        help_text=_("PNG, JPEG or WebP; shown 36 pixels high in the header."),
    )

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")

    def __str__(self) -> str:
        return self.name


class ScheduledRun(models.Model):
    """One daily job enqueued for one day: the row that makes "once a day" hold across workers.

    Written by ``tansiq.core.schedule`` only: the unique (job, day) pair is claimed in the same
    transaction that enqueues the task, so two schedulers never both enqueue it.
    """

    job = models.CharField(_("job"), max_length=100)
    day = models.DateField(_("day"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ("-day", "job")
        constraints = [models.UniqueConstraint(fields=("job", "day"), name="core_scheduledrun_once_a_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day.isoformat()}"


class Heartbeat(models.Model):
    """A running worker or scheduler process, and when it last said it was alive.

    Written by ``tansiq.core.worker`` only. A worker's row also names the task it is running: a
    RUNNING task holds its lease while its worker beats and still names it (see the module).
    """

    class Role(models.TextChoices):
        WORKER = "worker", _("Task worker")
        SCHEDULER = "scheduler", _("Scheduler")
        WEB = "web", _("Web server")

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), default=0)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)
    task_id = models.CharField(_("running task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
        ordering = ("role", "name")

    def __str__(self) -> str:
        return self.name


class BackgroundJob(models.Model):
    """A long piece of work someone started and watches (an import …): run by a task, its progress
    and outcome kept here for the page that polls it. Written by ``tansiq.core.jobs`` only."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(_("step"), max_length=100, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("kind", "subject"), name="core_job_kind_subject")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else (100 * self.done // self.total if self.total else 0)


class Notification(models.Model):
    """One message for one person, kept in their inbox and e-mailed by their preference.

    Written by ``tansiq.core.notify`` only, rendered in the recipient's language when it is sent. A
    message of a kind that carries a secret (a one-time link or code) keeps its subject only.
    """

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("E-mail at once")
        DIGEST = "digest", _("In a daily digest")
        OFF = "off", _("No e-mail")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=100)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    delivery = models.CharField(_("e-mail"), max_length=10, choices=Delivery.choices)
    digested_at = models.DateTimeField(_("sent in a digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="core_notification_unread"),
            models.Index(fields=["delivery", "digested_at"], name="core_notification_digest"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a person wants one kind of notification e-mailed; no row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=100)
    delivery = models.CharField(_("e-mail"), max_length=10, choices=Notification.Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="core_notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.delivery}"


class CertificateQuerySet(models.QuerySet):
    def valid(self) -> CertificateQuerySet:
        return self.filter(revoked_at=None)

    def revoked(self) -> CertificateQuerySet:
        return self.exclude(revoked_at=None)


class Certificate(models.Model):
    """A certificate as issued: what it prints is kept as text, so it verifies as issued for good.

    Written by ``tansiq.core.certificates`` only. The holder's account may be erased (``holder``
    becomes empty); the name printed on the certificate stays, since it is what the paper says.
    ``code`` is the certificate's only public handle (random, never sequential; see decision 0033).
    """

    code = models.CharField(_("code"), max_length=25, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    holder_name = models.CharField(_("holder's name (as printed)"), max_length=200)
    organisation_name = models.CharField(_("organisation (as printed)"), max_length=300)
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    facts = models.JSONField(_("printed facts"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the certificate is for (an assignment's hours, an attendance, an award), if anything.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_certificate_source")]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.kind} · {self.issued_at:%Y-%m-%d}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
