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
