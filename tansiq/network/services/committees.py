"""Committee offices by the statute: the chair and the vice-chair are people who represent member
organisations on the committee itself, and two different people.

One rule, ``check_offices``, is asked wherever an office is filled: the back office's committee
form, the demo and the tests. ``vacate_offices`` applies it after a change that may leave a holder
without a seat (the member names another representative, a seat is removed or passes to someone
else, a membership ends): the office becomes vacant inside the transaction that made the change,
the vacancy is audited, and the secretariat hears of it after commit, each in their own language,
so that the committee elects again. Why the office is vacated rather than handed to the incoming
representative: docs/decisions/0018-committee-offices-vacated-not-inherited.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tansiq.core import audit
from tansiq.core.email import send_to_user
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.rules import require
from tansiq.network.models import (
    Committee,
    CommitteeSeat,
    NetworkMembership,
    Organisation,
)

OFFICES = ("chair", "vice_chair")

# Why an office fell vacant: recorded in the audit entry, worded in the secretariat's e-mail.
REPRESENTATIVE_CHANGED = "representative_changed"
SEAT_CHANGED = "seat_changed"
MEMBERSHIP_ENDED = "membership_ended"


def _represented(network) -> QuerySet[NetworkMembership]:
    return NetworkMembership.objects.filter(network=network, status__in=NetworkMembership.REPRESENTED_STATUSES)


def qualifying_seats(committee: Committee) -> QuerySet[CommitteeSeat]:
    """Seats whose representative may hold an office: a person named on the seat of a member
    organisation (admitted or suspended) of the committee's network."""
    if committee.pk is None:
        return CommitteeSeat.objects.none()
    members = _represented(committee.network_id).filter(organisation=OuterRef("organisation"))
    return committee.seats.filter(Exists(members), representative__isnull=False)


def seated_representatives(committee: Committee) -> QuerySet:
    """The people the committee may elect chair or vice-chair (as few as it has seats)."""
    return get_user_model().objects.filter(pk__in=qualifying_seats(committee).values("representative_id"))


def _office_error(office: str, person) -> TansiqError:
    name = person.get_full_name()
    if office == "chair":
        message = _(
            "%(person)s does not represent a member organisation on a seat of this committee, so they cannot "
            "be its chair. Choose one of the representatives seated on it, or leave the office vacant."
        )
    else:
        message = _(
            "%(person)s does not represent a member organisation on a seat of this committee, so they cannot "
            "be its vice-chair. Choose one of the representatives seated on it, or leave the office vacant."
        )
    return TansiqError(message % {"person": name}, field=office)


def check_offices(
    committee: Committee,
    *,
    chair,
    vice_chair,
    seats_removed: Iterable[int] = (),
    seats_added: Iterable[tuple[int, int]] = (),
) -> None:
    """Refuse a chair or vice-chair who is not the representative on one of the committee's seats
    of a member organisation (admitted or suspended) of its network, or one person in both offices.

    The seats are those saved, less ``seats_removed`` (ids of seats a pending change deletes or
    rewrites) plus ``seats_added`` ((organisation id, representative id) pairs it writes): the back
    office changes seats and offices in one form. The memberships and seats the answer rests on are
    locked until the caller's transaction ends, memberships first as naming a representative takes
    them: a representative change or a membership ending at the same moment waits for this save
    and then finds the office to vacate, instead of slipping between the check and the save.
    Raises ``TansiqError`` whose ``field`` is ``chair`` or ``vice_chair``.
    """
    if chair is not None and vice_chair is not None and chair.pk == vice_chair.pk:
        raise TansiqError(_("The chair and the vice-chair must be two different people."), field="vice_chair")
    holders = [(office, person) for office, person in zip(OFFICES, (chair, vice_chair), strict=True) if person]
    if not holders:
        return
    people = {person.pk for _office, person in holders}
    removed = set(seats_removed)
    added = {(organisation, person) for organisation, person in seats_added if person in people}
    with transaction.atomic():
        saved = CommitteeSeat.objects.none()
        if committee.pk is not None:
            # No ordering: the models' default orders by the organisation's name, a join whose
            # rows FOR UPDATE would lock too.
            saved = committee.seats.filter(representative__in=people).exclude(pk__in=removed).order_by()
        organisations = {organisation for organisation, _person in added}
        organisations |= set(saved.values_list("organisation_id", flat=True))
        members = _represented(committee.network_id).filter(organisation__in=organisations).order_by()
        # Both statements read one table (no join), so FOR UPDATE locks only the rows they return.
        represented = set(members.select_for_update().values_list("organisation_id", flat=True))
        seated = added | set(saved.select_for_update().values_list("organisation_id", "representative_id"))
        for office, person in holders:
            if not any(holder == person.pk and organisation in represented for organisation, holder in seated):
                raise _office_error(office, person)


