"""Admission by the statute: every write of the application workflow, and who hears of each step.

draft → submitted (referees asked; one that declines is replaced by the applicant) → referees
confirmed (secretariat review) → reviewed (council decision) → eligible → notice to members →
admitted or rejected by the assembly; ineligible and withdrawn end it early. Each step goes
through ``core.workflow.transition`` (checked and audited); e-mails leave after commit, each in its
recipient's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tansiq.core import audit
from tansiq.core.email import send_to_user
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.models import AuditEntry
from tansiq.core.rules import require
from tansiq.core.workflow import transition
from tansiq.network import documents
from tansiq.network.documents import validate_document
from tansiq.network.models import Application, Membership, Network, NetworkMembership, Organisation, Reference

State = Application.State
DOCUMENTS = documents.KINDS


# --- Reading the statute ------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    label: str
    passed: bool
    detail: str


def statute_checks(application: Application, *, today: dt.date | None = None) -> list[Check]:
    """What the secretariat verifies against the network's statute settings, computed."""
    network, organisation = application.network, application.organisation
    today = today or timezone.localdate()
    founded = organisation.year_founded
    years = today.year - founded if founded else None
    required = network.referees_required
    confirmed = application.references.confirmed().count()
    missing = [
        str(Application._meta.get_field(name).verbose_name) for name in DOCUMENTS if not getattr(application, name)
    ]
    return [
        Check(
            gettext_lazy("Years since founding"),
            years is not None and years >= network.min_years_since_founding,
            _("%(years)s (the statute asks for at least %(minimum)s)")
            % {"years": years if years is not None else _("unknown"), "minimum": network.min_years_since_founding},
        ),
        Check(
            gettext_lazy("Documents"),
            not missing,
            _("Missing: %(documents)s") % {"documents": ", ".join(missing)}
            if missing
            else _("Both documents are here"),
        ),
        Check(
            gettext_lazy("Referees"),
            confirmed >= required,
            _("%(confirmed)s of %(required)s confirmed") % {"confirmed": confirmed, "required": required},
        ),
    ]


def steps_of(application: Application) -> list[tuple[str, str]]:
    """The step list the applicant sees: (label, "done" | "current" | "todo" | "ended")."""
    order = list(Application.STEPS)
    labels = dict(State.choices)
    if application.state in order:
        position = order.index(application.state)
        return [
            (labels[step], "done" if index < position else "current" if index == position else "todo")
            for index, step in enumerate(order)
        ]
    # Ended early (ineligible, rejected, withdrawn): what was reached, then how it ended.
    reached = _last_open_state(application)
    position = order.index(reached) if reached in order else 0
    return [(labels[step], "done") for step in order[: position + 1]] + [(labels[application.state], "ended")]


def _last_open_state(application: Application) -> str:

    entry = (
        AuditEntry.objects.filter(object_id=str(application.pk), to_state=application.state, action="transition")
        .filter(content_type__app_label="network", content_type__model="application")
        .order_by("-pk")
        .first()
    )
    return entry.from_state if entry else State.DRAFT


# --- The applicant ------------------------------------------------------------------------------


def start_application(*, by, organisation: Organisation, network: Network) -> Application:
    """An owner or admin opens an application; asking twice returns the one already open."""
    require(by, "network.apply_for_membership", organisation)
    if NetworkMembership.objects.admitted().filter(network=network, organisation=organisation).exists():
        raise Conflict(_("Your organisation is already a member of this network."))
    existing = Application.objects.filter(network=network, organisation=organisation, state__in=Application.OPEN_STATES)
    if found := existing.first():
        return found
    try:
        with transaction.atomic():
            application = Application.objects.create(network=network, organisation=organisation, created_by=by)
            audit.record("create", by=by, obj=application, to_state=application.state)
    except IntegrityError:
        # Two clicks at once: the other one made it.
        return existing.get()
    return application


