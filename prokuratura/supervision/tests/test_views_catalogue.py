"""The supervision catalogue pages: the act types with their limits, sources and verified marks (readable by staff
who read reference data), the administrators' corrections (a source required, audited, shown in the history), the
templates editor, and the places of detention."""

import pytest
from django.urls import reverse

from prokuratura.core.models import AuditEntry, Region
from prokuratura.supervision.models import ActTemplate, ActType, Facility

from .factories import make_facility

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("supervision:catalogue")
FACILITIES = reverse("supervision:facility_list")


def _edit_url(code="protest"):
    return reverse("supervision:act_type_edit", kwargs={"code": code})


def _template_url(code="protest", language="ru"):
    return reverse("supervision:act_template_edit", kwargs={"code": code, "language": language})


def _correction(act_type: ActType, **changes):
    """The correction form as posted: the row's present values with `changes` applied."""
    data = {
        "name_kk": act_type.name_kk,
        "name_ru": act_type.name_ru,
        "name_en": act_type.name_en,
        "answered_by": act_type.answered_by,
        "term_value": act_type.term_value or "",
        "term_unit": act_type.term_unit,
        "legal_source": act_type.legal_source,
        "legal_source_kk": act_type.legal_source_kk,
        "legal_source_ru": act_type.legal_source_ru,
        "source_url": act_type.source_url,
        "note": act_type.note,
        "note_kk": act_type.note_kk,
        "note_ru": act_type.note_ru,
        "source": "",
    }
    for flag in ("end_moves_to_working_day", "verified", "is_active"):
        if getattr(act_type, flag):
            data[flag] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _audit_count(act_type):
    return AuditEntry.objects.filter(object_type="supervision.acttype", object_id=str(act_type.pk)).count()


# --- the act-type catalogue ---------------------------------------------------------------------------------------


def test_the_catalogue_lists_every_type_with_its_limit_source_and_mark(client_for, cast):
    response = client_for(cast.prosecutor_astana).get(CATALOGUE)
    page = response.content.decode()
    assert response.status_code == 200
    for act_type in ActType.objects.all():
        assert f'id="act-type-{act_type.code}"' in page
        assert act_type.name_en in page and act_type.name_ru in page and act_type.name_kk in page
    assert "10 calendar days" in page and "1 month" in page
    assert "https://adilet.zan.kz/rus/docs/Z2200000155" in page
    assert "Unverified" in page
    assert 'id="catalogue-unverified-notice"' in page
    assert "not yet confirmed against the law" in page
    # A prosecutor reads it; only administrators are offered the corrections.
    assert _edit_url() not in page


def test_the_notice_goes_once_every_row_is_verified(client_for, cast):
    ActType.objects.update(verified=True)
    page = client_for(cast.prosecutor_astana).get(CATALOGUE).content.decode()
    assert 'id="catalogue-unverified-notice"' not in page
    assert "Unverified" not in page and "Verified" in page


def test_the_catalogue_is_read_by_staff_and_refused_without_a_role(client_for, cast):
    for user in (cast.prosecutor_astana, cast.head_gpo, cast.analyst, cast.auditor, cast.admin):
        assert client_for(user).get(CATALOGUE).status_code == 200, user
    assert client_for(cast.outsider).get(CATALOGUE).status_code == 403


def test_the_catalogue_page_reads_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries):
    client = client_for(cast.admin)
    # The session, the user, their devices, roles and 2FA policy (6); the act types and their templates (2).
    with django_assert_num_queries(8):
        response = client.get(CATALOGUE)
    assert _edit_url() in response.content.decode()


def test_the_type_page_reads_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries):
    protest = ActType.objects.get(code="protest")
    client = client_for(cast.admin)
    client.post(_edit_url(), _correction(protest, note="Проверено", source="Конституционный закон № 155-VII"))
    # 6 for the session and the user; the type and its templates (2); the history (1).
    with django_assert_num_queries(9):
        response = client.get(reverse("supervision:act_type_detail", kwargs={"code": "protest"}))
    assert "Конституционный закон № 155-VII" in response.content.decode()


def test_an_unknown_type_is_404(client_for, cast):
    client = client_for(cast.admin)
    assert client.get(reverse("supervision:act_type_detail", kwargs={"code": "nope"})).status_code == 404
    assert client.get(_edit_url("nope")).status_code == 404
    assert client.get(_template_url("protest", "en")).status_code == 404


