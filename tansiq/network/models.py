"""Networks, their units and committees, member organisations and the people who act for them."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tansiq.core.validators import MaxUploadSize
from tansiq.network.documents import private_storage as storage

IMAGE_VALIDATORS = [FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), MaxUploadSize()]
# The statute of the union: an annual return is due 60 days after the annual general meeting.
ANNUAL_RETURN_DAYS = 60


class Network(models.Model):
    """A federation, union or national council that organisations belong to."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="networks/", blank=True, validators=IMAGE_VALIDATORS)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("The first network is the one the header links to.")
    )
    # Statute settings (UNIW: two referees, one year since founding, fifteen days' notice).
    referees_required = models.PositiveSmallIntegerField(
        _("member referees an applicant needs"), default=2, validators=[MaxValueValidator(10)]
    )
    min_years_since_founding = models.PositiveSmallIntegerField(_("minimum years since founding"), default=1)
    notice_period_days = models.PositiveSmallIntegerField(
        _("notice period before the assembly votes (days)"), default=15
    )

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A branch of a network: a country representation, a council, an international unit. A tree."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country representation")
        COUNCIL = "council", _("Council")
        INTERNATIONAL = "international", _("International unit")
        OTHER = "other", _("Other unit")

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60)
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("admins"), blank=True, related_name="administered_units"
    )
    # Archived, not deleted: memberships and the audit log still name it; its admins no longer act.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    # Optimistic concurrency, as for organisations: a rename made on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["network", "name"]
        constraints = [models.UniqueConstraint(fields=["network", "slug"], name="network_unit_slug_unique")]

    def __str__(self) -> str:
        return self.name


class FocusArea(models.Model):
    """A field of work: a volunteering sector or one of the UN Sustainable Development Goals."""

    class Kind(models.TextChoices):
        SECTOR = "sector", _("Sector")
        SDG = "sdg", _("Sustainable Development Goal")

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SECTOR)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["kind", "position", "slug"]

    def __str__(self) -> str:
        return self.name


WORKING_LANGUAGES = [
    ("ar", _("Arabic")),
    ("en", _("English")),
    ("ms", _("Malay")),
    ("id", _("Indonesian")),
    ("tr", _("Turkish")),
    ("fr", _("French")),
    ("ur", _("Urdu")),
    ("fa", _("Persian")),
    ("bn", _("Bengali")),
    ("ha", _("Hausa")),
    ("sw", _("Swahili")),
    ("so", _("Somali")),
    ("ru", _("Russian")),
    ("bs", _("Bosnian")),
    ("sq", _("Albanian")),
    ("de", _("German")),
]

SOCIAL_NETWORKS = ["facebook", "x", "instagram", "youtube", "linkedin", "telegram"]