def save_application(
    application: Application,
    *,
    by,
    category: str,
    representative_name: str,
    motivation: str = "",
    referees: list[Organisation] | None = None,
    board_resolution=None,
    registration_certificate=None,
) -> Application:
    """The applicant fills in the draft: form fields, the two documents, the referee organisations."""
    require(by, "network.edit_application", application)
    if category not in NetworkMembership.Category.values:
        raise TansiqError(_("Choose a category."), field="category")
    uploads = {"board_resolution": board_resolution, "registration_certificate": registration_certificate}
    _check_uploads(uploads)
    if referees is not None:
        _check_referees(application, referees, complete=False)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != State.DRAFT:
            raise Conflict(_("The application has been submitted; it can no longer be changed."))
        application.category = category
        application.representative_name = representative_name.strip()
        application.motivation = motivation.strip()
        _store_uploads(application, uploads)
        application.save()
        if referees is not None:
            wanted = {organisation.pk for organisation in referees}
            application.references.exclude(organisation_id__in=wanted).delete()
            for pk in wanted - set(application.references.values_list("organisation_id", flat=True)):
                Reference.objects.create(application=application, organisation_id=pk)
        changed = ["category", "representative_name", "motivation", *(n for n, u in uploads.items() if u is not None)]
        audit.record(
            "update",
            by=by,
            obj=application,
            changes={"fields": changed, "referees": sorted(wanted)} if referees is not None else {"fields": changed},
        )
    return application


def _check_uploads(uploads: dict) -> None:
    """Every upload passes ``documents.validate_document`` before any of them is stored."""
    for name, upload in uploads.items():
        if upload is not None:
            try:
                validate_document(upload)
            except ValidationError as error:
                raise TansiqError(error.messages[0], field=name) from None


def _store_uploads(application: Application, uploads: dict) -> None:
    """Store the (checked) uploads on the locked application; a replaced file goes once this commits."""
    for name, upload in uploads.items():
        if upload is None:
            continue
        field = getattr(application, name)
        previous = field.name
        field.save(upload.name, upload, save=False)
        if previous and previous != field.name:
            transaction.on_commit(lambda storage=field.storage, name=previous: storage.delete(name))


def _check_referee(application: Application, organisations: set[int], *, field: str) -> None:
    """Each organisation is an admitted member of the network with a vote, and not the applicant."""
    if application.organisation_id in organisations:
        raise TansiqError(_("An organisation cannot be its own referee."), field=field)
    categories = dict(
        NetworkMembership.objects.admitted()
        .filter(network=application.network_id, organisation_id__in=organisations)
        .values_list("organisation_id", "category")
    )
    if set(categories) != organisations:
        raise TansiqError(_("Referees must be member organisations of the network."), field=field)
    if any(category not in NetworkMembership.VOTING_CATEGORIES for category in categories.values()):
        raise TansiqError(_("An associate member or observer has no vote and cannot be a referee."), field=field)


def _check_referees(application: Application, referees: list[Organisation], *, complete: bool) -> None:
    required = application.network.referees_required
    pks = {organisation.pk for organisation in referees}
    _check_referee(application, pks, field="referees")
    if len(pks) > required or (complete and len(pks) != required):
        raise TansiqError(
            _("Name exactly %(count)s member organisations as referees.") % {"count": required}, field="referees"
        )


def submit_application(application: Application, *, by) -> Application:
    """The applicant submits the complete draft; the referees are asked. Submitting twice changes nothing."""
    require(by, "network.see_application", application)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != State.DRAFT:
            # A double click or a resent form: the first submission stands.
            return application
        require(by, "network.submit_application", application)
        missing = [
            str(Application._meta.get_field(name).verbose_name) for name in DOCUMENTS if not getattr(application, name)
        ]
        if missing:
            raise TansiqError(
                _("Add the missing documents before submitting: %(documents)s.") % {"documents": ", ".join(missing)}
            )
        if not application.representative_name:
            raise TansiqError(_("Name the representative."), field="representative_name")
        referees = list(Organisation.objects.filter(references_given__application=application))
        _check_referees(application, referees, complete=True)
        NetworkMembership.objects.get_or_create(
            network=application.network,
            organisation=application.organisation,
            defaults={"status": NetworkMembership.Status.APPLICANT, "category": application.category},
        )
        application.submitted_at = timezone.now()
        transition(application, to=State.SUBMITTED, by=by, extra_fields=["submitted_at"])
    return application


