"""Bulk import of a legacy register of appeals (intake channel (d)): a CSV or XLSX file, run as a background task.

`import_job_create` checks the file at once (a real CSV or XLSX, at most MAX_UPLOAD_BYTES, the required columns
present, at least one row) and refuses it with a translated message, saving nothing; otherwise it stores the file
through the storage API and queues `tasks.run_import_job` on commit. `import_job_run` registers each row through
`appeal_register` (channel "import"), each row in its own transaction, with the submission key
`import:<job>:<row>`, so a bad row never half-saves and running a job again never registers a row twice. Each
rejected row is reported with its number and the reasons, in the language of the person who started the import.
The run writes `heartbeat_at` with its progress; a run whose worker died (core.tasks) is resumed by the next one
from its last saved progress, and a job that no task will resume any more may be run again (`import_job_stall`).

The file
========
The first row names the columns, in any order; names are matched without regard to case, and spaces or hyphens
count as underscores. Columns the importer does not know are ignored (so the report of rejected rows, which adds
`row` and `errors`, can be corrected and imported again). Rows whose cells are all empty are skipped. Row numbers
are those a spreadsheet shows: the header is row 1. In a CSV file a quoted cell spanning several lines is one row.

=====================  ========  ==========================================================================
column                 required  value
=====================  ========  ==========================================================================
legacy_number          no        the appeal's number in the old register; written to the audit trail
received_at            yes       when it was received, in local time (settings.TIME_ZONE): DD.MM.YYYY,
                                 DD.MM.YYYY HH:MM[:SS], YYYY-MM-DD or YYYY-MM-DD[ T]HH:MM[:SS], or an Excel
                                 date cell; without a time, 00:00. It decides the registration date and the
                                 deadline (APPC art. 64, 76) as for any appeal. Not in the future.
kind                   yes       statement, complaint, proposal, request, response or report (or the kind's
                                 name in Kazakh, Russian or English, as the interface shows it)
applicant_type         yes       individual, organisation or anonymous (or the name as shown)
applicant_name         *         full name; required for individuals and organisations
applicant_iin          no        12 digits, checked like on the form (check digit, birth date)
applicant_bin          *         12 digits; required for organisations
applicant_email        no        e-mail address
applicant_phone        no
applicant_address      no        postal address
applicant_language     no        kk, ru or en (or Қазақша / Русский / English); default ru
region_kato            yes       KATO code of the region, e.g. 710000000 (Astana), 750000000 (Almaty)
topic_code             yes       code of a topic in the topics table (labour, social, housing, …); a topic
                                 no longer active is accepted, since old appeals may use it
subject                yes       at most 300 characters
text                   yes       the text (or summary) of the appeal
respondent_body        no        body complained about
respondent_official    no        official complained about
decision_learned_on    no        for a complaint: when the applicant learned of the decision (a date)
received_via           no        in_person, phone, post, email, web or other_body; default post
office_code            no        code of the office that handles it: the job's office or one below it;
                                 default the job's office
=====================  ========  ==========================================================================

Also accepted as column names: email, phone, address, language (applicant_…), region, kato (region_kato),
topic (topic_code), date, reg_date, received_on (received_at).

A legacy register belongs to an office, so its appeals are registered in that office (or the row's office_code)
rather than sent by the routing rules. Consent to personal-data processing is not asked of imported rows
(`appeal_register` exempts the import channel).

CSV: UTF-8 with or without a byte-order mark (Excel: "CSV UTF-8"); the delimiter — comma, semicolon or tab — is
the one the header line uses most. Other encodings are refused rather than guessed: Windows-1251 cannot hold the
Kazakh letters, so guessing would corrupt them. XLSX: the first worksheet, formulas as last computed. A number
cell in applicant_iin or applicant_bin gets back the leading zeros Excel drops (IINs of people born 2000–2009).
A cell written as ' followed by =, +, -, @ (how the rejected-rows report protects such cells from being run as
formulas) loses the apostrophe.

A sample with good and deliberately bad rows: data/samples/appeals_legacy_sample.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import os
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import openpyxl
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import office_subtree_q
from prokuratura.core.actors import SCHEDULER
from prokuratura.core.audit import audit_record
from prokuratura.core.models import AuditEntry, Office, Region
from prokuratura.core.tasks import task_pending

from ..models import (
    LANGUAGE_CHOICES,
    Appeal,
    AppealKind,
    ApplicantType,
    Channel,
    ImportJob,
    ReceivedVia,
    Topic,
)
from ..rules import received_at_error
from .attachments import EXTENSION_TYPES, sniff_type
from .intake import AppealData, appeal_register

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
PROGRESS_EVERY = 25  # rows between progress saves, so the progress bar moves without a write per row
KINDS = {".csv": "csv", ".xlsx": "xlsx"}
XLSX_SIGNATURE_TYPE = EXTENSION_TYPES[".xlsx"]
CSV_DELIMITERS = (",", ";", "\t")
# The report of an XLSX file uses the list separator of Excel in Kazakh and Russian locales.
REPORT_DELIMITER = ";"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: Any  # a lazy translation


COLUMNS: tuple[Column, ...] = (
    Column(
        "legacy_number",
        False,
        gettext_lazy("The appeal's number in the old register (kept in the audit trail)."),
    ),
    Column(
        "received_at",
        True,
        gettext_lazy(
            "When it was received: DD.MM.YYYY or DD.MM.YYYY HH:MM (Kazakhstan time); not in the future."
        ),
    ),
    Column("kind", True, gettext_lazy("statement, complaint, proposal, request, response or report.")),
    Column("applicant_type", True, gettext_lazy("individual, organisation or anonymous.")),
    Column("applicant_name", False, gettext_lazy("Full name; required for individuals and organisations.")),
    Column("applicant_iin", False, gettext_lazy("IIN, 12 digits.")),
    Column("applicant_bin", False, gettext_lazy("BIN, 12 digits; required for organisations.")),
    Column("applicant_email", False, gettext_lazy("E-mail address.")),
    Column("applicant_phone", False, gettext_lazy("Phone number.")),
    Column("applicant_address", False, gettext_lazy("Postal address.")),
    Column("applicant_language", False, gettext_lazy("Language of the answer: kk, ru or en (default ru).")),
    Column("region_kato", True, gettext_lazy("KATO code of the region, e.g. 710000000 for Astana.")),
    Column("topic_code", True, gettext_lazy("Code of the topic, e.g. labour, housing, social.")),
    Column("subject", True, gettext_lazy("Subject, at most 300 characters.")),
    Column("text", True, gettext_lazy("Text or summary of the appeal.")),
    Column("respondent_body", False, gettext_lazy("Body complained about.")),
    Column("respondent_official", False, gettext_lazy("Official complained about.")),
    Column(
        "decision_learned_on",
        False,
        gettext_lazy("For a complaint: the date the applicant learned of the decision."),
    ),
    Column(
        "received_via",
        False,
        gettext_lazy("in_person, phone, post, email, web or other_body (default post)."),
    ),
    Column(
        "office_code",
        False,
        gettext_lazy(
            "Code of the office that handles it: the chosen office or one below it (default the chosen office)."
        ),
    ),
)
COLUMN_NAMES = frozenset(c.name for c in COLUMNS)
REQUIRED_COLUMNS = tuple(c.name for c in COLUMNS if c.required)
ALIASES = {
    "email": "applicant_email",
    "e_mail": "applicant_email",
    "phone": "applicant_phone",
    "address": "applicant_address",
    "language": "applicant_language",
    "region": "region_kato",
    "kato": "region_kato",
    "topic": "topic_code",
    "date": "received_at",
    "reg_date": "received_at",
    "received_on": "received_at",
}
# Where appeal_register (or the model) names a field differently from the column that fills it.
FIELD_COLUMNS = {"region": "region_kato", "topic": "topic_code", "office": "office_code"}
DATETIME_FORMATS = (
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
)
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[\d\s().-]+")
# Checked before registration so a row's report names every faulty plain field at once.
PLAIN_FIELDS = (
    "applicant_name",
    "applicant_iin",
    "applicant_bin",
    "applicant_email",
    "applicant_phone",
    "applicant_address",
    "subject",
    "text",
    "respondent_body",
    "respondent_official",
)


# ---------------------------------------------------------------------------------------------------------------
# Reading the file


@dataclass
class Table:
    headers: list[str]  # as written in the file
    columns: list[str | None]  # the known column at each position, None for one the importer ignores
    rows: Iterator[tuple[int, list[Any]]]  # (row number, cells) after the header
    delimiter: str


def _column_name(header: Any) -> str:
    text = re.sub(r"[\s\-]+", "_", str(header or "").strip().casefold())
    return ALIASES.get(text, text)


def _map_columns(headers: list[str]) -> list[str | None]:
    columns: list[str | None] = []
    seen: set[str] = set()
    for header in headers:
        name = _column_name(header)
        if name not in COLUMN_NAMES:
            columns.append(None)
            continue
        if name in seen:
            raise ValidationError(
                _("The column “%(column)s” appears twice in the header.") % {"column": name}, code="duplicate"
            )
        seen.add(name)
        columns.append(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        raise ValidationError(
            _("The header row lacks the required columns: %(columns)s.") % {"columns": ", ".join(missing)},
            code="missing_columns",
        )
    return columns


def _decode_csv(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:4096]:
        raise ValidationError(
            _(
                "The file is not UTF-8 text (it looks like UTF-16). Save it as “CSV UTF-8” and upload it again."
            ),
            code="encoding",
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _(
                "The file is not UTF-8 text (perhaps Windows-1251). Save it as “CSV UTF-8” and upload it again."
            ),
            code="encoding",
        ) from None


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max(CSV_DELIMITERS, key=header.count)


@contextmanager
def _open_table(content: bytes, kind: str) -> Iterator[Table]:
    """The file as a header and numbered rows; ValidationError when it cannot be read as its kind says."""
    if kind == "xlsx":
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of error on a damaged workbook
            raise ValidationError(
                _("The workbook cannot be read: it is damaged or not an Excel XLSX file."), code="unreadable"
            ) from None
        try:
            if not workbook.worksheets:
                raise ValidationError(_("The workbook has no worksheet."), code="empty")
            numbered = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
            first = next(numbered, None)
            headers = [str(v).strip() if v is not None else "" for v in (first[1] if first else ())]
            while headers and not headers[-1]:
                headers.pop()
            rows = ((n, list(cells)) for n, cells in numbered)
            yield Table(headers, _map_columns(headers), rows, REPORT_DELIMITER)
        finally:
            workbook.close()
        return
    text = _decode_csv(content)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered_rows = enumerate(reader, start=1)
    try:
        first_row = next(numbered_rows, None)
    except csv.Error as exc:
        raise ValidationError(
            _("The header row cannot be read as CSV: %(error)s") % {"error": exc}, code="csv"
        ) from None
    headers = [h.strip() for h in (first_row[1] if first_row else [])]
    yield Table(headers, _map_columns(headers), numbered_rows, delimiter)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _record(table: Table, cells: list[Any]) -> dict[str, Any] | None:
    """The row's cells by column, or None for a row with nothing in it."""
    if all(_is_empty(v) for v in cells):
        return None
    record: dict[str, Any] = {}
    for position, name in enumerate(table.columns):
        if name is not None and position < len(cells):
            record[name] = cells[position]
    return record


