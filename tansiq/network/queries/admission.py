"""Reads of admission: applications and references, already limited to who may see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from tansiq.core.workflow import allowed_targets
from tansiq.network import caching
from tansiq.network.models import (
    Application,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Reference,
)
from tansiq.network.queries.directory import own_organisation_ids, sees_everything

if TYPE_CHECKING:
    pass


def application_for(user, uuid) -> tuple[Application, list[str]]:
    """An application the user may see (its organisation's people, the secretariat) or 404, with the
    steps this user may take next."""

    try:
        application = Application.objects.select_related("network", "organisation").get(uuid=uuid)
    except (Application.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if not (getattr(user, "is_authenticated", False) and rules.has_perm("network.see_application", user, application)):
        raise Http404
    return application, allowed_targets(application, user)


def reference_for(user, uuid) -> Reference:
    """A reference addressed to an organisation the user acts for (or the secretariat), or 404."""
    try:
        reference = Reference.objects.select_related(
            "application__network", "application__organisation", "organisation"
        ).get(uuid=uuid)
    except (Reference.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if not (getattr(user, "is_authenticated", False) and rules.has_perm("network.see_reference", user, reference)):
        raise Http404
    return reference


def applications_of(organisation: Organisation) -> QuerySet[Application]:
    return organisation.applications.select_related("network")


def references_for(user) -> QuerySet[Reference]:
    """References waiting for an answer from organisations the user acts for."""
    return Reference.objects.filter(
        organisation_id__in=own_organisation_ids(user),
        state=Reference.State.PENDING,
        application__state=Application.State.SUBMITTED,
    ).select_related("application__organisation", "application__network")


def application_queue(user) -> QuerySet[Application]:
    """Every application but drafts, for the secretariat; nothing for anyone else."""
    if not sees_everything(user):
        return Application.objects.none()
    return (
        Application.objects.exclude(state=Application.State.DRAFT)
        .select_related("network", "organisation")
        .order_by("-submitted_at", "-pk")
    )


def organisations_that_may_apply(user, network: Network) -> list[tuple[str, str]]:
    """(slug, name) of organisations the user owns or administers that are not members of ``network``.

    Cached for a minute per person, network and language: it only decides whether a network's home
    shows "Apply for membership" (the page it leads to checks again), and the home has a query budget.
    """
    if not getattr(user, "is_authenticated", False):
        return []

    key = caching.may_apply_key(user, network)
    found = cache.get(key)
    if found is None:
        members = NetworkMembership.objects.filter(
            network=network,
            status__in=[NetworkMembership.Status.ADMITTED, NetworkMembership.Status.SUSPENDED],
        ).values("organisation_id")
        found = [
            (organisation.slug, organisation.name)
            for organisation in Organisation.objects.filter(
                people__user=user, people__role__in=[Membership.Role.OWNER, Membership.Role.ADMIN]
            )
            .exclude(pk__in=members)
            .only("slug", "name")
            .order_by("name")
        ]
        cache.set(key, found, caching.MAY_APPLY_SECONDS)
    return found


def eligible_referees(application: Application):
    """Organisations the applicant may name as referees: admitted members of the same network with a
    vote (associates and observers have none), never the applicant itself."""
    return (
        Organisation.objects.filter(
            network_memberships__network=application.network_id,
            network_memberships__status=NetworkMembership.Status.ADMITTED,
            network_memberships__category__in=NetworkMembership.VOTING_CATEGORIES,
        )
        .exclude(pk=application.organisation_id)
        .order_by("name", "pk")
    )
