"""Backup and restore of the whole system: the database, every file of the default storage, and a manifest.

`backup_create` writes into a new folder:

    manifest.json        time, app version, the database's file and digest, the row count of every table,
                         each stored file's path, size and SHA-256, and the audit chain's head (seq, hash)
    database.dump        PostgreSQL: `pg_dump -Fc` (or database.sqlite3: SQLite's online backup)
    files/<path>         every file of the default storage (local disk or S3), read through the storage API

The counts and the head are read from the very state that is dumped: on PostgreSQL inside one REPEATABLE READ
transaction whose snapshot `pg_dump --snapshot` shares, on SQLite from the copy itself. So the manifest describes
the dump exactly even while users keep working.

`backup_restore` fills a FRESH database and store from such a folder and then proves the result: every count
equals the manifest's, every restored file's digest equals the manifest's, `audit_verify` finds the chain intact
and the restored head is the manifest's head. It refuses a target that already has any of the tables, or a store
that already holds files (restoring over live data is never what an operator in a hurry means), and it refuses a
backup whose dump or files no longer match the manifest before touching anything.

Neither writes an audit entry: a backup's entry could not be in the backup it describes, and a restore's entry
would move the head away from the manifest's it is checked against. Both log what they did (the journal).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump / pg_restore with argument lists, never a shell
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.db import connections, transaction
from django.utils import timezone

from .audit import audit_seal

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FILES_DIR = "files"
FORMAT = 1
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore could not be done, or its result differs from the manifest (`problems`)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    audit_head: dict[str, Any] = field(default_factory=dict)


def app_version() -> str:
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def storage_walk(storage: Storage, prefix: str = "") -> Iterator[str]:
    """Every file name in the storage, through `listdir` only, so a local folder and an S3 bucket walk alike."""
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:  # a local store whose folder was never created holds nothing
        return
    for name in sorted(files):
        yield f"{prefix}/{name}" if prefix else name
    for name in sorted(dirs):
        yield from storage_walk(storage, f"{prefix}/{name}" if prefix else name)


def _safe_relative(name: str) -> PurePosixPath:
    """A stored name as a path that stays inside the backup folder (a tampered manifest may say '../../x')."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise BackupError(f"Unsafe file name in the backup: {name!r}.")
    return path


