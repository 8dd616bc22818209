"""Anchoring the audit trail: `manage.py audit_anchor` writes the head to a file, syslog and the auditors' mailbox;
`manage.py audit_verify` and the auditors' page check the chain against the anchors.

E-mail goes through a real SMTP server (aiosmtpd on 127.0.0.1, a free port), syslog to a UDP socket of the test.
"""

from __future__ import annotations

import json
import socket
import stat
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from prokuratura.core.anchors import audit_anchor_write, read_anchors
from prokuratura.core.audit import audit_record, audit_seal, audit_verify_chain
from prokuratura.core.models import AuditEntry, AuditHead
from prokuratura.core.tests.forgery import insert_and_rehash, rehash_from
from prokuratura.core.tests.sealing import sealed

pytestmark = pytest.mark.django_db

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def syslog_server():
    """A UDP socket standing in for the syslog server."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        yield sock


@pytest.fixture
def anchor_file(settings, tmp_path):
    path = tmp_path / "audit-anchors.jsonl"
    settings.AUDIT_ANCHOR_SINKS = [f"file:{path}"]
    return path


def _append(n: int) -> list[AuditEntry]:
    """n entries, sealed into the chain."""
    return sealed(
        audit_record(actor=None, action=AuditEntry.Action.UPDATE, object_type="core.office", object_id=str(i))
        for i in range(n)
    )


def _command(name: str, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), f"{err.getvalue()}{error}"
    return 0, out.getvalue(), err.getvalue()


def _head() -> tuple[int, str]:
    """The head once everything written is sealed."""
    audit_seal()
    head = AuditHead.objects.get()
    return head.seq, head.hash


# --- writing anchors ------------------------------------------------------------------------------------------


def test_the_file_sink_appends_one_json_line_per_run_and_the_run_is_audited(anchor_file):
    _append(3)
    first_head = _head()
    assert _command("audit_anchor")[0] == 0
    second_head = _head()
    assert _command("audit_anchor")[0] == 0

    lines = [json.loads(line) for line in anchor_file.read_text().splitlines()]
    assert [(line["seq"], line["hash"]) for line in lines] == [first_head, second_head]
    assert set(lines[0]) == {"seq", "hash", "at", "host"}
    assert lines[0]["host"] == socket.gethostname()
    assert lines[0]["at"].endswith("+05:00")  # Asia/Almaty, with the offset
    mode = stat.S_IMODE(anchor_file.stat().st_mode)
    assert mode & 0o640 == 0o640 and mode & 0o137 == 0  # owner rw, group r, nothing for others
    # Each run is an entry of its own, after the head it anchored: the next anchor names it.
    entry = AuditEntry.objects.get(seq=first_head[0] + 1)
    assert (entry.action, entry.object_type, entry.object_id) == (
        "security",
        "audit.anchor",
        str(first_head[0]),
    )
    assert entry.actor_repr == "system:scheduler"
    assert f"file:{anchor_file}" in entry.reason
    assert second_head[0] == first_head[0] + 1
    assert list(audit_verify_chain()) == []


def test_the_syslog_sink_sends_the_anchor_line(syslog_server):
    _append(2)
    seq, hash_ = _head()
    port = syslog_server.getsockname()[1]
    run = audit_anchor_write(sinks=[f"syslog:127.0.0.1:{port}"])
    assert run.ok
    data, _address = syslog_server.recvfrom(4096)
    # <38>: facility auth (4 × 8) + severity info (6).
    assert data.startswith(b"<38>prokuratura audit anchor ")
    assert f"seq={seq} hash={hash_} at=".encode() in data


def test_the_mail_sink_writes_to_the_auditors_in_three_languages(smtp, tmp_path):
    _append(2)
    seq, hash_ = _head()
    run = audit_anchor_write(sinks=["mail:auditor-1@prokuratura.kz;auditor-2@prokuratura.kz"])
    assert run.ok
    [(recipients, message)] = smtp.received
    assert sorted(recipients) == ["auditor-1@prokuratura.kz", "auditor-2@prokuratura.kz"]
    assert f"Audit trail anchor #{seq}" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"ended with entry #{seq}, whose hash is {hash_}" in body
    # Saved as text, the e-mail is an anchor audit_verify can read.
    saved = tmp_path / "anchor-mail.txt"
    saved.write_text(body)
    [anchor] = read_anchors(saved).anchors
    assert (anchor.seq, anchor.hash) == (seq, hash_)


def test_a_failing_sink_does_not_stop_the_others_and_the_command_exits_1(settings, tmp_path):
    _append(2)
    good = tmp_path / "anchors.jsonl"
    missing_mount = tmp_path / "not-mounted" / "anchors.jsonl"
    settings.AUDIT_ANCHOR_SINKS = [
        f"file:{missing_mount}",
        f"syslog:{tmp_path / 'no-syslog-socket'}",
        f"file:{good}",
        "mail:auditors@prokuratura.kz",
    ]
    seq, _hash = _head()
    code, out, error = _command("audit_anchor")
    assert code == 1
    assert "2 of 4 anchor sink(s) failed" in error
    assert f"could not anchor in file:{missing_mount}" in error
    assert "could not anchor in syslog:" in error
    assert not missing_mount.parent.exists()  # never created: a mount that is not there must fail
    assert json.loads(good.read_text())["seq"] == seq
    assert len(mail.outbox) == 1
    entry = AuditEntry.objects.get(object_type="audit.anchor")
    assert "failed:" in entry.reason and str(missing_mount) in entry.reason


def test_without_sinks_the_command_refuses(settings):
    settings.AUDIT_ANCHOR_SINKS = []
    code, _out, error = _command("audit_anchor")
    assert code == 1
    assert "AUDIT_ANCHORS" in error
    assert not AuditEntry.objects.filter(object_type="audit.anchor").exists()


# --- verifying against anchors --------------------------------------------------------------------------------


def test_an_intact_chain_matches_every_anchor(anchor_file):
    for _ in range(3):
        _append(2)
        audit_anchor_write()
    code, out, _error = _command("audit_verify")
    assert code == 0
    assert "3 anchor(s) checked" in out


def test_a_rewritten_chain_with_a_moved_head_is_caught_by_the_anchors(anchor_file):
    """Forgery (b): an entry inserted with a correct link, the later ones renumbered and re-hashed, the head
    moved. The chain is consistent in itself; the anchors written after the insertion point are not."""
    _append(3)
    audit_anchor_write()  # anchors #3 (entries #1-#3); its own entry is #4
    _append(2)
    audit_anchor_write()  # anchors #6
    insert_and_rehash(at=2)
    assert list(audit_verify_chain()) == []

    code, out, _error = _command("audit_verify")
    assert code == 1
    first_anchor, second_anchor = (json.loads(line) for line in anchor_file.read_text().splitlines())
    assert f"#{first_anchor['seq']} rewritten" in out
    assert f"the anchor written at {first_anchor['at']}: the chain was rewritten after it" in out
    assert f"#{second_anchor['seq']} rewritten" in out
    assert len(out.splitlines()) == 2


def test_anchors_before_the_forgery_still_match(anchor_file):
    _append(3)
    audit_anchor_write()  # anchors #3
    _append(3)
    insert_and_rehash(at=6)
    code, out, _error = _command("audit_verify")
    # The anchor of #3 matches: the rewrite happened after it, and until the next anchor nothing can tell.
    assert code == 0
    assert out.startswith("Audit trail intact: 8 entries, 1 anchor(s) checked")


def test_a_truncated_trail_misses_an_anchored_entry(anchor_file):
    _append(4)
    audit_anchor_write()  # anchors #4
    AuditEntry.objects.filter(seq__gte=3).delete()
    AuditHead.objects.update(seq=2, hash=AuditEntry.objects.get(seq=2).hash)  # the head moved back too
    code, out, _error = _command("audit_verify")
    assert code == 1
    [line] = out.splitlines()
    assert line.startswith("#4 deleted: Entry #4, named by the anchor written at")


def test_anchors_given_on_the_command_line_as_a_syslog_export(settings, tmp_path):
    settings.AUDIT_ANCHOR_SINKS = []
    _append(3)
    seq, hash_ = _head()
    export = tmp_path / "syslog-export.log"
    export.write_text(
        "Mar 21 10:00:01 app1 sshd[12]: Accepted publickey for deploy\n"
        f"Mar 21 10:00:02 app1 prokuratura audit anchor seq={seq} hash={hash_} at=2026-03-21T10:00:02+05:00 "
        "host=app1\n"
        "\n"
        f"Mar 21 11:00:02 app1 prokuratura audit anchor seq=2 hash={'f' * 64} host=app1\n"
    )
    code, out, error = _command("audit_verify", "--anchors", str(export))
    assert code == 1
    assert "1 line(s) are not anchors" in error
    assert out == (
        "#2 rewritten: Entry #2 does not match the anchor from syslog-export.log:4: "
        "the chain was rewritten after it.\n"
    )


def test_expect_still_works_and_an_anchor_file_that_cannot_be_read_fails(settings, tmp_path):
    settings.AUDIT_ANCHOR_SINKS = []
    entries = _append(3)
    assert _command("audit_verify", "--expect", f"3:{entries[2].hash}")[0] == 0
    code, _out, error = _command("audit_verify", "--anchors", str(tmp_path / "nowhere.jsonl"))
    assert code == 1
    assert "Cannot read the anchors" in error


def test_before_the_first_anchor_run_a_missing_default_file_is_only_said(anchor_file):
    _append(2)
    code, _out, error = _command("audit_verify")
    assert code == 0
    assert "No anchor file yet" in error


# --- the auditors' page ---------------------------------------------------------------------------------------


@pytest.fixture
def auditor_client(client_for, cast):
    client = client_for(cast.auditor)
    client.get(reverse("core:home"))
    return client


def test_the_verification_page_checks_the_anchors_when_a_file_sink_is_configured(auditor_client, anchor_file):
    _append(2)
    audit_anchor_write()
    response = auditor_client.post(reverse("core:audit_verify"))
    assert response.context["report"].intact
    assert "The chain was checked against 1 anchor written outside the database." in response.content.decode()

    seq = json.loads(anchor_file.read_text())["seq"]
    AuditEntry.objects.filter(seq=seq).update(reason="forged")
    rehash_from(seq)  # consistent in itself again, the head moved: not with the anchor
    response = auditor_client.post(reverse("core:audit_verify"))
    problems = [(p.seq, p.kind) for p in response.context["report"].problems]
    assert problems == [(seq, "rewritten")]
    html = response.content.decode()
    assert "rewritten" in html and "the chain was rewritten after it" in html


def test_the_verification_page_says_when_the_anchor_file_cannot_be_read(auditor_client, anchor_file):
    _append(2)
    response = auditor_client.post(reverse("core:audit_verify"))
    assert response.status_code == 200
    assert response.context["report"].intact
    assert "The anchor file could not be read" in response.content.decode()
