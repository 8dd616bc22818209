"""relations.reference: counterparts, topics, statements and the UN visits from data/reference — idempotent, a bad
row rejected with its line and reason and nothing of it saved, loops refused, visits updated not duplicated — and
migration 0002 loading the same rows."""

from __future__ import annotations

import csv
import importlib
import io
import shutil
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from prokuratura.core.models import AuditEntry

from ..models import (
    Counterpart,
    CounterpartKind,
    Event,
    EventKind,
    EventStatus,
    MandateKind,
    RelationsStatement,
    Topic,
)
from ..reference import (
    COUNTERPART_COLUMNS,
    FILES,
    VISITS,
    counterparts_load,
    relations_load,
    source_path,
    statements_load,
    topics_load,
    visits_load,
)
from ..services.counterparts import CounterpartData, counterpart_update
from . import factories as f

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "data" / "reference"


def _countries() -> None:
    """The states the counterparts file names, and Kazakhstan (load_reference loads them all)."""
    with (DATA / FILES["relations_counterparts"]).open(encoding="utf-8") as handle:
        codes = {row["country_iso2"] for row in csv.DictReader(handle) if row["country_iso2"]}
    for iso2 in sorted(codes | {"KZ"}):
        f.country(iso2, f"State {iso2}")


@pytest.fixture
def countries(db):
    _countries()


def _write(tmp_path: Path, name: str, header: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    with (tmp_path / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in header})
    return tmp_path


def _cp(code: str, kind: str, parent: str = "", **values: str) -> dict[str, str]:
    return {
        "code": code,
        "kind": kind,
        "parent_code": parent,
        "name_en": f"{code} en",
        "name_ru": f"{code} ru",
        "name_kk": f"{code} kk",
        **values,
    }


def test_shared_visits_file_is_vendored_unchanged():
    shared = Path("/work/shared/data/un_special_procedures_visits_kz.csv")
    if not shared.is_file():
        pytest.skip("the shared data folder is not mounted here")
    assert (DATA / FILES[VISITS]).read_bytes() == shared.read_bytes()


def test_counterparts_load_idempotent_and_hierarchy(countries):
    first = counterparts_load()
    assert not first.error and not first.rejected, first.rejected
    second = counterparts_load()
    assert (second.created, second.updated, len(second.rejected)) == (0, 0, 0)
    assert second.unchanged == Counterpart.objects.filter(code__in=_file_codes()).count() >= 90
    mandate = Counterpart.objects.get(code="sr-torture")
    assert [c.code for c in mandate.ancestors()] == ["un", "un-hrc", "hrc-special-procedures"]
    assert mandate.mandate_kind == MandateKind.SPECIAL_RAPPORTEUR
    assert Counterpart.objects.get(code="spt").mandate_kind == MandateKind.TREATY_BODY
    office = Counterpart.objects.get(code="osce-astana")
    assert office.kind == CounterpartKind.FIELD_OFFICE and office.parent.code == "osce"
    assert "OSCE Centre in Astana" in office.aliases.splitlines()
    assert Counterpart.objects.get(code="knb-atc").parent.code == "knb"
    assert Counterpart.objects.get(code="cn-spp").country_id == "CN"
    assert not Counterpart.objects.filter(
        kind=CounterpartKind.FOREIGN_AUTHORITY, country__isnull=True
    ).exists()


def _file_codes() -> list[str]:
    with (DATA / FILES["relations_counterparts"]).open(encoding="utf-8") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


def test_every_mandate_of_the_visits_file_has_a_counterpart(countries):
    counterparts_load()
    with (DATA / FILES[VISITS]).open(encoding="utf-8") as handle:
        names = {row["mandate_en"] for row in csv.DictReader(handle)}
    mandates = Counterpart.objects.filter(kind=CounterpartKind.MANDATE)
    known = {m.name_en for m in mandates} | {a for m in mandates for a in m.aliases.splitlines()}
    assert names <= known


