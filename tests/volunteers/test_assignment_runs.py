"""Assignment runs of a big event: 150 applicants over 40 shifts, solved, adjusted and published."""

import datetime as dt
import random
import secrets

import numpy as np
import pytest
from django.utils import timezone

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import Notification
from tansiq.volunteers.models import Application, AssignmentRun, Booking, Shift
from tansiq.volunteers.queries import assignments as queries
from tansiq.volunteers.services import assignments as services
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.volunteers.factories import OpportunityFactory, VolunteerProfileFactory

PEOPLE, SLOTS, PER_SLOT, SEATS = 150, 20, 2, 3  # 40 shifts, 120 seats: not everyone gets one


@pytest.fixture
def organisation(db):
    return OrganisationFactory(slug="congress")


@pytest.fixture
def coordinator(organisation):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role="owner")
    return user


@pytest.fixture
def congress(organisation):
    """A congress: 20 time slots of two parallel shifts (hall and registration desk), 150 applicants
    asking for six shifts each; a few applicants are too young for it (minimum age 18)."""
    opportunity = OpportunityFactory(organisation=organisation, title_en="Muktamar 2027", min_age=18)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=30)
    shifts = []
    for slot in range(SLOTS):
        for _place in range(PER_SLOT):
            begins = start + dt.timedelta(hours=5 * slot)
            shifts.append(
                Shift(
                    opportunity=opportunity,
                    starts_at=begins,
                    ends_at=begins + dt.timedelta(hours=4),
                    capacity=SEATS,
                    checkin_token=secrets.token_urlsafe(32),
                )
            )
    shifts = Shift.objects.bulk_create(shifts)
    rng = random.Random(27)
    bookings = []
    for index in range(PEOPLE):
        born = dt.date(2015, 1, 1) if index % 30 == 0 else dt.date(1990 + index % 15, 1 + index % 12, 1)
        profile = VolunteerProfileFactory(
            birth_date=born, availability=rng.sample(["sat-morning", "sun-evening", "mon-afternoon"], 2)
        )
        application = Application.objects.create(opportunity=opportunity, profile=profile)
        for shift in rng.sample(shifts, 6):
            bookings.append(Booking(application=application, shift=shift, code=secrets.token_urlsafe(32)))
    Booking.objects.bulk_create(bookings)
    return opportunity


def test_the_proposal_respects_capacity_slots_gates_and_requests(congress, coordinator):
    run = services.run_assignment(congress, by=coordinator, max_per_person=2)
    problem = queries.assignment_problem(congress)
    assert len(problem.applications) == PEOPLE and len(problem.shifts) == SLOTS * PER_SLOT
    assert len(set(problem.slot.tolist())) == SLOTS  # the two parallel shifts share their slot
    pairs = [(problem.row_of(a), problem.column_of(s)) for a, s in run.pairs]
    per_shift = np.bincount([j for _i, j in pairs], minlength=len(problem.shifts))
    assert (per_shift <= SEATS).all()
    assert per_shift.sum() == len(pairs) > 100
    per_person: dict[int, list[int]] = {}
    for i, j in pairs:
        assert problem.asked[i, j] and not np.isnan(problem.score[i, j])
        per_person.setdefault(i, []).append(j)
    for shifts in per_person.values():
        assert len(shifts) <= 2
        assert len({problem.slot[j] for j in shifts}) == len(shifts)
    too_young = {i for i, a in enumerate(problem.applications) if a.profile.birth_date.year == 2015}
    assert too_young and not too_young & set(per_person)
    assert run.total_score == pytest.approx(sum(problem.score[i, j] for i, j in pairs))


def test_the_same_applicants_give_the_same_assignment(congress, coordinator):
    first = services.run_assignment(congress, by=coordinator)
    second = services.run_assignment(congress, by=coordinator)
    assert first.pairs == second.pairs and first.total_score == second.total_score
    first.refresh_from_db()
    assert first.state == AssignmentRun.State.DISCARDED  # one draft at a time


def test_a_move_is_checked_like_the_solver(congress, coordinator):
    run = services.run_assignment(congress, by=coordinator)
    problem = queries.assignment_problem(congress)
    application_id, shift_id = run.pairs[0]
    i = problem.row_of(application_id)
    full = next(
        s.pk
        for j, s in enumerate(problem.shifts)
        if sum(1 for _a, other in run.pairs if other == s.pk) >= SEATS and problem.asked[i, j] and s.pk != shift_id
    )
    with pytest.raises(TansiqError, match="no free place"):
        services.move(run, by=coordinator, application_id=application_id, from_shift=shift_id, to_shift=full)
    not_asked = next(s.pk for j, s in enumerate(problem.shifts) if not problem.asked[i, j])
    with pytest.raises(TansiqError, match="did not ask"):
        services.move(run, by=coordinator, application_id=application_id, from_shift=shift_id, to_shift=not_asked)
    run = services.move(run, by=coordinator, application_id=application_id, from_shift=shift_id, to_shift=None)
    assert [application_id, shift_id] not in run.pairs


