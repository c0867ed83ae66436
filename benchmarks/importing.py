"""Importing a member list: 10 000 rows, dry run and import, then the search index catching up.

Budget (issue 3, network registry): importing 10 000 rows ≤ 30 s. For each database, a worker process
(``python -m benchmarks.importing --worker``, Django set up for that database alone) migrates a
fresh database, loads the standard demo (the union with its focus areas and about 350 members),
and imports into the union a CSV of 10 000 new member organisations written as a secretariat's
spreadsheet is: Arabic column headers, UTF-8 with a byte-order mark, Arabic legal names with
English and Malay display names, 40 countries, six types, one or two focus areas named in Arabic,
registration numbers, cities, founding years, websites and contact e-mails.

It times ``importing.dry_run`` (read, check every row, report), ``importing.import_members`` (the
same checks again, then every row written in one transaction with one audit entry), and the
re-indexing that the import queues on commit (``refresh_documents`` tasks, run here in process, as
the worker would), which makes the new members findable in the directory's search. Only the import
has a budget; the others are reported beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import time
import types

from benchmarks._harness import Context, Metric, Result, run_worker

NAME = "importing"
ROWS = 10_000
QUICK_ROWS = 2_000
BUDGET_S = 30.0
HEADER = [
    "الاسم القانوني",
    "الاسم بالعربية",
    "الاسم بالإنجليزية",
    "الاسم بالملايوية",
    "النوع",
    "الدولة",
    "المدينة",
    "رقم التسجيل",
    "سنة التأسيس",
    "الموقع الإلكتروني",
    "مجالات العمل",
    "فئة العضوية",
    "البريد الإلكتروني",
]
KINDS = [
    ("جمعية", "Association", "Persatuan", "ngo"),
    ("مؤسسة", "Foundation", "Yayasan", "foundation"),
    ("هيئة الدعوة", "Dawah Council", "Majlis Dakwah", "dakwah"),
    ("رابطة الشباب", "Youth League", "Liga Belia", "student_youth"),
    ("اتحاد النساء", "Women's Union", "Kesatuan Wanita", "women"),
    ("وقف", "Waqf", "Wakaf", "mosque_waqf"),
]
CAUSES = [
    ("رعاية الأيتام", "Orphan Care", "Penjagaan Anak Yatim"),
    ("الإغاثة", "Relief", "Bantuan Kemanusiaan"),
    ("التعليم", "Education", "Pendidikan"),
    ("الصحة", "Health", "Kesihatan"),
    ("الأسرة", "Family", "Keluarga"),
    ("حقوق الإنسان", "Human Rights", "Hak Asasi Manusia"),
    ("التنمية", "Development", "Pembangunan"),
    ("الثقافة", "Culture", "Kebudayaan"),
]
PLACES = [
    ("MY", "كوالالمبور", "Kuala Lumpur"),
    ("MY", "بينانغ", "Penang"),
    ("SA", "الرياض", "Riyadh"),
    ("TR", "إسطنبول", "Istanbul"),
    ("ID", "جاكرتا", "Jakarta"),
    ("EG", "القاهرة", "Cairo"),
    ("JO", "عمّان", "Amman"),
    ("PK", "لاهور", "Lahore"),
    ("QA", "الدوحة", "Doha"),
    ("KW", "الكويت", "Kuwait City"),
    ("MA", "الرباط", "Rabat"),
    ("SN", "داكار", "Dakar"),
    ("NG", "كانو", "Kano"),
    ("BD", "دكا", "Dhaka"),
    ("SO", "مقديشو", "Mogadishu"),
    ("SD", "الخرطوم", "Khartoum"),
    ("BA", "سراييفو", "Sarajevo"),
    ("GB", "لندن", "London"),
    ("DE", "برلين", "Berlin"),
    ("FR", "باريس", "Paris"),
]
CATEGORIES = ["full", "full", "full", "associate"]
AREAS = ["التعليم", "الصحة", "رعاية الأيتام", "الإغاثة والعمل الإنساني", "الأسرة"]  # as seeded


def members_csv(rows: int, seed: int = 20261123) -> bytes:
    """``rows`` plausible new members of the union, as a CSV with Arabic headers and a BOM."""
    import csv
    import io

    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for number in range(rows):
        kind_ar, kind_en, kind_ms, kind = rng.choice(KINDS)
        cause_ar, cause_en, cause_ms = rng.choice(CAUSES)
        country, city_ar, city_en = rng.choice(PLACES)
        areas = rng.sample(AREAS, rng.choice([1, 2]))
        writer.writerow(
            [
                f"{kind_ar} {cause_ar} في {city_ar} رقم {number}",
                f"{kind_ar} {cause_ar} في {city_ar} ({number})",
                f"{cause_en} {kind_en} of {city_en} {number}",
                f"{kind_ms} {cause_ms} {city_en} {number}",
                kind,
                country,
                city_en,
                f"IMP-{country}-{number:05d}",
                str(rng.randint(1970, 2024)),
                f"https://org{number}.example.org",
                "؛ ".join(areas),
                rng.choice(CATEGORIES),
                f"info{number}@org{number}.example.org",
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _metrics() -> list[Metric]:
    return [
        Metric("import: 10 000 rows, dry run", "s", None),
        Metric("import: 10 000 rows, import", "s", BUDGET_S),
        Metric("import: re-index the imported members", "s", None),
    ]


def run(ctx: Context) -> list[Result]:
    rows = QUICK_ROWS if ctx.quick else ROWS
    return ctx.per_database(NAME, _metrics(), lambda database, url: _measure(ctx, database, url, rows))


def _measure(ctx: Context, database: str, url: str | None, rows: int) -> list[Result]:
    ctx.log(f"{NAME}/{database}: {rows:,} rows")
    # Re-indexing is queued for the task worker, as in production.
    report = run_worker(
        "benchmarks.importing",
        ["--rows", str(rows), "--label", database],
        url=url,
        what="import",
        timeout=3600,
        TANSIQ_TASKS="database",
    )
    label = f"{rows:,} rows".replace(",", " ")
    dry = Result.measured(f"import: {label}, dry run", database, report["dry_run_s"], "s", None, **report)
    imported = Result.measured(f"import: {label}, import", database, report["import_s"], "s", BUDGET_S, **report)
    imported.extra = (
        f"{report['rows_per_second']:,} rows/s, {report['created']:,} created, "
        f"write transaction held {report['write_lock_s']} s"
    )
    indexed = Result.measured("import: re-index the imported members", database, report["reindex_s"], "s", None)
    indexed.extra = f"{report['indexed']:,} documents; a search then finds {report['found']} of them"
    return [dry, imported, indexed]


def worker(rows: int, label: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    from tansiq.accounts.models import User
    from tansiq.core.search import services
    from tansiq.network.models import Network, NetworkMembership
    from tansiq.network.search import KIND, matching_organisations
    from tansiq.network.services import importing

    def log(message: str) -> None:
        print(f"{NAME}/{label}: {message}", file=sys.stderr, flush=True)

    log("migrate, load_demo")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    network = Network.objects.get(slug="uniw")
    secretariat = User.objects.get(email="secretariat@demo.tansiq.org")
    before = NetworkMembership.objects.filter(network=network).count()
    content = members_csv(rows)
    translation.activate("ar")

    log(f"dry run of {rows:,} rows ({len(content) / 1e6:.1f} MB)")
    started = time.perf_counter()
    plan = importing.dry_run(network, content=content, filename="members.csv")
    dry_run_s = time.perf_counter() - started
    if plan.errors:
        raise SystemExit(f"the generated file has errors: {plan.errors[:3]}")

    log("import")
    # How long the import holds the database's write lock: its outermost transactions, timed.
    held: list[float] = []
    real_transaction = importing.transaction

    @contextlib.contextmanager
    def timed_atomic(*args, **kwargs):
        began = time.perf_counter()
        with real_transaction.atomic(*args, **kwargs):
            yield
        held.append(time.perf_counter() - began)

    importing.transaction = types.SimpleNamespace(atomic=timed_atomic, on_commit=real_transaction.on_commit)
    started = time.perf_counter()
    # The re-indexing it queues on commit goes to the task queue (the worker's job), timed below.
    try:
        plan = importing.import_members(network, by=secretariat, content=content, filename="members.csv", token="b1")
    finally:
        importing.transaction = real_transaction
    import_s = time.perf_counter() - started
    created = NetworkMembership.objects.filter(network=network).count() - before

    log("re-index the imported members (what the queued tasks do)")
    ids = [str(row.organisation.pk) for row in plan.rows]
    started = time.perf_counter()
    indexed = services.refresh_many(KIND, ids)
    reindex_s = time.perf_counter() - started
    found = len(matching_organisations("Orphan Care Penang", user=None).ids)
    return {
        "rows": rows,
        "bytes": len(content),
        "created": created,
        "dry_run_s": round(dry_run_s, 2),
        "import_s": round(import_s, 2),
        "rows_per_second": round(rows / import_s),
        "write_lock_s": round(max(held, default=0), 2),
        "reindex_s": round(reindex_s, 2),
        "indexed": indexed,
        "found": found,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.importing")
    parser.add_argument("--worker", action="store_true", help="import and measure in this process (the runner's job)")
    parser.add_argument("--rows", type=int, default=QUICK_ROWS)
    parser.add_argument("--label", default=NAME)
    args = parser.parse_args(argv)
    if not args.worker:
        parser.error("run the benchmark with `python -m benchmarks --only importing`")
    print(json.dumps(worker(args.rows, args.label), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
