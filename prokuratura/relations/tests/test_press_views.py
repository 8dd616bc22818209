"""The press import's pages: upload → review (each item with its sentence) → correct one item → save → one event with
the corrected item; a double submit records nothing more; no date, bad files and permissions."""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prokuratura.relations.models import CounterpartKind, Event

from . import factories

IMPORT = reverse("relations:press_import")
CONFIRM = reverse("relations:press_confirm")
TEXT = (
    "Prosecutor General's Office meets the U.S. Ambassador\n"
    "ASTANA, 22 October 2015 – Deputy Prosecutor General Andrey Kravchenko met U.S. Ambassador George Krol and "
    "representatives of the OSCE. Kazakhstan has concluded 44 bilateral agreements on legal assistance."
)


@pytest.fixture
def reference(db):
    factories.country("US", "United States")
    factories.country("KZ", "Kazakhstan")
    factories.counterpart(
        "osce", name_en="Organization for Security and Co-operation in Europe", abbreviation_en="OSCE"
    )
    factories.counterpart(
        "gpo-kz",
        CounterpartKind.DOMESTIC_AGENCY,
        name_en="Prosecutor General's Office of the Republic of Kazakhstan",
    )


def _post_data(context) -> dict[str, object]:
    """What the browser would send back for the review page as rendered."""
    data: dict[str, object] = {}

    def add(form) -> None:
        for field in form:
            value = field.value()
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            elif isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = value

    add(context["form"])
    for formset in context["formsets"].values():
        add(formset.management_form)
        for row in formset.forms:
            add(row)
    return data


def _review(client, text: str = TEXT, **extra):
    upload = SimpleUploadedFile("item.txt", text.encode(), content_type="text/plain")
    return client.post(IMPORT, {"file": upload, **extra})


def test_upload_review_correct_save_and_double_submit(
    cast, client_for, reference, django_assert_max_num_queries
):
    client = client_for(cast.intl_officer)
    assert client.get(IMPORT).status_code == 200
    with django_assert_max_num_queries(15):
        response = _review(client, published_on="2015-10-22")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Review the draft event" in page and "<mark>Andrey Kravchenko" not in page
    assert "<mark>44 bilateral agreements</mark>" in page.replace("\n", " ") or "<mark>44" in page
    assert Event.objects.count() == 0  # nothing saved by reading
    context = response.context
    form = context["form"]
    assert form["start_date"].value().isoformat() == "2015-10-22"
    assert form["place"].value() == "Astana"
    rows = context["formsets"]["participants"].forms
    officials = {r["official_name"].value(): r for r in rows if r["official_name"].value()}
    assert set(officials) == {"Andrey Kravchenko", "George Krol"}
    assert officials["George Krol"]["country"].value() == "US"

    data = _post_data(context)
    krol = next(k for k, v in data.items() if v == "George Krol").replace("official_name", "official_title")
    data[krol] = "Ambassador of the United States to Kazakhstan"  # the officer corrects one item
    data["figures-0-subject"] = "bilateral treaties"
    response = client.post(CONFIRM, data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert response["Location"] == reverse("relations:event_detail", args=[event.pk])
    assert event.start_date.isoformat() == "2015-10-22" and event.source_text.startswith(
        "Prosecutor General's"
    )
    assert event.principal.code == "osce"
    participant = event.participants.get(official_name="George Krol")
    assert (participant.country_id, participant.official_title) == (
        "US",
        "Ambassador of the United States to Kazakhstan",
    )
    figure = event.figures.get()
    assert (figure.value, figure.subject) == (44, "bilateral treaties")
    assert "Kazakhstan has concluded" in figure.sentence

    again = client.post(CONFIRM, data)  # a double submit
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert Event.objects.count() == 1


def test_an_unchecked_row_is_left_out(cast, client_for, reference):
    client = client_for(cast.intl_officer)
    response = _review(client)
    data = _post_data(response.context)
    data.pop("figures-0-keep")
    assert client.post(CONFIRM, data).status_code == 302
    assert not Event.objects.get().figures.exists()


def test_no_date_asks_for_one_and_saves_nothing(cast, client_for, reference):
    client = client_for(cast.intl_officer)
    response = client.post(
        IMPORT, {"text": "Deputy Prosecutor General Andrey Kravchenko met the OSCE delegation."}
    )
    assert response.status_code == 200
    assert "No date was recognised in the text" in response.content.decode()
    data = _post_data(response.context)
    assert not data.get("start_date")
    response = client.post(CONFIRM, data)
    assert response.status_code == 400
    assert response.context["form"].errors["start_date"]
    assert Event.objects.count() == 0


def test_a_tampered_draft_is_refused(cast, client_for, reference):
    client = client_for(cast.intl_officer)
    data = _post_data(_review(client).context)
    data["draft"] = "x" + str(data["draft"])
    response = client.post(CONFIRM, data)
    assert response.status_code == 302 and response["Location"] == IMPORT
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("post", "message"),
    [
        (
            {"file": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00")},
            "only .txt, .html and .docx",
        ),
        ({"file": SimpleUploadedFile("item.txt", b"\x00\x01\x02" * 100)}, "not text"),
        ({"text": "word " * 30000}, "too long"),
        ({}, "Paste the text of the press release or upload a file."),
    ],
)
def test_bad_input_gets_a_message(cast, client_for, reference, post, message):
    response = client_for(cast.intl_officer).post(IMPORT, post)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_only_who_may_record_events(cast, client_for, reference):
    assert client_for(cast.analyst).get(IMPORT).status_code == 403
    assert client_for(cast.outsider).post(CONFIRM, {}).status_code == 403