def test_publishing_gives_seats_declines_the_rest_and_tells_everyone(
    congress, coordinator, django_capture_on_commit_callbacks
):
    run = services.run_assignment(congress, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(run, by=coordinator)
    run.refresh_from_db()
    assert run.state == AssignmentRun.State.PUBLISHED
    chosen = {tuple(pair) for pair in run.pairs}
    accepted = set(
        Booking.objects.filter(state=Booking.State.ACCEPTED).values_list("application_id", "shift_id").distinct()
    )
    assert accepted == chosen
    assert not Booking.objects.filter(state=Booking.State.REQUESTED).exists()
    with_seat = {application for application, _shift in chosen}
    assert set(Application.objects.filter(state=Application.State.ACCEPTED).values_list("pk", flat=True)) == with_seat
    assert Application.objects.filter(state=Application.State.DECLINED).count() == PEOPLE - len(with_seat)
    assert Notification.objects.filter(kind="volunteers.assignments").count() == PEOPLE
    with pytest.raises(Conflict):
        services.move(run, by=coordinator, application_id=run.pairs[0][0], from_shift=run.pairs[0][1], to_shift=None)


def test_one_published_run_per_opportunity(congress, coordinator):
    first = services.publish(services.run_assignment(congress, by=coordinator), by=coordinator)
    Application.objects.filter(opportunity=congress).update(state=Application.State.SUBMITTED)
    services.publish(services.run_assignment(congress, by=coordinator), by=coordinator)
    first.refresh_from_db()
    assert first.state == AssignmentRun.State.DISCARDED
    assert AssignmentRun.objects.filter(opportunity=congress, state=AssignmentRun.State.PUBLISHED).count() == 1


def test_someone_of_another_organisation_may_not_run_it(congress):
    stranger = UserFactory()
    MembershipFactory(user=stranger, role="owner")
    with pytest.raises(Forbidden):
        services.run_assignment(congress, by=stranger)


def test_the_page_runs_and_publishes_for_the_coordinator_only(client, client_for, congress, coordinator):
    url = f"/en/volunteering/opportunities/{congress.uuid}/assignment/"
    applicant = Application.objects.filter(opportunity=congress).first().profile.user
    for user in (None, UserFactory(), applicant):
        assert_refused(client, user, [url, ("post", url)])
    assert not AssignmentRun.objects.exists()
    client = client_for(coordinator)
    assert "No assignment has been proposed yet." in client.get(url).content.decode()
    client.post(url, {"action": "run", "max_per_person": "1"})
    page = client.get(url).content.decode()
    assert "Publish and tell the volunteers" in page and "Per person" in page
    assert client.get(url + "?export=csv")["Content-Type"].startswith("text/csv")
    client.post(url, {"action": "publish"})
    assert AssignmentRun.objects.get().state == AssignmentRun.State.PUBLISHED


def test_a_bad_number_of_shifts_per_person_is_refused(client_for, congress, coordinator):
    url = f"/en/volunteering/opportunities/{congress.uuid}/assignment/"
    response = client_for(coordinator).post(url, {"action": "run", "max_per_person": "0"}, follow=True)
    assert "greater than or equal to 1" in response.content.decode()
    assert not AssignmentRun.objects.exists()


def test_a_move_into_a_time_already_taken_is_refused(organisation, coordinator):
    opportunity = OpportunityFactory(organisation=organisation)
    start = timezone.now() + dt.timedelta(days=10)
    morning, noon, noon_desk = (
        Shift.objects.create(
            opportunity=opportunity,
            starts_at=start + dt.timedelta(hours=hours),
            ends_at=start + dt.timedelta(hours=hours + 3),
            capacity=1,
            checkin_token=secrets.token_urlsafe(32),
        )
        for hours in (0, 4, 5)
    )
    application = Application.objects.create(opportunity=opportunity, profile=VolunteerProfileFactory())
    for shift in (morning, noon, noon_desk):
        Booking.objects.create(application=application, shift=shift, code=secrets.token_urlsafe(32))
    run = services.run_assignment(opportunity, by=coordinator, max_per_person=2)
    held = {shift for _a, shift in run.pairs}
    assert morning.pk in held and len(held) == 2  # one of the two overlapping noon shifts
    other_noon = noon_desk.pk if noon.pk in held else noon.pk
    with pytest.raises(TansiqError, match="already has a shift at that time"):
        services.move(run, by=coordinator, application_id=application.pk, from_shift=morning.pk, to_shift=other_noon)
