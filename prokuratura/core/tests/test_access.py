"""core.access: each branch of the visibility rule, and the 404-versus-403 answers of the access helpers.

The cast (conftest.py): GPO ─┬─ Astana (regional) ── Astana district
                              └─ Almaty (regional)
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.core.access import (
    access_audit_entry,
    access_department,
    access_office,
    access_user,
    audit_restricted_read,
    can_see_record,
    offices_visible_to,
)
from prokuratura.core.audit import audit_record
from prokuratura.core.models import AuditEntry, Sensitivity
from prokuratura.core.tests.factories import DepartmentFactory
from prokuratura.core.tests.sealing import sealed_one

PUBLIC, INTERNAL, RESTRICTED = Sensitivity.PUBLIC, Sensitivity.INTERNAL, Sensitivity.RESTRICTED


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # The cast is ten users; Argon2 for each makes every test take seconds. Nothing here checks a password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _sees(user, office, sensitivity, participants=()):
    return can_see_record(user=user, office=office, sensitivity=sensitivity, participant_ids=participants)


# --- can_see_record ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sensitivity", [PUBLIC, INTERNAL, RESTRICTED])
def test_a_participant_sees_the_record_whatever_its_sensitivity(cast, offices, sensitivity):
    # prosecutor_almaty works outside Astana's chain, but the record names them.
    participant = cast.prosecutor_almaty
    assert _sees(participant, offices.astana_district, sensitivity, participants=[participant.pk])


def test_public_records_are_seen_by_every_active_staff_member(cast, offices):
    assert _sees(cast.prosecutor_almaty, offices.astana_district, PUBLIC)
    assert _sees(cast.outsider, offices.astana_district, PUBLIC)  # staff without a role still sees public


def test_internal_records_are_seen_in_the_owning_office_and_above(cast, offices):
    assert _sees(cast.prosecutor_astana, offices.astana_district, INTERNAL)  # own office
    assert _sees(cast.registrar_astana, offices.astana_district, INTERNAL)  # office above
    assert _sees(cast.head_gpo, offices.astana_district, INTERNAL)  # the top of the chain


def test_internal_records_are_not_seen_below_or_beside_the_owning_office(cast, offices):
    assert not _sees(cast.prosecutor_astana, offices.astana, INTERNAL)  # an office below the owner
    assert not _sees(cast.prosecutor_almaty, offices.astana_district, INTERNAL)  # another branch


def test_auditors_see_internal_records_everywhere(cast, offices):
    auditor_in_almaty = UserFactory(username="auditor_almaty", office=offices.almaty, roles=[Role.AUDITOR])
    assert _sees(auditor_in_almaty, offices.astana_district, INTERNAL)


def test_restricted_records_are_seen_by_heads_in_the_chain(cast, offices):
    assert _sees(cast.head_astana, offices.astana_district, RESTRICTED)
    assert _sees(cast.head_astana, offices.astana, RESTRICTED)
    assert _sees(cast.head_gpo, offices.astana_district, RESTRICTED)


def test_restricted_records_are_not_seen_by_heads_outside_the_chain(cast, offices):
    head_almaty = UserFactory(username="head_almaty", office=offices.almaty, roles=[Role.HEAD])
    assert not _sees(head_almaty, offices.astana_district, RESTRICTED)
    assert not _sees(cast.head_astana, offices.gpo, RESTRICTED)  # above the head's own office


def test_restricted_records_are_not_seen_by_non_heads_in_the_chain(cast, offices):
    assert not _sees(cast.prosecutor_astana, offices.astana_district, RESTRICTED)
    assert not _sees(cast.registrar_astana, offices.astana_district, RESTRICTED)


def test_auditors_do_not_see_restricted_records(cast, offices):
    assert not _sees(cast.auditor, offices.astana_district, RESTRICTED)


def test_outsiders_see_public_only(cast, offices):
    assert not _sees(cast.outsider, offices.astana_district, INTERNAL)
    assert not _sees(cast.outsider, offices.almaty, RESTRICTED)
    # The outsider's own office: internal is visible (staff of the office), restricted is not (not a head).
    assert _sees(cast.outsider, offices.almaty, INTERNAL)


@pytest.mark.parametrize("sensitivity", [PUBLIC, INTERNAL, RESTRICTED])
def test_inactive_users_see_nothing(cast, offices, sensitivity):
    cast.head_gpo.is_active = False
    assert not _sees(cast.head_gpo, offices.gpo, sensitivity, participants=[cast.head_gpo.pk])


@pytest.mark.parametrize("sensitivity", [PUBLIC, INTERNAL, RESTRICTED])
def test_anonymous_visitors_see_nothing(offices, sensitivity):
    assert not _sees(AnonymousUser(), offices.gpo, sensitivity)
    assert not _sees(None, offices.gpo, sensitivity)


def test_a_record_without_an_office_is_internal_to_nobody_but_auditors(cast):
    assert not _sees(cast.head_gpo, None, INTERNAL)
    assert _sees(cast.auditor, None, INTERNAL)
    assert not _sees(cast.head_gpo, None, RESTRICTED)


def test_staff_without_an_office_see_no_internal_record(cast, offices):
    homeless = UserFactory(username="homeless", office=None, roles=[Role.HEAD])
    assert not _sees(homeless, offices.gpo, INTERNAL)
    assert not _sees(homeless, offices.gpo, RESTRICTED)
    assert _sees(homeless, offices.gpo, PUBLIC)


def test_an_unknown_sensitivity_is_never_readable(cast, offices):
    assert not _sees(cast.head_gpo, offices.gpo, "secret")


# --- offices_visible_to --------------------------------------------------------------------------------------


def test_offices_visible_to_is_the_users_subtree(cast, offices):
    codes = set(offices_visible_to(user=cast.registrar_astana).values_list("code", flat=True))
    assert codes == {"AST", "AST-01"}
    assert set(offices_visible_to(user=cast.prosecutor_astana).values_list("code", flat=True)) == {"AST-01"}
    assert set(offices_visible_to(user=cast.head_gpo).values_list("code", flat=True)) == {
        "GPO",
        "AST",
        "AST-01",
        "ALA",
    }


def test_auditors_see_every_office_wherever_they_sit(cast, offices):
    auditor_in_almaty = UserFactory(username="auditor_almaty", office=offices.almaty, roles=[Role.AUDITOR])
    assert offices_visible_to(user=auditor_in_almaty).count() == 4


def test_no_office_visible_to_the_inactive_the_anonymous_or_the_officeless(cast):
    cast.head_gpo.is_active = False
    assert not offices_visible_to(user=cast.head_gpo).exists()
    assert not offices_visible_to(user=AnonymousUser()).exists()
    homeless = UserFactory(username="homeless", office=None, roles=[Role.HEAD])
    assert not offices_visible_to(user=homeless).exists()


def test_a_prefix_sharing_sibling_is_not_in_the_subtree(cast, offices):
    """Paths are zero-padded and end with a dot, so office 1's subtree never takes in office 10's."""
    assert all(o.path.endswith(".") for o in offices_visible_to(user=cast.head_gpo))
    assert not offices_visible_to(user=cast.registrar_astana).filter(pk=offices.almaty.pk).exists()


# --- access_office / access_department -------------------------------------------------------------------------


def test_access_office_returns_the_office_to_staff(cast, offices):
    assert access_office(user=cast.prosecutor_almaty, office_id=offices.astana.pk) == offices.astana


def test_access_office_is_404_for_unknown_offices_and_for_users_without_the_permission(cast, offices):
    with pytest.raises(Http404):
        access_office(user=cast.admin, office_id=999_999)
    with pytest.raises(Http404):
        access_office(user=cast.outsider, office_id=offices.almaty.pk)  # no role, no view_offices
    with pytest.raises(Http404):
        access_office(user=AnonymousUser(), office_id=offices.almaty.pk)


def test_access_office_for_write_is_403_for_those_who_may_only_see(cast, offices):
    with pytest.raises(PermissionDenied):
        access_office(user=cast.head_gpo, office_id=offices.gpo.pk, for_write=True)
    assert access_office(user=cast.admin, office_id=offices.gpo.pk, for_write=True) == offices.gpo


def test_access_office_for_write_on_an_unknown_office_is_still_404(cast):
    with pytest.raises(Http404):
        access_office(user=cast.head_gpo, office_id=999_999, for_write=True)


def test_access_department_follows_the_same_rules(cast, offices):
    department = DepartmentFactory(office=offices.gpo)
    assert access_department(user=cast.analyst, department_id=department.pk) == department
    with pytest.raises(Http404):
        access_department(user=cast.outsider, department_id=department.pk)
    with pytest.raises(Http404):
        access_department(user=cast.admin, department_id=999_999)
    with pytest.raises(PermissionDenied):
        access_department(user=cast.analyst, department_id=department.pk, for_write=True)
    assert access_department(user=cast.admin, department_id=department.pk, for_write=True) == department


# --- access_user ---------------------------------------------------------------------------------------------


def test_everyone_may_see_themselves(cast):
    assert (
        access_user(user=cast.prosecutor_almaty, user_id=cast.prosecutor_almaty.pk) == cast.prosecutor_almaty
    )


def test_seeing_oneself_is_not_changing_oneself(cast):
    with pytest.raises(PermissionDenied):
        access_user(user=cast.prosecutor_almaty, user_id=cast.prosecutor_almaty.pk, for_write=True)


def test_staff_without_view_users_get_404_for_others(cast):
    with pytest.raises(Http404):
        access_user(user=cast.prosecutor_astana, user_id=cast.head_astana.pk)


def test_heads_see_their_subtree_and_get_404_outside_it(cast):
    assert access_user(user=cast.head_astana, user_id=cast.prosecutor_astana.pk) == cast.prosecutor_astana
    with pytest.raises(Http404):
        access_user(user=cast.head_astana, user_id=cast.prosecutor_almaty.pk)


def test_heads_may_see_but_not_change_staff_403(cast):
    with pytest.raises(PermissionDenied):
        access_user(user=cast.head_astana, user_id=cast.prosecutor_astana.pk, for_write=True)


def test_administrators_and_auditors_see_everyone(cast):
    assert access_user(user=cast.admin, user_id=cast.prosecutor_almaty.pk) == cast.prosecutor_almaty
    assert access_user(user=cast.auditor, user_id=cast.prosecutor_almaty.pk) == cast.prosecutor_almaty
    assert access_user(user=cast.admin, user_id=cast.prosecutor_almaty.pk, for_write=True)


def test_unknown_users_are_404_even_for_write(cast):
    with pytest.raises(Http404):
        access_user(user=cast.admin, user_id=999_999, for_write=True)


def test_inactive_and_anonymous_callers_get_404(cast):
    with pytest.raises(Http404):
        access_user(user=AnonymousUser(), user_id=cast.admin.pk)
    cast.admin.is_active = False
    with pytest.raises(Http404):
        access_user(user=cast.admin, user_id=cast.prosecutor_almaty.pk)


# --- access_audit_entry --------------------------------------------------------------------------------------


def test_access_audit_entry_is_for_auditors_only(cast):
    entry = sealed_one(audit_record(actor=cast.admin, action=AuditEntry.Action.LOGIN, obj=cast.admin))
    assert access_audit_entry(user=cast.auditor, seq=entry.seq) == entry
    for user in (cast.admin, cast.head_gpo, AnonymousUser()):
        with pytest.raises(Http404):
            access_audit_entry(user=user, seq=entry.seq)
    with pytest.raises(Http404):
        access_audit_entry(user=cast.auditor, seq=entry.seq + 1000)


# --- audit_restricted_read -----------------------------------------------------------------------------------


def test_reading_a_restricted_record_writes_an_audit_entry(cast, offices):
    before = AuditEntry.objects.count()
    audit_restricted_read(user=cast.head_astana, obj=offices.astana_district, sensitivity=RESTRICTED)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == AuditEntry.Action.READ
    assert entry.actor_id == cast.head_astana.pk
    assert (entry.object_type, entry.object_id) == ("core.office", str(offices.astana_district.pk))


@pytest.mark.parametrize("sensitivity", [PUBLIC, INTERNAL])
def test_reading_public_or_internal_records_writes_nothing(cast, offices, sensitivity):
    before = AuditEntry.objects.count()
    audit_restricted_read(user=cast.head_astana, obj=offices.astana_district, sensitivity=sensitivity)
    assert AuditEntry.objects.count() == before
