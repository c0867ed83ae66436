"""Writes of an organisation's contacts: add, edit (compare-and-set on the version), delete.
Checked by the ``rules`` predicates, atomic and audited, like every service of the registry.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from tansiq.core import audit
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.rules import require
from tansiq.network.models import (
    Contact,
    Organisation,
)

CONTACT_FIELDS = ("name", "role", "email", "phone", "visibility")


# Digits of any script (Arabic-Indic included), spaces and the usual separators; a leading +.
_PHONE = re.compile(r"^\+?[\d\s().\-/]{3,40}$")


def _clean_contact(values: dict) -> dict:
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise TansiqError(_("Unknown field."), field=sorted(unknown)[0])
    clean = {
        name: (value or "").strip() if isinstance(value, str) or value is None else value
        for name, value in values.items()
    }
    if "name" in clean and not clean["name"]:
        raise TansiqError(_("Give the contact's name."), field="name")
    if clean.get("email"):
        clean["email"] = clean["email"].lower()
        try:
            validate_email(clean["email"])
        except ValidationError:
            raise TansiqError(_("Enter a valid e-mail address."), field="email") from None
    if clean.get("phone") and not _PHONE.match(clean["phone"]):
        raise TansiqError(
            _("Enter a phone number with digits only, optionally starting with + (spaces and dashes are fine)."),
            field="phone",
        )
    if "visibility" in clean and clean["visibility"] not in Contact.Visibility.values:
        raise TansiqError(_("Choose who may see the contact."), field="visibility")
    for name in ("name", "role"):
        if len(clean.get(name, "")) > 200:
            raise TansiqError(_("This value is too long."), field=name)
    return clean


def add_contact(organisation: Organisation, *, by, **values) -> Contact:
    """An editor (or the secretariat, or the unit's admin) adds a contact to the organisation.

    A second submission of the same contact (same name and e-mail) is refused, not doubled.
    """
    require(by, "network.manage_contacts", organisation)
    values = {"role": "", "email": "", "phone": "", "visibility": Contact.Visibility.ADMINS, **values}
    clean = _clean_contact(values)
    if "name" not in clean:
        raise TansiqError(_("Give the contact's name."), field="name")
    with transaction.atomic():
        # The organisation's row serialises two submissions of the same form.
        Organisation.objects.select_for_update().only("pk").get(pk=organisation.pk)
        if organisation.contacts.filter(name__iexact=clean["name"], email__iexact=clean["email"]).exists():
            raise Conflict(_("This contact is already listed for the organisation."), field="name")
        contact = Contact.objects.create(organisation=organisation, **clean)
        # Field names only: a contact's details are personal data and the log outlives them.
        audit.record("create", by=by, obj=contact, changes={"organisation": organisation.slug, "fields": sorted(clean)})
    return contact


def update_contact(contact: Contact, *, by, version: int, **values) -> Contact:
    """Change a contact. An edit made on an older version (someone saved meanwhile) is refused."""
    require(by, "network.manage_contacts", contact.organisation)
    clean = _clean_contact(values)
    with transaction.atomic():
        try:
            current = Contact.objects.select_for_update().get(pk=contact.pk)
        except Contact.DoesNotExist:
            raise Conflict(_("This contact has been deleted meanwhile.")) from None
        if current.version != version:
            raise Conflict(
                _(
                    "Someone else saved this contact while you were editing it. "
                    "Reload the page to see their changes, then make yours again."
                )
            )
        changed = sorted(name for name, value in clean.items() if getattr(current, name) != value)
        if not changed:
            return current
        for name in changed:
            setattr(current, name, clean[name])
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db(fields=["version"])
        audit.record(
            "update", by=by, obj=current, changes={"organisation": current.organisation.slug, "fields": changed}
        )
    return current


def delete_contact(contact: Contact, *, by, version: int | None = None) -> None:
    """Remove a contact; with ``version``, only if nobody changed it since it was read."""
    require(by, "network.manage_contacts", contact.organisation)
    with transaction.atomic():
        current = Contact.objects.select_for_update().filter(pk=contact.pk).first()
        if current is None:
            raise Conflict(_("This contact has already been deleted."))
        if version is not None and current.version != version:
            raise Conflict(_("Someone else changed this contact meanwhile. Reload the page before deleting it."))
        audit.record("delete", by=by, obj=current, changes={"organisation": contact.organisation.slug})
        current.delete()