def test_bad_rows_rejected_with_line_and_reason_nothing_of_them_saved(countries, tmp_path):
    source = _write(
        tmp_path,
        FILES["relations_counterparts"],
        COUNTERPART_COLUMNS,
        [
            _cp("test-org", CounterpartKind.ORGANISATION),
            _cp("test-mandate", CounterpartKind.MANDATE, "test-org", mandate_kind="special_rapporteur"),
            _cp("test-authority", CounterpartKind.FOREIGN_AUTHORITY),
            _cp("test-orphan", CounterpartKind.BODY, "no-such-parent"),
            _cp("Bad Code!", CounterpartKind.ORGANISATION),
            _cp("test-state", CounterpartKind.FOREIGN_AUTHORITY, country_iso2="QQ"),
        ],
    )
    report = counterparts_load(source=source)
    assert report.created == 1
    rejected = {r.key: (r.line, r.reason) for r in report.rejected}
    assert rejected["test-mandate"][0] == 3 and "belongs to a body" in rejected["test-mandate"][1]
    assert "Name the state" in rejected["test-authority"][1]
    assert "Unknown parent" in rejected["test-orphan"][1]
    assert "lower-case" in rejected["Bad Code!"][1]
    assert "Unknown state" in rejected["test-state"][1]
    assert set(Counterpart.objects.filter(code__startswith="test-").values_list("code", flat=True)) == {
        "test-org"
    }


def test_parent_named_after_the_child_and_loops_refused(countries, tmp_path):
    source = _write(
        tmp_path,
        FILES["relations_counterparts"],
        COUNTERPART_COLUMNS,
        [
            _cp("test-child", CounterpartKind.BODY, "test-parent"),
            _cp("test-parent", CounterpartKind.ORGANISATION),
            _cp("test-a", CounterpartKind.BODY, "test-b"),
            _cp("test-b", CounterpartKind.BODY, "test-a"),
            _cp("test-below-loop", CounterpartKind.BODY, "test-a"),
        ],
    )
    report = counterparts_load(source=source)
    assert Counterpart.objects.get(code="test-child").parent.code == "test-parent"
    rejected = {r.key: r.reason for r in report.rejected}
    assert "loops" in rejected["test-a"] and "loops" in rejected["test-b"]
    assert "was rejected" in rejected["test-below-loop"]
    assert not Counterpart.objects.filter(code__in=["test-a", "test-b", "test-below-loop"]).exists()


def test_missing_column_loads_nothing(tmp_path):
    (tmp_path / FILES["relations_topics"]).write_text("code,kind\nx-topic,crime\n", encoding="utf-8")
    report = topics_load(source=tmp_path)
    assert report.error and "keywords" in report.error
    assert not Topic.objects.filter(code="x-topic").exists()


def test_counterpart_corrected_by_an_administrator_is_kept(countries, cast):
    counterparts_load()
    osce = Counterpart.objects.get(code="osce")
    counterpart_update(
        by=cast.admin,
        counterpart=osce,
        data=CounterpartData(
            code="osce",
            kind=osce.kind,
            name_kk=osce.name_kk,
            name_ru=osce.name_ru,
            name_en="OSCE (corrected)",
            abbreviation_en="OSCE",
        ),
    )
    report = counterparts_load()
    assert report.updated == 0 and any("osce" in note for note in report.notes)
    assert Counterpart.objects.get(code="osce").name_en == "OSCE (corrected)"


def test_topics_and_statements(countries):
    counterparts_load()
    topics = topics_load()
    assert not topics.rejected and topics_load().changed is False
    terrorism = Topic.objects.get(code="terrorism")
    assert "террор*" in terrorism.keywords.splitlines()
    assert set(Topic.objects.values_list("kind", flat=True)) == {"crime", "human_rights", "cooperation"}
    report = statements_load()
    assert not report.rejected and statements_load().changed is False
    visits = RelationsStatement.objects.get(subject="sp_visits")
    assert (visits.figure_value, visits.period_years, str(visits.date)) == (8, 5, "2015-10-22")
    assert "6" in visits.note and "Kravchenko" in visits.speaker
    projects = RelationsStatement.objects.get(subject="joint_projects")
    assert projects.figure_value == 40 and projects.partner_code == "osce-astana"


def test_statement_with_unknown_partner_rejected(tmp_path):
    source = _write(
        tmp_path,
        FILES["relations_statements"],
        (
            "subject",
            "date",
            "figure_value",
            "period_years",
            "partner_code",
            "statement",
            "speaker",
            "source_url",
            "note",
        ),
        [
            {
                "subject": "joint_projects",
                "date": "2001-01-01",
                "figure_value": "3",
                "partner_code": "nobody",
                "statement": "x",
            },
            {"subject": "joint_projects", "date": "2001-13-01", "figure_value": "3", "statement": "x"},
        ],
    )
    report = statements_load(source=source)
    assert [r.line for r in report.rejected] == [2, 3] and report.created == 0


