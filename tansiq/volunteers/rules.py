"""Who may see and change volunteers' data.

A volunteer keeps their own profile. An organisation's people see a volunteer's profile only once
the volunteer opts in to being discoverable or applies to one of its opportunities; they
never see the identity number. The secretariat keeps the reference data (causes, agreements).
"""

from __future__ import annotations

import rules

from tansiq.core.rules import is_secretariat
from tansiq.network.models import Membership
from tansiq.network.rules import is_organisation_editor, is_organisation_manager, is_organisation_person


@rules.predicate
def is_own_profile(user, profile) -> bool:
    return profile is not None and profile.user_id == user.pk


@rules.predicate
def acts_for_an_organisation(user) -> bool:
    return Membership.objects.filter(user=user).exists()


@rules.predicate
def is_discoverable(user, profile) -> bool:
    return profile is not None and profile.discoverable


@rules.predicate
def applied_to_users_organisation(user, profile) -> bool:
    """The volunteer applied to one of the opportunities of an organisation the user acts for."""
    from tansiq.volunteers.models import Application

    return (
        profile is not None
        and Application.objects.filter(profile=profile, opportunity__organisation__people__user=user).exists()
    )


rules.add_perm("volunteers.change_own_profile", rules.is_authenticated & is_own_profile)
rules.add_perm("volunteers.find_volunteers", rules.is_authenticated & acts_for_an_organisation)
rules.add_perm(
    "volunteers.see_volunteer",
    rules.is_authenticated
    & (is_own_profile | (acts_for_an_organisation & (is_discoverable | applied_to_users_organisation))),
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


# --- Opportunities and shifts ---------------------------------------------------------------------
# An organisation's owners, admins and editors keep its opportunities (object: the Opportunity, or
# the Organisation for creating one). Where the network vets opportunities, a draft goes to the
# secretariat's review instead of being published at once.


@rules.predicate
def is_vetted(user, opportunity) -> bool:
    """The organisation's network reviews opportunities before they are published."""
    if opportunity is None:
        return False
    cached = getattr(opportunity, "_vetted", None)
    if cached is None:
        from tansiq.network.models import NetworkMembership
        from tansiq.volunteers.models import VolunteeringPolicy

        networks = NetworkMembership.objects.admitted().filter(organisation_id=opportunity.organisation_id)
        cached = VolunteeringPolicy.objects.filter(
            network_id__in=networks.values("network_id"), vets_opportunities=True
        ).exists()
        opportunity._vetted = cached
    return cached


@rules.predicate
def is_public_opportunity(user, opportunity) -> bool:
    return opportunity is not None and opportunity.state in opportunity.PUBLIC_STATES


@rules.predicate
def is_changeable_opportunity(user, opportunity) -> bool:
    return opportunity is not None and opportunity.state in opportunity.CHANGEABLE_STATES


rules.add_perm("volunteers.manage_opportunities", rules.is_authenticated & is_organisation_editor)
rules.add_perm("volunteers.manage_opportunity", rules.is_authenticated & is_organisation_editor)
rules.add_perm(
    "volunteers.change_opportunity", rules.is_authenticated & is_organisation_editor & is_changeable_opportunity
)
rules.add_perm("volunteers.submit_opportunity", rules.is_authenticated & is_organisation_editor & is_vetted)
rules.add_perm("volunteers.publish_opportunity", rules.is_authenticated & is_organisation_editor & ~is_vetted)
rules.add_perm("volunteers.review_opportunity", rules.is_authenticated & is_secretariat)
# The secretariat may withdraw an opportunity that breaks the network's rules.
rules.add_perm("volunteers.cancel_opportunity", rules.is_authenticated & (is_organisation_editor | is_secretariat))
# Made by the platform only (every future place taken, or one freed): nobody holds it.
rules.add_perm("volunteers.fill_opportunity", rules.always_deny)
rules.add_perm(
    "volunteers.see_opportunity",
    is_public_opportunity | (rules.is_authenticated & (is_organisation_person | is_secretariat)),
)
# Candidates for an opportunity: its organisation's people who keep it.
rules.add_perm("volunteers.see_candidates", rules.is_authenticated & is_organisation_editor)
# --- Applications: the volunteer's side and the organisation's -----------------------------------


def _organisation_of_volunteering(obj):
    """The organisation an opportunity, an application, a shift or a booking belongs to."""
    for step in ("application", "shift", "opportunity"):
        if obj is not None and not hasattr(obj, "organisation_id") and hasattr(obj, f"{step}_id"):
            obj = getattr(obj, step)
    return getattr(obj, "organisation", None) if obj is not None else None


@rules.predicate
def is_applicant(user, application) -> bool:
    return application is not None and application.profile.user_id == user.pk


@rules.predicate
def coordinates(user, obj) -> bool:
    """The user keeps the volunteering of the organisation ``obj`` belongs to (owner or admin)."""
    organisation = _organisation_of_volunteering(obj)
    return organisation is not None and is_organisation_manager(user, organisation)


rules.add_perm("volunteers.decide_application", rules.is_authenticated & coordinates)
rules.add_perm("volunteers.view_roster", rules.is_authenticated & coordinates)
rules.add_perm("volunteers.rate_volunteer", rules.is_authenticated & coordinates)
rules.add_perm("volunteers.withdraw_application", rules.is_authenticated & is_applicant)
rules.add_perm("volunteers.confirm_application", rules.is_authenticated & is_applicant)
rules.add_perm("volunteers.rate_organisation", rules.is_authenticated & is_applicant)
rules.add_perm("volunteers.take_place", rules.is_authenticated & (is_applicant | coordinates))
rules.add_perm("volunteers.view_application", rules.is_authenticated & (is_applicant | coordinates))
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