class Organisation(models.Model):
    """A civil-society organisation. It may belong to several networks (``NetworkMembership``)."""

    class Type(models.TextChoices):
        NGO = "ngo", _("NGO")
        FOUNDATION = "foundation", _("Foundation")
        DAKWAH = "dakwah", _("Dakwah body")
        STUDENT_YOUTH = "student_youth", _("Student or youth body")
        WOMEN = "women", _("Women's organisation")
        MOSQUE_WAQF = "mosque_waqf", _("Mosque or waqf body")
        ACADEMIC = "academic", _("Academic institution")
        COMPANY = "company", _("Company with a CSR programme")
        GOVERNMENT = "government", _("Government entity")

    # Seen only by the organisation's people, the secretariat and the admins of its unit.
    PRIVATE_FIELDS = ("registry", "registration_number", "agm_date", "annual_return_due", "licence_expiry")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    legal_name = models.CharField(
        _("legal name"), max_length=300, help_text=_("As registered, in the language of the registration.")
    )
    name = models.CharField(_("display name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.NGO)
    country = CountryField(_("country"), db_index=True)
    region = models.CharField(_("state or province"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    address = models.TextField(_("address"), blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    registry = models.CharField(
        _("registry"), max_length=120, blank=True, help_text=_("Where it is registered, e.g. ROS Selangor.")
    )
    registration_number = models.CharField(_("registration number"), max_length=80, blank=True)
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    website = models.URLField(_("website"), blank=True)
    social_links = models.JSONField(_("social media"), default=dict, blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="organisations"
    )
    working_languages = models.JSONField(_("working languages"), default=list, blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/", blank=True, validators=IMAGE_VALIDATORS)
    description = models.TextField(_("description"), blank=True)
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    volunteer_count = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branches",
    )
    agm_date = models.DateField(_("last annual general meeting"), null=True, blank=True)
    annual_return_due = models.DateField(_("annual return due"), null=True, blank=True, editable=False)
    licence_expiry = models.DateField(_("licence expires"), null=True, blank=True)
    # Optimistic concurrency: an edit made on an older version is refused, never silently applied.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        # The directory reads a page of members in name order from this index and stops (no sort).
        # Written with F(): modeltranslation copies an index of `fields` for every language, and the
        # directory orders by the base `name` column only (names missing in a language would sort first).
        indexes = [models.Index(models.F("name"), models.F("id"), name="organisation_name_order")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.annual_return_due = self.return_due(self.agm_date)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "agm_date" in update_fields:
            kwargs["update_fields"] = {*update_fields, "annual_return_due"}
        super().save(*args, **kwargs)

    @staticmethod
    def return_due(agm_date: dt.date | None) -> dt.date | None:
        return agm_date + dt.timedelta(days=ANNUAL_RETURN_DAYS) if agm_date else None


class Contact(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("People of the network's member organisations")
        ADMINS = "admins", _("The organisation's admins and the secretariat")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    visibility = models.CharField(
        _("who may see it"), max_length=10, choices=Visibility.choices, default=Visibility.ADMINS
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembershipQuerySet(models.QuerySet):
    def admitted(self) -> NetworkMembershipQuerySet:
        return self.filter(status=NetworkMembership.Status.ADMITTED)


class NetworkMembership(models.Model):
    """An organisation's place in a network. Admission has its own workflow; what follows it is here."""

    class Category(models.TextChoices):
        FOUNDING = "founding", _("Founding member")
        FULL = "full", _("Full member")
        ASSOCIATE = "associate", _("Associate member or observer (no vote)")

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ADMITTED = "admitted", _("Member")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPELLED = "expelled", _("Expelled")

    # Associates and observers take part but do not vote (statute).
    VOTING_CATEGORIES = (Category.FOUNDING, Category.FULL)
    # A suspended member keeps its representatives, its seats and its people's committee offices;
    # a withdrawn or expelled one keeps none.
    REPRESENTED_STATUSES = (Status.ADMITTED, Status.SUSPENDED)

    STATE_FIELD = "status"
    TRANSITIONS = {
        (Status.ADMITTED, Status.SUSPENDED): "network.suspend_membership",
        (Status.SUSPENDED, Status.ADMITTED): "network.reinstate_membership",
        (Status.ADMITTED, Status.WITHDRAWN): "network.withdraw_membership",
        (Status.SUSPENDED, Status.WITHDRAWN): "network.withdraw_membership",
        (Status.ADMITTED, Status.EXPELLED): "network.expel_membership",
        (Status.SUSPENDED, Status.EXPELLED): "network.expel_membership",
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="network_memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, default=Category.FULL)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLICANT, db_index=True
    )
    admitted_on = models.DateField(_("member since"), null=True, blank=True)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    status_reason = models.TextField(_("reason for the last change"), blank=True)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    alternate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("alternate representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NetworkMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        ordering = ["network", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["network", "organisation"], name="network_membership_unique")]
        # Counting a network's members and checking one organisation's status read only this index.
        indexes = [models.Index(fields=["network", "status", "organisation"], name="network_membership_listing")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.network}"

    @property
    def votes(self) -> bool:
        return self.status == self.Status.ADMITTED and self.category in self.VOTING_CATEGORIES


class Membership(models.Model):
    """A person who acts for an organisation, with a role."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Admin")
        EDITOR = "editor", _("Editor")
        VIEWER = "viewer", _("Viewer")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="people"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("since"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("person acting for an organisation")
        verbose_name_plural = _("people acting for organisations")
        ordering = ["organisation", "role", "user__email"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="network_membership_person")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"


def hash_invitation_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(models.Model):
    """An e-mailed invitation to act for an organisation: expires, used once, only its hash is kept."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.EDITOR)
    language = models.CharField(_("language of the invitation"), max_length=8, choices=settings.LANGUAGES)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # An invitation may also name the invitee the member's representative (or alternate) in a
    # network: accepting it takes the seat (see ``services/representatives.py``).
    represents = models.ForeignKey(
        "NetworkMembership",
        verbose_name=_("to represent the organisation in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    represents_as = models.CharField(
        _("as"),
        max_length=14,
        blank=True,
        choices=[("representative", _("Representative")), ("alternate", _("Alternate representative"))],
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class Committee(models.Model):
    """A standing commission, an ad-hoc committee or a cluster of a network."""

    class Kind(models.TextChoices):
        COMMISSION = "commission", _("Standing commission")
        AD_HOC = "ad_hoc", _("Ad-hoc committee")
        CLUSTER = "cluster", _("Cluster")

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="committees")
    slug = models.SlugField(_("short name in addresses"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    mandate = models.TextField(_("mandate"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMMISSION)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    vice_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vice-chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["network", "kind", "position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="network_committee_slug_unique"),
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_start__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="network_committee_term_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeSeat(models.Model):
    """A member organisation's seat on a committee, with the one person who represents it there."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="seats"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="committee_seats"
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    since = models.DateField(_("since"), default=dt.date.today)

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = ["committee", "organisation__name"]
        constraints = [
            # Statute: at most one representative per member organisation per committee.
            models.UniqueConstraint(fields=["committee", "organisation"], name="network_one_seat_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.committee}"


# --- Admission by the statute -------------------------------------------------------------------
# The models live here (Django looks for them in ``models``); the rules of the workflow are in
# ``services/admission.py`` and ``documents.py``.


def private_storage():
    """Where admission documents go: never under MEDIA_URL, read only through a view that checks."""

    return storage()


def _document_path(application: Application, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    # A random name: the organisation's file name (and whatever it reveals) is not kept on disk.
    return f"applications/{application.uuid}/{uuid.uuid4().hex}.{extension}"


class Application(models.Model):
    """An organisation's application to join a network, moved through the statute's steps."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for the referees")
        REFEREES_CONFIRMED = "referees_confirmed", _("Secretariat review")
        REVIEWED = "reviewed", _("Council decision")
        ELIGIBLE = "eligible", _("Found eligible by the council")
        NOTICE = "notice", _("Notice to members")
        ADMITTED = "admitted", _("Admitted")
        REJECTED = "rejected", _("Not admitted by the assembly")
        INELIGIBLE = "ineligible", _("Found ineligible by the council")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The steps an applicant sees, in order; the last one is where it ends.
    STEPS = (
        State.DRAFT,
        State.SUBMITTED,
        State.REFEREES_CONFIRMED,
        State.REVIEWED,
        State.ELIGIBLE,
        State.NOTICE,
        State.ADMITTED,
    )
    OPEN_STATES = (
        State.DRAFT,
        State.SUBMITTED,
        State.REFEREES_CONFIRMED,
        State.REVIEWED,
        State.ELIGIBLE,
        State.NOTICE,
    )
    CLOSED_STATES = (State.ADMITTED, State.REJECTED, State.INELIGIBLE, State.WITHDRAWN)

    STATE_FIELD = "state"
    TRANSITIONS = {
        (State.DRAFT, State.SUBMITTED): "network.submit_application",
        # The referees' confirmations move it on (a system step); the secretariat may too.
        (State.SUBMITTED, State.REFEREES_CONFIRMED): "network.review_application",
        (State.REFEREES_CONFIRMED, State.REVIEWED): "network.review_application",
        (State.REVIEWED, State.ELIGIBLE): "network.review_application",
        (State.REVIEWED, State.INELIGIBLE): "network.review_application",
        (State.ELIGIBLE, State.NOTICE): "network.review_application",
        (State.NOTICE, State.ADMITTED): "network.review_application",
        (State.NOTICE, State.REJECTED): "network.review_application",
        (State.DRAFT, State.WITHDRAWN): "network.withdraw_application",
        (State.SUBMITTED, State.WITHDRAWN): "network.withdraw_application",
        (State.REFEREES_CONFIRMED, State.WITHDRAWN): "network.withdraw_application",
        (State.REVIEWED, State.WITHDRAWN): "network.withdraw_application",
        (State.ELIGIBLE, State.WITHDRAWN): "network.withdraw_application",
        (State.NOTICE, State.WITHDRAWN): "network.withdraw_application",
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="applications"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="applications"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    category = models.CharField(
        _("category applied for"),
        max_length=12,
        choices=NetworkMembership.Category.choices,
        default=NetworkMembership.Category.FULL,
    )
    representative_name = models.CharField(
        _("representative"), max_length=200, help_text=_("The person the board resolution names.")
    )
    motivation = models.TextField(_("why the organisation wishes to join"), blank=True)
    board_resolution = models.FileField(
        _("board resolution naming the representative"),
        upload_to=_document_path,
        storage=private_storage,
        blank=True,
    )
    registration_certificate = models.FileField(
        _("registration certificate"), upload_to=_document_path, storage=private_storage, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the council's decision"), blank=True)
    notice_ends_on = models.DateField(_("notice period ends"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            # One application at a time per organisation and network: a second click makes no second one.
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=models.Q(
                    state__in=["draft", "submitted", "referees_confirmed", "reviewed", "eligible", "notice"]
                ),
                name="network_one_open_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.network}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class ReferenceQuerySet(models.QuerySet):
    def confirmed(self) -> ReferenceQuerySet:
        return self.filter(state=Reference.State.CONFIRMED)


class Reference(models.Model):
    """A member organisation named by an applicant to vouch for it (statute: N referees)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    STATE_FIELD = "state"
    TRANSITIONS = {
        (State.PENDING, State.CONFIRMED): "network.answer_reference",
        (State.PENDING, State.DECLINED): "network.answer_reference",
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="references"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("referee organisation"), on_delete=models.CASCADE, related_name="references_given"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["application", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "organisation"], name="network_one_reference_per_referee")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ↔ {self.application}"


# --- Compliance reminders -----------------------------------------------------------------------


class ComplianceReminder(models.Model):
    """A reminder that went out, so the same due date is never announced twice (see ``services/compliance.py``)."""

    class Kind(models.TextChoices):
        ANNUAL_RETURN = "annual_return", _("Annual return")
        LICENCE = "licence", _("Licence renewal")
        VOLUNTEERING_LICENCE = "volunteering_licence", _("Volunteering licence renewal")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="compliance_reminders"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("compliance reminder")
        verbose_name_plural = _("compliance reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "due_on", "days_before"], name="network_one_reminder_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_kind_display()} · {self.due_on}"
