"""Offices and departments pages: the tree, an office's page, the administrators' forms."""

import re

import pytest
from django.urls import reverse

from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.core.models import AuditEntry, Department, Office
from prokuratura.core.tests.factories import DepartmentFactory, OfficeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _office_post(**overrides):
    data = {
        "code": "AST-02",
        "level": Office.Level.DISTRICT,
        "parent": "",
        "region": "",
        "name_kk": "Сарыарқа ауданының прокуратурасы",
        "name_ru": "Прокуратура района Сарыарка",
        "name_en": "Saryarka district prosecutor's office",
        "is_active": "on",
    }
    return data | {key: str(value) for key, value in overrides.items()}


# --- the tree ------------------------------------------------------------------------------------------------


def test_the_tree_nests_district_offices_under_regional_ones(client_for, cast, offices):
    response = client_for(cast.prosecutor_almaty).get(reverse("core:office_list"))
    assert response.status_code == 200
    html = response.content.decode()
    # GPO, then Astana with its district inside a nested list, then Almaty.
    positions = [
        html.index(name) for name in ("Prosecutor General", "Astana city", "Yesil district", "Almaty city")
    ]
    assert positions == sorted(positions)
    astana_item = html[html.index("Astana city") : html.index("Almaty city")]
    assert "<ul>" in astana_item and "Yesil district" in astana_item
    assert "Regional office" in html and "District office" in html


def test_the_tree_shows_the_staff_count(client_for, cast, offices):
    UserFactory(office=offices.astana_district, is_active=False)  # inactive staff are not counted
    response = client_for(cast.admin).get(reverse("core:office_list"))
    html = re.sub(r"\s+", " ", response.content.decode())
    # Astana district: prosecutor_astana only.
    district = html[html.index("Yesil district") :]
    assert "1 staff member" in district[: district.index("</li>")]


def test_the_tree_takes_a_fixed_number_of_queries(client_for, cast, offices, django_assert_num_queries):
    client = client_for(cast.analyst)
    client.get(reverse("core:office_list"))  # warm the session
    for n in range(5):
        OfficeFactory(code=f"ALA-{n:02d}", level=Office.Level.DISTRICT, parent=offices.almaty)
        UserFactory(office=offices.almaty)
    # Six for every signed-in page (session, user, two OTP device look-ups, roles, role policy), then the
    # regions for the filter and the whole tree in one.
    with django_assert_num_queries(8):
        response = client.get(reverse("core:office_list"))
    assert response.content.decode().count("ALA-0") == 0  # codes are not shown, names are
    assert response.context["tree"][0].children[1].office.code == "ALA"
    assert len(response.context["tree"][0].children[1].children) == 5


def test_filtering_by_region_keeps_the_ancestors_for_context(
    client_for, cast, offices, django_assert_num_queries
):
    client = client_for(cast.analyst)
    client.get(reverse("core:office_list"))
    region = offices.astana.region
    # One more than unfiltered: the region named in the query string. The tree is still one query.
    with django_assert_num_queries(9):
        response = client.get(reverse("core:office_list"), {"region": region.pk})
    tree = response.context["tree"]
    assert [node.office.code for node in tree] == ["GPO"]
    assert tree[0].matched is False  # shown for context only
    assert [node.office.code for node in tree[0].children] == ["AST"]
    assert tree[0].children[0].matched is True
    assert "Almaty city" not in response.content.decode()