def upload_documents(application: Application, *, by, files: dict) -> Application:
    """Owners, admins and editors of the applicant add or replace documents of the draft.

    ``files`` maps a kind (``documents.KINDS``) to an upload. Every file is checked before any is
    stored, so a refused one leaves the others as they were.
    """
    require(by, "network.upload_application_document", application)
    unknown = [kind for kind in files if kind not in DOCUMENTS]
    if unknown or not files:
        raise TansiqError(
            _("Choose which document this is: %(kinds)s.") % {"kinds": ", ".join(DOCUMENTS)}, field="kind"
        )
    _check_uploads(files)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != State.DRAFT:
            raise Conflict(_("The application has been submitted; it can no longer be changed."))
        _store_uploads(application, files)
        application.save(update_fields=list(files))
        audit.record("update", by=by, obj=application, changes={"fields": sorted(files)})
    return application


# --- The referees -------------------------------------------------------------------------------


def answer_reference(reference: Reference, *, by, confirm: bool, reason: str = "") -> Reference:
    """A referee organisation confirms or declines (with a reason). The last confirmation moves it on."""
    require(by, "network.answer_reference", reference)
    with transaction.atomic():
        reference = Reference.objects.select_for_update().select_related("application__network").get(pk=reference.pk)
        application = Application.objects.select_for_update().get(pk=reference.application_id)
        if application.state != State.SUBMITTED:
            raise Conflict(_("This application is not waiting for referees."))
        reference.reason = reason.strip()
        reference.answered_by = by
        reference.answered_at = timezone.now()
        transition(
            reference,
            to=Reference.State.CONFIRMED if confirm else Reference.State.DECLINED,
            by=by,
            reason=reference.reason,
            require_reason=not confirm,
            extra_fields=["reason", "answered_by", "answered_at"],
        )
        if confirm and application.references.confirmed().count() >= application.network.referees_required:
            # The statute's condition is met: no one needs to push the application on.
            transition(
                application,
                to=State.REFEREES_CONFIRMED,
                by=by,
                reason=_("The referees have confirmed."),
                check_permission=False,
            )
    return reference


def open_referee_places(application: Application) -> int:
    """Referees still to be named: the statute's number less those that have not declined.

    Only a submitted application has places open, and only after a decline: the draft names them all.
    """
    if application.state != State.SUBMITTED:
        return 0
    named = application.references.exclude(state=Reference.State.DECLINED).count()
    return max(application.network.referees_required - named, 0)


def name_another_referee(application: Application, *, by, organisation: Organisation | None) -> tuple[Reference, bool]:
    """After a referee declines, the applicant's owners or admins name another in its place.

    The application stays "waiting for the referees" until the statute's number of referees have
    confirmed; the declined reference stays on record with its reason. The new referee is asked like
    the first ones. Returns the reference and whether it was made now: the same organisation named
    again once the place is filled (a double click, a resent request) is the reference already made.
    """
    require(by, "network.replace_referee", application)
    if organisation is None:
        raise TansiqError(_("Referees must be member organisations of the network."), field="organisation")
    with transaction.atomic():
        # The application's row is the lock: two people filling the one open place queue here.
        application = Application.objects.select_for_update().select_related("network").get(pk=application.pk)
        if application.state != State.SUBMITTED:
            raise Conflict(_("This application is not waiting for referees."))
        references = list(application.references.select_related("organisation"))
        named = {reference.organisation_id: reference for reference in references}
        declined = [reference for reference in references if reference.state == Reference.State.DECLINED]
        places = application.network.referees_required - (len(references) - len(declined))
        existing = named.get(organisation.pk)
        if existing is not None and existing.state == Reference.State.DECLINED:
            raise TansiqError(
                _("%(organisation)s has declined; name another member organisation.")
                % {"organisation": existing.organisation.name},
                field="organisation",
            )
        if existing is not None and places <= 0:
            return existing, False
        if existing is not None:
            raise TansiqError(
                _("%(organisation)s is already one of the referees.") % {"organisation": existing.organisation.name},
                field="organisation",
            )
        if places <= 0:
            raise Conflict(_("The application already has as many referees as the statute asks for."))
        _check_referee(application, {organisation.pk}, field="organisation")
        reference = Reference.objects.create(application=application, organisation=organisation)
        in_place_of = [item.organisation.slug for item in declined]
        audit.record(
            "create",
            by=by,
            obj=reference,
            to_state=reference.state,
            changes={"application": str(application.uuid), "declined": in_place_of},
        )
        audit.record(
            "update",
            by=by,
            obj=application,
            changes={"referee_named": organisation.slug, "declined": in_place_of},
        )
        transaction.on_commit(lambda: notify_reference_requested(reference))
    return reference, True


