"""Who sees and who changes supervision records: each branch of the record rule (no permission, public, a person
the record names, internal to the office chain, national oversight, restricted to heads over the office), 404 for
"missing or not yours", 403 for "may see, may not change", the audited read of a restricted record, and the lists
agreeing with the detail.

The cast: prosecutor_astana (Astana district office, below the Astana city office, below the GPO), head_astana
(Astana city), head_gpo, prosecutor_almaty (another region), auditor (GPO), analyst and registrar (no
`supervision.view`)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.core.audit import object_label
from prokuratura.core.models import AuditEntry, Sensitivity
from prokuratura.supervision import selectors
from prokuratura.supervision.access import access_act, access_inspection, access_violation, access_visit

from .factories import make_act, make_inspection, make_violation, make_visit

pytestmark = pytest.mark.django_db

EVERYONE = [
    "prosecutor_astana",
    "colleague",
    "head_astana",
    "head_gpo",
    "prosecutor_almaty",
    "auditor",
    "analyst",
    "registrar_astana",
    "outsider",
]


@pytest.fixture
def people(cast):
    """The cast by name, with a colleague: a prosecutor of the same district office whom the records do not name."""
    colleague = UserFactory(
        username="colleague", office=cast.prosecutor_astana.office, roles=[Role.PROSECUTOR]
    )
    return {name: colleague if name == "colleague" else getattr(cast, name) for name in EVERYONE}


def reads(record):
    return AuditEntry.objects.filter(
        action="read", object_type=object_label(record), object_id=str(record.pk)
    )


def visible_to(access, record, people, **id_kwarg):
    """The names of those the access helper lets read the record (the others get 404)."""
    seen = set()
    for name, user in people.items():
        try:
            access(user=user, **id_kwarg)
        except Http404:
            continue
        seen.add(name)
    return seen


# --- inspections ------------------------------------------------------------------------------------------------


def test_an_internal_inspection_is_read_by_its_office_chain_and_the_auditor(cast, people):
    inspection = make_inspection(by=cast.prosecutor_astana)
    assert visible_to(access_inspection, inspection, people, inspection_id=inspection.pk) == {
        "prosecutor_astana",  # responsible
        "colleague",  # staff of the owning office
        "head_astana",  # an office above
        "head_gpo",
        "auditor",  # national oversight reads internal records
    }
    assert not reads(inspection).exists()  # internal reads are not audited


def test_an_inspection_of_another_office_is_404_exactly_like_a_missing_one(cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    with pytest.raises(Http404) as hidden:
        access_inspection(user=cast.prosecutor_almaty, inspection_id=inspection.pk)
    with pytest.raises(Http404) as missing:
        access_inspection(user=cast.prosecutor_almaty, inspection_id=inspection.pk + 1000)
    assert str(hidden.value) == str(missing.value)


def test_a_restricted_inspection_is_read_by_the_persons_it_names_and_heads_over_the_office(cast, people):
    inspection = make_inspection(by=cast.prosecutor_astana, sensitivity=Sensitivity.RESTRICTED)
    assert visible_to(access_inspection, inspection, people, inspection_id=inspection.pk) == {
        "prosecutor_astana",
        "head_astana",
        "head_gpo",
    }
    # each read of a restricted record is one audit entry naming the reader
    assert sorted(reads(inspection).values_list("actor__username", flat=True)) == [
        "head_astana",
        "head_gpo",
        "prosecutor_astana",
    ]


def test_a_public_inspection_is_read_by_every_supervising_member_of_staff(cast, people):
    inspection = make_inspection(by=cast.prosecutor_astana, sensitivity=Sensitivity.PUBLIC)
    assert visible_to(access_inspection, inspection, people, inspection_id=inspection.pk) == {
        "prosecutor_astana",
        "colleague",
        "head_astana",
        "head_gpo",
        "prosecutor_almaty",
        "auditor",
    }  # without `supervision.view` (analyst, registrar, no role) not even a public one


def test_who_may_see_but_not_change_an_inspection_gets_403(cast, people):
    inspection = make_inspection(by=cast.prosecutor_astana)
    for name in ("prosecutor_astana", "head_astana", "head_gpo"):
        assert access_inspection(user=people[name], inspection_id=inspection.pk, for_write=True) == inspection
    for name in ("colleague", "auditor"):
        with pytest.raises(PermissionDenied):
            access_inspection(user=people[name], inspection_id=inspection.pk, for_write=True)
    with pytest.raises(Http404):  # 404 before 403: who may not see learns nothing
        access_inspection(user=cast.prosecutor_almaty, inspection_id=inspection.pk, for_write=True)


def test_a_deactivated_user_sees_nothing(cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    cast.prosecutor_astana.is_active = False
    with pytest.raises(Http404):
        access_inspection(user=cast.prosecutor_astana, inspection_id=inspection.pk)
    assert list(selectors.inspection_list(user=cast.prosecutor_astana)) == []


# --- visits to places of detention ------------------------------------------------------------------------------


def test_a_visit_is_restricted_to_the_visiting_prosecutor_and_heads_over_the_office(cast, people):
    visit = make_visit(by=cast.prosecutor_astana)
    assert visit.sensitivity == Sensitivity.RESTRICTED
    assert visible_to(access_visit, visit, people, visit_id=visit.pk) == {
        "prosecutor_astana",
        "head_astana",
        "head_gpo",
    }  # not the auditor (internal, not restricted), not a colleague, not another region


def test_each_read_of_a_restricted_visit_is_audited_with_its_reader(cast):
    visit = make_visit(by=cast.prosecutor_astana)
    access_visit(user=cast.head_astana, visit_id=visit.pk)
    access_visit(user=cast.head_astana, visit_id=visit.pk)
    access_visit(user=cast.prosecutor_astana, visit_id=visit.pk)
    entries = list(reads(visit).order_by("id"))
    assert [e.actor for e in entries] == [cast.head_astana, cast.head_astana, cast.prosecutor_astana]
    assert all(e.object_repr and e.changes in ({}, None) for e in entries)
    with pytest.raises(Http404):
        access_visit(user=cast.prosecutor_almaty, visit_id=visit.pk)
    assert reads(visit).count() == 3  # a refused read writes nothing


def test_a_head_may_change_a_visit_the_auditor_may_not_even_see_it(cast):
    visit = make_visit(by=cast.prosecutor_astana)
    assert access_visit(user=cast.head_astana, visit_id=visit.pk, for_write=True) == visit
    with pytest.raises(Http404):
        access_visit(user=cast.auditor, visit_id=visit.pk, for_write=True)


# --- acts and violations ----------------------------------------------------------------------------------------


def test_an_act_after_a_visit_is_as_restricted_as_the_visit(cast, people):
    visit = make_visit(by=cast.prosecutor_astana)
    act = make_act(by=cast.prosecutor_astana, visit=visit, code="submission")
    assert act.sensitivity == Sensitivity.RESTRICTED
    assert visible_to(access_act, act, people, act_id=act.pk) == {
        "prosecutor_astana",
        "head_astana",
        "head_gpo",
    }
    assert reads(act).count() == 3


def test_an_act_and_a_violation_of_an_internal_inspection(cast, people):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    violation = make_violation(by=cast.prosecutor_astana, inspection=inspection)
    act = make_act(by=cast.prosecutor_astana, inspection=inspection, violations=[violation])
    chain = {"prosecutor_astana", "colleague", "head_astana", "head_gpo", "auditor"}
    assert visible_to(access_act, act, people, act_id=act.pk) == chain
    assert visible_to(access_violation, violation, people, violation_id=violation.pk) == chain
    with pytest.raises(PermissionDenied):
        access_act(user=people["colleague"], act_id=act.pk, for_write=True)
    assert access_act(user=cast.head_astana, act_id=act.pk, for_write=True) == act


# --- the lists agree with the detail ----------------------------------------------------------------------------


def test_every_list_shows_exactly_what_the_detail_admits(cast, people):
    internal = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    restricted = make_inspection(by=cast.prosecutor_astana, sensitivity=Sensitivity.RESTRICTED)
    public = make_inspection(by=cast.prosecutor_almaty, sensitivity=Sensitivity.PUBLIC)
    violation = make_violation(by=cast.prosecutor_astana, inspection=internal)
    act = make_act(by=cast.prosecutor_astana, inspection=internal, violations=[violation])
    visit = make_visit(by=cast.prosecutor_astana)
    visit_act = make_act(by=cast.prosecutor_astana, visit=visit)
    cases = [
        (selectors.inspection_list, access_inspection, "inspection_id", [internal, restricted, public]),
        (selectors.violation_list, access_violation, "violation_id", [violation]),
        (selectors.act_list, access_act, "act_id", [act, visit_act]),
        (selectors.visit_list, access_visit, "visit_id", [visit]),
    ]
    for name, user in people.items():
        for select, access, id_name, records in cases:
            listed = set(select(user=user).values_list("pk", flat=True))
            admitted = set()
            for record in records:
                try:
                    access(user=user, **{id_name: record.pk})
                except Http404:
                    continue
                admitted.add(record.pk)
            assert listed == admitted, (name, select.__name__)