def offices_at_stake(seats: QuerySet[CommitteeSeat]) -> tuple[QuerySet[Committee], set[int]]:
    """The committees of these seats and their representatives: what to re-examine with
    ``vacate_offices`` once the seats (or the memberships behind them) are gone."""
    rows = list(seats.filter(representative__isnull=False).order_by().values_list("committee_id", "representative_id"))
    return Committee.objects.filter(pk__in={committee for committee, _person in rows}), {p for _c, p in rows}


def vacate_offices(committees: QuerySet[Committee], *, people: Iterable[int | None], by, cause: str) -> list[tuple]:
    """Offices of these committees held by these people become vacant where the holder no longer
    represents a member organisation on one of the committee's seats (``check_offices``'s rule).

    Call it inside the transaction that made the change. The committees are locked first, so two
    changes at once are judged one after the other, each on what the other left. Each committee
    with a vacated office gets one audit entry; the secretariat hears after commit. Returns
    (committee id, office, former holder id) for each vacated office.
    """
    people = {pk for pk in people if pk is not None}
    if not people:
        return []
    held = committees.filter(Q(chair__in=people) | Q(vice_chair__in=people))
    locked = list(held.select_for_update(of=("self",)).select_related("chair", "vice_chair").order_by("pk"))
    if not locked:
        return []
    members = _represented(OuterRef("committee__network")).filter(organisation=OuterRef("organisation"))
    seated = set(
        CommitteeSeat.objects.filter(Exists(members), committee__in=locked, representative__in=people).values_list(
            "committee_id", "representative_id"
        )
    )
    vacated = []
    for committee in locked:
        changes: dict = {}
        for office in OFFICES:
            holder = getattr(committee, office)
            if holder is None or holder.pk not in people or (committee.pk, holder.pk) in seated:
                continue
            changes[office] = {"from": audit.actor_label(holder), "to": ""}
            setattr(committee, office, None)
            vacated.append((committee.pk, office, holder.pk))
        if changes:
            committee.save(update_fields=sorted(changes))
            audit.record(
                "update",
                by=by,
                obj=committee,
                reason=_("The holder no longer represents a member organisation on the committee."),
                changes={"fields": sorted(changes), **changes, "vacated": cause},
            )
    for committee_id, office, holder_id in vacated:
        transaction.on_commit(partial(notify_office_vacated, committee_id, office, holder_id, cause))
    return vacated


def _secretariat():
    return get_user_model().objects.filter(groups__name="secretariat", is_active=True).distinct()


def notify_office_vacated(committee_id: int, office: str, holder_id: int | None, cause: str) -> None:
    """After commit: the secretariat hears that the committee must elect a chair (or vice-chair)
    again, each in their own language, with the committee's page and its back-office page."""
    committee = Committee.objects.select_related("network").filter(pk=committee_id).first()
    if committee is None:
        return
    holder = get_user_model().objects.filter(pk=holder_id).first() if holder_id else None
    seen: set[str] = set()
    for user in _secretariat().order_by("pk"):
        if not user.email or user.email.lower() in seen:
            continue
        seen.add(user.email.lower())
        with translation.override(user.language):
            link = reverse("network:committee", args=[committee.network.slug, committee.slug])
            back_office = reverse("admin:network_committee_change", args=[committee.pk])
        send_to_user(
            user,
            "network/email/office_vacated",
            {
                "committee": committee,
                "office": office,
                "holder": holder.get_full_name() if holder else "",
                "cause": cause,
                "link": link,
                "back_office": back_office,
            },
        )


def add_committee_seat(committee: Committee, *, by, organisation: Organisation, representative=None) -> CommitteeSeat:
    """Give a member organisation a seat on a committee, with its one representative there."""
    require(by, "network.manage_committee", committee)
    if (
        not NetworkMembership.objects.admitted()
        .filter(network=committee.network_id, organisation=organisation)
        .exists()
    ):
        raise TansiqError(_("Only admitted members of the network can sit on its committees."), field="organisation")
    if representative is not None and not organisation.people.filter(user=representative).exists():
        raise TansiqError(_("The representative must be one of the organisation's people."), field="representative")
    try:
        with transaction.atomic():
            seat = CommitteeSeat.objects.create(
                committee=committee, organisation=organisation, representative=representative
            )
            audit.record("create", by=by, obj=seat, changes={"committee": committee.slug})
    except IntegrityError:
        raise Conflict(
            _("This organisation already has a seat on the committee: it has one representative there."),
            field="organisation",
        ) from None
    return seat