# --- The secretariat, the council and the assembly ----------------------------------------------


def move_application(
    application: Application,
    *,
    to: str,
    by,
    reason: str = "",
    votes: tuple[int, int, int] | None = None,
    category: str | None = None,
) -> Application:
    """Take one step chosen from ``allowed_targets``: one entry point for pages and the API."""
    if to == State.SUBMITTED:
        return submit_application(application, by=by)
    if to in (State.ADMITTED, State.REJECTED):
        if votes is None:
            raise TansiqError(_("Record the assembly's votes: for, against and abstentions."), field="votes_for")
        application = record_assembly_vote(application, by=by, votes=votes, category=category, reason=reason)
        if application.state != to:
            raise Conflict(
                _("The votes recorded decide otherwise: the application is now “%(state)s”.")
                % {"state": application.get_state_display()}
            )
        return application
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("network").get(pk=application.pk)
        extra: list[str] = []
        if to in (State.ELIGIBLE, State.INELIGIBLE):
            application.decision_reason = reason.strip()
            extra.append("decision_reason")
        if to == State.NOTICE:
            application.notice_ends_on = timezone.localdate() + dt.timedelta(
                days=application.network.notice_period_days
            )
            extra.append("notice_ends_on")
        transition(
            application,
            to=to,
            by=by,
            reason=reason,
            require_reason=to in (State.INELIGIBLE, State.WITHDRAWN) and not _is_applicant(by, application),
            extra_fields=extra,
        )
        if to in (State.INELIGIBLE, State.WITHDRAWN):
            _end_candidacy(application, by=by, reason=reason)
    return application


def _end_candidacy(application: Application, *, by, reason: str) -> None:
    """An application that ends without admission leaves no "applicant" behind in the register.

    The row was made on submission and records nothing else; a membership in any other state (an
    earlier membership that was withdrawn, say) is history and stays as it is.
    """
    pending = NetworkMembership.objects.filter(
        network=application.network_id,
        organisation=application.organisation_id,
        status=NetworkMembership.Status.APPLICANT,
    ).first()
    if pending is None:
        return
    audit.record(
        "delete",
        by=by,
        obj=pending,
        from_state=pending.status,
        reason=reason,
        changes={"application": str(application.uuid), "outcome": application.state},
    )
    pending.delete()


def _is_applicant(user, application: Application) -> bool:
    return Membership.objects.filter(user=user, organisation=application.organisation_id).exists()


def withdraw_application(application: Application, *, by, reason: str = "") -> Application:
    """The applicant (or the secretariat, with a reason) withdraws before the assembly decides."""
    return move_application(application, to=State.WITHDRAWN, by=by, reason=reason)


