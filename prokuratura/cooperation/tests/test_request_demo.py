"""The demo requests for legal assistance (cooperation.request_demo), seeded from a part of the plan on the test
office tree and the real treaty register."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.cooperation import request_demo_data as D
from prokuratura.cooperation.models_requests import (
    AssistanceRequest,
    BasisKind,
    Correspondence,
    GroundFinding,
    RefusalGround,
    RequestStatus,
    TranslationStatus,
)
from prokuratura.cooperation.refusal import refusal_suggestions
from prokuratura.cooperation.request_demo import KEY, demo_cast, seed_demo_requests, seed_requests
from prokuratura.cooperation.request_selectors import RequestFilters, request_list
from prokuratura.cooperation.resolver import legal_basis_resolve
from prokuratura.core.models import AuditEntry, Sensitivity

pytestmark = pytest.mark.django_db
S = RequestStatus

# A part of the plan: both directions, every kind, the overdue and restricted ones, the special flows.
SMALL_PLAN = (
    D.Row(D.OUT, D.MLA, "CN", D.CYBER, "draft", 6),
    D.Row(D.OUT, D.MLA, "KG", D.DRUGS, "sent", 75),
    D.Row(D.OUT, D.MLA, "UZ", D.TERROR, "in_execution", 260),
    D.Row(D.OUT, D.TSP, "KR", "", "executed", 560),
    D.Row(D.OUT, D.MLA, "UA", D.CORRUPT, "executed", 450, "astana"),
    D.Row(D.OUT, D.EXT, "IT", D.CORRUPT, "refused", 540),
    D.Row(D.OUT, D.MLA, "GE", D.ML, "withdrawn", 200, "early"),
    D.Row(D.IN, D.MLA, "US", D.CYBER, "registered", 20),
    D.Row(D.IN, D.TCP, "KG", "", "assigned", 110),
    D.Row(D.IN, D.MLA, "KG", D.DRUGS, "materials_sent", 160, "resumed"),
    D.Row(D.IN, D.EXT, "RU", "", "refused", 200, "own_national"),
)


@pytest.fixture
def seeded(coop_reference, cast):
    cast_ = demo_cast()
    assert cast_ is not None
    assert (cast_.officer, cast_.head, cast_.regional_head, cast_.prosecutor) == (
        cast.intl_officer,
        cast.head_gpo,
        cast.head_astana,
        cast.prosecutor_astana,
    )
    return seed_requests(rng=random.Random(5), cast=cast_, plan=SMALL_PLAN)


def test_every_row_is_seeded_to_its_status_on_a_basis_the_resolver_offers_and_dated(seeded):
    records = {r.submission_key: r for r in AssistanceRequest.objects.select_related("basis", "partner")}
    assert seeded.requests == len(records) == len(SMALL_PLAN) and not seeded.skipped
    for index, row in enumerate(SMALL_PLAN):
        record = records[f"{KEY}{index}"]
        assert (record.direction, record.kind, record.partner_id, record.status) == (
            row.direction,
            row.kind,
            row.partner,
            row.status,
        )
        on_date = record.received_on or timezone.localdate()
        resolution = legal_basis_resolve(
            country=row.partner,
            kind=row.kind,
            on_date=on_date,
            iccs_section=record.offence_category.code if record.offence_category else "",
            focus_area=row.focus,
        )
        offered = [c.instrument for c in resolution.applicable if c.instrument is not None]
        if offered:
            assert record.basis_kind == BasisKind.INSTRUMENT and record.basis == offered[0]
        else:
            assert record.basis_kind == BasisKind.RECIPROCITY and record.reciprocity_assurance
    assert (
        AuditEntry.objects.filter(object_type="cooperation.assistancerequest", action="create").count() == 11
    )
    assert seeded.persons >= len(SMALL_PLAN) and seeded.letters > len(SMALL_PLAN)
    assert Correspondence.objects.count() == seeded.letters
    # Dates, history and numbers are those of the days the steps stand for.
    today = timezone.localdate()
    executed = AssistanceRequest.objects.get(kind="transfer_sentenced", status=S.EXECUTED)
    drafted = today - dt.timedelta(days=560)
    assert timezone.localtime(executed.created_at).date() == drafted
    assert executed.year == drafted.year and executed.number.startswith(f"GPO-{drafted.year}/OUT-TSP-")
    assert drafted < executed.signed_on == executed.dated <= executed.sent_on <= executed.acknowledged_on
    assert executed.acknowledged_on <= executed.executed_on < today
    steps = list(executed.history.order_by("at", "id"))
    assert [s.step for s in steps] == ["create", "check", "sign", "send", "acknowledge", "start_execution",
                                       "record_result"]  # fmt: skip
    assert timezone.localtime(steps[2].at).date() == executed.signed_on
    assert timezone.localtime(steps[3].at).date() == executed.sent_on
    assert timezone.localtime(steps[-1].at).date() == executed.executed_on
    # Numbers per office and year, in order of the day, without gaps.
    numbers = list(AssistanceRequest.objects.filter(office__code="GPO").order_by("year", "sequence").values_list(
        "year", "sequence"))  # fmt: skip
    for year in {y for y, _s in numbers}:
        assert [s for y, s in numbers if y == year] == list(
            range(1, 1 + sum(1 for y, _s in numbers if y == year))
        )
    # The regional office's request: its head signed it.
    astana = AssistanceRequest.objects.get(office__code="AST")
    assert astana.signer.username == "head_astana" and astana.prosecutor.username == "prosecutor_astana"


def test_translations_letters_refusals_restriction_and_overdue(seeded, cast, offices):
    draft = AssistanceRequest.objects.get(status=S.DRAFT)
    (task,) = draft.translations.all()
    assert task.language == "zh" and task.status == TranslationStatus.IN_PROGRESS and task.due_date
    english = AssistanceRequest.objects.get(partner_id="US")
    assert english.language == "en" and english.translations_required == ["ru"]
    assert english.translations.get().status == TranslationStatus.IN_PROGRESS  # why it is not checked yet
    resumed = AssistanceRequest.objects.get(status=S.MATERIALS_SENT)
    assert [h.step for h in resumed.history.all()] == ["create", "register", "return", "resume", "accept",
                                                       "assign", "record_execution", "send_materials"]  # fmt: skip
    assert resumed.facts_summary and resumed.materials_sent_on >= resumed.executed_on
    assert resumed.letters.filter(direction="out").count() >= 3
    # The incoming extradition of a citizen, refused on the own-nationals ground recorded in the checklist.
    refused = AssistanceRequest.objects.get(direction="incoming", kind="extradition")
    assert refused.status == S.REFUSED and refused.persons.get().nationality_id == "KZ"
    ground = refused.grounds.get(ground=RefusalGround.OWN_NATIONAL)
    assert ground.finding == GroundFinding.APPLIES and "гражданином" in ground.note
    assert RefusalGround.OWN_NATIONAL in refusal_suggestions(refused, list(refused.persons.all()))
    terrorism = AssistanceRequest.objects.get(focus_area__code="terrorism")
    assert terrorism.sensitivity == Sensitivity.RESTRICTED
    other = UserFactory(username="intl_other", office=offices.gpo, roles=[Role.INTL_OFFICER])
    assert terrorism not in request_list(user=other)
    assert terrorism in request_list(user=cast.head_gpo)
    overdue = set(
        request_list(user=cast.head_gpo, filters=RequestFilters(overdue=True)).values_list("kind", "status")
    )
    assert {
        ("mla", "sent"),
        ("mla", "in_execution"),
        ("transfer_proceedings", "assigned"),
        ("mla", "registered"),
    } <= overdue


def test_seeding_again_adds_nothing_and_seed_demo_seeds_once(coop_reference, cast, monkeypatch):
    monkeypatch.setattr(D, "PLAN", SMALL_PLAN[:2])
    monkeypatch.setattr("prokuratura.supervision.demo.seed_demo_supervision", lambda seed: None)
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "Demo requests for legal assistance: 2" in out.getvalue()
    again = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=again)
    assert "Demo requests" not in again.getvalue()
    assert seed_demo_requests() is None
    report = seed_requests(rng=random.Random(1), cast=demo_cast(), plan=SMALL_PLAN[:2])
    assert report.requests == 0 and AssistanceRequest.objects.count() == 2


def test_nothing_is_seeded_without_the_treaty_register(cast):
    assert seed_demo_requests() is None
    assert not AssistanceRequest.objects.exists()
