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

# --- Hours, check-in, certificates ---------------------------------------------------------------
# An organisation's owners, admins and editors coordinate its shifts (check-in, attendance); who
# approves hours (and issues certificates for them) is the organisation's choice in its settings.


def organisation_of_work(obj):
    """The organisation a shift, booked shift, hours entry or opportunity belongs to."""
    from tansiq.network.models import Organisation
    from tansiq.volunteers.models import Booking, HoursEntry, Opportunity, Shift

    if obj is None or isinstance(obj, Organisation):
        return obj
    if isinstance(obj, Booking):
        obj = obj.shift
    if isinstance(obj, Shift):
        obj = obj.opportunity
    if isinstance(obj, Opportunity | HoursEntry):
        return obj.organisation
    return None


@rules.predicate
def coordinates_work(user, obj) -> bool:
    from tansiq.network.rules import EDITORS, roles_of

    return bool(roles_of(user, organisation_of_work(obj)) & set(EDITORS))


@rules.predicate
def approves_hours_of(user, obj) -> bool:
    from tansiq.network.rules import EDITORS, MANAGERS, roles_of
    from tansiq.volunteers.models import OrganisationSettings

    organisation = organisation_of_work(obj)
    if organisation is None:
        return False
    roles = roles_of(user, organisation)
    if not roles:
        return False
    chosen = (
        OrganisationSettings.objects.filter(organisation=organisation).values_list("hours_approvers", flat=True).first()
    )
    return bool(roles & set(EDITORS if chosen == OrganisationSettings.Approvers.EDITORS else MANAGERS))


@rules.predicate
def owns_work(user, obj) -> bool:
    """The volunteer whose booked shift or hours entry it is."""
    profile = getattr(obj, "profile", None) or getattr(getattr(obj, "application", None), "profile", None)
    return profile is not None and profile.user_id == user.pk


rules.add_perm("volunteers.coordinate_shifts", rules.is_authenticated & (coordinates_work | is_secretariat))
rules.add_perm("volunteers.approve_hours", rules.is_authenticated & (approves_hours_of | is_secretariat))
rules.add_perm("volunteers.see_work", rules.is_authenticated & (owns_work | coordinates_work | is_secretariat))
for model in ("tier", "volunteeringpolicy"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"volunteers.{action}_{model}", is_secretariat)
