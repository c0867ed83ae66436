"""``tansiq backup DIR`` and ``tansiq restore DIR``: the database and every file store, checked.

A backup directory holds:

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site writes) or
  ``database.dump`` (``pg_dump --format=custom`` on PostgreSQL, taken in an exported snapshot so
  the row counts of the manifest describe exactly what the dump holds);
- ``files/<store>/…``: each file store on this machine's disk — ``media`` (public uploads: logos …)
  and ``private`` (admission documents and other files no URL serves);
- ``manifest.json``: for the database, its checksum and the row count of every table; for each
  store, each file's size and SHA-256.

Files are copied after the database: a file uploaded meanwhile is copied without its row (harmless),
and a file deleted meanwhile is simply missing from both. ``restore`` verifies every checksum
before it changes anything, then replaces the database and the stores, and compares the restored
row counts with the manifest. Run it with the services stopped. Files on S3 storage are not copied:
use the bucket's versioning (docs/deployment.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

MANIFEST = "manifest.json"
FORMAT = 1
Progress = Callable[[str], None]


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


def file_stores() -> dict[str, Path]:
    """The file stores on disk: MEDIA_ROOT and its sibling ``private`` (the private documents'
    storage, tansiq.network.documents), unless files live on S3."""
    if getattr(settings, "S3_BUCKET", ""):
        return {}
    media = Path(settings.MEDIA_ROOT)
    return {"media": media, "private": media.parent / "private"}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sqlite_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in sorted(tables)}  # noqa: S608


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _pg_table_counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    )
    tables = [name for (name,) in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def _backup_database(target: Path) -> dict:
    if connection.vendor == "sqlite":
        out = target / "database.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(out)) as copy:
            connection.connection.backup(copy)  # online: writers carry on meanwhile
        return {"vendor": "sqlite", "file": out.name, "sha256": sha256(out), "tables": _sqlite_counts(out)}
    if connection.vendor == "postgresql":
        out = target / "database.dump"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _pg_table_counts(cursor)
            with out.open("wb") as file:
                done = subprocess.run(
                    ["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--no-owner"],
                    stdout=file,
                    stderr=subprocess.PIPE,
                    env=_pg_env(),
                    check=False,
                )
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.decode(errors='replace').strip()}")
        return {"vendor": "postgresql", "file": out.name, "sha256": sha256(out), "tables": counts}
    raise BackupError(f"Backing up a {connection.vendor} database is not supported")


def backup(target: Path, progress: Progress = lambda line: None) -> dict:
    """Write a backup into ``target`` (new or empty); the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new directory")
    target.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(), "stores": {}}
    manifest["database"] = _backup_database(target)
    progress(f"database: {sum(manifest['database']['tables'].values())} rows")
    for name, root in file_stores().items():
        files = {}
        for source in sorted(root.rglob("*")) if root.is_dir() else []:
            if not source.is_file():
                continue
            relative = source.relative_to(root).as_posix()
            copy = target / "files" / name / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copy2(source, copy)
            except FileNotFoundError:
                continue  # deleted since the listing
            files[relative] = {"size": copy.stat().st_size, "sha256": sha256(copy)}
        manifest["stores"][name] = {"count": len(files), "files": files}
        progress(f"{name}: {len(files)} files")
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def verify(source: Path) -> dict:
    """The manifest of the backup in ``source``, once every checksum in it matched."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"No readable {MANIFEST} in {source}: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}")
    problems = []
    database = source / manifest["database"]["file"]
    if not database.is_file() or sha256(database) != manifest["database"]["sha256"]:
        problems.append(f"database file {database.name} is missing or damaged")
    for name, store in manifest["stores"].items():
        for relative, info in store["files"].items():
            copy = source / "files" / name / relative
            if not copy.is_file() or sha256(copy) != info["sha256"]:
                problems.append(f"{name}/{relative} is missing or damaged")
    if problems:
        raise BackupError("The backup does not match its manifest: " + "; ".join(problems[:20]))
    return manifest


def restore(source: Path, progress: Progress = lambda line: None) -> dict:
    """Replace this site's database and file stores with the backup in ``source``; the manifest."""
    source = Path(source)
    manifest = verify(source)
    database = manifest["database"]
    if database["vendor"] != connection.vendor:
        raise BackupError(f"This backup is of a {database['vendor']} database; this site uses {connection.vendor}")
    if connection.vendor == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(source / database["file"])) as copy, closing(sqlite3.connect(target)) as live:
            copy.backup(live)
        counts = _sqlite_counts(target)
    else:
        connection.close()
        done = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(source / database["file"]),
            ],
            capture_output=True,
            env=_pg_env(),
            check=False,
        )
        if done.returncode:
            raise BackupError(f"pg_restore failed: {done.stderr.decode(errors='replace').strip()}")
        with connection.cursor() as cursor:
            counts = _pg_table_counts(cursor)
    wrong = {t: (n, counts.get(t)) for t, n in database["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"Restored row counts differ from the manifest: {wrong}")
    progress(f"database: {sum(counts.values())} rows in {len(counts)} tables, as in the manifest")
    stores = file_stores()
    for name, store in manifest["stores"].items():
        if name not in stores:
            raise BackupError(f"This site has no file store {name!r} on disk (files on S3?)")
        root = stores[name]
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        for relative, info in store["files"].items():
            copy = root / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / "files" / name / relative, copy)
            if sha256(copy) != info["sha256"]:
                raise BackupError(f"{name}/{relative} changed while it was restored")
        progress(f"{name}: {len(store['files'])} files")
    return manifest
