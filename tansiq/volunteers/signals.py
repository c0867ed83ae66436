"""What the volunteers app does after a change, wherever it was made (connected from
``VolunteersConfig.ready()``): the matching arrays are forgotten when what they hold changes, and an
opportunity becomes full (or open again) when a booked place is taken or freed."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from tansiq.volunteers import caching
from tansiq.volunteers.models import (
    Booking,
    HeldQualification,
    Opportunity,
    OpportunitySkill,
    Shift,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerSkill,
)


def _opportunities_changed(sender, **kwargs) -> None:
    caching.forget_opportunities_arrays()


def _opportunity_saved(sender, **kwargs) -> None:
    caching.forget_opportunities_arrays()
    caching.forget_review_queue()


def _volunteers_changed(sender, **kwargs) -> None:
    caching.forget_volunteers_arrays()


def _places_changed(sender, instance: Booking, **kwargs) -> None:
    from tansiq.volunteers.services.opportunities import update_fullness

    caching.forget_opportunities_arrays()
    opportunity_id = Shift.objects.filter(pk=instance.shift_id).values_list("opportunity_id", flat=True).first()
    if opportunity_id is not None:
        transaction.on_commit(lambda: _refresh(opportunity_id, update_fullness))


def _refresh(opportunity_id: int, update_fullness) -> None:
    opportunity = Opportunity.objects.filter(pk=opportunity_id).first()
    if opportunity is not None:
        update_fullness(opportunity)


def connect() -> None:
    post_save.connect(_opportunity_saved, sender=Opportunity, dispatch_uid="volunteers.review.Opportunity")
    post_delete.connect(_opportunity_saved, sender=Opportunity, dispatch_uid="volunteers.review.d.Opportunity")
    for model in (Shift, OpportunitySkill):
        post_save.connect(_opportunities_changed, sender=model, dispatch_uid=f"volunteers.forget.{model.__name__}")
        post_delete.connect(_opportunities_changed, sender=model, dispatch_uid=f"volunteers.forget.d.{model.__name__}")
    m2m_changed.connect(
        _opportunities_changed, sender=Opportunity.qualifications.through, dispatch_uid="volunteers.forget.quals"
    )
    for model in (VolunteerProfile, VolunteerLanguage, VolunteerSkill, HeldQualification):
        post_save.connect(_volunteers_changed, sender=model, dispatch_uid=f"volunteers.forget.{model.__name__}")
        post_delete.connect(_volunteers_changed, sender=model, dispatch_uid=f"volunteers.forget.d.{model.__name__}")
    m2m_changed.connect(_volunteers_changed, sender=VolunteerProfile.causes.through, dispatch_uid="volunteers.forget.c")
    post_save.connect(_places_changed, sender=Booking, dispatch_uid="volunteers.places.save")
    post_delete.connect(_places_changed, sender=Booking, dispatch_uid="volunteers.places.delete")
