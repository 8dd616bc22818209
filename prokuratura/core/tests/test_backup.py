"""backup_create / backup_restore: a dump and its files restored into a fresh database and store, then checked
(counts, attachments' digests, audit_verify, the head) — on whichever database the suite runs on."""

import hashlib
import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from prokuratura.appeals.models import Appeal, AppealAttachment, Channel
from prokuratura.appeals.services import appeal_register
from prokuratura.appeals.tests.factories import appeal_data
from prokuratura.core.models import AuditEntry, AuditHead

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.fixture
def appeals(migrated_rows, offices, cast, media):
    uploads = [
        [SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%first\n", content_type="application/pdf")],
        [
            SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%second\n" + bytes(range(256)), content_type="x"),
            SimpleUploadedFile("note.txt", "Заявление".encode(), content_type="text/plain"),
        ],
        [],
    ]
    return [
        appeal_register(
            by=cast.registrar_astana, channel=Channel.STAFF, data=appeal_data(), uploads=files
        ).appeal
        for files in uploads
    ]


@contextmanager
def fresh_database(tmp_path):
    """A DATABASE_URL of a new, empty database of the suite's kind, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"test_restore_{secrets.token_hex(4)}"
    admin = {
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    user = f"{params['USER']}@" if params["USER"] else ""
    try:
        yield f"postgres://{user}{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(url, sql):
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        return conn.execute(sql).fetchall()


def manage(*args, database_url, media_root):
    """Run manage.py as an operator would, against the restored database and store."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "DATABASE_", "PROKURATURA_", "DJANGO_"))
    }
    env.update(
        DATABASE_URL=database_url,
        PROKURATURA_MEDIA_ROOT=str(media_root),
        PROKURATURA_STORAGE="local",
        PROKURATURA_TESTING="1",  # the same installed apps (and so tables) as the suite's database
        PROKURATURA_VAR_DIR=str(Path(media_root).parent / "var"),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_a_backup_restores_into_a_fresh_database_and_store(appeals, tmp_path, media):
    backup = tmp_path / "backup"
    call_command("backup_create", "--to", str(backup), stdout=io.StringIO())

    manifest = json.loads((backup / "manifest.json").read_text())
    attachments = list(AppealAttachment.objects.order_by("id").values_list("file", "sha256", "size"))
    assert len(attachments) == 3
    assert sorted((f["path"], f["sha256"], f["size"]) for f in manifest["files"]) == sorted(attachments)
    assert manifest["tables"]["appeals_appeal"] == 3
    assert manifest["tables"]["appeals_appealattachment"] == 3
    assert manifest["tables"]["core_auditentry"] == AuditEntry.objects.count() > 0
    head = AuditHead.objects.get()
    assert manifest["audit_head"] == {"seq": head.seq, "hash": head.hash}
    assert head.seq == AuditEntry.objects.count()  # sealed first: the head covers every entry written
    assert manifest["database"]["vendor"] == connection.vendor

    restored_media = tmp_path / "restored-media"
    with fresh_database(tmp_path) as url:
        result = manage("backup_restore", "--from", str(backup), database_url=url, media_root=restored_media)
        assert result.returncode == 0, result.stderr
        assert f"audit chain intact up to #{head.seq}" in result.stdout

        # Checked here too, not only by the command: the rows and the files are really there.
        assert query(url, "SELECT COUNT(*) FROM appeals_appeal") == [(3,)]
        rows = query(url, "SELECT file, sha256 FROM appeals_appealattachment ORDER BY id")
        assert [(name, digest) for name, digest, _size in attachments] == [tuple(r) for r in rows]
        for name, digest in rows:
            assert sha256(restored_media / name) == digest
        assert query(url, "SELECT seq, hash FROM core_audithead") == [(head.seq, head.hash)]
        numbers = query(url, "SELECT reg_number FROM appeals_appeal ORDER BY id")
        assert [n for (n,) in numbers] == list(
            Appeal.objects.order_by("id").values_list("reg_number", flat=True)
        )

        audit = manage("audit_verify", database_url=url, media_root=restored_media)
        assert audit.returncode == 0, audit.stdout + audit.stderr
        verify = manage(
            "backup_restore",
            "--from",
            str(backup),
            "--verify-only",
            database_url=url,
            media_root=restored_media,
        )
        assert verify.returncode == 0, verify.stderr

        # --verify-only after the fact names a file changed in the live store.
        name = manifest["files"][-1]["path"]
        (restored_media / name).write_bytes(b"changed")
        verify = manage(
            "backup_restore",
            "--from",
            str(backup),
            "--verify-only",
            database_url=url,
            media_root=restored_media,
        )
        assert verify.returncode == 1
        assert f"file {name}: its SHA-256 differs" in verify.stderr

        # A second restore onto the restored database is refused: never over live data.
        again = manage("backup_restore", "--from", str(backup), database_url=url, media_root=tmp_path / "m3")
        assert again.returncode == 1
        assert "not fresh" in again.stderr


def test_a_tampered_file_in_the_backup_makes_the_restore_fail_loudly(appeals, tmp_path, media):
    backup = tmp_path / "backup"
    call_command("backup_create", "--to", str(backup), stdout=io.StringIO())
    manifest = json.loads((backup / "manifest.json").read_text())
    victim = manifest["files"][0]["path"]
    (backup / "files" / victim).write_bytes(b"%PDF-1.4\n%forged\n")

    restored_media = tmp_path / "restored-media"
    with fresh_database(tmp_path) as url:
        result = manage("backup_restore", "--from", str(backup), database_url=url, media_root=restored_media)
        assert result.returncode == 1
        assert f"file {victim}: does not match its size and SHA-256" in result.stderr
        assert "nothing was restored" in result.stderr
        tables = (
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            if url.startswith("sqlite")
            else "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        assert [t for (t,) in query(url, tables) if t.startswith(("appeals_", "core_"))] == []
    assert not restored_media.exists() or not any(restored_media.rglob("*.*"))


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(Exception, match="not empty"):
        call_command("backup_create", "--to", str(tmp_path))
