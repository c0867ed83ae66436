"""What volunteering's hours feed into core's registries (called from ``AppConfig.ready()``): the
certificate of hours, its notifications, "needs my action" items and the daily check-out job."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _organisation_of(certificate):
    from tansiq.network.models import Organisation

    if not certificate.object_id or certificate.content_type_id is None:
        return None
    if certificate.content_type.model_class() is not Organisation:
        return None
    return Organisation.objects.filter(pk=certificate.object_id).first()


def _approves_for(user, certificate) -> bool:
    """The organisation's hours approvers issue, download and revoke its certificates of hours."""
    organisation = _organisation_of(certificate)
    return organisation is not None and user.has_perm("volunteers.approve_hours", organisation)


def action_items(user):
    """Hours to approve and check-outs missing, from the summary kept in the cache for the person
    (read with the home page's figures: no query). The services write it whenever hours or
    check-outs change at an organisation, for each of its coordinators."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    from tansiq.core.actions import Item
    from tansiq.volunteers.queries import hours as queries

    summary = cache.get(queries.waiting_key(user)) or {}
    language = get_language()
    items = [
        Item(
            title=_("Volunteers' hours to approve: %(name)s") % {"name": names.get(language, slug)},
            url=reverse("volunteers:organisation_hours", args=[slug]) + "?state=pending",
            kind=_("Hours"),
            detail=_("%(count)s waiting") % {"count": count},
        )
        for slug, names, count in summary.get("approve", [])
    ]
    items += [
        Item(
            title=_("Check-outs missing: %(name)s") % {"name": names.get(language, slug)},
            url=reverse("volunteers:organisation_shifts", args=[slug]) + "?missing=1",
            kind=_("Check-in"),
            detail=_("%(count)s volunteers checked in and never out") % {"count": count},
            urgent=True,
        )
        for slug, names, count in summary.get("missing", [])
    ]
    return items


def action_cache_keys(user) -> list[str]:
    from tansiq.volunteers.queries import hours as queries

    return [queries.waiting_key(user)]


def register() -> None:
    from tansiq.core import actions, certificates, notify, schedule
    from tansiq.volunteers.tasks import flag_missing_checkouts

    certificates.register_kind(
        "volunteers.hours",
        _("Certificate of volunteering"),
        body_template="volunteers/certificates/hours.html",
        facts={
            "hours": certificates.Fact(_("Hours"), "number"),
            "start": certificates.Fact(_("From"), "date"),
            "end": certificates.Fact(_("To"), "date"),
            "opportunity": certificates.Fact(_("Opportunity"), "text"),
        },
        can_issue=_approves_for,
        can_download=_approves_for,
        can_revoke=_approves_for,
    )
    notify.register_kind(
        "volunteers.hours_decided",
        _("My volunteering hours approved or declined"),
        templates=["volunteers/email/hours_decided"],
        order=400,
    )
    notify.register_kind(
        "volunteers.certificate",
        _("Certificates of volunteering issued to me"),
        templates=["volunteers/email/certificate_issued"],
        order=410,
    )
    notify.register_kind(
        "volunteers.checkout",
        _("Volunteers who did not check out"),
        templates=["volunteers/email/checkout_missing"],
        order=420,
    )
    actions.register_provider("volunteers.hours", action_items, cache_keys=action_cache_keys)
    schedule.daily("volunteers.flag-missing-checkouts", flag_missing_checkouts, at=dt.time(5, 0))
