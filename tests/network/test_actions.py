"""What the network asks of each person, on the signed-in home page; and the network's e-mails in the inbox."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tansiq.core.models import Notification
from tansiq.network import actions
from tansiq.network.models import Application
from tansiq.network.services import people as services
from tests.factories import UserFactory
from tests.helpers import with_mfa
from tests.network.factories import CommitteeFactory, MembershipFactory, reference_of

State = Application.State


def titles(user):
    return [str(item.title) for item in actions.items_for(user)]


def home_items(client, user, language="en"):
    client.force_login(user)
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    return response, [(str(item.title), item.url) for item, _status in response.context["actions"]]


def test_an_outsider_has_nothing_to_do(client, outsider, submitted, network):
    CommitteeFactory(network=network)
    assert actions.items_for(outsider) == []
    response, items = home_items(client, outsider)
    assert items == []
    assert "Nothing is waiting for you." in response.content.decode()


def test_a_visitor_sees_the_public_home_page(client, submitted):
    html = client.get("/en/").content.decode()
    assert "Waiting for you" not in html and "Create an account" in html
    # The header links to the public opportunities; the page itself promises nothing not built yet
    # (volunteering is: its yearly figure links to its page).
    main = html[html.index("<main") :]
    assert "meetings" not in main and "contribut" not in main


def test_referee_owners_are_asked_for_their_reference(client, owner, editor, submitted, org):
    _response, items = home_items(client, owner)
    reference = reference_of(submitted, org)
    assert items == [
        ("Reference for Candidate Society (applying to Union of NGOs)", f"/en/references/{reference.uuid}/")
    ]
    # An editor of the referee organisation may not answer (network.answer_reference): nothing.
    assert actions.items_for(editor) == []
    # Once answered, it is gone.
    from tansiq.network.services import admission

    admission.answer_reference(reference, by=owner, confirm=True)
    assert actions.items_for(owner) == []


def test_the_applicants_owner_is_reminded_of_the_draft(client, candidate_owner, draft):
    _response, items = home_items(client, candidate_owner)
    assert items == [
        ("Finish and submit the application of Candidate Society to Union of NGOs", f"/en/applications/{draft.uuid}/")
    ]


def test_the_secretariat_sees_applications_to_move_and_vacant_offices(client, secretariat, submitted, network):
    # Waiting for the referees: not the secretariat's move yet.
    assert not [t for t in titles(secretariat) if "applies to join" in t]
    Application.objects.filter(pk=submitted.pk).update(state=State.REFEREES_CONFIRMED)
    committee = CommitteeFactory(network=network, name_en="Youth")
    CommitteeFactory(network=network, chair=secretariat, vice_chair=UserFactory())  # complete
    CommitteeFactory(network=network, term_end=timezone.localdate() - dt.timedelta(days=1))  # ended
    _response, items = home_items(client, secretariat)
    assert ("Candidate Society applies to join Union of NGOs", f"/en/applications/{submitted.uuid}/review/") in items
    assert (
        "Youth (Union of NGOs) has no chair and no vice-chair",
        f"/en/networks/uniw/committees/{committee.slug}/",
    ) in items
    assert len(items) == 2


def test_owners_of_members_see_a_notice_period_ending_and_the_secretariat_the_vote(
    client, owner, secretariat, submitted
):
    ends = timezone.localdate() + dt.timedelta(days=5)
    Application.objects.filter(pk=submitted.pk).update(state=State.NOTICE, notice_ends_on=ends)
    [item] = [item for item in actions.items_for(owner) if item.deadline]
    assert str(item.title) == "Notice to members: Candidate Society applies to join Union of NGOs"
    assert item.deadline == ends and item.url == "/en/networks/uniw/" and item.status(timezone.localdate()) == "soon"
    [vote] = [item for item in actions.items_for(secretariat) if "applies to join" in str(item.title)]
    assert vote.deadline == ends and vote.url.endswith("/review/")


def test_compliance_dates_within_the_reminder_window(owner, editor, org):
    today = timezone.localdate()
    org.licence_expiry = today + dt.timedelta(days=20)
    org.agm_date = today - dt.timedelta(days=300)  # the annual return was due long ago: not listed
    org.save()
    [item] = actions.items_for(owner)
    assert str(item.title) == "Licence of Our Association expires" and item.deadline == org.licence_expiry
    assert item.url == "/en/organisations/ours/edit/"
    assert actions.items_for(editor) == []  # reminders go to owners and admins
    org.licence_expiry = today + dt.timedelta(days=90)
    org.save()
    assert actions.items_for(owner) == []


def test_invitations_waiting_at_the_persons_address(client, owner, org, django_capture_on_commit_callbacks):
    invitee = UserFactory(email="new.person@example.org", language="ms")
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _raw = services.invite_person(
            org, by=owner, email="New.Person@example.org", role="editor", language="en"
        )
    [item] = actions.items_for(invitee)
    assert str(item.title) == "Invitation to act for Our Association as Editor"
    assert item.deadline == timezone.localdate(invitation.expires_at) and item.url == "/en/organisations/ours/"
    # Also kept in the invitee's inbox, in their language, without the one-time link.
    kept = Notification.objects.get(user=invitee, kind="network.invitations")
    assert kept.body == "" and _raw not in kept.subject
    assert len(mail.outbox) == 1 and _raw in mail.outbox[0].body
    # Accepted: it is gone.
    services.accept_invitation(_raw, by=invitee)
    assert [i for i in actions.items_for(invitee) if "Invitation" in str(i.title)] == []


def test_items_are_sorted_by_deadline_and_show_both_calendars(client, owner, org, submitted):
    today = timezone.localdate()
    org.licence_expiry = today + dt.timedelta(days=25)
    org.save()
    Application.objects.filter(pk=submitted.pk).update(state=State.NOTICE, notice_ends_on=today + dt.timedelta(days=3))
    response, _items = home_items(client, owner, language="ar")
    deadlines = [item.deadline for item, _status in response.context["actions"]]
    assert deadlines == sorted(deadlines)
    assert 'class="hijri' in response.content.decode()


def test_the_network_emails_are_kept_in_the_inbox_with_a_link(
    owner, draft, candidate_owner, org, django_capture_on_commit_callbacks
):
    from tansiq.network.services import admission

    with django_capture_on_commit_callbacks(execute=True):
        admission.submit_application(draft, by=candidate_owner)
    # The referee's owner (Arabic) was asked by e-mail: the inbox keeps it, in Arabic, linked.
    reference = reference_of(draft, org)
    kept = Notification.objects.get(user=owner, kind="network.references")
    assert kept.url == f"/ar/references/{reference.uuid}/" and kept.object_id == str(reference.pk)
    assert "اتحاد المنظمات" in kept.body and "يُرجى" in kept.body
    assert owner.email in [message.to[0] for message in mail.outbox]
    # The applicant's owner heard of the step (English): kept as an application message.
    step = Notification.objects.get(user=candidate_owner, kind="network.applications")
    assert step.url == f"/en/applications/{draft.uuid}/" and step.content_type.model == "application"


@pytest.mark.parametrize("persona", ["outsider", "owner", "candidate_owner", "secretariat"])
def test_the_signed_in_home_page_stays_within_the_query_budget(
    client, request, persona, submitted, network, org, database_cache, django_assert_max_num_queries
):
    """With the production cache (a table: its reads count), the person's first visit after signing in."""
    user = request.getfixturevalue(persona)
    for _n in range(5):
        CommitteeFactory(network=network)
    for n in range(5):
        extra = MembershipFactory(user=UserFactory(), organisation__slug=f"more-{n}", role="owner").organisation
        if persona != "outsider":
            MembershipFactory(user=user, organisation=extra, role="admin")
    # The deployment-wide entries (figures, versions, the secretariat's shared list of vacant
    # offices) are warm in a running deployment: someone else's visit fills them.
    other = UserFactory()
    if persona == "secretariat":
        other.groups.add(*user.groups.all())
        with_mfa(other)
    client.force_login(other)
    client.get("/en/")
    client.logout()
    client.force_login(user)
    with django_assert_max_num_queries(10):
        response = client.get("/en/")
    assert response.status_code == 200
    assert response.context["actions"] or persona in ("outsider", "candidate_owner", "secretariat")


def test_the_provider_costs_few_queries(owner, secretariat, outsider, submitted, network, django_assert_num_queries):
    CommitteeFactory(network=network)
    for user, queries in ((outsider, 2), (owner, 4), (secretariat, 4)):  # groups included
        with django_assert_num_queries(queries):
            actions.items_for(user)
    # The vacant offices are then known for the whole secretariat; a committee's change forgets them.
    other = UserFactory()
    other.groups.add(*secretariat.groups.all())
    with django_assert_num_queries(3):  # its groups, organisations, applications
        assert len(actions.items_for(other)) == 1
    CommitteeFactory(network=network, name_en="Finance")
    assert "Finance (Union of NGOs) has no chair and no vice-chair" in [str(i.title) for i in actions.items_for(other)]


def test_every_email_the_network_sends_belongs_to_a_notification_kind():
    from pathlib import Path

    from tansiq.core import notify

    folder = Path(actions.__file__).parent / "templates" / "network" / "email"
    prefixes = {f"network/email/{path.name.removesuffix('_subject.txt')}" for path in folder.glob("*_subject.txt")}
    assert len(prefixes) >= 6
    assert {prefix for prefix in prefixes if notify.kind_for_template(prefix) is None} == set()
