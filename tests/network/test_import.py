"""Importing a member list: the dry run, the one-transaction import, bad files and who may do it."""

from __future__ import annotations

import io
import time
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import AuditEntry
from tansiq.network.models import Contact, NetworkMembership, Organisation
from tansiq.network.services.importing import ImportFileError, dry_run, import_members, read_table
from tests.helpers import ROLE_REFUSED, assert_refused
from tests.network.factories import FocusAreaFactory, OrganisationFactory

DATA = Path(__file__).parent / "data"
HEADER = "Legal name,Display name (en),Type,Country,City,Registration number,Focus areas,Category\n"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in English; their translations are checked with the catalogues.
    with translation.override("en"):
        yield


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(network, secretariat, content: bytes, filename: str = "members.csv", token: str = "t1"):
    return import_members(network, by=secretariat, content=content, filename=filename, token=token)


# Reading files -----------------------------------------------------------------------------------


def test_arabic_headers_in_utf8_with_bom_are_read(network):
    plan = dry_run(network, content=(DATA / "members_ar.csv").read_bytes(), filename="members_ar.csv")
    assert plan.errors == []
    first, second = (row.values for row in plan.rows)
    assert first["legal_name"] == "جمعية الإحسان الخيرية"
    assert first["country"] == "MY" and first["type"] == "foundation" and first["category"] == "full"
    assert first["contact_email"] == "desk@ihsan.example"
    assert second["type"] == "foundation"
    assert plan.summary["created"] == 2


def test_malay_headers_in_windows_1256_with_semicolons_are_read(network):
    plan = dry_run(network, content=(DATA / "members_ms.csv").read_bytes(), filename="members_ms.csv")
    assert plan.errors == []
    (row,) = plan.rows
    assert row.values["legal_name"] == "جمعية النور"
    assert row.values["country"] == "TR"  # "Turki", the Malay name
    assert row.values["name_ms"] == "Pertubuhan Nur"


def test_tab_separated_file_is_read():
    table = read_table((DATA / "members_tab.csv").read_bytes(), "members_tab.csv")
    assert table.headers == ["Legal name", "Country", "Acronym"]
    assert table.rows == [(2, ["Persatuan Belia Islam", "MY", "PBI"])]


def test_xlsx_is_read_with_numbers_as_text(network):
    content = xlsx_bytes([["Legal name", "Country", "Year founded"], ["Pertubuhan A", "Malaysia", 1998]])
    (row,) = dry_run(network, content=content, filename="members.xlsx").rows
    assert row.values["year_founded"] == 1998 and row.values["country"] == "MY"


