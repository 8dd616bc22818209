"""The administrators' appeals settings: rule values, topics, routing rules, letter templates."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.appeals.forms import StaffRegistrationForm
from prokuratura.appeals.models import AppealRule, LetterTemplate, RoutingRule, Topic
from prokuratura.appeals.rules import rule, rules_changed
from prokuratura.appeals.services import settings as settings_services
from prokuratura.appeals.tests.factories import register
from prokuratura.core.audit import audit_verify
from prokuratura.core.calendar import add_working_days
from prokuratura.core.models import AuditEntry
from prokuratura.core.navigation import items_for
from prokuratura.core.tests.factories import DepartmentFactory

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
THURSDAY = dt.datetime(2024, 5, 2, 10, 0, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rules():
    """The rule values are cached per process; a rolled-back test must not leave its values behind."""
    rules_changed()
    yield
    rules_changed()


@pytest.fixture
def world(offices, cast):
    """A routing rule and a department for the screens that edit one."""
    department = DepartmentFactory(office=offices.astana_district, code="CIV", name_en="Civil department")
    routing_rule = RoutingRule.objects.create(
        region=offices.astana.region, office=offices.astana, priority=50
    )
    return department, routing_rule


def _entries(object_type, action=None):
    entries = AuditEntry.objects.filter(object_type=object_type)
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("id")


def _screens(routing_rule):
    topic = Topic.objects.get(code="labour")
    return [
        reverse("appeals:settings"),
        reverse("appeals:rule_list"),
        reverse("appeals:rule_edit", args=["review_working_days"]),
        reverse("appeals:topic_list"),
        reverse("appeals:topic_add"),
        reverse("appeals:topic_edit", args=[topic.pk]),
        reverse("appeals:routing_list"),
        reverse("appeals:routing_add"),
        reverse("appeals:routing_edit", args=[routing_rule.pk]),
        reverse("appeals:routing_delete", args=[routing_rule.pk]),
        reverse("appeals:template_list"),
        reverse("appeals:template_edit", args=["answer", "ru"]),
    ]


# --- who may do what -----------------------------------------------------------------------------------------


def test_an_administrator_opens_every_settings_screen(client_for, cast, world):
    client = client_for(cast.admin)
    for url in _screens(world[1]):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'<main id="main"' in response.content


@pytest.mark.parametrize("who", ["registrar_astana", "prosecutor_astana", "head_gpo", "auditor"])
def test_other_staff_are_refused_every_screen_and_change_nothing(client_for, cast, world, who):
    client = client_for(getattr(cast, who))
    rule_before = AppealRule.objects.get(code="review_working_days").value
    for url in _screens(world[1]):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"value": "10", "subject": "x", "body": "x"}).status_code == 403, url
    assert AppealRule.objects.get(code="review_working_days").value == rule_before
    assert RoutingRule.objects.filter(pk=world[1].pk).exists()
    assert not AuditEntry.objects.filter(object_type__startswith="appeals.").exclude(
        object_type="appeals.appeal"
    )


def test_anonymous_users_are_sent_to_sign_in(client, world):
    for url in _screens(world[1]):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_menu_offers_the_settings_to_administrators_only(cast):
    assert "appeals:settings" in {item["name"] for item in items_for(cast.admin)}
    for user in (cast.registrar_astana, cast.prosecutor_astana, cast.head_gpo):
        assert "appeals:settings" not in {item["name"] for item in items_for(user)}


# --- rules ---------------------------------------------------------------------------------------------------


def test_a_rule_change_takes_effect_on_the_next_registration(client_for, cast):
    before = register(by=cast.registrar_astana, received_at=THURSDAY)
    assert before.due_date == add_working_days(dt.date(2024, 5, 2), 15)

    response = client_for(cast.admin).post(
        reverse("appeals:rule_edit", args=["review_working_days"]),
        {"value": "10", "reason": "Law No. 123-VIII of 1 May 2024"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("appeals:rule_list")

    after = register(by=cast.registrar_astana, received_at=THURSDAY)
    assert after.due_date == add_working_days(dt.date(2024, 5, 2), 10)
    assert after.due_date < before.due_date
    before.refresh_from_db()
    assert before.due_date == add_working_days(dt.date(2024, 5, 2), 15)  # deadlines already set stay

    entry = _entries("appeals.appealrule", AuditEntry.Action.UPDATE).get()
    assert entry.changes == {"value": {"before": 15, "after": 10}}
    assert entry.reason == "Law No. 123-VIII of 1 May 2024"
    assert entry.actor == cast.admin
    assert audit_verify().intact


def test_the_rule_form_shows_the_source_read_only(client_for, cast):
    response = client_for(cast.admin).get(reverse("appeals:rule_edit", args=["review_working_days"]))
    content = response.content.decode()
    assert "APPC art. 76 p. 1" in content
    assert 'name="value"' in content and 'min="1"' in content and 'max="60"' in content
    for readonly in ("code", "unit", "description", "legal_source"):
        assert f'name="{readonly}"' not in content


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("review_working_days", "0"),
        ("review_working_days", "-5"),
        ("review_working_days", "61"),
        ("review_working_days", "ten"),
        ("extension_max_months", "13"),
        ("registration_cutoff_hour", "24"),
        ("attachment_max_count", "0"),
    ],
)
def test_a_rule_value_out_of_bounds_is_refused_and_changes_nothing(client_for, cast, code, value):
    stored = AppealRule.objects.get(code=code).value
    response = client_for(cast.admin).post(reverse("appeals:rule_edit", args=[code]), {"value": value})
    assert response.status_code == 400
    assert 'class="errorlist" id="id_value_errors"' in response.content.decode()
    assert AppealRule.objects.get(code=code).value == stored
    assert rule(code) == stored
    assert not _entries("appeals.appealrule").exists()


def test_the_service_enforces_the_bounds_by_itself(cast):
    row = AppealRule.objects.get(code="review_working_days")
    for value in (0, -1, 61):
        with pytest.raises(ValidationError) as error:
            settings_services.appeal_rule_update(by=cast.admin, rule=row, value=value)
        assert "value" in error.value.message_dict
    assert AppealRule.objects.get(code="review_working_days").value == 15
    # Hour 0 is meaningful for the cut-off (every appeal goes to the next working day); unknown codes get 1..1000.
    cutoff = AppealRule.objects.get(code="registration_cutoff_hour")
    settings_services.appeal_rule_update(by=cast.admin, rule=cutoff, value=0)
    assert rule("registration_cutoff_hour") == 0
    assert settings_services.rule_bounds("some_future_rule") == (1, 1000)


def test_saving_the_same_value_writes_no_audit_entry(cast):
    row = AppealRule.objects.get(code="review_working_days")
    settings_services.appeal_rule_update(by=cast.admin, rule=row, value=15)
    assert not _entries("appeals.appealrule").exists()


def test_an_unknown_rule_is_404(client_for, cast):
    assert client_for(cast.admin).get(reverse("appeals:rule_edit", args=["no_such_rule"])).status_code == 404


# --- topics --------------------------------------------------------------------------------------------------


TOPIC_DATA = {
    "code": "migration",
    "name_kk": "Көші-қон",
    "name_ru": "Миграция",
    "name_en": "Migration",
    "ordering": "15",
    "is_active": "on",
}


def test_an_administrator_adds_a_topic_that_registration_then_offers(client_for, cast):
    response = client_for(cast.admin).post(reverse("appeals:topic_add"), TOPIC_DATA)
    assert response.status_code == 302
    topic = Topic.objects.get(code="migration")
    assert (topic.name_ru, topic.ordering, topic.is_active) == ("Миграция", 15, True)
    assert topic in StaffRegistrationForm().fields["topic"].queryset
    entry = _entries("appeals.topic", AuditEntry.Action.CREATE).get()
    assert entry.object_id == str(topic.pk)
    assert entry.changes["name_en"] == {"before": None, "after": "Migration"}


def test_the_add_form_proposes_a_place_after_the_last_topic(client_for, cast):
    last = Topic.objects.order_by("-ordering").first().ordering
    response = client_for(cast.admin).get(reverse("appeals:topic_add"))
    assert response.context["form"].initial["ordering"] == last + 10


def test_renaming_reordering_and_deactivating_a_topic(client_for, cast):
    topic = Topic.objects.get(code="labour")
    register(by=cast.registrar_astana, topic=topic)  # in use: it stays, only inactive
    data = {
        "code": "renamed",  # ignored: the code is fixed
        "name_kk": topic.name_kk,
        "name_ru": topic.name_ru,
        "name_en": "Labour relations",
        "ordering": "500",
    }
    response = client_for(cast.admin).post(reverse("appeals:topic_edit", args=[topic.pk]), data)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.code, topic.name_en, topic.ordering, topic.is_active) == (
        "labour",
        "Labour relations",
        500,
        False,
    )
    assert topic not in StaffRegistrationForm().fields["topic"].queryset
    entry = _entries("appeals.topic", AuditEntry.Action.UPDATE).get()
    assert entry.changes == {
        "is_active": {"before": True, "after": False},
        "name_en": {"before": "Labour", "after": "Labour relations"},
        "ordering": {"before": 0, "after": 500},
    }


def test_the_service_refuses_to_change_a_topic_code(cast):
    topic = Topic.objects.get(code="labour")
    with pytest.raises(ValidationError) as error:
        settings_services.topic_update(by=cast.admin, topic=topic, data={"code": "work"})
    assert "code" in error.value.message_dict
    assert Topic.objects.filter(code="labour").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "Bad Code!"}, "code"),
        ({"code": "labour"}, "code"),  # taken
        ({"name_ru": ""}, "name_ru"),
        ({"ordering": "-1"}, "ordering"),
    ],
)
def test_an_invalid_topic_is_refused_and_nothing_is_created(client_for, cast, overrides, field):
    count = Topic.objects.count()
    response = client_for(cast.admin).post(reverse("appeals:topic_add"), {**TOPIC_DATA, **overrides})
    assert response.status_code == 400
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert Topic.objects.count() == count
    assert not _entries("appeals.topic").exists()


def test_the_topic_service_validates_the_code_itself(cast):
    with pytest.raises(ValidationError) as error:
        settings_services.topic_create(
            by=cast.admin, data={"code": "Has Space", "name_kk": "a", "name_ru": "b", "name_en": "c"}
        )
    assert "code" in error.value.message_dict


# --- routing rules -------------------------------------------------------------------------------------------


def _routing_data(offices, **overrides):
    data = {
        "region": str(offices.astana.region.pk),
        "topic": str(Topic.objects.get(code="labour").pk),
        "office": str(offices.astana_district.pk),
        "department": "",
        "priority": "10",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_a_new_routing_rule_routes_the_next_registration(client_for, cast, offices, world):
    department, _rule = world
    data = _routing_data(offices, department=str(department.pk))
    response = client_for(cast.admin).post(reverse("appeals:routing_add"), data)
    assert response.status_code == 302
    created = RoutingRule.objects.get(topic__code="labour")
    appeal = register(by=cast.registrar_astana, region=offices.astana.region, topic=created.topic)
    assert (appeal.office, appeal.department) == (offices.astana_district, department)
    entry = _entries("appeals.routingrule", AuditEntry.Action.CREATE).get()
    assert entry.changes["office"] == {"before": None, "after": offices.astana_district.pk}
    assert entry.changes["department"] == {"before": None, "after": department.pk}


def test_a_department_of_another_office_is_refused(client_for, cast, offices, world):
    department, routing_rule = world  # the department belongs to the Astana district office
    count = RoutingRule.objects.count()
    data = _routing_data(offices, office=str(offices.almaty.pk), department=str(department.pk))
    client = client_for(cast.admin)
    response = client.post(reverse("appeals:routing_add"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_department_errors"' in content and "belongs to another office" in content
    assert RoutingRule.objects.count() == count

    response = client.post(reverse("appeals:routing_edit", args=[routing_rule.pk]), data)
    assert response.status_code == 400
    routing_rule.refresh_from_db()
    assert (routing_rule.office, routing_rule.department) == (offices.astana, None)
    assert not _entries("appeals.routingrule").exists()


def test_an_active_rule_to_a_closed_office_is_refused(cast, offices):
    offices.almaty.is_active = False
    offices.almaty.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as error:
        settings_services.routing_rule_create(by=cast.admin, data={"office": offices.almaty, "priority": 1})
    assert "office" in error.value.message_dict
    # An inactive rule may name it (kept for the record, switched on again when the office reopens).
    settings_services.routing_rule_create(
        by=cast.admin, data={"office": offices.almaty, "priority": 1, "is_active": False}
    )


def test_editing_a_routing_rule_audits_before_and_after(client_for, cast, offices, world):
    _department, routing_rule = world
    data = _routing_data(offices, topic="", office=str(offices.astana.pk), priority="70")
    response = client_for(cast.admin).post(reverse("appeals:routing_edit", args=[routing_rule.pk]), data)
    assert response.status_code == 302
    routing_rule.refresh_from_db()
    assert routing_rule.priority == 70
    entry = _entries("appeals.routingrule", AuditEntry.Action.UPDATE).get()
    assert entry.changes == {"priority": {"before": 50, "after": 70}}


def test_deleting_a_routing_rule_asks_first_then_audits(client_for, cast, offices, world):
    _department, routing_rule = world
    client = client_for(cast.admin)
    url = reverse("appeals:routing_delete", args=[routing_rule.pk])
    assert client.get(url).status_code == 200
    assert RoutingRule.objects.filter(pk=routing_rule.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not RoutingRule.objects.filter(pk=routing_rule.pk).exists()
    entry = _entries("appeals.routingrule", AuditEntry.Action.DELETE).get()
    assert entry.object_id == str(routing_rule.pk)
    assert entry.changes["office"] == {"before": offices.astana.pk, "after": None}
    assert entry.changes["priority"] == {"before": 50, "after": None}
    assert client.post(url).status_code == 404


def test_the_routing_list_costs_the_same_queries_for_one_rule_or_many(
    client_for, cast, offices, world, django_assert_num_queries
):
    client = client_for(cast.admin)
    url = reverse("appeals:routing_list")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    base = len(queries.captured_queries)
    department = world[0]
    for topic in Topic.objects.all()[:5]:
        RoutingRule.objects.create(topic=topic, office=offices.astana_district, department=department)
    with django_assert_num_queries(base):
        response = client.get(url)
    assert len(response.context["rows"]) == 6


# --- letter templates ----------------------------------------------------------------------------------------


def _template_url(kind="answer", language="ru"):
    return reverse("appeals:template_edit", args=[kind, language])


def test_an_administrator_edits_a_letter_template(client_for, cast):
    old = LetterTemplate.objects.get(kind="answer", language="ru")
    body = "Уважаемый(ая) {{ appeal.applicant_name }}!\r\n\r\nОтвет: {{ appeal.answer_text }}"
    response = client_for(cast.admin).post(
        _template_url(), {"subject": "Ответ № {{ appeal.reg_number }}", "body": body, "save": "1"}
    )
    assert response.status_code == 302
    row = LetterTemplate.objects.get(kind="answer", language="ru")
    assert row.subject == "Ответ № {{ appeal.reg_number }}"
    assert row.body == "Уважаемый(ая) {{ appeal.applicant_name }}!\n\nОтвет: {{ appeal.answer_text }}"
    entry = _entries("appeals.lettertemplate", AuditEntry.Action.UPDATE).get()
    assert entry.changes["subject"] == {"before": old.subject, "after": row.subject}
    assert entry.changes["body"] == {"before": old.body, "after": row.body}
    assert set(entry.changes) == {"subject", "body"}


@pytest.mark.parametrize(
    ("field", "broken"),
    [
        ("body", "Ваше обращение {% if appeal.reg_number %} рассмотрено."),
        ("subject", "Ответ {{ appeal|nosuch }}"),
    ],
)
def test_a_template_with_a_syntax_error_is_refused_and_changes_nothing(client_for, cast, field, broken):
    old = LetterTemplate.objects.get(kind="answer", language="ru")
    data = {"subject": old.subject, "body": old.body, "save": "1", field: broken}
    response = client_for(cast.admin).post(_template_url(), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert f'id="id_{field}_errors"' in content and "The template has an error" in content
    row = LetterTemplate.objects.get(kind="answer", language="ru")
    assert (row.subject, row.body) == (old.subject, old.body)
    assert not _entries("appeals.lettertemplate").exists()


def test_a_missing_template_can_be_written(client_for, cast):
    LetterTemplate.objects.filter(kind="receipt", language="en").delete()
    client = client_for(cast.admin)
    listing = client.get(reverse("appeals:template_list")).content.decode()
    assert "Missing" in listing
    response = client.post(
        _template_url("receipt", "en"), {"subject": "Receipt {{ appeal.reg_number }}", "body": "Registered."}
    )
    assert response.status_code == 302
    assert LetterTemplate.objects.filter(kind="receipt", language="en").exists()
    assert _entries("appeals.lettertemplate", AuditEntry.Action.CREATE).count() == 1


def test_an_unknown_kind_or_language_is_404(client_for, cast):
    client = client_for(cast.admin)
    assert client.get(_template_url("nosuch", "ru")).status_code == 404
    assert client.get(_template_url("answer", "de")).status_code == 404


def test_preview_with_the_sample_appeal_saves_nothing(client_for, cast):
    old = LetterTemplate.objects.get(kind="extension", language="en")
    data = {
        "subject": "Extension for {{ appeal.reg_number }}",
        "body": "Extended until {{ appeal.extended_until|date:'d.m.Y' }}.\n\nReason: {{ appeal.extension_reason }}",
        "preview": "1",
    }
    response = client_for(cast.admin).post(_template_url("extension", "en"), data)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.appeal.pk is None
    assert preview.subject == f"Extension for {preview.appeal.reg_number}"
    assert preview.paragraphs[1] == "Reason: Documents were requested from the employer."
    assert "Documents were requested from the employer." in response.content.decode()
    row = LetterTemplate.objects.get(kind="extension", language="en")
    assert (row.subject, row.body) == (old.subject, old.body)
    assert not _entries("appeals.lettertemplate").exists()


def test_preview_of_a_broken_template_shows_the_error(client_for, cast):
    data = {"subject": "ok", "body": "{% for x in %}", "preview": "1"}
    response = client_for(cast.admin).post(_template_url(), data)
    assert response.status_code == 400
    assert response.context["preview"] is None
    assert 'id="id_body_errors"' in response.content.decode()


def test_preview_with_a_real_appeal_needs_the_right_to_see_it(client_for, cast, offices):
    appeal = register(by=cast.registrar_astana, applicant_name="Асанов Серик")
    data = {"subject": "№ {{ appeal.reg_number }}", "body": "{{ appeal.applicant_name }}", "preview": "1"}
    data["preview_number"] = appeal.reg_number

    # The plain administrator may not read appeals, so cannot preview with one.
    response = client_for(cast.admin).post(_template_url(), data)
    assert response.status_code == 400
    assert 'id="id_preview_number_errors"' in response.content.decode()

    # An administrator who is also a head at the GPO sees every appeal below it.
    admin_head = UserFactory(username="admin_head", office=offices.gpo, roles=[Role.ADMIN, Role.HEAD])
    response = client_for(admin_head).post(_template_url(), data)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.subject, preview.body) == (f"№ {appeal.reg_number}", "Асанов Серик")

    data["preview_number"] = "NOPE-2024-000001"
    assert client_for(admin_head).post(_template_url(), data).status_code == 400


def test_the_audit_chain_stays_intact_after_settings_changes(cast, offices, world):
    department, routing_rule = world
    settings_services.appeal_rule_update(
        by=cast.admin, rule=AppealRule.objects.get(code="forwarding_working_days"), value=5
    )
    settings_services.topic_create(
        by=cast.admin, data={"code": "water", "name_kk": "Су", "name_ru": "Вода", "name_en": "Water"}
    )
    settings_services.routing_rule_update(
        by=cast.admin,
        routing_rule=routing_rule,
        data={"office": offices.astana_district, "department": department},
    )
    settings_services.letter_template_update(
        by=cast.admin, kind="receipt", language="kk", subject="№ {{ appeal.reg_number }}", body="OK"
    )
    settings_services.routing_rule_delete(by=cast.admin, routing_rule=routing_rule)
    assert rule("forwarding_working_days") == 5
    report = audit_verify()
    assert report.intact and report.checked >= 5


def test_rule_names_and_values_are_shown_in_the_readers_language(client_for, cast):
    from django.utils import translation

    client = client_for(cast.admin)
    client.cookies["django_language"] = "ru"
    with translation.override("ru"):
        page = client.get(reverse("appeals:rule_list"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Срок рассмотрения обращения" in page and "15 рабочих дней" in page
    assert "Time limit for considering an appeal" not in page
    assert "review_term_from_receipt" in page and ">да<" in page