# ---------------------------------------------------------------------------------------------------------------
# Checking the upload and creating the job


def _kind_of(name: str) -> str | None:
    return KINDS.get(os.path.splitext(name)[1].lower())


def _check_upload(upload: UploadedFile) -> tuple[str, str, bytes]:
    """(file name, kind, content), or ValidationError({"file": ...}) saying what is wrong with the file."""
    name = os.path.basename(upload.name or "")[:255]
    kind = _kind_of(name)
    if kind is None:
        raise ValidationError(
            {"file": _("Only CSV (UTF-8) and Excel XLSX files can be imported.")}, code="type"
        )
    if not upload.size:
        raise ValidationError({"file": _("“%(name)s” is empty.") % {"name": name}}, code="empty")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("“%(name)s” is larger than %(max)d MB; split the register into smaller files.")
                % {"name": name, "max": MAX_UPLOAD_BYTES // (1024 * 1024)}
            },
            code="too_large",
        )
    sniffed = sniff_type(upload)
    if kind == "csv" and sniffed not in (None, "text/plain"):
        raise ValidationError(
            {
                "file": _("“%(name)s” is not what its name says: its contents are not CSV text.")
                % {"name": name}
            },
            code="disguised",
        )
    if kind == "xlsx" and sniffed != XLSX_SIGNATURE_TYPE:
        raise ValidationError(
            {
                "file": _("“%(name)s” is not what its name says: its contents are not an XLSX workbook.")
                % {"name": name}
            },
            code="disguised",
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        with _open_table(content, kind) as table:
            if not any(_record(table, cells) is not None for _number, cells in table.rows):
                raise ValidationError(_("The file has a header row but no rows to import."), code="no_rows")
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    except csv.Error as exc:
        raise ValidationError(
            {"file": _("The file cannot be read as CSV: %(error)s") % {"error": exc}}, code="csv"
        ) from None
    return name, kind, content


def import_job_create(
    *, by: User, upload: UploadedFile, office: Office, request: HttpRequest | None = None
) -> ImportJob:
    """Check the file and queue its import into `office` (the user's own office or one below it). A file that
    is not a readable CSV/XLSX with the required columns raises ValidationError and nothing is saved."""
    if not by.has_perm(Perm.APPEALS_IMPORT):
        raise PermissionDenied
    if by.office is None or not office.is_within(by.office):
        raise ValidationError(
            {"office": _("You may import only into your own office or an office below it.")}, code="office"
        )
    name, kind, _content = _check_upload(upload)
    job = ImportJob(original_name=name, office=office, created_by=by, created_at=timezone.now())
    with transaction.atomic():
        # The stored name is random, never the uploaded one.
        job.file.save(f"{uuid.uuid4().hex}.{kind}", upload, save=False)
        job.save()
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=job,
            changes={
                "file": {"before": None, "after": name},
                "office": {"before": None, "after": office.code},
            },
            request=request,
        )
        _enqueue_on_commit(job.pk)
    return job


