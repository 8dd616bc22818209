"""The administrator's corrections of the law-as-data catalogue (act types), act templates and places of
detention: a correction names its source and is audited with it; a corrected term governs the acts issued after
it, not those issued before."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prokuratura.core.audit import object_label
from prokuratura.core.models import AuditEntry
from prokuratura.supervision.models import ActTemplate, ActType, Facility, FacilityKind, TermUnit
from prokuratura.supervision.services import act_issue, act_template_save, act_type_update, facility_save

from .factories import make_act, make_facility

pytestmark = pytest.mark.django_db

SOURCE = "Конституционный закон РК от 05.11.2022 № 155-VII «О прокуратуре», ст. 40 п. 3 (Әділет, ред. 2024)"


def protest():
    return ActType.objects.get(code="protest")


def test_the_defaults_cite_their_source_and_are_marked_unverified():
    types = list(ActType.objects.all())
    assert {"protest", "submission", "order", "warning", "claim"} <= {t.code for t in types}
    assert all(t.legal_source and not t.verified for t in types)
    assert (protest().term_value, protest().term_unit) == (10, TermUnit.CALENDAR_DAYS)


@pytest.mark.parametrize("source", ["", "   "])
def test_a_correction_without_a_source_is_refused_and_changes_nothing(cast, source):
    with pytest.raises(ValidationError) as refused:
        act_type_update(by=cast.admin, act_type=protest(), changes={"term_value": 15}, source=source)
    assert "source" in refused.value.message_dict
    assert protest().term_value == 10
    assert not AuditEntry.objects.filter(object_type="supervision.acttype").exists()


def test_a_correction_is_audited_with_its_source(cast):
    corrected = act_type_update(
        by=cast.admin,
        act_type=protest(),
        changes={"term_value": 15, "verified": True},
        source=f"  {SOURCE}  ",
    )
    assert (corrected.term_value, corrected.verified) == (15, True)
    (entry,) = AuditEntry.objects.filter(action="update", object_type=object_label(corrected))
    assert entry.actor == cast.admin
    assert entry.reason == SOURCE
    assert entry.changes == {
        "term_value": {"before": 10, "after": 15},
        "verified": {"before": False, "after": True},
    }


def test_a_corrected_term_governs_acts_issued_after_it(cast):
    before = make_act(by=cast.prosecutor_astana, code="protest", issue=True, issued_on=dt.date(2026, 12, 1))
    act_type_update(by=cast.admin, act_type=protest(), changes={"term_value": 15}, source=SOURCE)
    after = make_act(by=cast.prosecutor_astana, code="protest")
    after = act_issue(by=cast.prosecutor_astana, act=after, issued_on=dt.date(2026, 12, 1))
    # 01.12.2026 + 10 = Friday 11.12; + 15 = 16.12, Independence Day → Thursday 17.12.2026
    assert (before.due_date, after.due_date) == (dt.date(2026, 12, 11), dt.date(2026, 12, 17))
    before.refresh_from_db()
    assert before.due_date == dt.date(2026, 12, 11)


def test_a_term_of_zero_is_refused(cast):
    with pytest.raises(ValidationError):
        act_type_update(by=cast.admin, act_type=protest(), changes={"term_value": 0}, source=SOURCE)
    assert protest().term_value == 10


def test_only_listed_facts_are_corrected(cast):
    with pytest.raises(ValueError, match="not correctable"):
        act_type_update(by=cast.admin, act_type=protest(), changes={"code": "protest2"}, source=SOURCE)


@pytest.mark.parametrize("who", ["prosecutor_astana", "head_gpo", "auditor", "analyst"])
def test_only_an_administrator_corrects_the_catalogue(cast, who):
    with pytest.raises(PermissionDenied):
        act_type_update(by=getattr(cast, who), act_type=protest(), changes={"term_value": 5}, source=SOURCE)
    assert protest().term_value == 10


# --- templates and places of detention --------------------------------------------------------------------------


def test_an_act_template_is_created_then_edited_audited(cast):
    ActTemplate.objects.filter(act_type=protest(), language="kk").delete()
    created = act_template_save(
        by=cast.admin,
        act_type=protest(),
        language="kk",
        subject="{{ act.type }}",
        body="{{ act.addressee }} назарына.",
    )
    edited = act_template_save(
        by=cast.admin,
        act_type=protest(),
        language="kk",
        subject="{{ act.type }}",
        body="Құрметті {{ act.addressee }}!",
    )
    assert edited.pk == created.pk and edited.body == "Құрметті {{ act.addressee }}!"
    actions = list(
        AuditEntry.objects.filter(object_type=object_label(created), object_id=str(created.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]
    with pytest.raises(PermissionDenied):
        act_template_save(by=cast.prosecutor_astana, act_type=protest(), language="kk", subject="x", body="y")


def test_an_act_starts_from_its_types_template_in_its_language(cast):
    act_template_save(
        by=cast.admin,
        act_type=protest(),
        language="ru",
        subject="Протест: {{ act.addressee }}",
        body="Прокуратура требует отменить незаконный акт. Адресат: {{ act.addressee }}.",
    )
    act = make_act(by=cast.prosecutor_astana, code="protest", text="", subject="")
    assert act.subject == "Протест: Акиму района Есиль"
    assert act.text == "Прокуратура требует отменить незаконный акт. Адресат: Акиму района Есиль."


def test_a_place_of_detention_is_saved_audited(cast, offices):
    facility = facility_save(
        by=cast.admin,
        data={
            "code": "ivs-ala-1",
            "kind": FacilityKind.TEMPORARY,
            "region": offices.almaty.region,
            "name_kk": "№ 1 уақытша ұстау изоляторы",
            "name_ru": "Изолятор временного содержания № 1",
            "name_en": "Temporary holding facility No. 1",
        },
    )
    assert Facility.objects.get(code="ivs-ala-1") == facility
    facility_save(by=cast.admin, facility=facility, data={"address": "г. Алматы, ул. Примерная, 1"})
    actions = list(
        AuditEntry.objects.filter(object_type=object_label(facility))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]
    with pytest.raises(PermissionDenied):
        facility_save(by=cast.head_gpo, facility=make_facility(code="sizo-x"), data={"is_active": False})