def test_visits_loaded_as_held_incoming_visits_and_rerun_updates(countries, offices, tmp_path):
    counterparts_load()
    report = visits_load()
    assert (report.created, len(report.rejected)) == (14, 0), report.rejected
    visits = Event.objects.filter(import_key__isnull=False)
    assert visits.count() == 14
    assert set(visits.values_list("kind", "status", "office", "country", "sensitivity")) == {
        (EventKind.INCOMING_VISIT, EventStatus.HELD, offices.gpo.pk, "KZ", "public")
    }
    spt = visits.filter(principal__mandate_kind=MandateKind.TREATY_BODY)
    assert spt.count() == 2 and {e.principal.code for e in spt} == {"spt"}
    nowak = visits.get(start_date="2009-05-05")
    assert nowak.principal.code == "sr-torture" and nowak.holder_name == "Manfred Nowak"
    assert len(nowak.source_url.split(" | ")) == 3 and nowak.confidence == "sourced"
    assert nowak.title.startswith("Visit of the Special Rapporteur on torture")
    assert visits.get(start_date="2014-03-25", principal__code="sr-slavery").title.startswith(
        "Follow-up visit"
    )
    assert [(t.step, t.by_system, t.by_id) for t in nowak.transitions.all()] == [("create", "setup", None)]
    assert AuditEntry.objects.filter(object_type="relations.event", object_id=str(nowak.pk)).count() == 1
    assert visits_load().changed is False

    copy = tmp_path / FILES[VISITS]
    text = (DATA / FILES[VISITS]).read_text(encoding="utf-8")
    copy.write_text(text.replace("Leandro Despouy", "Leandro Despouy (Argentina)"), encoding="utf-8")
    again = visits_load(source=tmp_path)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 13)
    assert Event.objects.filter(import_key__isnull=False).count() == 14
    despouy = Event.objects.get(start_date="2004-06-11")
    assert despouy.holder_name == "Leandro Despouy (Argentina)"
    assert AuditEntry.objects.filter(
        object_type="relations.event", object_id=str(despouy.pk), action=AuditEntry.Action.UPDATE
    ).exists()


def test_visit_of_an_unknown_mandate_rejected(countries, offices, tmp_path):
    counterparts_load()
    shutil.copy(DATA / FILES[VISITS], tmp_path / FILES[VISITS])
    with (tmp_path / FILES[VISITS]).open("a", encoding="utf-8") as handle:
        handle.write(
            "Special Rapporteur on nothing at all,special_rapporteur,,2020-01-01,2020-01-05,,,sourced,\n"
        )
        handle.write(
            "Special Rapporteur on the right to education,special_rapporteur,,2021-02-05,2021-02-01,,,sourced,\n"
        )
    report = visits_load(source=tmp_path)
    assert report.created == 14
    reasons = {r.line: r.reason for r in report.rejected}
    assert "No mandate is named" in reasons[16] and "end before it starts" in reasons[17]


def test_visits_need_the_office_tree(countries):
    counterparts_load()
    report = visits_load()
    assert not report.error and report.created == 0 and report.notes
    assert not Event.objects.exists()


def test_migration_loads_the_same_rows_as_the_loader(countries):
    RelationsStatement.objects.all().delete()
    Topic.objects.all().delete()
    Counterpart.objects.update(parent=None)
    Counterpart.objects.all().delete()
    migration = importlib.import_module(
        "prokuratura.relations.migrations.0002_default_counterparts_topics_statements"
    )
    migration.load(django_apps, None)
    migration.load(django_apps, None)  # re-runnable
    assert Counterpart.objects.count() == len(_file_codes())
    for report in relations_load(
        datasets=("relations_counterparts", "relations_topics", "relations_statements")
    ):
        assert (report.created, report.updated, len(report.rejected)) == (0, 0, 0), report.dataset


def test_command_prints_each_report(countries):
    out = io.StringIO()
    call_command("load_relations", "--only", "relations_topics", stdout=out)
    assert "relations_topics" in out.getvalue()
    assert source_path(None, "relations_topics") == DATA / "relations_topics.csv"