def import_job_retry(*, by: User, job: ImportJob, request: HttpRequest | None = None) -> ImportJob:
    """Queue a finished or failed job again — or one whose worker died and that no task will resume (recovery
    gave up, or it ran without a task queue): rows already imported are found by their key, not registered
    twice, and rows rejected before are tried again (e.g. after a missing topic was added)."""
    if not by.has_perm(Perm.APPEALS_IMPORT):
        raise PermissionDenied
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        stopped = import_job_stall(job=locked) == Stall.STOPPED  # its worker died and no task will resume it
        if locked.state not in (ImportJob.State.DONE, ImportJob.State.FAILED) and not stopped:
            raise ValidationError(_("This import is still queued or running."), code="busy")
        before = locked.state
        locked.state = ImportJob.State.QUEUED
        locked.heartbeat_at = timezone.now()  # queued now: not a job whose worker died
        locked.save(update_fields=["state", "heartbeat_at"])
        audit_record(
            actor=by,
            action=AuditEntry.Action.TRANSITION,
            obj=locked,
            changes={"state": {"before": before, "after": locked.state}},
            reason=_("Import run again."),
            request=request,
        )
        _enqueue_on_commit(locked.pk)
    return locked


def _enqueue_on_commit(job_id: int) -> None:
    from ..tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job_id))