# --- corrections --------------------------------------------------------------------------------------------------


def test_a_correction_without_a_source_is_refused_and_saves_nothing(client_for, cast):
    protest = ActType.objects.get(code="protest")
    audited = _audit_count(protest)
    response = client_for(cast.admin).post(_edit_url(), _correction(protest, term_value="15", source="  "))
    assert response.status_code == 400
    assert 'id="id_source_errors"' in response.content.decode()
    protest.refresh_from_db()
    assert protest.term_value == 10
    assert _audit_count(protest) == audited


def test_a_correction_is_saved_audited_with_its_source_and_shown_in_the_history(client_for, cast):
    protest = ActType.objects.get(code="protest")
    source = "Конституционный закон РК «О прокуратуре» от 05.11.2022 № 155-VII, ст. 40 п. 3 (adilet.zan.kz)"
    client = client_for(cast.admin)
    response = client.post(
        _edit_url(),
        _correction(protest, term_value="15", term_unit="working_days", verified="on", source=source),
    )
    assert response.status_code == 302
    protest.refresh_from_db()
    assert (protest.term_value, protest.term_unit, protest.verified) == (15, "working_days", True)
    entry = AuditEntry.objects.filter(object_type="supervision.acttype", object_id=str(protest.pk)).latest(
        "id"
    )
    assert entry.reason == source
    assert entry.actor_id == cast.admin.pk
    assert entry.changes["term_value"] == {"before": 10, "after": 15}
    assert set(entry.changes) == {"term_value", "term_unit", "verified"}
    # Everyone who reads the catalogue sees the history with the source, the choices by their labels.
    page = client_for(cast.prosecutor_astana).get(response["Location"]).content.decode()
    assert source.replace("«", "&laquo;") in page or source in page
    assert "working days" in page and "calendar days" in page


def test_a_correction_that_breaks_a_rule_is_shown_next_to_the_field(client_for, cast):
    protest = ActType.objects.get(code="protest")
    response = client_for(cast.admin).post(_edit_url(), _correction(protest, term_value="0", source="ст. 40"))
    assert response.status_code == 400
    protest.refresh_from_db()
    assert protest.term_value == 10


def test_posting_the_same_values_changes_nothing(client_for, cast):
    protest = ActType.objects.get(code="protest")
    audited = _audit_count(protest)
    response = client_for(cast.admin).post(_edit_url(), _correction(protest, source="ст. 40"))
    assert response.status_code == 302
    assert _audit_count(protest) == audited


@pytest.mark.parametrize("who", ["prosecutor_astana", "head_gpo", "analyst", "auditor"])
def test_only_administrators_may_correct(client_for, cast, who):
    protest = ActType.objects.get(code="protest")
    client = client_for(getattr(cast, who))
    assert client.get(_edit_url()).status_code == 403
    response = client.post(_edit_url(), _correction(protest, term_value="30", source="ст. 40"))
    assert response.status_code == 403
    protest.refresh_from_db()
    assert protest.term_value == 10
    assert client.post(_template_url(), {"subject": "X", "body": "Y", "save": "1"}).status_code == 403
    assert ActTemplate.objects.get(act_type=protest, language="ru").subject == "ПРОТЕСТ"


# --- templates ----------------------------------------------------------------------------------------------------


def test_the_template_editor_saves_an_audited_template(client_for, cast):
    client = client_for(cast.admin)
    page = client.get(_template_url("warning", "kk")).content.decode()
    assert "Заңды бұзуға жол бермеу туралы ЕСКЕРТУ" in page and 'lang="kk"' in page
    body = "{{ office }} ескертеді.\n\nЗаңда белгіленген мерзімде хабарлау."
    response = client.post(_template_url("warning", "kk"), {"subject": "ЕСКЕРТУ", "body": body, "save": "1"})
    assert response.status_code == 302
    template = ActTemplate.objects.get(act_type__code="warning", language="kk")
    assert (template.subject, template.body) == ("ЕСКЕРТУ", body)
    assert AuditEntry.objects.filter(
        object_type="supervision.acttemplate", object_id=str(template.pk)
    ).exists()
    history = client.get(reverse("supervision:act_type_detail", kwargs={"code": "warning"})).content.decode()
    assert "The template in Қазақша" in history