def record_assembly_vote(
    application: Application, *, by, votes: tuple[int, int, int], category: str | None = None, reason: str = ""
) -> Application:
    """The secretariat records the assembly's vote once the notice period has passed (statute).

    Admitted when more voted for than against; the membership is admitted in the chosen category.
    """
    require(by, "network.review_application", application)
    votes_for, votes_against, votes_abstain = votes
    if min(votes) < 0:
        raise TansiqError(_("Votes cannot be negative."), field="votes_for")
    category = category or application.category
    if category not in NetworkMembership.Category.values:
        raise TansiqError(_("Choose a category."), field="category")
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("network").get(pk=application.pk)
        if application.state != State.NOTICE:
            raise Conflict(_("The assembly votes only once the members have been given notice."))
        today = timezone.localdate()
        if application.notice_ends_on and today < application.notice_ends_on:
            raise Conflict(
                _("The assembly cannot vote before the notice period ends on %(date)s.")
                % {"date": date_format(application.notice_ends_on, "DATE_FORMAT")}
            )
        application.votes_for, application.votes_against, application.votes_abstain = votes
        application.category = category
        outcome = State.ADMITTED if votes_for > votes_against else State.REJECTED
        transition(
            application,
            to=outcome,
            by=by,
            reason=reason,
            extra_fields=["votes_for", "votes_against", "votes_abstain", "category"],
            changes={"for": votes_for, "against": votes_against, "abstain": votes_abstain},
        )
        if outcome == State.REJECTED:
            _end_candidacy(application, by=by, reason=reason)
        if outcome == State.ADMITTED:
            membership, _created = NetworkMembership.objects.update_or_create(
                network=application.network,
                organisation=application.organisation,
                defaults={
                    "status": NetworkMembership.Status.ADMITTED,
                    "category": category,
                    "admitted_on": today,
                    "status_changed_on": today,
                    "status_reason": "",
                },
            )
            audit.record(
                "update",
                by=by,
                obj=membership,
                to_state=membership.status,
                reason=_("Admitted by the assembly."),
                changes={"category": category, "application": str(application.uuid)},
            )
    return application


# --- Who hears of each step ---------------------------------------------------------------------

MANAGERS = (Membership.Role.OWNER, Membership.Role.ADMIN)


def _people(organisation_ids, roles=MANAGERS):
    return (
        get_user_model()
        .objects.filter(memberships__organisation_id__in=organisation_ids, memberships__role__in=roles, is_active=True)
        .distinct()
    )


def _secretariat():
    return get_user_model().objects.filter(groups__name="secretariat", is_active=True).distinct()


def _send(users, prefix: str, context: dict, *, path_name: str, path_args: list) -> None:
    seen: set[str] = set()
    for user in users:
        if not user.email or user.email in seen:
            continue
        seen.add(user.email)
        with translation.override(user.language):
            link = reverse(path_name, args=path_args)
        send_to_user(user, prefix, {**context, "link": link})


def notify_application_changed(application: Application, *, from_state: str, to_state: str, reason: str) -> None:
    """After commit: the applicant's owners and admins hear of every step; others when it concerns them."""
    application = Application.objects.select_related("network", "organisation").get(pk=application.pk)
    context = {"application": application, "state": to_state, "reason": reason}
    applicant = _people([application.organisation_id])
    _send(
        applicant,
        "network/email/application_changed",
        context,
        path_name="network:application",
        path_args=[application.uuid],
    )
    if to_state in (State.SUBMITTED, State.REFEREES_CONFIRMED):
        _send(
            _secretariat(),
            "network/email/application_changed",
            context,
            path_name="network:application_review",
            path_args=[application.uuid],
        )
    if to_state == State.SUBMITTED:
        for reference in application.references.select_related("organisation"):
            notify_reference_requested(reference, application=application)
    if to_state == State.NOTICE:
        members = NetworkMembership.objects.admitted().filter(network=application.network).values("organisation_id")
        _send(
            _people(members, roles=(Membership.Role.OWNER,)),
            "network/email/application_notice",
            context,
            path_name="network:network",
            path_args=[application.network.slug],
        )


def notify_reference_requested(reference: Reference, *, application: Application | None = None) -> None:
    """The referee organisation's owners and admins are asked, each in their language.

    They also find the request on their organisation's *Applications* page.
    """
    application = application or Application.objects.select_related("network", "organisation").get(
        pk=reference.application_id
    )
    _send(
        _people([reference.organisation_id]),
        "network/email/reference_requested",
        {"application": application, "reference": reference},
        path_name="network:reference",
        path_args=[reference.uuid],
    )


def notify_reference_answered(reference: Reference) -> None:
    reference = Reference.objects.select_related("application__organisation", "organisation").get(pk=reference.pk)
    application = reference.application
    _send(
        _people([application.organisation_id]),
        "network/email/reference_answered",
        {"application": application, "reference": reference, "places": open_referee_places(application)},
        path_name="network:application",
        path_args=[application.uuid],
    )