# ---------------------------------------------------------------------------------------------------------------
# Turning a row into AppealData


def _choice_map(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Each choice by its code and by its label in every interface language, casefolded."""
    mapping: dict[str, str] = {}
    for value, label in choices:
        mapping[value.casefold()] = value
        for language in ("kk", "ru", "en"):
            with translation.override(language):
                mapping.setdefault(str(label).strip().casefold(), value)
    return mapping


@dataclass
class Lookups:
    regions: dict[str, Region]
    topics: dict[str, Topic]
    offices: dict[str, Office]  # the job's office and those below it, by code casefolded
    kinds: dict[str, str] = field(default_factory=lambda: _choice_map(AppealKind.choices))
    applicant_types: dict[str, str] = field(default_factory=lambda: _choice_map(ApplicantType.choices))
    languages: dict[str, str] = field(default_factory=lambda: _choice_map(LANGUAGE_CHOICES))
    received_via: dict[str, str] = field(default_factory=lambda: _choice_map(ReceivedVia.choices))


def _lookups(job: ImportJob) -> Lookups:
    return Lookups(
        regions={r.kato_code: r for r in Region.objects.all()},
        topics={t.code.casefold(): t for t in Topic.objects.all()},
        offices={
            o.code.casefold(): o
            for o in Office.objects.filter(office_subtree_q(field="pk", office=job.office))
        },
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in FORMULA_START:
        text = text[1:]
    return text


def _identifier(value: Any) -> str:
    """An IIN or BIN; a number cell gets back the leading zeros Excel dropped."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value)).zfill(12)
    return re.sub(r"\s+", "", _text(value))


def _aware(moment: dt.datetime) -> dt.datetime:
    if timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=timezone.get_current_timezone())