@pytest.mark.parametrize(
    ("filename", "content", "code"),
    [
        ("utf16.csv", (DATA / "utf16.csv").read_bytes(), "encoding"),
        ("binary.csv", (DATA / "binary.csv").read_bytes(), "encoding"),
        ("members.xlsx", (DATA / "not_a_workbook.xlsx").read_bytes(), "not_xlsx"),
        ("members.xlsx", b"PK\x03\x04 broken zip", "not_xlsx"),
        ("members.csv", b"PK\x03\x04 a workbook in disguise", "not_csv"),
        ("members.csv", b"", "empty"),
        ("members.csv", b"\n  \n", "empty"),
        ("members.csv", b"Legal name,Country\n", "no_rows"),
        ("members.pdf", b"%PDF-1.4", "file_type"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(filename, content, code):
    with pytest.raises(ImportFileError) as caught:
        read_table(content, filename)
    assert caught.value.code == code
    assert str(caught.value.message)


def test_missing_required_column_is_named(network):
    with pytest.raises(ImportFileError) as caught:
        dry_run(network, content=b"Legal name,City\nA,Ipoh\n", filename="m.csv")
    assert caught.value.code == "missing_column"
    assert "Country" in str(caught.value.message)


def test_duplicated_columns_are_refused_even_across_languages(network):
    with pytest.raises(ImportFileError) as caught:
        dry_run(network, content=b"Legal name,Country,Negara\nA,MY,MY\n", filename="m.csv")
    assert caught.value.code == "duplicate_column"
    assert "Negara" in str(caught.value.message)


def test_unknown_columns_are_ignored_and_reported(network):
    plan = dry_run(network, content=b"Legal name,Country,Favourite colour\nA,MY,green\n", filename="m.csv")
    assert plan.errors == [] and plan.ignored_columns == ["Favourite colour"]


# Checking rows -----------------------------------------------------------------------------------


def test_row_errors_name_the_row_and_the_column(network):
    content = csv_bytes(
        "Good Society,,ngo,MY,,,,",
        "Nowhere Society,,ngo,Atlantis,,,,",
        "Odd Society,,spaceship,MY,,,,",
        ",,ngo,MY,,,,",
        "Unknown Area Society,,ngo,MY,,,Astrology,",
        "Odd Category Society,,ngo,MY,,,,honorary",
    )
    plan = dry_run(network, content=content, filename="m.csv")
    found = {(error.row, error.column) for error in plan.errors}
    assert found == {
        (3, "Country"),
        (4, "Type"),
        (5, "Legal name"),
        (6, "Focus areas"),
        (7, "Category"),
    }
    assert "Atlantis" in next(error.message for error in plan.errors if error.row == 3)


def test_duplicate_rows_are_errors(network):
    content = csv_bytes(
        "Same Society,,ngo,MY,,REG-1,,",
        "Another Name,,ngo,MY,,REG-1,,",
        "Same Society,,ngo,MY,,,,",
    )
    plan = dry_run(network, content=content, filename="m.csv")
    assert [(error.row, error.column) for error in plan.errors] == [(3, "Registration number"), (4, "Legal name")]
    assert "row 2" in plan.errors[0].message


def test_formula_looking_cells_are_kept_as_text_never_run(network, secretariat):
    content = csv_bytes('"=cmd|\' /C calc\'!A0",,ngo,MY,"@SUM(1+1)",,,')
    run(network, secretariat, content)
    organisation = Organisation.objects.get(city="@SUM(1+1)")
    assert organisation.legal_name == "=cmd|' /C calc'!A0"


def test_xlsx_formulas_are_read_as_their_text_not_their_result(network, secretariat):
    content = xlsx_bytes([["Legal name", "Country"], ["=1+1", "MY"]])
    run(network, secretariat, content, filename="m.xlsx")
    assert Organisation.objects.filter(legal_name="=1+1").exists()


def test_country_in_arabic_english_malay_or_code(network):
    content = (
        b"Legal name,Country\n"
        + "\n".join(
            f"Org {n},{country}" for n, country in enumerate(["السعودية", "Saudi Arabia", "Arab Saudi", "sa"])
        ).encode()
    )
    plan = dry_run(network, content=content, filename="m.csv")
    assert plan.errors == []
    assert {row.values["country"] for row in plan.rows} == {"SA"}


def test_focus_areas_may_be_listed_with_arabic_punctuation(network):
    education = FocusAreaFactory(slug="education", name_ar="التعليم", name_en="Education")
    health = FocusAreaFactory(slug="health", name_ar="الصحة", name_en="Health")
    content = "\n".join(
        ["الاسم القانوني,الدولة,مجالات العمل", "جمعية البر,MY,التعليم؛ الصحة", "جمعية الخير,MY,الصحة، التعليم"]
    ).encode()
    plan = dry_run(network, content=content, filename="m.csv")
    assert plan.errors == []
    assert [row.values["focus_areas"] for row in plan.rows] == [sorted([education.pk, health.pk])] * 2


# Importing ---------------------------------------------------------------------------------------


def test_import_creates_members_and_writes_one_audit_entry(network, secretariat):
    area = FocusAreaFactory(slug="education", name_en="Education", name_ar="التعليم")
    content = csv_bytes(
        "Pertubuhan Ilmu,Ilmu Society,ngo,MY,Ipoh,PPM-9,التعليم,associate",
        "Persatuan Amal,,foundation,ID,,,,",
    )
    plan = run(network, secretariat, content)
    assert plan.summary == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "errors": 0}
    ilmu = Organisation.objects.get(registration_number="PPM-9")
    assert ilmu.name_en == "Ilmu Society" and ilmu.slug == "ilmu-society" and list(ilmu.focus_areas.all()) == [area]
    membership = NetworkMembership.objects.get(network=network, organisation=ilmu)
    assert membership.status == "admitted" and membership.category == "associate"
    amal = Organisation.objects.get(legal_name="Persatuan Amal")
    assert amal.name_en == "Persatuan Amal" and amal.country.code == "ID"
    (entry,) = AuditEntry.objects.filter(changes__has_key="import_members")
    assert entry.changes["import_members"]["created"] == 2 and entry.actor == secretariat


def test_import_updates_by_registration_number_or_slug_and_counts_unchanged(network, secretariat, other_org):
    known = OrganisationFactory(slug="known", registration_number="ROS-77", city="Ipoh", legal_name="Known Society")
    other_org.registration_number = "UNIQUE-1"
    other_org.save()
    content = csv_bytes(
        "Known Society,,,MY,Penang,ROS-77,,",  # new city: an update, and it joins the network
        f"{other_org.legal_name},,,TR,,UNIQUE-1,,",  # nothing new
        header="Legal name,Display name (en),Type,Country,City,Registration number,Focus areas,Category\n",
    )
    plan = dry_run(network, content=content, filename="m.csv")
    assert plan.summary["updated"] == 1 and plan.summary["unchanged"] == 1 and plan.summary["created"] == 0
    run(network, secretariat, content)
    known.refresh_from_db()
    assert known.city == "Penang" and known.version == 2
    assert NetworkMembership.objects.filter(network=network, organisation=known).exists()

    by_slug = b"Legal name,Country,Slug,Acronym\nKnown Society,MY,known,KS\n"
    run(network, secretariat, by_slug, token="t2")
    known.refresh_from_db()
    assert known.acronym == "KS"


def test_ambiguous_registration_number_is_an_error(network, org, other_org):
    # Both fixtures' organisations carry the factory's registration number.
    plan = dry_run(network, content=csv_bytes("X,,,MY,,PPM-SECRET-001,,"), filename="m.csv")
    assert [error.column for error in plan.errors] == ["Registration number"]


def test_an_import_with_errors_changes_nothing(network, secretariat):
    content = csv_bytes("Good Society,,ngo,MY,,,,", "Bad Society,,ngo,Atlantis,,,,")
    before = Organisation.objects.count()
    with pytest.raises(TansiqError) as caught:
        run(network, secretariat, content)
    assert caught.value.code == "rows_invalid"
    assert Organisation.objects.count() == before
    assert not AuditEntry.objects.filter(changes__has_key="import_members").exists()


def test_a_failure_during_the_import_rolls_everything_back(network, secretariat, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    from tansiq.network.services import importing

    real_execute = importing._execute

    def execute(sql, params):  # the SQLite path runs INSERTs compiled beforehand
        if NetworkMembership._meta.db_table in sql:
            broken()
        real_execute(sql, params)

    monkeypatch.setattr(Contact.objects, "bulk_create", broken)
    monkeypatch.setattr(importing, "_execute", execute)
    content = csv_bytes("Good Society,,ngo,MY,,,,", header=HEADER)
    with pytest.raises(RuntimeError):
        run(network, secretariat, content)
    assert not Organisation.objects.filter(legal_name="Good Society").exists()
    assert not NetworkMembership.objects.filter(network=network).exists()


def test_the_same_upload_imported_twice_is_imported_once(network, secretariat):
    content = csv_bytes("Once Society,,ngo,MY,,,,")
    run(network, secretariat, content, token="same")
    with pytest.raises(Conflict):
        run(network, secretariat, content, token="same")
    assert Organisation.objects.filter(legal_name="Once Society").count() == 1


def test_only_the_secretariat_may_import(network, owner, outsider):
    for user in (owner, outsider):
        with pytest.raises(Forbidden):
            run(network, user, csv_bytes("A,,ngo,MY,,,,"))


def test_ten_thousand_rows_dry_run_and_import_are_fast_enough(network, secretariat):
    rows = [f"Pertubuhan {n},Society {n},ngo,MY,Kuala Lumpur,REG-{n},,full" for n in range(10_000)]
    content = csv_bytes(*rows)
    started = time.perf_counter()
    plan = dry_run(network, content=content, filename="m.csv")
    checked = time.perf_counter() - started
    assert plan.errors == [] and plan.summary["created"] == 10_000
    started = time.perf_counter()
    run(network, secretariat, content)
    imported = time.perf_counter() - started
    print(f"\n10 000 rows: dry run {checked:.2f} s, import {imported:.2f} s")
    assert checked < 10
    assert imported < 30
    assert NetworkMembership.objects.filter(network=network).count() == 10_000


# The page ----------------------------------------------------------------------------------------


def upload(client, network, content: bytes, name: str = "members.csv"):
    url = reverse("network:import_members", args=[network.slug])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_members_and_outsiders_cannot_reach_the_import_page(client, network, owner, unit_admin, outsider):
    url = reverse("network:import_members", args=[network.slug])
    for user in (None, owner, unit_admin, outsider):
        assert_refused(client, user, [url, ("post", url)], allowed=ROLE_REFUSED)


def test_directory_links_to_the_import_only_for_the_secretariat(client_for, network, secretariat, outsider):
    url = reverse("network:import_members", args=[network.slug])
    directory = reverse("network:directory", args=[network.slug])
    assert url in client_for(secretariat).get(directory).content.decode()
    assert url not in client_for(outsider).get(directory).content.decode()


def test_dry_run_page_lists_row_errors_and_offers_no_confirmation(client_for, network, secretariat):
    client = client_for(secretariat)
    response = upload(client, network, csv_bytes("Good,,ngo,MY,,,,", "Bad,,ngo,Atlantis,,,,"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in page and "Atlantis" in page
    assert 'name="token"' not in page
    assert not Organisation.objects.filter(legal_name="Good").exists()


def test_confirming_a_clean_dry_run_imports_and_a_second_click_is_harmless(
    client_for, network, secretariat, settings, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    response = upload(client, network, csv_bytes("Click Society,,ngo,MY,,,,"))
    token = response.context["token"]
    assert list((Path(settings.MEDIA_ROOT).parent / "private" / "imports").glob("*"))  # kept, privately
    assert token and response.context["summary"]["created"] == 1
    assert not Organisation.objects.filter(legal_name="Click Society").exists()  # a dry run writes nothing
    url = reverse("network:import_members", args=[network.slug])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"token": token})
        second = client.post(url, {"token": token})
    assert first.status_code == second.status_code == 302
    assert "/members/import/" in first["Location"] and second["Location"].endswith("/members/")
    page = client.get(first["Location"])
    assert 'data-status="done"' in page.content.decode() and "hx-trigger" not in page.content.decode()
    assert page.context["summary"]["created"] == 1
    assert Organisation.objects.filter(legal_name="Click Society").count() == 1
    assert AuditEntry.objects.filter(changes__has_key="import_members").count() == 1
    assert not list((Path(settings.MEDIA_ROOT).parent / "private" / "imports").glob("*"))  # file removed


def test_a_token_from_another_session_imports_nothing(client, client_for, network, secretariat, django_user_model):
    token = upload(client_for(secretariat), network, csv_bytes("Stolen Society,,ngo,MY,,,,")).context["token"]
    client.logout()
    from tests.factories import UserFactory
    from tests.helpers import with_mfa

    colleague = with_mfa(UserFactory(is_superuser=True, is_staff=True))
    client.force_login(colleague)
    client.post(reverse("network:import_members", args=[network.slug]), {"token": token})
    assert not Organisation.objects.filter(legal_name="Stolen Society").exists()


def test_a_bad_file_gets_a_form_error(client_for, network, secretariat):
    response = upload(client_for(secretariat), network, b"not a zip", name="members.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert response.context["plan"] is None


def test_an_oversized_file_is_refused(client_for, network, secretariat, settings):
    settings.TANSIQ_MAX_UPLOAD_MB = 1
    content = csv_bytes(*(f"Society {n},,ngo,MY,,,," for n in range(60_000)))
    assert len(content) > 1024 * 1024
    response = upload(client_for(secretariat), network, content)
    assert "file" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_imported_members_are_counted_and_found_once_committed(
    client, network, secretariat, django_capture_on_commit_callbacks
):
    from tansiq.network.queries.directory import network_stats

    assert network_stats(network).members == 0  # kept in the cache from now on
    content = csv_bytes("Pertubuhan Kebajikan Anak Yatim,Orphan Care Society,ngo,MY,Ipoh,PPM-19,,full")
    with django_capture_on_commit_callbacks(execute=True):
        run(network, secretariat, content)
    # No signals were sent by the bulk writes: the import itself tells the figures and the index.
    assert network_stats(network).members == 1
    found = client.get("/en/networks/uniw/members/", {"q": "kebajikan yatim"}).context["page_obj"]
    assert [membership.organisation.registration_number for membership in found] == ["PPM-19"]
    assert client.get("/en/networks/uniw/members/", {"q": "orphan"}).context["page_obj"].paginator.count == 1


def test_the_import_runs_as_a_job_whose_progress_only_its_owner_sees(
    client, client_for, network, secretariat, django_capture_on_commit_callbacks
):
    from tansiq.core.models import BackgroundJob
    from tests.factories import UserFactory
    from tests.helpers import with_mfa

    signed_in = client_for(secretariat)
    token = upload(signed_in, network, csv_bytes("Polled Society,,ngo,MY,,,,")).context["token"]
    url = reverse("network:import_members", args=[network.slug])
    progress_url = signed_in.post(url, {"token": token})["Location"]  # queued; the task has not run
    job = BackgroundJob.objects.get()
    assert job.status == "queued" and job.owner == secretariat
    waiting = signed_in.get(progress_url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in waiting.content.decode()
    assert "<html" not in waiting.content.decode()  # the partial alone, for htmx
    colleague = with_mfa(UserFactory(is_superuser=True, is_staff=True))
    assert client_for(colleague).get(progress_url).status_code == 404
    client.force_login(secretariat)
    from tansiq.network.services.importing import run_member_import

    run_member_import.enqueue(str(job.pk))
    job.refresh_from_db()
    assert job.status == "done" and job.result["created"] == 1 and job.total == 1
    assert Organisation.objects.filter(legal_name="Polled Society").exists()
    run_member_import.enqueue(str(job.pk))  # a task may run twice: the finished job is left alone
    assert Organisation.objects.filter(legal_name="Polled Society").count() == 1


def test_a_failed_import_job_says_so_and_imports_nothing(client_for, network, secretariat):
    from tansiq.core import jobs
    from tansiq.core.models import BackgroundJob
    from tansiq.network.services import importing

    job = jobs.start(
        importing.JOB_KIND,
        owner=secretariat,
        subject=f"network:{network.pk}",
        arguments={"network": network.pk, "path": "imports/missing.csv", "filename": "m.csv", "token": "x"},
        task=importing.run_member_import,
    )
    importing.run_member_import.enqueue(str(job.pk))
    job = BackgroundJob.objects.get(pk=job.pk)
    assert job.status == "failed" and "no longer there" in job.message
    page = client_for(secretariat).get(reverse("network:import_progress", args=[network.slug, job.pk]))
    assert "Nothing was imported." in page.content.decode()


def test_uploads_never_confirmed_are_deleted_after_a_day(network, settings):
    import os
    import time

    from tansiq.network.services.importing import delete_stale_uploads

    folder = Path(settings.MEDIA_ROOT).parent / "private" / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    old, new = folder / "old.csv", folder / "new.csv"
    old.write_text("a"), new.write_text("b")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    delete_stale_uploads.enqueue()
    assert not old.exists() and new.exists()
    new.unlink()


def test_imported_names_lose_bidi_override_controls(network):
    plan = dry_run(
        network,
        content=csv_bytes("\u202eNur Society\u202c,\u2067Nur\u2069,ngo,Malaysia,Ipoh,PPM-777,,full"),
        filename="members.csv",
    )
    assert plan.errors == []
    (row,) = plan.rows
    assert row.values["legal_name"] == "Nur Society" and row.values["name_en"] == "Nur"