def _pg_environment(conn_settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore from Django's settings; the password only in the
    environment, never on a command line that `ps` shows."""
    args = []
    if conn_settings.get("HOST"):
        args += ["--host", str(conn_settings["HOST"])]
    if conn_settings.get("PORT"):
        args += ["--port", str(conn_settings["PORT"])]
    if conn_settings.get("USER"):
        args += ["--username", str(conn_settings["USER"])]
    env = {**os.environ}
    if conn_settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(conn_settings["PASSWORD"])
    sslmode = (conn_settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return [*args, "--no-password"], env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed (exit {result.returncode}): {result.stderr.strip()}")


def _model_tables(alias: str) -> list[str]:
    """The tables of every installed model (auto-created many-to-many tables too) that exist in the database."""
    return sorted(
        connections[alias].introspection.django_table_names(only_existing=True, include_views=False)
    )


def _count_rows(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the model registry
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _audit_head(cursor: Any) -> dict[str, Any]:
    cursor.execute("SELECT seq, hash FROM core_audithead WHERE id = 1")
    row = cursor.fetchone()
    return {"seq": int(row[0]), "hash": row[1]} if row else {"seq": 0, "hash": "0" * 64}


def _dump_database(*, alias: str, target: Path) -> tuple[str, dict[str, int], dict[str, Any]]:
    connection = connections[alias]
    tables = _model_tables(alias)
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        if connection.in_atomic_block:
            raise BackupError("Back up outside a transaction: pg_dump reads what is committed.")
        dump = target / "database.dump"
        args, env = _pg_environment(connection.settings_dict)
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            # The counts and the head are read in the snapshot pg_dump dumps, so they describe the dump exactly.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count_rows(cursor, tables, quote)
            head = _audit_head(cursor)
            _run(
                [
                    shutil.which("pg_dump") or "pg_dump",
                    *args,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(dump),
                    "--dbname",
                    str(connection.settings_dict["NAME"]),
                ],
                env,
            )
        return dump.name, counts, head
    if connection.vendor == "sqlite":
        copy = target / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(copy)
        try:
            # The online backup API: a consistent copy while other connections keep writing (WAL included).
            connection.connection.backup(destination)
            copy_cursor = destination.cursor()
            counts = _count_rows(copy_cursor, tables, quote)
            head = _audit_head(copy_cursor)
        finally:
            destination.close()
        return copy.name, counts, head
    raise BackupError(f"No backup for the {connection.vendor} database.")


def _copy_files(*, storage: Storage, target: Path) -> list[dict[str, Any]]:
    listed = []
    for name in storage_walk(storage):
        destination = target / FILES_DIR / _safe_relative(name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with storage.open(name, "rb") as source, destination.open("wb") as out:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        listed.append({"path": name, "size": size, "sha256": digest.hexdigest()})
    return listed


def backup_create(*, to: Path, alias: str = "default") -> dict[str, Any]:
    """Back up the database and the default storage into the new or empty folder `to`; returns the manifest."""
    to = Path(to)
    if to.exists() and any(to.iterdir()):
        raise BackupError(f"{to} is not empty: a backup goes into a new folder.")
    to.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    audit_seal()  # the manifest's head then covers every entry committed before the backup
    database_file, counts, head = _dump_database(alias=alias, target=to)
    files = _copy_files(storage=storages["default"], target=to)
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "app_version": app_version(),
        "database": {
            "vendor": connections[alias].vendor,
            "file": database_file,
            "sha256": _sha256_of(to / database_file),
        },
        "tables": counts,
        "files": files,
        "audit_head": head,
    }
    (to / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    logger.info(
        "Backup %s: %d tables, %d rows, %d files, audit head #%s",
        to,
        len(counts),
        sum(counts.values()),
        len(files),
        head["seq"],
    )
    return manifest


def manifest_read(source: Path) -> dict[str, Any]:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} does not exist: not a backup folder.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r} (this version reads {FORMAT}).")
    return manifest


def backup_check(*, source: Path, manifest: dict[str, Any]) -> list[str]:
    """What in the backup folder no longer matches its manifest: the dump's digest, each file's size and digest."""
    source = Path(source)
    problems = []
    database = source / _safe_relative(manifest["database"]["file"])
    if not database.is_file():
        problems.append(f"database: {database.name} is missing")
    elif _sha256_of(database) != manifest["database"]["sha256"]:
        problems.append(f"database: {database.name} does not match its SHA-256 in the manifest")
    for item in manifest["files"]:
        path = source / FILES_DIR / _safe_relative(item["path"])
        if not path.is_file():
            problems.append(f"file {item['path']}: missing from the backup")
        elif path.stat().st_size != item["size"] or _sha256_of(path) != item["sha256"]:
            problems.append(f"file {item['path']}: does not match its size and SHA-256 in the manifest")
    return problems


def _refuse_unless_fresh(*, alias: str, storage: Storage, manifest: dict[str, Any]) -> None:
    present = set(connections[alias].introspection.table_names()) & set(manifest["tables"])
    if present:
        raise BackupError(
            f"The target database is not fresh: it has {len(present)} of the backup's tables "
            f"(e.g. {sorted(present)[0]}). Restore into a new, empty database."
        )
    stored = next(storage_walk(storage), None)
    if stored is not None:
        raise BackupError(f"The target store is not empty (it holds {stored}). Restore into an empty store.")


def _restore_database(*, alias: str, source: Path, manifest: dict[str, Any]) -> None:
    connection = connections[alias]
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"The backup is of a {vendor} database; the target is {connection.vendor}.")
    dump = source / _safe_relative(manifest["database"]["file"])
    if vendor == "postgresql":
        args, env = _pg_environment(connection.settings_dict)
        connection.close()  # pg_restore works on its own connection; ours reconnects to see the result
        # One transaction: a failure leaves the database as empty as it was. No owner or grants from the source
        # server: the restored objects belong to the role that restores (the application's role).
        _run(
            [
                shutil.which("pg_restore") or "pg_restore",
                *args,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                str(connection.settings_dict["NAME"]),
                str(dump),
            ],
            env,
        )
        return
    connection.ensure_connection()
    backup_db = sqlite3.connect(dump)
    try:
        backup_db.backup(connection.connection)
    finally:
        backup_db.close()


def _restore_files(*, storage: Storage, source: Path, manifest: dict[str, Any]) -> None:
    for item in manifest["files"]:
        with (source / FILES_DIR / _safe_relative(item["path"])).open("rb") as fh:
            saved = storage.save(item["path"], File(fh))
        if saved != item["path"]:
            raise BackupError(f"The store saved {item['path']} as {saved}: it was not empty.")


def backup_verify(*, manifest: dict[str, Any], alias: str = "default") -> list[str]:
    """How the current database and default storage differ from the manifest (an empty list: they match)."""
    problems = []
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, expected in sorted(manifest["tables"].items()):
            if table not in existing:
                problems.append(f"table {table}: missing")
                continue
            found = _count_rows(cursor, [table], connection.ops.quote_name)[table]
            if found != expected:
                problems.append(f"table {table}: {found} rows, the manifest says {expected}")
        head = _audit_head(cursor)
    storage = storages["default"]
    for item in manifest["files"]:
        name = item["path"]
        if not storage.exists(name):
            problems.append(f"file {name}: missing from the store")
            continue
        digest = hashlib.sha256()
        with storage.open(name, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != item["sha256"]:
            problems.append(f"file {name}: its SHA-256 differs from the manifest's")
    expected_head = manifest["audit_head"]
    if head != expected_head:
        problems.append(
            f"audit head: #{head['seq']} {head['hash']}, the manifest says "
            f"#{expected_head['seq']} {expected_head['hash']}"
        )
    problems.extend(_audit_chain_problems(expected_head))
    return problems


def _audit_chain_problems(head: dict[str, Any]) -> list[str]:
    """Run `audit_verify` itself, with the manifest's head as the hash recorded outside the database.

    Not against the anchor file: anchors written after the backup name the entries the backup lacks, which is
    what a restore of an older backup means, not damage to what was restored (docs/OPERATIONS.md)."""
    out = io.StringIO()
    args = ["audit_verify"]
    if "--no-anchors" in _options_of("audit_verify"):
        args.append("--no-anchors")
    if head["seq"]:
        args += ["--expect", f"{head['seq']}:{head['hash']}"]
    try:
        call_command(*args, stdout=out, stderr=out)
    except CommandError as error:
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        return [f"audit_verify: {line}" for line in lines] + [f"audit_verify: {error}"]
    return []


def _options_of(name: str) -> set[str]:
    command = load_command_class(get_commands()[name], name)
    parser = command.create_parser("manage.py", name)
    return {option for action in parser._actions for option in action.option_strings}


def backup_restore(*, source: Path, alias: str = "default") -> RestoreReport:
    """Restore the backup folder `source` into a fresh database and store, then verify the result.

    Raises BackupError (with `problems`) when the backup is damaged, the target is not fresh, or the restored
    state differs from the manifest."""
    source = Path(source)
    manifest = manifest_read(source)
    damaged = backup_check(source=source, manifest=manifest)
    if damaged:
        raise BackupError("The backup does not match its manifest; nothing was restored.", damaged)
    storage = storages["default"]
    _refuse_unless_fresh(alias=alias, storage=storage, manifest=manifest)
    _restore_database(alias=alias, source=source, manifest=manifest)
    _restore_files(storage=storage, source=source, manifest=manifest)
    problems = backup_verify(manifest=manifest, alias=alias)
    if problems:
        raise BackupError("The restored database or store differs from the manifest.", problems)
    report = RestoreReport(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(manifest["files"]),
        audit_head=manifest["audit_head"],
    )
    logger.info(
        "Restored %s: %d tables, %d rows, %d files, audit head #%s",
        source,
        report.tables,
        report.rows,
        report.files,
        report.audit_head["seq"],
    )
    return report
