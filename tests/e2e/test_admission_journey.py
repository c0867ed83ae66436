"""Admission by the statute, in the browser: a new organisation applies, two referees vouch for it,
the secretariat takes it through to admitted, and the public directory and figures show it."""

from __future__ import annotations

import re
import zlib
from urllib.parse import quote

import pytest
from django.conf import settings as conf
from django.test import Client
from django.utils import timezone

from tansiq.network.models import Application, NetworkMembership
from tests.e2e.helpers import document_language
from tests.factories import UserFactory
from tests.helpers import with_mfa
from tests.network.factories import MembershipFactory, NetworkFactory, NetworkMembershipFactory, OrganisationFactory

DIRECTION = {"ar": "rtl", "en": "ltr"}
# Arabic-Indic and Eastern Arabic-Indic digits, read as the ASCII digits they stand for.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# The network home's headline after admission ("3 members from 1 countries"), as each language says it
# (Arabic pages count in Arabic-Indic digits).
THREE_MEMBERS = {"ar": "٣ أعضاء", "en": "3 members"}
# What the applicant types to find each referee: the beginning of one word of its name.
TYPED = {"ar": ["قوني", "إسطن"], "en": ["Kony", "Istanb"]}


def tiny_pdf() -> bytes:
    """A one-page PDF, valid enough for any reader (cross-reference offsets computed)."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Board resolution) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def statute(browser, transactional_db, settings, tmp_path):
    """A network with two admitted members (each with an owner), its secretariat and a newcomer.

    Depends on ``browser`` so the ORM may be used next to Playwright's event loop.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    network = NetworkFactory(
        slug="uniw",
        name_en="Union of NGOs",
        name_ar="اتحاد المنظمات الأهلية",
        referees_required=2,
        min_years_since_founding=1,
        notice_period_days=15,
    )
    referees = []
    for slug, name_en, name_ar in [
        ("konya-education", "Konya Education Association", "جمعية التعليم في قونية"),
        ("istanbul-relief", "Istanbul Relief Foundation", "مؤسسة الإغاثة في إسطنبول"),
    ]:
        organisation = OrganisationFactory(slug=slug, name_en=name_en, name_ar=name_ar, year_founded=1995)
        NetworkMembershipFactory(network=network, organisation=organisation)
        owner = UserFactory(display_name=f"Owner of {name_en}")
        MembershipFactory(user=owner, organisation=organisation, role="owner")
        referees.append((organisation, owner))
    newcomer = OrganisationFactory(
        slug="green-crescent", name_en="Green Crescent Society", name_ar="جمعية الهلال الأخضر", year_founded=2015
    )
    applicant = UserFactory(display_name="Aminah")
    MembershipFactory(user=applicant, organisation=newcomer, role="owner")

    from django.contrib.auth.models import Group

    secretariat = UserFactory(display_name="Siti Aisyah", is_staff=True)
    secretariat.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    with_mfa(secretariat)
    return {
        "network": network,
        "referees": referees,
        "newcomer": newcomer,
        "applicant": applicant,
        "secretariat": secretariat,
    }


def sign_in_as(page, live_server, user) -> None:
    """Sign ``user`` in by handing the browser a session made on the server (no password, no TOTP)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": conf.SESSION_COOKIE_NAME,
                "value": client.cookies[conf.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def press(button) -> None:
    """Click a form's button and wait for the page the server answers with (the same address, often)."""
    with button.page.expect_navigation():
        button.click()
    button.page.locator(".alert-success").wait_for()


def member_count(page) -> int:
    """The sum of the network home's figures by category, read from the page."""
    figures = page.locator("section[aria-labelledby=figures-heading] .figure").all_inner_texts()
    return sum(int(re.sub(r"\D", "", text.translate(DIGITS)) or 0) for text in figures)


def name_in(organisation, language: str) -> str:
    return organisation.name_ar if language == "ar" else organisation.name_en


