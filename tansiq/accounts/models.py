from __future__ import annotations

import hashlib
import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PLATFORM_ROLES = ("secretariat", "analyst", "verifier", "judge")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


def _timezones() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


def _default_language() -> str:
    return settings.LANGUAGE_CODE


def _default_time_zone() -> str:
    return settings.TIME_ZONE


def _languages() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. What they may do comes from platform roles (groups) and organisation memberships."""

    class Hijri(models.TextChoices):
        AUTO = "auto", _("Beside Gregorian in Arabic and Malay")
        ALWAYS = "always", _("Always")
        NEVER = "never", _("Never")

    class Digits(models.TextChoices):
        AUTO = "auto", _("As the site is set up")
        ARABIC = "arabic", _("Arabic-Indic (٠١٢٣) on Arabic pages")
        LATIN = "latin", _("Latin (0123)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    language = models.CharField(_("preferred language"), max_length=8, choices=_languages, default=_default_language)
    time_zone = models.CharField(_("time zone"), max_length=64, default=_default_time_zone, choices=_timezones)
    show_hijri = models.CharField(_("Hijri dates"), max_length=8, choices=Hijri.choices, default=Hijri.AUTO)
    hijri_region = models.CharField(
        _("announced month starts of"),
        max_length=2,
        blank=True,
        help_text=_("Two-letter country code whose announced Hijri month starts you follow, e.g. MY."),
    )
    digits = models.CharField(_("digits"), max_length=8, choices=Digits.choices, default=Digits.AUTO)
    is_staff = models.BooleanField(
        _("back-office access"), default=False, help_text=_("May sign in to the back office.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        self.hijri_region = (self.hijri_region or "").upper()

    @property
    def platform_roles(self) -> list[str]:
        from tansiq.core.rules import group_names

        names = group_names(self)
        return [role for role in PLATFORM_ROLES if role in names]

    @property
    def is_platform_staff(self) -> bool:
        return self.is_staff or self.is_superuser or bool(self.platform_roles)


TOKEN_PREFIX = "tsq_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class PersonalAccessTokenQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class PersonalAccessToken(models.Model):
    """A token a program uses to call the API as this user. Only its SHA-256 hash is stored."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def generate() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