def test_searching_by_name_in_any_language_or_by_code(client_for, cast, offices):
    client = client_for(cast.analyst)
    Office.objects.filter(pk=offices.almaty.pk).update(name_kk="Алматы қаласының прокуратурасы")
    response = client.get(reverse("core:office_list"), {"q": "алматы"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Almaty city" in html
    assert "Yesil district" not in html and "Astana city" not in html
    response = client.get(reverse("core:office_list"), {"q": "ast-01"})
    tree = response.context["tree"]
    assert tree[0].children[0].children[0].office.code == "AST-01"
    assert "Almaty city" not in response.content.decode()


def test_a_search_without_matches_says_so(client_for, cast, offices):
    response = client_for(cast.analyst).get(reverse("core:office_list"), {"q": "no such office"})
    assert response.status_code == 200
    assert "No office matches these filters." in response.content.decode()


def test_an_unknown_region_is_a_400_with_the_form_error(client_for, cast, offices):
    response = client_for(cast.analyst).get(reverse("core:office_list"), {"region": "999999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_staff_without_a_role_may_not_see_offices(client_for, cast):
    assert client_for(cast.outsider).get(reverse("core:office_list")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, offices):
    response = client.get(reverse("core:office_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- one office ----------------------------------------------------------------------------------------------


def test_the_office_page_shows_breadcrumbs_children_departments_and_staff(client_for, cast, offices):
    DepartmentFactory(office=offices.astana, code="CRIM", name_en="Criminal prosecution department")
    response = client_for(cast.head_astana).get(reverse("core:office_detail", args=[offices.astana.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("core:office_detail", args=[offices.gpo.pk]) in html  # breadcrumb to the parent
    assert [o.code for o in response.context["ancestors"]] == ["GPO"]
    assert [o.code for o in response.context["children"]] == ["AST-01"]
    assert "Criminal prosecution department" in html
    assert {u.username for u in response.context["staff"]} == {"registrar_astana", "head_astana"}
    assert reverse("core:office_edit", args=[offices.astana.pk]) not in html  # heads do not manage offices


def test_staff_shown_on_an_office_page_follow_user_visibility(client_for, cast, offices):
    # A prosecutor in Almaty may see the Astana office but none of its people (user_list shows their subtree).
    response = client_for(cast.prosecutor_almaty).get(reverse("core:office_detail", args=[offices.astana.pk]))
    assert response.status_code == 200
    assert response.context["staff"] == []


def test_an_unknown_office_is_404(client_for, cast):
    assert client_for(cast.admin).get(reverse("core:office_detail", args=[999_999])).status_code == 404


# --- administrators' forms -----------------------------------------------------------------------------------


def test_an_administrator_adds_an_office(client_for, cast, offices):
    response = client_for(cast.admin).post(reverse("core:office_add"), _office_post(parent=offices.astana.pk))
    office = Office.objects.get(code="AST-02")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:office_detail", args=[office.pk])
    assert office.is_within(offices.astana)
    assert AuditEntry.objects.filter(
        object_type="core.office", object_id=str(office.pk), action="create"
    ).exists()


def test_a_district_office_under_the_gpo_is_refused_with_the_services_message(client_for, cast, offices):
    count = Office.objects.count()
    response = client_for(cast.admin).post(reverse("core:office_add"), _office_post(parent=offices.gpo.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["parent"] == [
        "A district office must report to a regional office."
    ]
    assert "A district office must report to a regional office." in response.content.decode()
    assert Office.objects.count() == count


def test_a_duplicate_office_code_is_refused(client_for, cast, offices):
    count = Office.objects.count()
    response = client_for(cast.admin).post(
        reverse("core:office_add"), _office_post(code="AST-01", parent=offices.astana.pk)
    )
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert Office.objects.count() == count


def test_an_office_under_its_own_descendant_is_refused(client_for, cast, offices):
    before = Office.objects.get(pk=offices.astana.pk)
    data = _office_post(
        code="AST", level=Office.Level.REGIONAL, parent=offices.astana_district.pk, name_en="Astana city"
    )
    response = client_for(cast.admin).post(reverse("core:office_edit", args=[offices.astana.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["parent"] == [
        "An office cannot report to itself or to an office below it."
    ]
    after = Office.objects.get(pk=offices.astana.pk)
    assert (after.parent_id, after.path, after.name_en) == (before.parent_id, before.path, before.name_en)


def test_an_administrator_edits_an_office(client_for, cast, offices):
    data = _office_post(
        code="ALA",
        level=Office.Level.REGIONAL,
        parent=offices.gpo.pk,
        name_en="Almaty city prosecutor's office (new)",
    )
    response = client_for(cast.admin).post(reverse("core:office_edit", args=[offices.almaty.pk]), data)
    assert response.status_code == 302
    assert Office.objects.get(pk=offices.almaty.pk).name_en == "Almaty city prosecutor's office (new)"
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.changes["name_en"]["before"] == "Almaty city prosecutor's office"
    assert entry.actor_id == cast.admin.pk


def test_the_edit_form_shows_the_current_values(client_for, cast, offices):
    response = client_for(cast.admin).get(reverse("core:office_edit", args=[offices.astana.pk]))
    assert response.status_code == 200
    assert 'value="AST"' in response.content.decode()


@pytest.mark.parametrize("who", ["head_gpo", "auditor", "prosecutor_astana"])
def test_others_get_403_on_every_write_view(client_for, cast, offices, who):
    client = client_for(getattr(cast, who))
    department = DepartmentFactory(office=offices.gpo)
    urls = [
        reverse("core:office_add"),
        reverse("core:office_edit", args=[offices.astana.pk]),
        reverse("core:department_add", args=[offices.astana.pk]),
        reverse("core:department_edit", args=[department.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, _office_post()).status_code == 403
    assert not Office.objects.filter(code="AST-02").exists()


def test_unknown_pks_are_404_on_write_views(client_for, cast):
    client = client_for(cast.admin)
    for name in ("core:office_edit", "core:department_add", "core:department_edit"):
        assert client.get(reverse(name, args=[999_999])).status_code == 404


def test_an_administrator_adds_and_edits_a_department(client_for, cast, offices):
    client = client_for(cast.admin)
    post = {
        "code": "INTL",
        "name_kk": "Халықаралық",
        "name_ru": "Международный",
        "name_en": "International",
        "is_active": "on",
    }
    response = client.post(reverse("core:department_add", args=[offices.gpo.pk]), post)
    assert response.status_code == 302
    department = Department.objects.get(office=offices.gpo, code="INTL")
    response = client.post(
        reverse("core:department_edit", args=[department.pk]), post | {"name_en": "Foreign relations"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:office_detail", args=[offices.gpo.pk])
    assert Department.objects.get(pk=department.pk).name_en == "Foreign relations"
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.changes == {"name_en": {"before": "International", "after": "Foreign relations"}}


def test_a_duplicate_department_code_is_a_form_error(client_for, cast, offices):
    DepartmentFactory(office=offices.gpo, code="INTL")
    post = {"code": "INTL", "name_kk": "x", "name_ru": "x", "name_en": "x"}
    response = client_for(cast.admin).post(reverse("core:department_add", args=[offices.gpo.pk]), post)
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == ["This office already has a department with this code."]
    assert Department.objects.filter(office=offices.gpo, code="INTL").count() == 1


def test_a_department_form_missing_names_is_400(client_for, cast, offices):
    response = client_for(cast.admin).post(
        reverse("core:department_add", args=[offices.gpo.pk]), {"code": "X"}
    )
    assert response.status_code == 400
    assert not Department.objects.filter(code="X").exists()
