"""Every write of volunteers' data: the profile, agreements accepted, a guardian's consent.

Each function checks the rule, changes inside a transaction and writes an audit entry naming the
fields changed (never their values: the log outlives personal data).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tansiq.core import audit
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.rules import require
from tansiq.volunteers.identity import encrypt_identity_number
from tansiq.volunteers.models import (
    Acceptance,
    Agreement,
    CalendarFeed,
    OrganisationSettings,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerSkill,
)
from tansiq.volunteers.services import applications


def save_profile(
    user,
    *,
    by,
    values: dict,
    causes=(),
    languages=(),
    skills=(),
    identity_number: str | None = None,
) -> VolunteerProfile:
    """Create or update ``user``'s volunteer profile.

    ``languages`` and ``skills`` are (name, level) pairs and replace the ones on record;
    ``identity_number`` replaces the stored one when given (None keeps it).
    """
    codes = [code for code, _level in languages]
    if len(codes) != len(set(codes)):
        raise TansiqError(_("Each language can be listed only once."), field="languages")
    with transaction.atomic():
        profile = VolunteerProfile.objects.select_for_update().filter(user=user).first()
        created = profile is None
        if created:
            profile = VolunteerProfile(user=user)
        require(by, "volunteers.change_own_profile", profile)
        for name, value in values.items():
            setattr(profile, name, value)
        if identity_number:
            profile.identity_number_encrypted = encrypt_identity_number(identity_number)
            profile.identity_number_last = identity_number[-4:]
        profile.save()
        profile.causes.set(causes)
        profile.languages.all().delete()
        VolunteerLanguage.objects.bulk_create(
            VolunteerLanguage(profile=profile, language=code, level=level) for code, level in languages
        )
        profile.skills.all().delete()
        VolunteerSkill.objects.bulk_create(
            VolunteerSkill(profile=profile, name=name, level=level) for name, level in skills
        )
        fields = sorted({*values, *(["identity_number"] if identity_number else [])})
        audit.record("create" if created else "update", by=by, obj=profile, changes={"fields": fields})
    return profile


def record_guardian_consent(profile: VolunteerProfile, *, by, name: str, contact: str) -> VolunteerProfile:
    """A minor's guardian consents (entered on the minor's account): name, contact and the time."""
    require(by, "volunteers.change_own_profile", profile)
    name, contact = name.strip(), contact.strip()
    if not name:
        raise TansiqError(_("Give the guardian's name."), field="guardian_name")
    if not contact:
        raise TansiqError(_("Give the guardian's phone number or e-mail address."), field="guardian_contact")
    with transaction.atomic():
        profile.guardian_name, profile.guardian_contact = name, contact
        profile.guardian_consent_at = timezone.now()
        profile.save(update_fields=["guardian_name", "guardian_contact", "guardian_consent_at", "updated_at"])
        audit.record("guardian_consent", by=by, obj=profile, changes={"fields": ["guardian_name", "guardian_contact"]})
    return profile


def accept_agreement(profile: VolunteerProfile, agreement: Agreement, *, by) -> Acceptance:
    """The volunteer accepts this version of the privacy notice or the charter.

    Only the version in force may be accepted; a minor needs a guardian's consent first; accepting
    the same version twice is refused.
    """
    require(by, "volunteers.change_own_profile", profile)
    if profile.is_minor and not profile.has_guardian_consent:
        raise TansiqError(_("Volunteers under 18 need their guardian's consent before accepting anything."))
    with transaction.atomic():
        current = Agreement.objects.filter(kind=agreement.kind, published_at__lte=timezone.now()).first()
        if current is None or current.pk != agreement.pk:
            raise Conflict(_("A newer version of this text is in force. Read it and accept that one."))
        acceptance, created = Acceptance.objects.get_or_create(user=profile.user, agreement=agreement)
        if not created:
            raise Conflict(_("You have already accepted this version."))
        audit.record("accept", by=by, obj=profile, changes={"agreement": agreement.kind, "version": agreement.version})
    return acceptance


SETTINGS_FIELDS = ("licence_number", "licence_expires_on", "agreement_text", "hours_approvers")


def save_organisation_settings(organisation, *, by, **values) -> OrganisationSettings:
    """An organisation's owners or admins (or the secretariat) set how it takes volunteers."""
    require(by, "volunteers.manage_settings", organisation)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TansiqError(_("Unknown field."), field=sorted(unknown)[0])
    if (
        values.get("hours_approvers", OrganisationSettings.Approvers.MANAGERS)
        not in OrganisationSettings.Approvers.values
    ):
        raise TansiqError(_("Choose who approves volunteers' hours."), field="hours_approvers")
    if values.get("licence_expires_on") and not values.get("licence_number", "").strip():
        raise TansiqError(_("Give the licence number with its expiry date."), field="licence_number")
    with transaction.atomic():
        found, created = OrganisationSettings.objects.select_for_update().get_or_create(organisation=organisation)
        changed = sorted(name for name, value in values.items() if getattr(found, name) != value)
        for name, value in values.items():
            setattr(found, name, value)
        found.save()
        audit.record("create" if created else "update", by=by, obj=found, changes={"fields": changed})
    return found


def erase_volunteer_data(user, *, by) -> None:
    """The volunteer erases their volunteer data: profile, languages, skills, causes, identity
    number, guardian and acceptances. The account itself stays (it is the person's sign-in)."""
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is not None:
        require(by, "volunteers.change_own_profile", profile)
    elif by is None or by.pk != user.pk:
        raise TansiqError(_("You are not allowed to do this."), code="forbidden")
    with transaction.atomic():
        if profile is not None:
            audit.record("erase", by=by, obj=profile, changes={"what": "volunteer data"})
            applications.withdraw_all(profile, by=by)  # their places go to the waiting list first
            profile.delete()
        Acceptance.objects.filter(user=user).delete()
        CalendarFeed.objects.filter(user=user).delete()
