"""Who may see and change volunteers' data.

A volunteer keeps their own profile. An organisation's people see a volunteer's profile only once
the volunteer opts in to being discoverable (and, with applications, once they apply to it); they
never see the identity number. The secretariat keeps the reference data (causes, agreements).
"""

from __future__ import annotations

import rules

from tansiq.core.rules import is_secretariat
from tansiq.network.models import Membership
from tansiq.network.rules import is_organisation_manager


@rules.predicate
def is_own_profile(user, profile) -> bool:
    return profile is not None and profile.user_id == user.pk


@rules.predicate
def acts_for_an_organisation(user) -> bool:
    return Membership.objects.filter(user=user).exists()


@rules.predicate
def is_discoverable(user, profile) -> bool:
    return profile is not None and profile.discoverable


rules.add_perm("volunteers.change_own_profile", rules.is_authenticated & is_own_profile)
rules.add_perm("volunteers.find_volunteers", rules.is_authenticated & acts_for_an_organisation)
rules.add_perm(
    "volunteers.see_volunteer",
    rules.is_authenticated & (is_own_profile | (acts_for_an_organisation & is_discoverable)),
)

# An organisation's owners and admins (and the secretariat) keep its volunteering settings (object:
# the Organisation).
rules.add_perm("volunteers.manage_settings", rules.is_authenticated & (is_organisation_manager | is_secretariat))

# The back office: the secretariat keeps the reference data; profiles are read-only there.
for model in ("cause", "agreement", "organisationsettings"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"volunteers.{action}_{model}", is_secretariat)
rules.add_perm("volunteers.view_volunteerprofile", is_secretariat)
rules.add_perm("volunteers.view_acceptance", is_secretariat)

# --- Trainings, qualifications, assignment runs, yearly achievements --------------------------------


@rules.predicate
def is_training_organiser(user, training) -> bool:
    """The training's organisation's owners and admins; a training without an organisation is the
    secretariat's (object: the Training)."""
    if training is None or training.organisation_id is None:
        return False
    return is_organisation_manager.test(user, training.organisation)


@rules.predicate
def has_applied_to(user, pair) -> bool:
    """The volunteer applied to one of the organisation's opportunities (object: (organisation,
    profile)); an organisation checks documents only for its own applicants."""
    organisation, profile = pair
    from tansiq.volunteers.models import Application

    return Application.objects.filter(opportunity__organisation=organisation, profile=profile).exists()


@rules.predicate
def manages_organisation_of_pair(user, pair) -> bool:
    return is_organisation_manager.test(user, pair[0])


# Trainings: an organisation's owners and admins create them for it (object: the Organisation, or
# None for the secretariat's own); they keep attendance and completions (object: the Training).
rules.add_perm(
    "volunteers.create_training",
    rules.is_authenticated & (is_secretariat | is_organisation_manager),
)
rules.add_perm("volunteers.organise_training", rules.is_authenticated & (is_secretariat | is_training_organiser))
# Anyone signed in may enrol themselves (the service also asks for a volunteer profile).
rules.add_perm("volunteers.enrol", rules.is_authenticated)
# A "document checked" qualification, recorded by an organisation for its own applicant.
rules.add_perm(
    "volunteers.check_document",
    rules.is_authenticated & manages_organisation_of_pair & has_applied_to,
)
# Assignment runs of an opportunity's applicants to its shifts (object: the Opportunity).
rules.add_perm("volunteers.assign_shifts", rules.is_authenticated & (is_organisation_manager | is_secretariat))
# The back office keeps qualifications and trainings.
for model in ("qualification", "training", "trainingsession"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"volunteers.{action}_{model}", is_secretariat)
