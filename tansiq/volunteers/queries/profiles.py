"""Reads of volunteers' data, scoped to what the reader may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from tansiq.volunteers.models import Acceptance, Agreement, OrganisationSettings, VolunteerProfile


def own_profile(user) -> VolunteerProfile | None:
    return VolunteerProfile.objects.filter(user=user).prefetch_related("causes", "languages", "skills").first()


def has_profile(user) -> bool:
    return VolunteerProfile.objects.filter(user=user).exists()


def agreements_in_force() -> list[Agreement]:
    """The current version of each agreement (the newest one already published)."""
    now = timezone.now()
    current = {}
    for agreement in Agreement.objects.filter(published_at__lte=now).order_by("kind", "-version"):
        current.setdefault(agreement.kind, agreement)
    return list(current.values())


def agreements_to_accept(user) -> list[Agreement]:
    """Versions in force the user has not accepted yet (a new version asks again)."""
    accepted = set(Acceptance.objects.filter(user=user).values_list("agreement_id", flat=True))
    return [agreement for agreement in agreements_in_force() if agreement.pk not in accepted]


def acceptances_of(user):
    return Acceptance.objects.filter(user=user).select_related("agreement")


def volunteers_visible_to(user):
    """Profiles an organisation's person may see: the discoverable ones and those who applied to one
    of its opportunities (and, for anyone, their own)."""
    if not user.has_perm("volunteers.find_volunteers"):
        return VolunteerProfile.objects.filter(user=user)
    from tansiq.volunteers.models import Application

    applied = Application.objects.filter(profile=OuterRef("pk"), opportunity__organisation__people__user=user)
    return VolunteerProfile.objects.filter(Q(discoverable=True) | Q(user=user) | Exists(applied))


def discoverable_volunteers(user, *, cause: str = "", country: str = ""):
    """The list an organisation's person browses: discoverable volunteers, filtered."""
    found = VolunteerProfile.objects.none()
    if user.has_perm("volunteers.find_volunteers"):
        found = VolunteerProfile.objects.filter(discoverable=True)
    if cause:
        found = found.filter(
            Exists(
                VolunteerProfile.causes.through.objects.filter(volunteerprofile_id=OuterRef("pk"), cause__slug=cause)
            )
        )
    if country:
        found = found.filter(country=country)
    return found.order_by("legal_name", "pk").prefetch_related("causes", "languages", "skills")


def volunteer_for(user, uuid) -> VolunteerProfile:
    """A volunteer's profile, or 404 to anyone who may not see it (no hint that it exists)."""
    profile = volunteers_visible_to(user).filter(uuid=uuid).prefetch_related("causes", "languages", "skills").first()
    if profile is None or not user.has_perm("volunteers.see_volunteer", profile):
        raise Http404
    return profile


def organisations_coordinated_by(user):
    """Organisations whose volunteering the user keeps (as owner or admin)."""
    from tansiq.network.models import Organisation

    return (
        Organisation.objects.filter(people__user=user, people__role__in=("owner", "admin")).distinct().order_by("slug")
    )


def settings_of(organisation):
    return OrganisationSettings.objects.filter(organisation=organisation).first()


def organisation_for_settings(user, slug: str):
    """The organisation whose volunteering settings the user keeps, or 404."""
    from tansiq.network.queries.directory import organisation_for

    organisation, _editable = organisation_for(user, slug)
    if not user.has_perm("volunteers.manage_settings", organisation):
        raise Http404
    return organisation


def own_data(user) -> dict:
    """Everything the platform keeps about the user as a volunteer, for their own download."""
    from tansiq.volunteers.identity import decrypt_identity_number

    profile = own_profile(user)
    data: dict = {"profile": None, "acceptances": []}
    if profile is not None:
        # Every field the profile holds (a field added later is exported too), the encrypted form aside.
        hidden = {"id", "uuid", "user", "identity_number_encrypted", "identity_number_last"}
        fields = [field.name for field in VolunteerProfile._meta.concrete_fields if field.name not in hidden]
        data["profile"] = {name: plain(getattr(profile, name)) for name in fields}
        data["profile"]["identity_number"] = decrypt_identity_number(profile)
        data["profile"]["causes"] = [cause.slug for cause in profile.causes.all()]
        data["profile"]["languages"] = [
            {"language": row.language, "level": row.level} for row in profile.languages.all()
        ]
        data["profile"]["skills"] = [{"name": row.name, "level": row.level} for row in profile.skills.all()]
    data["acceptances"] = [
        {"agreement": row.agreement.kind, "version": row.agreement.version, "accepted_at": plain(row.accepted_at)}
        for row in acceptances_of(user)
    ]
    from tansiq.volunteers.queries.hours import own_work_data

    data.update(own_work_data(user))
    return data


def own_data_rows(data: dict) -> list[tuple[str, str, str]]:
    """``own_data`` flattened to (section, field, value) rows for a CSV file."""
    rows = []
    for name, value in (data["profile"] or {}).items():
        if isinstance(value, list):
            for item in value:
                rows.append(
                    ("profile", name, " ".join(str(v) for v in item.values()) if isinstance(item, dict) else item)
                )
        else:
            rows.append(("profile", name, "" if value is None else str(value)))
    for row in data["acceptances"]:
        rows.append(("acceptance", f"{row['agreement']} v{row['version']}", row["accepted_at"]))
    # Applications, shifts, hours, certificates: one row per value, numbered within its section.
    for section in ("applications", "shifts", "hours", "certificates"):
        for number, item in enumerate(data.get(section, []), start=1):
            for name, value in item.items():
                rows.append((section, f"{number}.{name}", "" if value in (None, "") else str(value)))
    return rows


def plain(value):
    if value is None or isinstance(value, bool | int | float | str | list):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def volunteering_licences_expiring(today: dt.date, horizon: dt.date):
    """The organisations whose volunteering licence expires between ``today`` and ``horizon``, for
    the registry's compliance reminders (``network.services.compliance.register_source``)."""
    expiring = OrganisationSettings.objects.filter(licence_expires_on__range=(today, horizon)).select_related(
        "organisation"
    )
    for settings in expiring.order_by("pk").iterator(chunk_size=500):
        yield settings.organisation, "volunteering_licence", settings.licence_expires_on