def _datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return _aware(value)
    if isinstance(value, dt.date):
        return _aware(dt.datetime.combine(value, dt.time()))
    text = _text(value)
    for fmt in DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=timezone.get_current_timezone())
        except ValueError:
            continue
    return _aware(dt.datetime.combine(_date(value), dt.time()))


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC).date()
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” is not a date: write it as DD.MM.YYYY or DD.MM.YYYY HH:MM.") % {"value": text},
        code="date",
    )


def _row_data(record: dict[str, Any], lookups: Lookups, job: ImportJob) -> tuple[AppealData, str]:
    """The row as AppealData, and its legacy number; ValidationError naming each faulty column."""
    errors: dict[str, list[str]] = {}

    def add(column: str, message: str) -> None:
        errors.setdefault(column, []).append(message)

    def choice(column: str, mapping: dict[str, str], default: str | None = None) -> str:
        raw = _text(record.get(column))
        if not raw and default is not None:
            return default
        found = mapping.get(raw.casefold())
        if found is None:
            codes = ", ".join(sorted(set(mapping.values())))
            if raw:
                add(column, _("“%(value)s” is not one of: %(codes)s.") % {"value": raw, "codes": codes})
            else:
                add(column, _("This column is required; one of: %(codes)s.") % {"codes": codes})
            return ""
        return found

    values: dict[str, str] = {}
    for name in PLAIN_FIELDS:
        raw = record.get(name)
        values[name] = _identifier(raw) if name in ("applicant_iin", "applicant_bin") else _text(raw)
        model_field: Any = Appeal._meta.get_field(name)
        try:
            model_field.clean(values[name], None)
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)

    received_at: dt.datetime | None = None
    if _is_empty(record.get("received_at")):
        add("received_at", _("This column is required: the date the appeal was received."))
    else:
        try:
            received_at = _datetime(record["received_at"])
        except ValidationError as exc:
            errors.setdefault("received_at", []).extend(exc.messages)
        else:
            if problem := received_at_error(received_at, as_date=True):
                add("received_at", problem)

    decision_learned_on: dt.date | None = None
    if not _is_empty(record.get("decision_learned_on")):
        try:
            decision_learned_on = _date(record["decision_learned_on"])
        except ValidationError as exc:
            errors.setdefault("decision_learned_on", []).extend(exc.messages)

    kind = choice("kind", lookups.kinds)
    applicant_type = choice("applicant_type", lookups.applicant_types)
    language = choice("applicant_language", lookups.languages, default="ru")
    received_via = choice("received_via", lookups.received_via, default=ReceivedVia.POST)

    kato = _text(record.get("region_kato"))
    region = lookups.regions.get(kato)
    if region is None:
        if kato:
            add("region_kato", _("No region has the KATO code “%(code)s”.") % {"code": kato})
        else:
            add("region_kato", _("This column is required: the region's KATO code."))
    topic_code = _text(record.get("topic_code"))
    topic = lookups.topics.get(topic_code.casefold())
    if topic is None:
        if topic_code:
            add("topic_code", _("No topic has the code “%(code)s”.") % {"code": topic_code})
        else:
            add("topic_code", _("This column is required: the topic's code."))
    office = job.office
    office_code = _text(record.get("office_code"))
    if office_code:
        found_office = lookups.offices.get(office_code.casefold())
        if found_office is None:
            add(
                "office_code",
                _("No office with the code “%(code)s” is %(office)s or below it.")
                % {"code": office_code, "office": job.office.code},
            )
        else:
            office = found_office

    if errors or region is None or topic is None:
        raise ValidationError(errors)
    data = AppealData(
        kind=kind,
        subject=values["subject"],
        text=values["text"],
        region=region,
        topic=topic,
        applicant_type=applicant_type,
        received_via=received_via,
        received_at=received_at,
        applicant_name=values["applicant_name"],
        applicant_iin=values["applicant_iin"],
        applicant_bin=values["applicant_bin"],
        applicant_email=values["applicant_email"],
        applicant_phone=values["applicant_phone"],
        applicant_address=values["applicant_address"],
        applicant_language=language,
        respondent_body=values["respondent_body"],
        respondent_official=values["respondent_official"],
        decision_learned_on=decision_learned_on,
        office=office,
    )
    return data, _text(record.get("legacy_number"))[:100]


