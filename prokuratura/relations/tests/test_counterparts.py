"""services.counterparts (audited, the hierarchy's rules, clear messages) and counterpart_selectors (the tree, the
search in three languages, a counterpart's counts among the records the user may see)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prokuratura.core.models import AuditEntry

from .. import counterpart_selectors as selectors
from ..models import Counterpart, CounterpartKind, MandateKind
from ..services import ParticipantData
from ..services.counterparts import (
    CounterpartData,
    counterpart_create,
    counterpart_update,
    split_names,
)
from . import factories as f

pytestmark = pytest.mark.django_db


def _data(code: str = "test-org", kind: str = CounterpartKind.ORGANISATION, **values) -> CounterpartData:
    names = {"name_kk": "Сынақ ұйымы", "name_ru": "Тестовая организация", "name_en": "Test Organisation"}
    names.update(values)
    return CounterpartData(code=code, kind=kind, **names)


def _errors(caught) -> dict[str, list[str]]:
    return caught.value.message_dict


def test_administrator_adds_a_counterpart_audited(cast):
    created = counterpart_create(
        by=cast.admin, data=_data(aliases="TO | Тест-орг\nTO", abbreviation_en=" TO ")
    )
    assert created.aliases == "TO\nТест-орг" and created.abbreviation_en == "TO"
    entry = AuditEntry.objects.get(object_type="relations.counterpart", object_id=str(created.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.actor_id == cast.admin.pk


def test_only_administrators_manage_counterparts(cast):
    with pytest.raises(PermissionDenied):
        counterpart_create(by=cast.intl_officer, data=_data())
    assert not Counterpart.objects.filter(code="test-org").exists()


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"code": "Not a slug"}, "code", "lower-case"),
        ({"code": "osce"}, "code", "Another counterpart"),
        ({"kind": CounterpartKind.MANDATE, "mandate_kind": MandateKind.SPECIAL_RAPPORTEUR}, "parent", "body"),
        ({"kind": CounterpartKind.MANDATE}, "mandate_kind", "kind of mandate"),
        ({"kind": CounterpartKind.FOREIGN_AUTHORITY}, "country", "state"),
        ({"mandate_kind": MandateKind.WORKING_GROUP}, "mandate_kind", "Only a mandate"),
        ({"kind": CounterpartKind.FIELD_OFFICE}, "parent", "field office"),
        ({"name_kk": " "}, "name_kk", "three languages"),
    ],
)
def test_bad_counterpart_refused_with_a_message_per_field(cast, values, field, words):
    f.counterpart("osce", name_en="OSCE")
    code = values.pop("code", "test-org")
    kind = values.pop("kind", CounterpartKind.ORGANISATION)
    with pytest.raises(ValidationError) as caught:
        counterpart_create(by=cast.admin, data=_data(code, kind, **values))
    assert any(words in message for message in _errors(caught)[field])
    assert not Counterpart.objects.filter(code=code, name_en="Test Organisation").exists()


def test_foreign_authority_of_kazakhstan_refused(cast):
    with pytest.raises(ValidationError) as caught:
        counterpart_create(
            by=cast.admin, data=_data("test-fa", CounterpartKind.FOREIGN_AUTHORITY, country=f.country("KZ"))
        )
    assert "other than Kazakhstan" in _errors(caught)["country"][0]
    authority = counterpart_create(
        by=cast.admin, data=_data("test-fa", CounterpartKind.FOREIGN_AUTHORITY, country=f.country("US"))
    )
    assert authority.country_id == "US"


def test_update_that_would_loop_refused_and_update_audited(cast):
    top = counterpart_create(by=cast.admin, data=_data("test-top"))
    body = counterpart_create(by=cast.admin, data=_data("test-body", CounterpartKind.BODY, parent=top))
    below = counterpart_create(by=cast.admin, data=_data("test-below", CounterpartKind.BODY, parent=body))
    with pytest.raises(ValidationError) as caught:
        counterpart_update(
            by=cast.admin, counterpart=body, data=_data("test-body", CounterpartKind.BODY, parent=below)
        )
    assert "cannot belong to itself" in _errors(caught)["parent"][0]
    body.refresh_from_db()
    assert body.parent_id == top.pk
    counterpart_update(
        by=cast.admin,
        counterpart=body,
        data=_data("test-body", CounterpartKind.BODY, parent=top, name_en="Renamed body"),
    )
    entry = (
        AuditEntry.objects.filter(object_type="relations.counterpart", object_id=str(body.pk))
        .order_by("id")
        .last()
    )
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"name_en": {"before": "Test Organisation", "after": "Renamed body"}}


def test_split_names():
    assert split_names("OSCE | ОБСЕ\n ЕҚЫҰ \nosce\n\n") == ["OSCE", "ОБСЕ", "ЕҚЫҰ"]


def test_tree_in_hierarchy_order_with_depths(cast):
    rows = selectors.counterpart_tree(user=cast.intl_officer)
    codes = [row.counterpart.code for row in rows]
    depth = {row.counterpart.code: row.depth for row in rows}
    assert (
        codes.index("un")
        < codes.index("un-hrc")
        < codes.index("hrc-special-procedures")
        < codes.index("sr-torture")
    )
    assert (depth["un"], depth["un-hrc"], depth["hrc-special-procedures"], depth["sr-torture"]) == (
        0,
        1,
        2,
        3,
    )
    assert all(row.matched for row in rows)


@pytest.mark.parametrize("query", ["обсе", "ОБСЕ", "ЕҚЫҰ", "Центр ОБСЕ в Астане", "programme office astana"])
def test_search_in_three_languages_shows_matches_with_their_ancestors(cast, query):
    rows = selectors.counterpart_tree(user=cast.intl_officer, q=query)
    matched = {row.counterpart.code for row in rows if row.matched}
    assert "osce-astana" in matched
    context = {row.counterpart.code for row in rows if not row.matched}
    assert context <= {"osce"}


def test_filter_by_kind(cast):
    rows = selectors.counterpart_tree(user=cast.intl_officer, kind=CounterpartKind.MANDATE, q="пыт")
    assert {row.counterpart.code for row in rows if row.matched} == {"sr-torture", "spt", "cat"}
    assert {row.counterpart.kind for row in rows if not row.matched} <= {"organisation", "body"}


def test_selectors_refuse_those_without_the_permission(cast):
    with pytest.raises(PermissionDenied):
        selectors.counterpart_tree(user=cast.analyst)


def test_summary_counts_only_what_the_user_may_see(cast):
    osce = Counterpart.objects.get(code="osce")
    f.event(by=cast.intl_officer, participants=[ParticipantData(counterpart=osce)])
    f.project(by=cast.intl_officer, partner=osce)
    summary = selectors.counterpart_summary(user=cast.intl_officer, counterpart=osce)
    assert (summary.events, summary.projects, summary.recommendations) == (1, 1, 0)
    assert [c.code for c in summary.children][:1] == ["osce-astana"]
    assert "ОБСЕ" in summary.aliases
    outsider_view = selectors.counterpart_summary(user=cast.prosecutor_almaty, counterpart=osce)
    assert (outsider_view.events, outsider_view.projects) == (0, 0)


def test_parent_choices_exclude_itself_and_below(cast):
    un = Counterpart.objects.get(code="un")
    choices = set(selectors.counterpart_parent_choices(counterpart=un).values_list("code", flat=True))
    assert not choices & {"un", "un-hrc", "hrc-special-procedures", "ohchr"}
    assert "osce" in choices and "sr-torture" not in choices
