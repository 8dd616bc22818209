"""The counterparts pages: permissions, the tree and the search in Russian and Kazakh, a counterpart's page, the
administrators' add and edit forms (bad input: the message next to the field, nothing saved), the topics."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..models import Counterpart, CounterpartKind

pytestmark = pytest.mark.django_db
LIST = reverse("relations:counterpart_list")


def test_list_needs_the_permission(cast, client_for):
    assert client_for(cast.analyst).get(LIST).status_code == 403
    assert client_for(cast.outsider).get(LIST).status_code == 403


def test_tree_lists_the_hierarchy(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.intl_officer)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "United Nations" in page and "Special Rapporteur on torture" in page
    assert 'class="depth-3"' in page
    assert reverse("relations:counterpart_add") not in page  # not an administrator


def test_search_in_russian_and_kazakh(cast, client_for):
    client = client_for(cast.prosecutor_astana)
    page = client.get(LIST, {"q": "программный офис обсе"}).content.decode()
    osce_astana = Counterpart.objects.get(code="osce-astana")
    assert f'id="counterpart-{osce_astana.pk}"' in page
    assert "United Nations Children" not in page
    page = client.get(LIST, {"q": "БҰҰ", "kind": CounterpartKind.ORGANISATION}).content.decode()
    assert "United Nations" in page and "Human Rights Council" not in page
    page = client.get(LIST, {"q": "nothing like this at all"}).content.decode()
    assert "No counterpart matches this search." in page


def test_detail_page(cast, client_for):
    torture = Counterpart.objects.get(code="sr-torture")
    client = client_for(cast.intl_officer)
    response = client.get(reverse("relations:counterpart_detail", args=[torture.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Специальный докладчик по вопросу о пытках" in page and "Human Rights Council" in page
    assert client.get(reverse("relations:counterpart_detail", args=[10**9])).status_code == 404


def test_add_and_edit_by_an_administrator(cast, client_for):
    add = reverse("relations:counterpart_add")
    assert client_for(cast.intl_officer).get(add).status_code == 403
    client = client_for(cast.admin)
    assert client.get(add).status_code == 200
    un = Counterpart.objects.get(code="un")
    form = {
        "code": "test-mandate",
        "kind": CounterpartKind.MANDATE,
        "parent": un.pk,
        "mandate_kind": "special_rapporteur",
        "name_kk": "Сынақ баяндамашысы",
        "name_ru": "Тестовый докладчик",
        "name_en": "Test Rapporteur",
        "aliases": "TR\nТД",
        "is_active": "on",
    }
    response = client.post(add, form)
    assert response.status_code == 400
    assert "A mandate belongs to a body" in response.content.decode()
    assert not Counterpart.objects.filter(code="test-mandate").exists()
    form["parent"] = Counterpart.objects.get(code="hrc-special-procedures").pk
    response = client.post(add, form)
    created = Counterpart.objects.get(code="test-mandate")
    assert response.status_code == 302 and response["Location"].endswith(f"/counterparts/{created.pk}/")
    edit = reverse("relations:counterpart_edit", args=[created.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {**form, "code": "ignored-change", "name_en": "Test Rapporteur (renamed)"})
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.code, created.name_en) == ("test-mandate", "Test Rapporteur (renamed)")


def test_topics_page(cast, client_for):
    response = client_for(cast.intl_officer).get(reverse("relations:topic_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Crime focus area" in page and "террор*" in page