def _errors_by_column(exc: ValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {NON_FIELD_ERRORS: list(exc.messages)}
    return {FIELD_COLUMNS.get(name, name): list(messages) for name, messages in exc.message_dict.items()}


def _file_digest(job: ImportJob) -> str:
    cached = getattr(job, "_digest", None)
    if cached is None:
        digest = hashlib.sha256()
        with job.file.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        cached = digest.hexdigest()[:32]
        job._digest = cached  # type: ignore[attr-defined]
    return cached


def _row_key(*, job: ImportJob, row_number: int) -> str:
    """What makes a re-run of the job, or the same file uploaded again, find the appeals it made: the file's
    digest and the row. (A corrected file is a new file: upload only its rejected rows, as the report gives them.)"""
    return f"import:{_file_digest(job)}:{row_number}"


def _import_row(*, job: ImportJob, row_number: int, record: dict[str, Any], lookups: Lookups) -> dict | None:
    """Register one row in its own transaction; None when it is in the register (now or from an earlier run),
    else the report of why it was rejected."""
    legacy_number = _text(record.get("legacy_number"))[:100]
    try:
        with transaction.atomic():
            data, legacy_number = _row_data(record, lookups, job)
            result = appeal_register(
                by=job.created_by,
                channel=Channel.IMPORT,
                data=data,
                submission_key=_row_key(job=job, row_number=row_number),
            )
            if result.created:
                audit_record(
                    actor=job.created_by,
                    action=AuditEntry.Action.UPDATE,
                    obj=result.appeal,
                    changes={
                        "import": {
                            "before": None,
                            "after": {"job": job.pk, "row": row_number, "legacy_number": legacy_number},
                        }
                    },
                    reason=_(
                        "Imported from the legacy register “%(file)s” (import %(job)s, row %(row)s, "
                        "legacy number %(number)s)."
                    )
                    % {
                        "file": job.original_name,
                        "job": job.pk,
                        "row": row_number,
                        "number": legacy_number or "—",
                    },
                )
    except ValidationError as exc:
        return {"row": row_number, "legacy_number": legacy_number, "errors": _errors_by_column(exc)}
    return None


# ---------------------------------------------------------------------------------------------------------------
# Running the job


def _stored_content(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def _count_rows(content: bytes, kind: str, heartbeat: _Heartbeat) -> int:
    count = 0
    with _open_table(content, kind) as table:
        for _number, cells in table.rows:
            if _record(table, cells) is not None:
                count += 1
            heartbeat.beat()  # reading a big workbook can outlast the lease
    return count


class _Heartbeat:
    """Writes the job's heartbeat_at when TASKS_HEARTBEAT_SECONDS have passed since the last write (`beat`), or
    with the progress (`save`), so a live run never looks like one whose worker died."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.interval = dt.timedelta(seconds=settings.TASKS_HEARTBEAT_SECONDS)
        self.last = job.heartbeat_at or timezone.now()

    def due(self) -> bool:
        return timezone.now() - self.last >= self.interval

    def beat(self) -> None:
        if self.due():
            self.save()

    def save(self, *fields: str) -> None:
        self.job.heartbeat_at = self.last = timezone.now()
        self.job.save(update_fields=[*fields, "heartbeat_at"])


def _finish(job: ImportJob, *, state: str, error: str = "") -> None:
    job.state = state
    job.error = error
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save(
            update_fields=[
                "state",
                "error",
                "finished_at",
                "total_rows",
                "processed_rows",
                "imported_rows",
                "rejected",
            ]
        )
        audit_record(
            actor=job.created_by,
            action=AuditEntry.Action.TRANSITION,
            obj=job,
            changes={
                "state": {"before": ImportJob.State.RUNNING, "after": state},
                "imported_rows": {"before": None, "after": job.imported_rows},
                "rejected_rows": {"before": None, "after": len(job.rejected)},
            },
            reason=error,
        )


def _run(job: ImportJob, position: list[int], *, skip: int = 0) -> None:
    """Import the rows; the first `skip` rows (a resumed job: those a lost run saved as processed, with its counts
    and rejected rows) are passed over. Rows the lost run imported after its last save are found by their key and
    counted as imported, so the counts end as those of a run that was never interrupted."""
    kind = _kind_of(job.original_name) or _kind_of(job.file.name or "") or "csv"
    content = _stored_content(job)
    heartbeat = _Heartbeat(job)
    total = _count_rows(content, kind, heartbeat)
    if total > MAX_ROWS:
        raise ValidationError(
            _(
                "The file has %(count)d rows; at most %(max)d are imported at a time. Split it into smaller files."
            )
            % {"count": total, "max": MAX_ROWS}
        )
    job.total_rows = total
    heartbeat.save("total_rows")
    lookups = _lookups(job)
    seen = 0
    with _open_table(content, kind) as table:
        for row_number, cells in table.rows:
            record = _record(table, cells)
            if record is None:
                continue
            seen += 1
            if seen <= skip:
                continue
            position[0] = row_number
            rejected = _import_row(job=job, row_number=row_number, record=record, lookups=lookups)
            job.processed_rows += 1
            if rejected is None:
                job.imported_rows += 1
            else:
                job.rejected.append(rejected)
            # The counts are saved together, so a resumed run can trust them as of the first processed_rows rows.
            if job.processed_rows % PROGRESS_EVERY == 0 or heartbeat.due():
                heartbeat.save("processed_rows", "imported_rows", "rejected")


def import_job_run(*, job: ImportJob, attempt: int = 1) -> ImportJob:
    """Import every row of the job's file (the task calls this). The job ends DONE, or FAILED with the error when
    the file cannot be read or something breaks; it is never left RUNNING by an error.

    A job already RUNNING is left alone while its heartbeat is fresh (another worker has it), and taken over and
    resumed when it is stale (its worker died). `attempt` is the task's: above 1, an earlier run of this same task
    lost its worker (core.tasks handed the task on), so a RUNNING job is that run's and is resumed at once — its
    last heartbeat may be a few seconds younger than its worker's — and a job it finished is left as it is."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("office", "created_by").get(pk=job.pk)
        language = getattr(job.created_by, "preferred_language", "") or settings.LANGUAGE_CODE
        resumed = job.state == ImportJob.State.RUNNING
        if resumed and attempt <= 1 and not import_job_heartbeat_stale(job):
            return job
        if attempt > 1 and job.state in (ImportJob.State.DONE, ImportJob.State.FAILED):
            return job
        if resumed:
            with translation.override(language):
                _audit_resumed(job)
        else:
            job.state = ImportJob.State.RUNNING
            job.total_rows = job.processed_rows = job.imported_rows = 0
            job.rejected = []
            job.error = ""
            job.finished_at = None
        job.heartbeat_at = timezone.now()
        job.save(
            update_fields=[
                "state",
                "total_rows",
                "processed_rows",
                "imported_rows",
                "rejected",
                "error",
                "finished_at",
                "heartbeat_at",
            ]
        )
    position = [0]  # the row being imported, for the error message
    with translation.override(language):
        try:
            _run(job, position, skip=job.processed_rows)
        except ValidationError as exc:
            _finish(job, state=ImportJob.State.FAILED, error=" ".join(exc.messages))
        except Exception as exc:
            logger.exception("import %s failed at row %s", job.pk, position[0])
            _finish(
                job,
                state=ImportJob.State.FAILED,
                error=_(
                    "The import stopped at row %(row)s because of an error (%(error)s). The rows before it are "
                    "imported; run the import again once the cause is fixed — no row is imported twice."
                )
                % {"row": position[0], "error": f"{type(exc).__name__}: {exc}"},
            )
        except BaseException:
            # The worker is being stopped: record it, then let the worker stop.
            _finish(
                job,
                state=ImportJob.State.FAILED,
                error=_("The import was interrupted at row %(row)s. Run it again: no row is imported twice.")
                % {"row": position[0]},
            )
            raise
        else:
            _finish(job, state=ImportJob.State.DONE)
    return job


def import_job_heartbeat_stale(job: ImportJob) -> bool:
    """No sign of life from the job's run for longer than the lease: its worker died (or, for a queued job, the
    task that should start it is gone). A job from before heartbeats counts from its upload."""
    last = job.heartbeat_at or job.created_at
    return timezone.now() - last > dt.timedelta(seconds=settings.TASKS_LEASE_SECONDS)


def _audit_resumed(job: ImportJob) -> None:
    logger.warning("import %s lost its worker after %s rows; resuming it", job.pk, job.processed_rows)
    audit_record(
        actor=SCHEDULER,
        action=AuditEntry.Action.TRANSITION,
        obj=job,
        changes={
            "run": {"before": "worker_lost", "after": "resumed"},
            "processed_rows": {"before": None, "after": job.processed_rows},
        },
        reason=ngettext(
            "The worker running the import stopped; the import is resumed after %(count)d processed row.",
            "The worker running the import stopped; the import is resumed after %(count)d processed rows.",
            job.processed_rows,
        )
        % {"count": job.processed_rows},
    )


# ---------------------------------------------------------------------------------------------------------------
# Reading jobs and their reports


class Stall(StrEnum):
    """What has become of a queued or running job whose run shows no sign of life (`import_job_stall`)."""

    RESUMING = "resuming"  # its task is queued, or held by a dead worker that recovery will hand on
    STOPPED = "stopped"  # no task will run it: it may be run again


def import_job_stall(*, job: ImportJob) -> Stall | None:
    """None for a finished job, one whose run is alive, or a queued job waiting for a worker; else whether it will
    be resumed by itself (a running job whose task recovery will hand on) or not (no task will run it)."""
    if job.state not in (ImportJob.State.QUEUED, ImportJob.State.RUNNING) or not import_job_heartbeat_stale(
        job
    ):
        return None
    from ..tasks import run_import_job

    if task_pending(run_import_job, job.pk):
        return Stall.RESUMING if job.state == ImportJob.State.RUNNING else None
    return Stall.STOPPED


def import_job_list(*, user: User) -> QuerySet[ImportJob]:
    """Import jobs of the user's office and the offices below it, newest first."""
    if not (user and user.is_authenticated and user.has_perm(Perm.APPEALS_IMPORT) and user.office):
        return ImportJob.objects.none()
    return (
        ImportJob.objects.filter(office_subtree_q(field="office", office=user.office))
        .select_related("office", "created_by")
        .order_by("-created_at", "-pk")
    )


def access_import_job(*, user: User, job_id: int) -> ImportJob:
    """The job, or 404 when it does not exist or belongs to an office outside the user's subtree."""
    job = import_job_list(user=user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


@dataclass(frozen=True)
class RejectedRow:
    row: int
    legacy_number: str
    errors: list[tuple[str, str]]  # (column, message); column "" for the row as a whole


def import_job_rejected(*, job: ImportJob, limit: int | None = None) -> list[RejectedRow]:
    items = job.rejected if limit is None else job.rejected[:limit]
    return [
        RejectedRow(
            row=int(item.get("row", 0)),
            legacy_number=str(item.get("legacy_number", "")),
            errors=[
                ("" if column == NON_FIELD_ERRORS else column, str(message))
                for column, messages in (item.get("errors") or {}).items()
                for message in messages
            ],
        )
        for item in items
    ]


def _report_cell(value: Any) -> str:
    """A cell that a spreadsheet would run as a formula gets an apostrophe in front (OWASP CSV injection);
    numbers and phone numbers such as +7 701 … are left as they are."""
    text = _text(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return f"'{text}"
    return text


def import_job_rejected_csv(*, job: ImportJob) -> bytes:
    """The rejected rows as CSV (UTF-8 with a byte-order mark, for Excel): row number, reasons, then the row's
    cells as in the uploaded file, so the rows can be corrected and imported again."""
    rejected = import_job_rejected(job=job)
    by_row = {item.row: item for item in rejected}
    originals: dict[int, list[Any]] = {}
    headers: list[str] = []
    kind = _kind_of(job.original_name) or "csv"
    delimiter = REPORT_DELIMITER
    try:
        with _open_table(_stored_content(job), kind) as table:
            headers = table.headers
            delimiter = table.delimiter if kind == "csv" else REPORT_DELIMITER
            for row_number, cells in table.rows:
                if row_number in by_row:
                    originals[row_number] = cells
    except (OSError, ValueError, ValidationError, csv.Error):
        logger.warning("import %s: the stored file cannot be read for the report", job.pk)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["row", "errors", *headers])
    for item in rejected:
        reasons = "; ".join(f"{column}: {message}" if column else message for column, message in item.errors)
        cells = originals.get(item.row, [])
        writer.writerow(
            [
                item.row,
                _report_cell(reasons),
                *(_report_cell(cells[i]) if i < len(cells) else "" for i in range(len(headers))),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
