"""What the network asks of a person, for the signed-in home page, and the network's notification kinds.

``register()`` (from ``NetworkConfig.ready()``) adds the provider to ``core.actions`` and the kinds of
e-mail the network sends to ``core.notify``. The provider lists, for one person:

- applications to move (the secretariat): waiting for its review, the council's decision, the
  notice to members, or the assembly's vote after the notice period;
- reference requests to answer (owners and admins of the referee organisation);
- applications in draft (owners and admins of the applicant);
- notice periods ending (owners of admitted members of the network the candidate applies to);
- vacant committee offices (the secretariat, to whom the vacancies are e-mailed);
- compliance reminders (owners and admins: an annual return or a licence due within the reminder
  window of ``services/compliance.py``);
- invitations to act for an organisation, sent to the person's address and not yet used.

Who sees what is decided by the rules in ``rules.py`` (asked per item, on roles fetched once) and
the scoped queries in ``queries/admission.py``. The provider costs one query for a person who acts for no
organisation and three for one who does; the secretariat's vacant offices come from the cache
(the same for all of it, per language, forgotten when a committee changes), read in the home page's
one cache statement.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tansiq.core import actions, notify
from tansiq.core.actions import Item
from tansiq.core.rules import is_secretariat
from tansiq.network import rules
from tansiq.network.models import Application, Committee, Membership, NetworkMembership, Organisation
from tansiq.network.queries import admission as queries
from tansiq.network.queries import directory
from tansiq.network.services import compliance

State = Application.State
REVIEW = "network.review_application"


def _states_the_secretariat_moves() -> tuple[str, ...]:
    """Open states the secretariat moves on (``Application.TRANSITIONS``), but "waiting for the
    referees": their answers move it on."""
    states = {source for (source, _target), permission in Application.TRANSITIONS.items() if permission == REVIEW}
    return tuple(sorted(states - {State.SUBMITTED}))


def items_for(user) -> list[Item]:
    today = timezone.localdate()
    organisations = _organisations_of(user)
    memberships = [organisation for organisation in organisations if organisation.my_role]
    for organisation in memberships:  # the rules asked below then need no query about roles
        rules.remember_role(user, organisation, organisation.my_role)
    secretariat = user.has_perm("network.view_application_queue")
    items = [*_invitations(organisations), *_compliance(memberships, today)]
    if memberships:
        items += _references(user, [organisation.pk for organisation in memberships])
    items += _applications(user, memberships, secretariat=secretariat)
    if secretariat:
        items += _vacant_offices(today)
    return items


def _organisations_of(user) -> list[Organisation]:
    """The organisations the person acts for or was invited to (one query), left on the user for
    the home page's "My organisations" section, which then reads nothing more."""
    organisations = directory.organisations_of_person(user)
    setattr(user, directory.KEPT_FOR_THE_PAGE, organisations)
    return organisations


def _invitations(organisations: list[Organisation]) -> list[Item]:
    roles = dict(Membership.Role.choices)
    return [
        Item(
            title=_("Invitation to act for %(organisation)s as %(role)s")
            % {"organisation": organisation.name, "role": roles.get(organisation.invited_as, organisation.invited_as)},
            # The accepting link is in the e-mail only: its token is never stored.
            detail=_("Accept it with the link in the e-mail we sent you."),
            url=reverse("network:organisation", args=[organisation.slug]),
            kind=_("Invitation"),
            deadline=timezone.localdate(organisation.invited_until),
        )
        for organisation in organisations
        if organisation.invited_as
    ]


def _compliance(memberships: list[Organisation], today: dt.date) -> list[Item]:
    labels = {
        compliance.ComplianceReminder.Kind.ANNUAL_RETURN: _("Annual return of %(organisation)s due"),
        compliance.ComplianceReminder.Kind.LICENCE: _("Licence of %(organisation)s expires"),
    }
    items = []
    for organisation in memberships:
        if organisation.my_role not in compliance.MANAGERS:  # the people the reminders go to
            continue
        for kind, field in compliance.FIELDS.items():
            due_on = getattr(organisation, field)
            if due_on and compliance.lead_time(due_on, today) is not None:
                items.append(
                    Item(
                        title=labels[kind] % {"organisation": organisation.name},
                        url=reverse("network:organisation_edit", args=[organisation.slug]),
                        kind=_("Compliance"),
                        deadline=due_on,
                    )
                )
    return items


def _references(user, organisation_ids: list[int]) -> list[Item]:
    references = queries.references_for(user).filter(organisation_id__in=organisation_ids)
    return [
        Item(
            title=_("Reference for %(organisation)s (applying to %(network)s)")
            % {"organisation": reference.application.organisation.name, "network": reference.application.network.name},
            detail=_("Asked of %(referee)s") % {"referee": reference.organisation.name},
            url=reverse("network:reference", args=[reference.uuid]),
            kind=_("Reference request"),
        )
        for reference in references.select_related("organisation")
        if user.has_perm("network.answer_reference", reference)
    ]


