"""Writes of the registry itself: an organisation's profile and its membership status in a network.
One keyword-only function per use case, checked, atomic and audited.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tansiq.core import audit
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.rules import require
from tansiq.core.workflow import transition
from tansiq.network.models import (
    CommitteeSeat,
    Membership,
    NetworkMembership,
    Organisation,
)
from tansiq.network.services import committees
from tansiq.network.services.people import invite_person

# What an editor may change on the profile; the legal identity behind it (slug, parent) stays with
# the secretariat's back office.
PROFILE_FIELDS = (
    "legal_name",
    "name_ar",
    "name_en",
    "name_ms",
    "acronym",
    "type",
    "country",
    "region",
    "city",
    "address",
    "latitude",
    "longitude",
    "registry",
    "registration_number",
    "year_founded",
    "website",
    "social_links",
    "working_languages",
    "logo",
    "description_ar",
    "description_en",
    "description_ms",
    "staff_count",
    "volunteer_count",
    "agm_date",
    "licence_expiry",
)


# What whoever registers a new organisation gives: its names, where it is, what it does.
REGISTRATION_FIELDS = (
    "name_ar",
    "name_en",
    "name_ms",
    "legal_name",
    "acronym",
    "type",
    "country",
    "city",
    "registration_number",
    "website",
)
NAME_FIELDS = ("name_ar", "name_en", "name_ms")


def slug_base(values: dict) -> str:
    """The start of a new organisation's short name: its Latin name, else "organisation"."""
    latin = values.get("name_en") or values.get("name_ms") or values.get("legal_name", "")
    return slugify(latin)[:60].strip("-") or "organisation"


# Addresses under /organisations/ that are pages, not organisations.
RESERVED_SLUGS = frozenset({"register"})


def _free_slug(values: dict) -> str:
    base = slug_base(values)
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, counter = base, 1
    while slug in taken:
        counter += 1
        slug = f"{base}-{counter}"
    return slug


def register_organisation(
    *, by, focus_areas=(), owner_email: str = "", language: str = "", base_url: str = "", **values
) -> Organisation:
    """Someone signed in registers a new organisation and becomes its owner.

    It belongs to no network and no directory lists it until a network admits it (the admission
    workflow). With ``owner_email`` the secretariat registers it for someone else: nobody acts for
    it yet, and its owner is invited by e-mail (``people.invite_person``; the invitation is bound
    to that address). A probable duplicate is the page's warning, never a refusal here.
    """
    require(by, "network.register_organisation")
    if owner_email:
        require(by, "network.register_organisation_for_others")
    unknown = set(values) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TansiqError(_("Unknown field."), field=sorted(unknown)[0])
    names = {name: (values.get(name) or "").strip() for name in NAME_FIELDS}
    if not any(names.values()):
        raise TansiqError(_("Give the organisation's name in at least one language."), field="name_ar")
    if not values.get("country"):
        raise TansiqError(_("Choose the country."), field="country")
    values = {**values, **names}
    values["legal_name"] = (values.get("legal_name") or "").strip() or next(n for n in names.values() if n)
    with transaction.atomic():
        organisation = Organisation.objects.create(slug=_free_slug(values), **values)
        # modeltranslation keeps the untranslated column too (the directory orders by it): the name
        # in the default language, else the first one given, whatever the registrant's language.
        Organisation.objects.rewrite(False).filter(pk=organisation.pk).update(
            name=names.get(f"name_{settings.LANGUAGE_CODE}") or next(n for n in names.values() if n)
        )
        if focus_areas:
            organisation.focus_areas.set(focus_areas)
        audit.record(
            "create",
            by=by,
            obj=organisation,
            changes={
                "fields": sorted(name for name, value in values.items() if value),
                "for_others": bool(owner_email),
            },
        )
        if owner_email:
            # The e-mail goes after commit (``send_templated``); the invitee becomes the owner on accepting.
            invite_person(
                organisation,
                by=by,
                email=owner_email,
                role=Membership.Role.OWNER,
                language=language or settings.LANGUAGE_CODE,
                base_url=base_url,
            )
        else:
            membership = Membership.objects.create(user=by, organisation=organisation, role=Membership.Role.OWNER)
            audit.record("create", by=by, obj=membership, changes={"role": membership.role})
    return organisation


def update_organisation(organisation: Organisation, *, by, version: int, focus_areas=None, **values) -> Organisation:
    """An editor (or the secretariat) changes the profile. An edit made on an older version is refused."""
    require(by, "network.change_organisation_profile", organisation)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TansiqError(_("Unknown field."), field=sorted(unknown)[0])
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if current.version != version:
            raise Conflict(
                _(
                    "Someone else saved this profile while you were editing it. "
                    "Reload the page to see their changes, then make yours again."
                )
            )
        changed = sorted(name for name, value in values.items() if getattr(current, name) != value)
        for name in changed:
            setattr(current, name, values[name])
        focus_changed = False
        if focus_areas is not None:
            wanted = {area.pk for area in focus_areas}
            focus_changed = wanted != set(current.focus_areas.values_list("pk", flat=True))
            if focus_changed:
                current.focus_areas.set(wanted)
                changed.append("focus_areas")
        if not changed:
            return current
        current.version = F("version") + 1
        current.updated_at = timezone.now()
        current.save()
        current.refresh_from_db(fields=["version"])
        # Field names only: the log outlives the profile.
        audit.record("update", by=by, obj=current, changes={"fields": changed})
    return current


def change_membership_status(
    membership: NetworkMembership, *, to: str, by, reason: str, on: dt.date | None = None
) -> NetworkMembership:
    """Suspend, reinstate, withdraw or expel an admitted member, with the reason and the date (statute).

    A member that withdraws or is expelled is represented no more: a committee office held by one
    of its seats' representatives becomes vacant (``committees.vacate_offices``); a suspended
    member keeps them.
    """
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise TansiqError(_("The date cannot be in the future."), field="on")
    membership.status_reason = reason.strip()
    membership.status_changed_on = on
    with transaction.atomic():
        transition(
            membership,
            to=to,
            by=by,
            reason=reason,
            require_reason=True,
            extra_fields=["status_reason", "status_changed_on"],
            changes={"on": on.isoformat()},
        )
        if membership.status not in NetworkMembership.REPRESENTED_STATUSES:
            seats = CommitteeSeat.objects.filter(
                organisation=membership.organisation_id, committee__network=membership.network_id
            )
            at_stake, people = committees.offices_at_stake(seats)
            committees.vacate_offices(at_stake, people=people, by=by, cause=committees.MEMBERSHIP_ENDED)
    return membership
