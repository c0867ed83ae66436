"""The demo registry: its applications stand at every step of admission, and loading twice adds nothing."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tansiq.network.models import Application, Committee, NetworkMembership, Organisation
from tansiq.network.services import admission, committees


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_has_applications_at_every_step_and_loads_once(db):
    for name in ("secretariat", "analyst", "verifier", "judge"):
        Group.objects.get_or_create(name=name)
    call_command("load_demo", stdout=io.StringIO())
    states = sorted(Application.objects.values_list("state", flat=True))
    assert states == sorted(["draft", "submitted", "submitted", "referees_confirmed", "notice", "rejected"])

    waiting = Application.objects.filter(state="submitted").order_by("created_at")
    assert [a.references.confirmed().count() for a in waiting] == [0, 1]
    for application in Application.objects.all():
        assert application.references.count() == 2
        # Referees are real members of the union, never the applicant itself.
        referees = application.references.values("organisation_id")
        members = NetworkMembership.objects.admitted().filter(network=application.network)
        assert members.filter(organisation_id__in=referees).count() == 2
        with application.board_resolution.open("rb") as document:
            content = document.read()
        assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")

    rejected = Application.objects.get(state="rejected")
    assert not NetworkMembership.objects.filter(organisation=rejected.organisation).exists()
    assert [status for _label, status in admission.steps_of(rejected)][-2:] == ["done", "ended"]
    assert NetworkMembership.objects.get(organisation__applications__state="notice").status == "applicant"

    counts = Organisation.objects.count(), Application.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert (Organisation.objects.count(), Application.objects.count()) == counts


def test_the_demo_committee_officers_are_seated_representatives(db):
    for name in ("secretariat", "analyst", "verifier", "judge"):
        Group.objects.get_or_create(name=name)
    call_command("load_demo", stdout=io.StringIO())
    officers = Committee.objects.exclude(chair=None, vice_chair=None).select_related("network", "chair", "vice_chair")
    # The union's human-rights commission has both offices filled; the council's women chair a cluster.
    assert {(c.network.slug, c.chair is not None, c.vice_chair is not None) for c in officers} == {
        ("uniw", True, True),
        ("maim", True, False),
    }
    for committee in officers:
        committees.check_offices(committee, chair=committee.chair, vice_chair=committee.vice_chair)
        for person in (committee.chair, committee.vice_chair):
            if person is not None:
                # Each is also their organisation's representative in the network.
                assert NetworkMembership.objects.filter(network=committee.network, representative=person).exists()


def test_one_demo_volunteer_signs_in_with_the_published_password(client, db):
    for name in ("secretariat", "analyst", "verifier", "judge"):
        Group.objects.get_or_create(name=name)
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    email = out.getvalue().split("A volunteer (same password): ")[1].split()[0]
    assert client.login(email=email, password="tansiq-demo-2026")
    page = client.get("/en/volunteering/dashboard/")
    assert page.status_code == 200 and "My volunteering" in page.content.decode()
