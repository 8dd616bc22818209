"""The requests' catalogue: the control terms and the letter templates, read by those who work with requests and by
administrators, corrected by administrators only — a term with its source (audited, in its history), a template
only when it compiles (audited; previewed without saving)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from prokuratura.cooperation.models_requests import RequestTemplate, RequestTerm
from prokuratura.cooperation.request_catalogue_services import request_template_save, request_term_update
from prokuratura.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SOURCE = "Order of the Prosecutor General No. 12 of 01.02.2026, para. 4 (adilet.zan.kz)"


@pytest.fixture
def term():
    return RequestTerm.objects.get(direction="outgoing", kind="mla", milestone="acknowledge")


def _term_post(term, **overrides):
    data = {
        "days": term.days,
        "unit": term.unit,
        "urgent_days": term.urgent_days or "",
        "remind_days_before": term.remind_days_before,
        "legal_source": term.legal_source,
        "legal_source_kk": term.legal_source_kk,
        "legal_source_ru": term.legal_source_ru,
        "note": term.note,
        "source": SOURCE,
    }
    if term.verified:
        data["verified"] = "on"
    data.update(overrides)
    return data


# --- reading ---------------------------------------------------------------------------------------------------------


def test_the_terms_and_templates_are_read_by_staff_as_reference_data(client_for, cast, term):
    for reader in (cast.intl_officer, cast.prosecutor_astana, cast.auditor, cast.admin, cast.analyst):
        client = client_for(reader)
        terms = client.get(reverse("cooperation:request_terms"))
        assert terms.status_code == 200, reader
        assert f'id="term-{term.pk}"' in terms.content.decode()
        templates = client.get(reverse("cooperation:request_templates"))
        assert templates.status_code == 200, reader
        assert templates.content.decode().count("templates-") >= 8
    for stranger in (cast.outsider,):
        assert client_for(stranger).get(reverse("cooperation:request_terms")).status_code == 403, stranger
        assert client_for(stranger).get(reverse("cooperation:request_templates")).status_code == 403, stranger


def test_only_administrators_are_offered_the_edit_links(client_for, cast, term):
    edit = reverse("cooperation:request_term_edit", args=[term.pk])
    assert edit in client_for(cast.admin).get(reverse("cooperation:request_terms")).content.decode()
    assert (
        edit not in client_for(cast.intl_officer).get(reverse("cooperation:request_terms")).content.decode()
    )


# --- terms -----------------------------------------------------------------------------------------------------------


def test_an_administrator_corrects_a_term_with_its_source_audited_and_shown_in_its_history(
    client_for, cast, term
):
    client = client_for(cast.admin)
    url = reverse("cooperation:request_term_edit", args=[term.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _term_post(term, days=45, verified="on"))
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.days == 45 and term.verified
    entry = AuditEntry.objects.filter(object_type="cooperation.requestterm", object_id=str(term.pk)).latest(
        "id"
    )
    assert entry.action == AuditEntry.Action.UPDATE and entry.reason == SOURCE
    assert entry.changes["days"] == {"before": 30, "after": 45}
    assert entry.actor_id == cast.admin.pk
    page = client.get(url).content.decode()
    assert SOURCE in page and 'id="catalogue-history"' in page


def test_a_correction_without_a_source_is_refused_and_changes_nothing(client_for, cast, term):
    url = reverse("cooperation:request_term_edit", args=[term.pk])
    response = client_for(cast.admin).post(url, _term_post(term, days=45, source=""))
    assert response.status_code == 400
    term.refresh_from_db()
    assert term.days == 30
    before = AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).count()
    with pytest.raises(ValidationError) as error:
        request_term_update(by=cast.admin, term=term, changes={"days": 45}, source="  ")
    assert "source" in error.value.message_dict
    term.refresh_from_db()
    assert term.days == 30
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).count() == before + 1


def test_bad_term_values_are_refused_next_to_the_field(client_for, cast, term):
    url = reverse("cooperation:request_term_edit", args=[term.pk])
    client = client_for(cast.admin)
    longer = client.post(url, _term_post(term, urgent_days=term.days + 5))
    assert longer.status_code == 400
    assert "cannot be longer than the usual one" in longer.content.decode()
    zero = client.post(url, _term_post(term, days=0))
    assert zero.status_code == 400
    term.refresh_from_db()
    assert term.days == 30 and term.urgent_days == 10


def test_only_administrators_correct_terms(client_for, cast, term):
    url = reverse("cooperation:request_term_edit", args=[term.pk])
    for user in (cast.intl_officer, cast.head_gpo, cast.auditor):
        assert client_for(user).post(url, _term_post(term, days=45)).status_code == 403, user
    with pytest.raises(PermissionDenied):
        request_term_update(by=cast.head_gpo, term=term, changes={"days": 45}, source=SOURCE)
    term.refresh_from_db()
    assert term.days == 30
    assert (
        client_for(cast.admin).get(reverse("cooperation:request_term_edit", args=[999999])).status_code == 404
    )


# --- templates -------------------------------------------------------------------------------------------------------


def _template_url(kind="mla", document="cover", language="en"):
    return reverse("cooperation:request_template_edit", args=[kind, document, language])


def test_an_administrator_edits_a_template_audited(client_for, cast):
    client = client_for(cast.admin)
    assert client.get(_template_url()).status_code == 200
    body = "The Prosecutor General's Office transmits the request No. {{ request.number }} to {{ request.partner }}."
    response = client.post(
        _template_url(), {"subject": "Transmission {{ request.number }}", "body": body, "save": "1"}
    )
    assert response.status_code == 302
    template = RequestTemplate.objects.get(kind="mla", document="cover", language="en")
    assert template.body == body
    entry = AuditEntry.objects.filter(
        object_type="cooperation.requesttemplate", object_id=str(template.pk)
    ).latest("id")
    assert entry.action == AuditEntry.Action.UPDATE and entry.actor_id == cast.admin.pk
    assert entry.changes["body"]["after"] == body
    assert "Transmission" in client.get(_template_url()).content.decode()


def test_a_template_that_does_not_compile_is_refused_with_the_error(client_for, cast):
    before = RequestTemplate.objects.get(kind="mla", document="cover", language="en").body
    response = client_for(cast.admin).post(
        _template_url(), {"subject": "Title", "body": "{% if request.urgent %}Urgent.", "save": "1"}
    )
    assert response.status_code == 400
    assert "The template has an error" in response.content.decode()
    assert RequestTemplate.objects.get(kind="mla", document="cover", language="en").body == before


@pytest.mark.parametrize("tag", ["{% load static %}", "{% include 'base.html' %}", "{% debug %}"])
def test_a_template_may_not_reach_beyond_its_facts(cast, tag):
    with pytest.raises(ValidationError) as error:
        request_template_save(
            by=cast.admin, kind="mla", document="cover", language="en", subject="Title", body=f"Text {tag}"
        )
    assert "body" in error.value.message_dict


def test_the_preview_renders_on_made_up_facts_without_saving(client_for, cast):
    before = RequestTemplate.objects.get(kind="extradition", document="request", language="ru")
    response = client_for(cast.admin).post(
        _template_url("extradition", "request", "ru"),
        {"subject": before.subject, "body": before.body + "\n\nДополнение.", "preview": "1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="template-preview"' in page and "Государство Образец" in page and "Дополнение." in page
    assert RequestTemplate.objects.get(pk=before.pk).body == before.body


def test_only_administrators_edit_templates(client_for, cast):
    for user in (cast.intl_officer, cast.head_gpo):
        response = client_for(user).post(_template_url(), {"subject": "X", "body": "Y", "save": "1"})
        assert response.status_code == 403, user
    with pytest.raises(PermissionDenied):
        request_template_save(
            by=cast.intl_officer, kind="mla", document="cover", language="en", subject="X", body="Y"
        )
    assert client_for(cast.admin).get(_template_url("memo", "cover", "en")).status_code == 404
    assert client_for(cast.admin).get(_template_url("mla", "cover", "de")).status_code == 404


def test_a_missing_template_is_written_and_its_creation_audited(cast):
    RequestTemplate.objects.filter(kind="mla", document="cover", language="kk").delete()
    created = request_template_save(
        by=cast.admin, kind="mla", document="cover", language="kk", subject="Тақырып", body="Мәтін."
    )
    entry = AuditEntry.objects.filter(
        object_type="cooperation.requesttemplate", object_id=str(created.pk)
    ).get()
    assert entry.action == AuditEntry.Action.CREATE
