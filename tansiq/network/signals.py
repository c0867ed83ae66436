"""Cached answers (unit admins, focus-area choices, the default network) forget themselves on change."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from tansiq.core.workflow import transitioned
from tansiq.network.caching import (
    forget_committees,
    forget_default_network,
    forget_directory_searches,
    forget_focus_areas,
    forget_network_stats,
    forget_unit_admins,
)
from tansiq.network.models import (
    Application,
    Committee,
    CommitteeSeat,
    FocusArea,
    Network,
    NetworkMembership,
    Organisation,
    Reference,
    Unit,
)
from tansiq.network.services import admission


@receiver(m2m_changed, sender=Unit.admins.through)
@receiver(post_save, sender=Unit)
@receiver(post_delete, sender=Unit)
def _units_changed(**kwargs) -> None:
    forget_unit_admins()


@receiver(post_save, sender=FocusArea)
@receiver(post_delete, sender=FocusArea)
def _focus_areas_changed(**kwargs) -> None:
    forget_focus_areas()
    _directory_changed()


@receiver(post_save, sender=Committee)
@receiver(post_delete, sender=Committee)
def _committees_changed(instance, **kwargs) -> None:
    forget_committees(instance.network_id)
    _directory_changed()


@receiver(post_save, sender=Network)
@receiver(post_delete, sender=Network)
def _networks_changed(**kwargs) -> None:
    forget_default_network()


@receiver(transitioned)
def _admission_moved(sender, instance, from_state, to_state, reason, **kwargs) -> None:
    """Each party hears of an admission step after it is committed, in its own language."""

    if sender is Application:
        admission.notify_application_changed(instance, from_state=from_state, to_state=to_state, reason=reason)
    elif sender is Reference:
        admission.notify_reference_answered(instance)


@receiver(post_save, sender=NetworkMembership)
@receiver(post_delete, sender=NetworkMembership)
def _membership_changed(instance, **kwargs) -> None:
    forget_network_stats(instance.network)
    _directory_changed()


def _directory_changed(**kwargs) -> None:
    # What the directory's filters keep changed: visitors' cached searches go, now and on commit.
    forget_directory_searches()
    transaction.on_commit(forget_directory_searches)


post_delete.connect(_directory_changed, sender=Organisation, dispatch_uid="tansiq-directory-organisation-delete")
post_save.connect(_directory_changed, sender=CommitteeSeat, dispatch_uid="tansiq-directory-seat")
post_delete.connect(_directory_changed, sender=CommitteeSeat, dispatch_uid="tansiq-directory-seat-delete")
m2m_changed.connect(_directory_changed, sender=Organisation.focus_areas.through, dispatch_uid="tansiq-directory-focus")


@receiver(post_save, sender=Organisation)
def _organisation_changed(instance, **kwargs) -> None:
    _directory_changed()
    # A member's country counts in its networks' figures.
    for membership in instance.network_memberships.select_related("network"):
        forget_network_stats(membership.network)
