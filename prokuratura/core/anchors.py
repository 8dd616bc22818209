"""Anchoring the audit trail: the chain head written periodically to places outside the database.

A forger who can write SQL can recompute every hash after the entry they change and move the head, leaving a chain
that is consistent in itself. An anchor — "entry #N carried hash H at time T", written where that forger cannot
reach (a file on another machine's mount or a WORM store, the syslog server, the auditors' mailbox) — cannot be
matched by such a rewrite: `manage.py audit_verify` checks the chain against every anchor it can read.

The sinks come from `settings.AUDIT_ANCHOR_SINKS` (the environment's `AUDIT_ANCHORS`, comma-separated):
`file:/path/anchors.jsonl` · `syslog` (the local /dev/log) · `syslog:/path/to/socket` · `syslog:host:port` (UDP) ·
`mail:auditors@example.kz` (several addresses separated by ";").
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .actors import SCHEDULER
from .audit import GENESIS, Anchor, audit_record
from .models import AuditEntry, AuditHead

logger = logging.getLogger(__name__)

# The e-mail is read by auditors of any of the three languages, and saved by them as a record: one text in all
# three (Kazakh, Russian, English), with the machine-readable line `audit_verify --anchors` reads.
MAIL_LANGUAGES = ("kk", "ru", "en")
SYSLOG_DEVICE = "/dev/log"

_SEQ = re.compile(r"\bseq=(\d+)\b")
_HASH = re.compile(r"\bhash=([0-9a-fA-F]{64})\b")
_AT = re.compile(r"\bat=(\S+)")


@dataclass(frozen=True)
class HeadAnchor:
    seq: int
    hash: str
    at: str  # ISO 8601 with the offset, Asia/Almaty
    host: str

    def line(self) -> str:
        """The line syslog carries and the e-mail contains; `read_anchors` reads it back."""
        return f"prokuratura audit anchor seq={self.seq} hash={self.hash} at={self.at} host={self.host}"


@dataclass
class AnchorRun:
    """What one `audit_anchor_write` did: the head it anchored and, per sink, whether it was written."""

    anchor: HeadAnchor
    written: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # sink → the error

    @property
    def ok(self) -> bool:
        return not self.failed


def configured_sinks() -> list[str]:
    return list(getattr(settings, "AUDIT_ANCHOR_SINKS", []))


def anchor_file_path(sinks: list[str] | None = None) -> Path | None:
    """The file of the first `file:` sink: the anchors `audit_verify` and the auditors' page check by default."""
    for sink in configured_sinks() if sinks is None else sinks:
        kind, _sep, target = sink.partition(":")
        if kind == "file" and target:
            return Path(target)
    return None


def audit_head_anchor() -> HeadAnchor:
    head = AuditHead.objects.filter(id=1).first()
    return HeadAnchor(
        seq=head.seq if head else 0,
        hash=head.hash if head else GENESIS,
        at=timezone.localtime().isoformat(timespec="seconds"),
        host=socket.gethostname(),
    )


def audit_anchor_write(*, sinks: list[str] | None = None) -> AnchorRun:
    """Write the current head to every sink; a sink that fails does not stop the others.

    Then records the run in the audit trail itself, so a missing or failing anchor shows there too. That entry
    moves the head, so an anchor always names the head as it stood just before its own entry (the next run
    anchors that entry)."""
    sinks = configured_sinks() if sinks is None else sinks
    run = AnchorRun(anchor=audit_head_anchor())
    for sink in sinks:
        try:
            _write(sink, run.anchor)
        except Exception as error:  # noqa: BLE001 - any failure of one sink is reported, the others still run
            logger.exception("could not write the audit anchor to %s", sink)
            run.failed[sink] = f"{type(error).__name__}: {error}"
        else:
            run.written.append(sink)
    reason = f"anchor of #{run.anchor.seq} written to: {', '.join(run.written) or 'none'}"
    if run.failed:
        reason += f"; failed: {', '.join(run.failed)}"
    with transaction.atomic():
        audit_record(
            actor=SCHEDULER,
            action=AuditEntry.Action.SECURITY,
            object_type="audit.anchor",
            object_id=str(run.anchor.seq),
            object_repr=run.anchor.hash,
            reason=reason,
        )
    return run


