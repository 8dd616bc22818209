"""User administration services: create, update (with self-protection), 2FA reset, role policies."""

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prokuratura.accounts import services
from prokuratura.accounts.models import RolePolicy, User, UserRole
from prokuratura.accounts.roles import Role
from prokuratura.core.audit import audit_verify_chain
from prokuratura.core.models import AuditEntry
from prokuratura.core.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _last_entry():
    return AuditEntry.objects.order_by("-id").first()


def test_user_create_with_a_password_and_roles(cast, offices):
    department = DepartmentFactory(office=offices.almaty)
    user = services.user_create(
        by=cast.admin,
        data={"username": "new_prosecutor", "office": offices.almaty, "department": department},
        roles={Role.PROSECUTOR},
        password="a-long-and-unusual-phrase-7",
    )
    assert user.check_password("a-long-and-unusual-phrase-7")
    assert set(UserRole.objects.filter(user=user).values_list("role", flat=True)) == {"prosecutor"}
    entry = _last_entry()
    assert (entry.action, entry.actor_id, entry.object_id) == ("create", cast.admin.pk, str(user.pk))
    assert entry.changes["roles"] == {"before": None, "after": ["prosecutor"]}
    assert "password" not in entry.changes


def test_user_create_without_a_password_cannot_sign_in(cast, offices):
    user = services.user_create(by=cast.admin, data={"username": "later", "office": offices.gpo}, roles=set())
    assert not user.has_usable_password()


def test_a_weak_password_is_refused_on_the_password_field(cast, offices):
    with pytest.raises(ValidationError) as caught:
        services.user_create(
            by=cast.admin, data={"username": "weak", "office": offices.gpo}, roles=set(), password="123"
        )
    assert "password" in caught.value.message_dict
    assert not User.objects.filter(username="weak").exists()


def test_a_department_of_another_office_is_refused(cast, offices):
    elsewhere = DepartmentFactory(office=offices.gpo)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.user_create(
            by=cast.admin,
            data={"username": "misplaced", "office": offices.almaty, "department": elsewhere},
            roles=set(),
        )
    assert caught.value.message_dict["department"] == ["Choose a department of the person's own office."]
    assert not User.objects.filter(username="misplaced").exists()
    assert AuditEntry.objects.count() == before
    with pytest.raises(ValidationError):
        services.user_update(by=cast.admin, user=cast.prosecutor_almaty, data={"department": elsewhere})
    assert User.objects.get(pk=cast.prosecutor_almaty.pk).department_id is None


def test_user_update_audits_the_database_values_and_role_changes(cast):
    person = User.objects.get(pk=cast.prosecutor_almaty.pk)
    person.position = "Already changed in memory"  # as a ModelForm leaves its instance
    services.user_update(
        by=cast.admin,
        user=person,
        data={"position": "Already changed in memory"},
        roles={Role.PROSECUTOR, Role.HEAD},
    )
    entry = _last_entry()
    assert entry.changes == {
        "position": {"before": "", "after": "Already changed in memory"},
        "roles": {"before": ["prosecutor"], "after": ["head", "prosecutor"]},
    }
    assert User.objects.get(pk=person.pk).has_role(Role.HEAD)


def test_an_administrator_cannot_remove_their_own_admin_role(cast):
    with pytest.raises(ValidationError) as caught:
        services.user_update(by=cast.admin, user=cast.admin, data={}, roles={Role.AUDITOR})
    assert caught.value.message_dict["roles"] == ["You cannot remove your own administrator role."]
    assert User.objects.get(pk=cast.admin.pk).has_role(Role.ADMIN)


def test_an_administrator_cannot_deactivate_themselves(cast):
    with pytest.raises(ValidationError) as caught:
        services.user_update(by=cast.admin, user=cast.admin, data={"is_active": False})
    assert caught.value.message_dict["is_active"] == ["You cannot deactivate your own account."]
    assert User.objects.get(pk=cast.admin.pk).is_active


def test_an_administrator_may_change_their_other_details_and_add_roles(cast):
    services.user_update(
        by=cast.admin, user=cast.admin, data={"position": "Chief"}, roles={Role.ADMIN, Role.AUDITOR}
    )
    assert User.objects.get(pk=cast.admin.pk).roles == {"admin", "auditor"}


def test_another_administrator_may_demote_and_deactivate_an_administrator(cast, offices):
    from prokuratura.accounts.tests.factories import UserFactory

    second = UserFactory(username="admin2", office=offices.gpo, roles=[Role.ADMIN])
    services.user_update(by=second, user=cast.admin, data={"is_active": False}, roles=set())
    fresh = User.objects.get(pk=cast.admin.pk)
    assert not fresh.is_active and fresh.roles == frozenset()


def test_user_reset_2fa_removes_every_device_and_is_audited(cast):
    TOTPDevice.objects.create(user=cast.auditor, name="phone", confirmed=True)
    static = StaticDevice.objects.create(user=cast.auditor, name="recovery", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd1234")  # noqa: S106 - a test recovery code
    other = TOTPDevice.objects.create(user=cast.admin, name="phone", confirmed=True)
    removed = services.user_reset_2fa(by=cast.admin, user=cast.auditor)
    assert removed == 2
    assert not TOTPDevice.objects.filter(user=cast.auditor).exists()
    assert not StaticDevice.objects.filter(user=cast.auditor).exists()
    assert TOTPDevice.objects.filter(pk=other.pk).exists()
    entry = _last_entry()
    assert (entry.action, entry.actor_id, entry.object_id) == (
        "security",
        cast.admin.pk,
        str(cast.auditor.pk),
    )
    assert entry.changes == {"otp_devices": {"before": 2, "after": 0}}
    assert list(audit_verify_chain(seal=True)) == []


def test_role_policies_set_saves_the_table_and_audits_only_changes(cast):
    RolePolicy.objects.update_or_create(role=Role.ANALYST, defaults={"require_2fa": False})
    before = AuditEntry.objects.count()
    current = {p.role: p.require_2fa for p in RolePolicy.objects.all()}
    services.role_policies_set(by=cast.admin, policies=current | {Role.ANALYST: True})
    assert RolePolicy.objects.get(role=Role.ANALYST).require_2fa
    assert AuditEntry.objects.count() == before + 1


def test_role_policies_set_refuses_an_unknown_role_and_saves_nothing(cast):
    RolePolicy.objects.update_or_create(role=Role.ANALYST, defaults={"require_2fa": False})
    with pytest.raises(ValidationError):
        services.role_policies_set(by=cast.admin, policies={Role.ANALYST: True, "wizard": True})
    assert not RolePolicy.objects.get(role=Role.ANALYST).require_2fa