def test_a_template_that_does_not_compile_is_refused(client_for, cast):
    client = client_for(cast.admin)
    response = client.post(
        _template_url(), {"subject": "ПРОТЕСТ", "body": "{% for v in violations %}без конца", "save": "1"}
    )
    assert response.status_code == 400
    assert "The template has an error" in response.content.decode()
    assert "ТРЕБУЮ" in ActTemplate.objects.get(act_type__code="protest", language="ru").body


def test_the_preview_shows_the_letter_without_saving(client_for, cast):
    client = client_for(cast.admin)
    response = client.post(
        _template_url(),
        {
            "subject": "ПРОТЕСТ НА {{ act.type }}",
            "body": "{% for v in violations %}{{ v.description }}{% endfor %}",
            "preview": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="template-preview"' in page and 'class="letter-sheet" lang="ru"' in page
    assert "не выплачивалась три месяца" in page
    assert ActTemplate.objects.get(act_type__code="protest", language="ru").subject == "ПРОТЕСТ"


# --- places of detention ------------------------------------------------------------------------------------------


def test_the_places_of_detention_are_listed_per_region(client_for, cast, offices, django_assert_num_queries):
    astana = offices.astana.region
    almaty = offices.almaty.region
    make_facility(region=astana, code="sizo-ast-1")
    make_facility(region=almaty, code="ivs-ala-1", kind="temporary")
    client = client_for(cast.prosecutor_astana)
    # 6 for the session and the user; the regions (1); the places with their regions (1).
    with django_assert_num_queries(8):
        page = client.get(FACILITIES).content.decode()
    assert f'id="region-{astana.pk}"' in page and f'id="region-{almaty.pk}"' in page
    assert "sizo-ast-1" in page and "ivs-ala-1" in page
    page = client.get(FACILITIES, {"region": almaty.pk}).content.decode()
    assert "ivs-ala-1" in page and "sizo-ast-1" not in page
    assert reverse("supervision:facility_add") not in page


def test_an_administrator_adds_and_corrects_a_place_of_detention(client_for, cast, offices):
    region = offices.astana.region
    client = client_for(cast.admin)
    data = {
        "code": "sizo-ast-2",
        "kind": "pre_trial",
        "region": region.pk,
        "name_kk": "№ 2 тергеу изоляторы",
        "name_ru": "Следственный изолятор № 2",
        "name_en": "Pre-trial detention centre No. 2",
        "address": "г. Астана",
        "authority": "КУИС МВД",
        "source": "Приказ МВД",
        "is_active": "on",
    }
    assert client.post(reverse("supervision:facility_add"), data).status_code == 302
    facility = Facility.objects.get(code="sizo-ast-2")
    assert (
        AuditEntry.objects.filter(object_type="supervision.facility", object_id=str(facility.pk)).count() == 1
    )
    edit = reverse("supervision:facility_edit", kwargs={"facility_id": facility.pk})
    data.update(code="changed", address="г. Астана, ул. Ж. Нажимеденова, 1")
    data.pop("is_active")
    assert client.post(edit, data).status_code == 302
    facility.refresh_from_db()
    assert facility.code == "sizo-ast-2"  # the code is set once
    assert facility.address == "г. Астана, ул. Ж. Нажимеденова, 1" and not facility.is_active
    # A duplicate code is refused next to the field.
    data["code"] = "sizo-ast-2"
    response = client.post(reverse("supervision:facility_add"), data)
    assert response.status_code == 400 and Facility.objects.filter(code="sizo-ast-2").count() == 1


def test_only_administrators_edit_places_of_detention(client_for, cast, offices):
    facility = make_facility(region=offices.astana.region)
    client = client_for(cast.head_astana)
    assert client.get(reverse("supervision:facility_add")).status_code == 403
    response = client.post(
        reverse("supervision:facility_edit", kwargs={"facility_id": facility.pk}), {"name_ru": "Другое"}
    )
    assert response.status_code == 403
    assert (
        client_for(cast.admin)
        .get(reverse("supervision:facility_edit", kwargs={"facility_id": 999999}))
        .status_code
        == 404
    )
    assert Region.objects.exists()
