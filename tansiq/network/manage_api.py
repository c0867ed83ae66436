"""An organisation's contacts in the API: the same predicates and services as the contacts page.

Mounted on the registry's router (``network/api.py``), so the paths sit under ``/organisations``.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from tansiq.network import manage, queries
from tansiq.network import manage_queries as found

router = Router(tags=["network"])


class ContactOut(Schema):
    uuid: str
    name: str
    role: str
    email: str
    phone: str
    visibility: str
    version: int

    @staticmethod
    def resolve_uuid(contact) -> str:
        return str(contact.uuid)


class ContactIn(Schema):
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    visibility: str = "admins"


class ContactPatch(Schema):
    version: int
    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    visibility: str | None = None


@router.get(
    "/organisations/{slug}/contacts",
    response=list[ContactOut],
    auth=None,
    summary="An organisation's contacts you may see",
)
def list_contacts(request: HttpRequest, slug: str):
    """Visitors get public contacts, people of fellow members also those for members (the profile
    page's rule); those who keep the organisation's contacts get all of them (the contacts page's)."""
    organisation, _editable = queries.organisation_for(request.user, slug)
    if request.user.is_authenticated and request.user.has_perm("network.manage_contacts", organisation):
        return found.contacts_of(organisation)
    return queries.contacts_visible_to(request.user, organisation).order_by("name", "pk")


@router.post(
    "/organisations/{slug}/contacts",
    response={201: ContactOut},
    summary="Add a contact to your organisation",
)
def create_contact(request: HttpRequest, slug: str, payload: ContactIn):
    """Editors, admins and owners of the organisation, the secretariat, and the admins of its unit.
    ``visibility`` is ``public``, ``members`` or ``admins``."""
    organisation = found.organisation_with_contacts_of(request.user, slug)
    return Status(201, manage.add_contact(organisation, by=request.user, **payload.dict()))


@router.patch(
    "/organisations/{slug}/contacts/{uuid}",
    response=ContactOut,
    summary="Change one of your organisation's contacts",
)
def update_contact(request: HttpRequest, slug: str, uuid: str, payload: ContactPatch):
    """Send the ``version`` you read: a change made on an older version is refused with 409."""
    organisation = found.organisation_with_contacts_of(request.user, slug)
    contact = found.contact_of(organisation, uuid)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version")
    values = {name: value for name, value in values.items() if value is not None}
    return manage.update_contact(contact, by=request.user, version=version, **values)


@router.delete(
    "/organisations/{slug}/contacts/{uuid}",
    response={204: None},
    summary="Delete one of your organisation's contacts",
)
def delete_contact(request: HttpRequest, slug: str, uuid: str, version: int | None = None):
    """With ``?version=``, only if nobody changed the contact since you read it (409 otherwise)."""
    organisation = found.organisation_with_contacts_of(request.user, slug)
    contact = found.contact_of(organisation, uuid)
    manage.delete_contact(contact, by=request.user, version=version)
    return Status(204, None)