def _write(sink: str, anchor: HeadAnchor) -> None:
    kind, _sep, target = sink.partition(":")
    if kind == "file" and target:
        _write_file(Path(target), anchor)
    elif kind == "syslog":
        _write_syslog(target, anchor)
    elif kind == "mail" and target:
        _write_mail([a.strip() for a in target.split(";") if a.strip()], anchor)
    else:
        raise ValueError(f"unknown audit anchor sink {sink!r}")


def _write_file(path: Path, anchor: HeadAnchor) -> None:
    """One JSON line, appended and flushed to the disk. The folder is never created: a mount that is not there
    must fail loudly, not be replaced by a local folder of the same name."""
    line = json.dumps(
        {"seq": anchor.seq, "hash": anchor.hash, "at": anchor.at, "host": anchor.host}, ensure_ascii=False
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class _RaisingSysLogHandler(logging.handlers.SysLogHandler):
    """SysLogHandler swallows its errors (it is meant for logging); an anchor that was not sent must fail."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        raise  # noqa: PLE0704 - called by emit() inside its `except`: re-raises the error being handled


def _syslog_address(target: str) -> str | tuple[str, int]:
    if not target:
        return SYSLOG_DEVICE
    if target.startswith("/"):
        return target
    host, _sep, port = target.rpartition(":")
    if not host:
        return (port, logging.handlers.SYSLOG_UDP_PORT)
    return (host, int(port))


def _write_syslog(target: str, anchor: HeadAnchor) -> None:
    handler = _RaisingSysLogHandler(
        address=_syslog_address(target), facility=logging.handlers.SysLogHandler.LOG_AUTH
    )
    try:
        record = logging.LogRecord("prokuratura.audit", logging.INFO, __file__, 0, anchor.line(), None, None)
        handler.emit(record)
    finally:
        handler.close()


def _write_mail(addresses: list[str], anchor: HeadAnchor) -> None:
    subjects, paragraphs = [], []
    for language in MAIL_LANGUAGES:
        with translation.override(language):
            subjects.append(_("Audit trail anchor #%(seq)d") % {"seq": anchor.seq})
            paragraphs.append(
                _(
                    "At %(at)s the audit trail of the information system ended with entry #%(seq)d, whose hash is "
                    "%(hash)s. Keep this message: the auditors check the audit trail against it "
                    "(manage.py audit_verify --anchors)."
                )
                % {"at": anchor.at, "seq": anchor.seq, "hash": anchor.hash}
            )
    # A language without its translation yet falls back to English: said once, not three times.
    body = "\n\n".join([*dict.fromkeys(paragraphs), anchor.line()]) + "\n"
    message = EmailMessage(
        subject=" / ".join(dict.fromkeys(subjects)),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
    )
    if message.send() != 1:
        raise OSError("the mail server did not accept the anchor e-mail")


@dataclass
class AnchorFile:
    anchors: list[Anchor] = field(default_factory=list)
    unreadable: int = 0  # lines that are neither blank nor an anchor


def read_anchors(path: Path) -> AnchorFile:
    """The anchors in a file: the file sink's JSON lines, or any lines carrying `seq=… hash=…` (a syslog export,
    the anchor e-mails saved as text). Raises OSError when the file cannot be read."""
    result = AnchorFile()
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line:
                continue
            anchor = _parse(line, source=f"{path.name}:{number}")
            if anchor is None:
                result.unreadable += 1
            else:
                result.anchors.append(anchor)
    return result


def _parse(line: str, *, source: str) -> Anchor | None:
    if line.startswith("{"):
        try:
            data = json.loads(line)
            seq, hash_ = int(data["seq"]), str(data["hash"]).lower()
        except (ValueError, KeyError, TypeError):
            return None
        if not re.fullmatch(r"[0-9a-f]{64}", hash_):
            return None
        return Anchor(seq, hash_, at=str(data.get("at") or ""), source=source)
    seq_match, hash_match = _SEQ.search(line), _HASH.search(line)
    if seq_match is None or hash_match is None:
        return None
    at_match = _AT.search(line)
    return Anchor(int(seq_match[1]), hash_match[1].lower(), at=at_match[1] if at_match else "", source=source)
