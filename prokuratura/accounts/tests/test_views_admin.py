"""User and role administration pages."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from prokuratura.accounts.models import RolePolicy, User
from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.core.models import AuditEntry
from prokuratura.core.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user_post(**overrides):
    data = {
        "username": "new_registrar",
        "last_name": "Сейтқали",
        "first_name": "Әсем",
        "middle_name": "",
        "email": "new_registrar@prokuratura.test",
        "position": "Registrar",
        "preferred_language": "kk",
        "office": "",
        "department": "",
        "roles": [],
        "is_active": "on",
    }
    return data | overrides


# --- list ----------------------------------------------------------------------------------------------------


def test_administrators_see_everyone(client_for, cast):
    response = client_for(cast.admin).get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == User.objects.count()


def test_heads_see_their_subtree_only(client_for, cast):
    response = client_for(cast.head_astana).get(reverse("accounts:user_list"))
    usernames = {u.username for u in response.context["page"].object_list}
    assert usernames == {"registrar_astana", "prosecutor_astana", "head_astana"}


def test_filters_by_role_office_and_text(client_for, cast, offices):
    client = client_for(cast.admin)

    def usernames(**params):
        response = client.get(reverse("accounts:user_list"), params)
        assert response.status_code == 200
        return {u.username for u in response.context["page"].object_list}

    assert usernames(role="prosecutor") == {"prosecutor_astana", "prosecutor_almaty"}
    assert usernames(office=offices.almaty.pk) == {"prosecutor_almaty", "outsider"}
    assert usernames(q="head_") == {"head_gpo", "head_astana"}
    assert usernames(role="prosecutor", office=offices.almaty.pk) == {"prosecutor_almaty"}


def test_an_unknown_role_filter_is_400(client_for, cast):
    response = client_for(cast.admin).get(reverse("accounts:user_list"), {"role": "wizard"})
    assert response.status_code == 400


def test_the_list_is_paginated_and_keeps_the_filters(client_for, cast, offices):
    for n in range(55):
        UserFactory(username=f"staff{n:02d}", office=offices.almaty, roles=[Role.REGISTRAR])
    client = client_for(cast.admin)
    first = client.get(reverse("accounts:user_list"), {"role": "registrar"})
    assert len(first.context["page"].object_list) == 50
    assert "role=registrar&amp;page=2" in first.content.decode()
    second = client.get(reverse("accounts:user_list"), {"role": "registrar", "page": 2})
    assert len(second.context["page"].object_list) == 6  # 55 + registrar_astana


def test_the_list_takes_a_fixed_number_of_queries(client_for, cast, offices, django_assert_num_queries):
    client = client_for(cast.admin)
    client.get(reverse("accounts:user_list"))
    for _n in range(10):
        UserFactory(office=offices.almaty, roles=[Role.REGISTRAR, Role.ANALYST])
    # Six for every signed-in page (session, user, two OTP device look-ups, roles, role policy), then the
    # offices for the filter, the count, the page, and the page's roles in one prefetch.
    with django_assert_num_queries(10):
        response = client.get(reverse("accounts:user_list"))
    assert "Analyst" in response.content.decode()


@pytest.mark.parametrize("who", ["prosecutor_astana", "registrar_astana", "outsider"])
def test_staff_without_view_users_get_403(client_for, cast, who):
    assert client_for(getattr(cast, who)).get(reverse("accounts:user_list")).status_code == 403


# --- detail --------------------------------------------------------------------------------------------------


def test_the_detail_page(client_for, cast):
    response = client_for(cast.admin).get(reverse("accounts:user_detail", args=[cast.prosecutor_almaty.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "prosecutor_almaty" in html
    assert reverse("accounts:user_edit", args=[cast.prosecutor_almaty.pk]) in html


def test_a_head_sees_staff_of_the_subtree_but_no_edit_link(client_for, cast):
    response = client_for(cast.head_astana).get(
        reverse("accounts:user_detail", args=[cast.prosecutor_astana.pk])
    )
    assert response.status_code == 200
    assert reverse("accounts:user_edit", args=[cast.prosecutor_astana.pk]) not in response.content.decode()


def test_a_head_gets_404_outside_the_subtree_and_for_unknown_users(client_for, cast):
    client = client_for(cast.head_astana)
    assert client.get(reverse("accounts:user_detail", args=[cast.prosecutor_almaty.pk])).status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[999_999])).status_code == 404


# --- add / edit ----------------------------------------------------------------------------------------------


def test_an_administrator_adds_a_user_with_a_password(client_for, cast, offices):
    department = DepartmentFactory(office=offices.astana)
    post = _user_post(
        office=offices.astana.pk,
        department=department.pk,
        roles=[Role.REGISTRAR],
        password="an-unusual-passphrase-42",
        password2="an-unusual-passphrase-42",
    )
    response = client_for(cast.admin).post(reverse("accounts:user_add"), post)
    person = User.objects.get(username="new_registrar")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[person.pk])
    assert (person.office_id, person.department_id, person.first_name) == (
        offices.astana.pk,
        department.pk,
        "Әсем",
    )
    assert person.roles == {"registrar"}
    assert person.check_password("an-unusual-passphrase-42")
    assert AuditEntry.objects.filter(
        action="create", object_type="accounts.user", object_id=str(person.pk)
    ).exists()


def test_an_administrator_adds_a_user_with_no_password_yet(client_for, cast, offices):
    post = _user_post(office=offices.gpo.pk, no_password="on")
    response = client_for(cast.admin).post(reverse("accounts:user_add"), post)
    assert response.status_code == 302
    assert not User.objects.get(username="new_registrar").has_usable_password()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({}, "password"),  # neither a password nor "no password yet"
        ({"password": "an-unusual-passphrase-42", "password2": "different-passphrase-42"}, "password2"),
        ({"password": "12345", "password2": "12345"}, "password"),  # Django's validators
        ({"password": "new_registrar1", "password2": "new_registrar1"}, "password"),  # too like the username
        ({"no_password": "on", "username": "registrar_astana"}, "username"),  # taken
        ({"no_password": "on", "username": "has spaces"}, "username"),
        ({"no_password": "on", "roles": ["wizard"]}, "roles"),
        ({"no_password": "on", "email": "not-an-email"}, "email"),
    ],
)
def test_bad_input_on_add_is_400_and_saves_nothing(client_for, cast, offices, extra, field):
    count, audit = User.objects.count(), AuditEntry.objects.count()
    response = client_for(cast.admin).post(
        reverse("accounts:user_add"), _user_post(office=offices.gpo.pk) | extra
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert (User.objects.count(), AuditEntry.objects.count()) == (count, audit)


def test_a_department_must_belong_to_the_office(client_for, cast, offices):
    department = DepartmentFactory(office=offices.gpo)
    post = _user_post(office=offices.almaty.pk, department=department.pk, no_password="on")
    response = client_for(cast.admin).post(reverse("accounts:user_add"), post)
    assert response.status_code == 400
    assert response.context["form"].errors["department"] == [
        "Choose a department of the person's own office."
    ]
    assert not User.objects.filter(username="new_registrar").exists()


def test_the_edit_form_shows_current_values_and_roles(client_for, cast):
    response = client_for(cast.admin).get(reverse("accounts:user_edit", args=[cast.head_astana.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["username"].value() == "head_astana"
    assert form["roles"].value() == ["head"]
    assert "password" not in form.fields


def test_an_administrator_edits_roles_and_deactivates(client_for, cast, offices):
    post = _user_post(
        username="prosecutor_almaty",
        office=offices.almaty.pk,
        roles=[Role.PROSECUTOR, Role.HEAD],
        is_active="",
    )
    response = client_for(cast.admin).post(
        reverse("accounts:user_edit", args=[cast.prosecutor_almaty.pk]), post
    )
    assert response.status_code == 302
    person = User.objects.get(pk=cast.prosecutor_almaty.pk)
    assert person.roles == {"prosecutor", "head"} and not person.is_active
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.changes["is_active"] == {"before": True, "after": False}
    assert entry.changes["roles"] == {"before": ["prosecutor"], "after": ["head", "prosecutor"]}


def test_an_administrator_cannot_remove_their_own_admin_role(client_for, cast, offices):
    post = _user_post(username="admin", office=offices.gpo.pk, roles=[Role.AUDITOR])
    response = client_for(cast.admin).post(reverse("accounts:user_edit", args=[cast.admin.pk]), post)
    assert response.status_code == 400
    assert "You cannot remove your own administrator role." in response.content.decode()
    assert User.objects.get(pk=cast.admin.pk).roles == {"admin"}


def test_an_administrator_cannot_deactivate_themselves(client_for, cast, offices):
    post = _user_post(username="admin", office=offices.gpo.pk, roles=[Role.ADMIN], is_active="")
    response = client_for(cast.admin).post(reverse("accounts:user_edit", args=[cast.admin.pk]), post)
    assert response.status_code == 400
    assert "You cannot deactivate your own account." in response.content.decode()
    assert User.objects.get(pk=cast.admin.pk).is_active


@pytest.mark.parametrize("who", ["head_gpo", "auditor", "prosecutor_astana"])
def test_only_administrators_may_write(client_for, cast, offices, who):
    client = client_for(getattr(cast, who))
    target = cast.prosecutor_almaty.pk
    for url in (
        reverse("accounts:user_add"),
        reverse("accounts:user_edit", args=[target]),
        reverse("accounts:user_reset_2fa", args=[target]),
        reverse("accounts:role_policies"),
    ):
        assert client.post(url, _user_post(no_password="on")).status_code == 403
    assert not User.objects.filter(username="new_registrar").exists()


def test_unknown_users_are_404_on_write_views(client_for, cast):
    client = client_for(cast.admin)
    assert client.get(reverse("accounts:user_edit", args=[999_999])).status_code == 404
    assert client.post(reverse("accounts:user_reset_2fa", args=[999_999])).status_code == 404


# --- 2FA reset -----------------------------------------------------------------------------------------------


def test_resetting_2fa_removes_the_devices(client_for, cast):
    TOTPDevice.objects.create(user=cast.auditor, name="phone", confirmed=True)
    client = client_for(cast.admin)
    page = client.get(reverse("accounts:user_detail", args=[cast.auditor.pk])).content.decode()
    assert reverse("accounts:user_reset_2fa", args=[cast.auditor.pk]) in page
    response = client.post(reverse("accounts:user_reset_2fa", args=[cast.auditor.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.auditor).exists()
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_id) == ("security", str(cast.auditor.pk))


def test_resetting_2fa_is_post_only(client_for, cast):
    TOTPDevice.objects.create(user=cast.auditor, name="phone", confirmed=True)
    response = client_for(cast.admin).get(reverse("accounts:user_reset_2fa", args=[cast.auditor.pk]))
    assert response.status_code == 405
    assert TOTPDevice.objects.filter(user=cast.auditor).exists()


# --- role policies -------------------------------------------------------------------------------------------


def test_role_policies_show_a_labelled_checkbox_per_role(client_for, cast):
    response = client_for(cast.admin).get(reverse("accounts:role_policies"))
    html = response.content.decode()
    assert response.status_code == 200
    for role in Role.values:
        assert f'<label for="id_require_2fa_{role}">' in html


def test_saving_role_policies(client_for, cast):
    RolePolicy.objects.update(require_2fa=False)
    response = client_for(cast.admin).post(
        reverse("accounts:role_policies"), {"require_2fa_admin": "on", "require_2fa_auditor": "on"}
    )
    assert response.status_code == 302
    required = set(RolePolicy.objects.filter(require_2fa=True).values_list("role", flat=True))
    assert required == {"admin", "auditor"}
    assert AuditEntry.objects.filter(object_type="accounts.rolepolicy").count() == 2