@pytest.mark.parametrize("language", ["ar", "en"])
def test_an_organisation_applies_is_vouched_for_admitted_and_listed(page, axe, live_server, statute, language):
    network, newcomer = statute["network"], statute["newcomer"]

    # One browser context throughout: whoever acts is set by the session cookie.
    # The applicant sees the network's figures, then applies from its home page.
    sign_in_as(page, live_server, statute["applicant"])
    page.goto(f"/{language}/networks/uniw/")
    assert document_language(page) == (language, DIRECTION[language])
    members_before = member_count(page)
    assert members_before == 2
    page.locator("main a[href$='/organisations/green-crescent/applications/?network=uniw']").click()
    page.wait_for_url(re.compile(rf"/{language}/organisations/green-crescent/applications/\?network=uniw$"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/applications/[0-9a-f-]+/$"))
    application_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert document_language(page) == (language, DIRECTION[language])
    axe(page)

    # The form: category, representative, the two documents and the two referee organisations.
    resolution = {"name": "resolution.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}
    page.locator("#id_category").select_option("full")
    page.locator("#id_representative_name").fill("Aminah binti Yusof")
    page.locator("#id_motivation").fill("We run schools in three provinces.")
    page.locator("#id_board_resolution").set_input_files(resolution)
    page.locator("#id_registration_certificate").set_input_files({**resolution, "name": "certificate.pdf"})
    # The referees: the applicant types part of each name and chooses it among the members found
    # (htmx); the first one chosen stays checked while the second is searched for.
    box = page.locator("#referees-q")
    for (organisation, _owner), typed in zip(statute["referees"], TYPED[language], strict=True):
        with page.expect_response(lambda response, typed=typed: f"q={quote(typed)}" in response.url):
            box.fill(typed)
        # Only the member the words find is offered (the other is not, or is already chosen).
        page.wait_for_function(
            "name => { const found = [...document.querySelectorAll('#referees-choices .referee-matches label')];"
            " return found.length === 1 && found[0].textContent.trim() === name; }",
            arg=name_in(organisation, language),
        )
        page.locator("#referees-choices").get_by_label(name_in(organisation, language), exact=True).check()
    # The first one chosen stayed checked while the second was searched for.
    assert page.locator("#referees-choices .referee-chosen input:checked").count() == 1
    assert page.locator("#referees-choices input[name=referees]:checked").count() == 2
    press(page.locator("main form[enctype] button[type=submit]:not([name=find])"))
    assert page.url.endswith(application_path)
    press(page.locator(f"main form[action$='{application_path}submit/'] button"))
    application = Application.objects.get(organisation=newcomer)
    assert application.state == Application.State.SUBMITTED
    axe(page)

    # Each referee's owner opens the reference addressed to its organisation and vouches.
    for organisation, owner in statute["referees"]:
        sign_in_as(page, live_server, owner)
        reference = application.references.get(organisation=organisation)
        page.goto(f"/{language}/references/{reference.uuid}/")
        assert document_language(page) == (language, DIRECTION[language])
        assert name_in(newcomer, language) in page.locator("main h1").inner_text()
        axe(page)
        page.locator("main input[name=answer][value=confirm]").check()
        press(page.locator("main form button[type=submit]"))
        assert page.locator("main input[name=answer]").count() == 0
    application.refresh_from_db()
    assert application.state == Application.State.REFEREES_CONFIRMED  # moved on by itself

    # The secretariat finds it in the queue and takes it through review, eligibility and notice.
    sign_in_as(page, live_server, statute["secretariat"])
    page.goto(f"/{language}/applications/")
    assert document_language(page) == (language, DIRECTION[language])
    page.locator("#results a", has_text=name_in(newcomer, language)).click()
    page.wait_for_url(re.compile(rf"/{language}/applications/{application.uuid}/review/$"))
    assert document_language(page) == (language, DIRECTION[language])
    axe(page)
    for target in ("reviewed", "eligible", "notice"):
        page.locator("main textarea[name=reason]").fill("The statute is met.")
        press(page.locator(f"main button[name=target][value={target}]"))
        application.refresh_from_db()
        assert application.state == target
    assert application.notice_ends_on == timezone.localdate() + timezone.timedelta(days=15)

    # The statute gives the members 15 days' notice before the assembly may vote; a test cannot wait
    # that long, so the notice is made to have ended yesterday, as if the 15 days had passed.
    Application.objects.filter(pk=application.pk).update(
        notice_ends_on=timezone.localdate() - timezone.timedelta(days=1)
    )
    page.reload()
    axe(page)
    page.locator("main input[name=votes_for]").fill("30")
    page.locator("main input[name=votes_against]").fill("4")
    page.locator("main input[name=votes_abstain]").fill("2")
    page.locator("main select[name=category]").select_option("full")
    press(page.locator("main button[name=target][value=admitted]"))
    application.refresh_from_db()
    assert application.state == Application.State.ADMITTED
    membership = NetworkMembership.objects.get(network=network, organisation=newcomer)
    assert (membership.status, membership.category) == ("admitted", "full")

    # A visitor finds it in the directory, and the network's figures count it.
    page.context.clear_cookies()
    page.goto(f"/{language}/networks/uniw/members/")
    assert document_language(page) == (language, DIRECTION[language])
    assert page.locator("#results tbody tr").count() == 3
    page.locator("#results tbody a", has_text=name_in(newcomer, language)).wait_for()
    page.goto(f"/{language}/networks/uniw/")
    assert member_count(page) == members_before + 1
    assert THREE_MEMBERS[language] in page.locator("main section.hero p.lead").inner_text()