def _applications(user, memberships: list[Organisation], *, secretariat: bool) -> list[Item]:
    """Drafts of the person's organisations, notices in their networks, and (secretariat) the queue."""
    wanted = Q()
    if memberships:
        owned = [organisation.pk for organisation in memberships if organisation.my_role == Membership.Role.OWNER]
        wanted |= Q(state=State.DRAFT, organisation_id__in=[organisation.pk for organisation in memberships])
        if owned:
            networks = NetworkMembership.objects.admitted().filter(organisation_id__in=owned).values("network_id")
            wanted |= Q(state=State.NOTICE, network_id__in=networks)
    if secretariat:
        wanted |= Q(pk__in=queries.application_queue(user).filter(state__in=_states_the_secretariat_moves()))
    if not wanted:
        return []
    applications = Application.objects.filter(wanted).select_related("network", "organisation").order_by("pk")
    owned_ids = {organisation.pk for organisation in memberships if organisation.my_role == Membership.Role.OWNER}
    items = []
    for application in applications:
        names = {"organisation": application.organisation.name, "network": application.network.name}
        if application.state == State.DRAFT:
            if user.has_perm("network.submit_application", application):
                items.append(
                    Item(
                        title=_("Finish and submit the application of %(organisation)s to %(network)s") % names,
                        url=reverse("network:application", args=[application.uuid]),
                        kind=_("Application in draft"),
                    )
                )
            continue
        if secretariat and user.has_perm(REVIEW, application):
            items.append(
                Item(
                    title=_("%(organisation)s applies to join %(network)s") % names,
                    detail=application.get_state_display(),
                    url=reverse("network:application_review", args=[application.uuid]),
                    kind=_("Application to move on"),
                    deadline=application.notice_ends_on if application.state == State.NOTICE else None,
                )
            )
        elif application.state == State.NOTICE and owned_ids:
            items.append(
                Item(
                    title=_("Notice to members: %(organisation)s applies to join %(network)s") % names,
                    url=reverse("network:network", args=[application.network.slug]),
                    kind=_("Notice period ending"),
                    deadline=application.notice_ends_on,
                )
            )
    return items


VACANT_KEY = "tansiq:network:vacant-offices"


def vacant_key() -> str:
    return f"{VACANT_KEY}:{translation.get_language()}"


def cache_keys(user) -> list[str]:
    """The vacant offices are the same for every member of the secretariat: kept in the cache (per
    language) and forgotten when a committee changes; read with the home page's figures."""
    return [vacant_key()] if is_secretariat(user) else []


def forget_vacant_offices(**kwargs) -> None:
    from django.conf import settings

    cache.delete_many([f"{VACANT_KEY}:{code}" for code, _name in settings.LANGUAGES])


def _vacant_offices(today: dt.date) -> list[Item]:
    """Committees (in office) without a chair or vice-chair: the secretariat has them elected."""
    key = vacant_key()
    found = cache.get(key)
    if found is None or found[0] != today:
        found = (today, _vacant_offices_on(today))
        cache.set(key, found, 24 * 3600)
    return found[1]


def _vacant_offices_on(today: dt.date) -> list[Item]:
    vacant = Q(chair=None) | Q(vice_chair=None)
    committees = Committee.objects.filter(vacant).filter(Q(term_end=None) | Q(term_end__gte=today))
    items = []
    for committee in committees.select_related("network").order_by("network_id", "position", "slug"):
        if committee.chair_id is None and committee.vice_chair_id is None:
            title = _("%(committee)s (%(network)s) has no chair and no vice-chair")
        elif committee.chair_id is None:
            title = _("%(committee)s (%(network)s) has no chair")
        else:
            title = _("%(committee)s (%(network)s) has no vice-chair")
        items.append(
            Item(
                title=title % {"committee": committee.name, "network": committee.network.name},
                url=reverse("network:committee", args=[committee.network.slug, committee.slug]),
                kind=_("Vacant committee office"),
                deadline=committee.term_end,
            )
        )
    return items


# The kinds of e-mail the network sends: (kind, label, templates, the object they are about).
KINDS = (
    ("network.applications", gettext_lazy("Membership applications"), ["application_changed"], "application"),
    ("network.notices", gettext_lazy("Notices of new members"), ["application_notice"], "application"),
    (
        "network.references",
        gettext_lazy("Reference requests and answers"),
        ["reference_requested", "reference_answered"],
        "reference",
    ),
    ("network.committees", gettext_lazy("Committee offices"), ["office_vacated"], "committee"),
    ("network.compliance", gettext_lazy("Compliance reminders"), ["compliance_reminder"], "organisation"),
    ("network.invitations", gettext_lazy("Invitations to act for an organisation"), ["invitation"], "organisation"),
)
# An invitation's e-mail carries its one-time link: the inbox keeps its subject only.
WITH_SECRETS = {"network.invitations"}


def register() -> None:
    from django.db.models.signals import post_delete, post_save

    actions.register_provider("network", items_for, cache_keys=cache_keys)
    post_save.connect(forget_vacant_offices, sender=Committee, dispatch_uid="tansiq-vacant-offices")
    post_delete.connect(forget_vacant_offices, sender=Committee, dispatch_uid="tansiq-vacant-offices-d")
    for order, (name, label, templates, object_key) in enumerate(KINDS, start=1):
        notify.register_kind(
            name,
            label,
            templates=[f"network/email/{template}" for template in templates],
            keep_body=name not in WITH_SECRETS,
            object_key=object_key,
            order=order * 10,
        )
