"""POST /api/v1/relations/press/extract (JSON) and /extract-file (multipart): the draft with its items and
sentences; 422 in the one error shape for empty, huge or unreadable input; RELATIONS_WORK only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prokuratura.relations.models import Event
from prokuratura.relations.press.evaluate import docx_bytes
from prokuratura.relations.press.text import MAX_CHARS

from . import factories

URL = "/api/v1/relations/press/extract"
FILE_URL = "/api/v1/relations/press/extract-file"
TEXT = (
    "ASTANA, 22 October 2015 – U.S. Ambassador George Krol met 18 ambassadors of OSCE participating States."
)


@pytest.fixture
def api(cast, client_for):
    factories.country("US", "United States")
    factories.counterpart(
        "osce", name_en="Organization for Security and Co-operation in Europe", abbreviation_en="OSCE"
    )
    return client_for(cast.intl_officer)


def test_extract_json(api):
    response = api.post(URL, {"text": TEXT, "published_on": "2015-10-22"}, content_type="application/json")
    assert response.status_code == 200
    draft = response.json()
    assert (draft["date"], draft["place"], draft["kind"], draft["language"]) == (
        "2015-10-22",
        "Astana",
        "meeting",
        "en",
    )
    assert [s["iso2"] for s in draft["states"]] == ["US"]
    assert "osce" in [o["code"] for o in draft["organisations"]]
    assert draft["officials"][0]["name"] == "George Krol" and draft["officials"][0]["state"] == "US"
    figure = draft["figures"][0]
    assert (figure["value"], figure["subject"]) == ("18", "ambassadors")
    assert figure["found"]["sentence"] == TEXT and TEXT[
        figure["found"]["start"] : figure["found"]["end"]
    ].startswith("18")
    assert draft["warnings"] == [] and draft["characters"] == len(TEXT)
    assert Event.objects.count() == 0


@pytest.mark.parametrize(("text", "kind"), [("   ", "empty"), ("word " * (MAX_CHARS // 4), "too_long")])
def test_empty_or_huge_text_is_422(api, text, kind):
    response = api.post(URL, {"text": text}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error" and body["message"]
    assert body["details"] == [{"loc": ["body", "text"], "msg": body["message"], "type": kind}]


def test_extract_file(api):
    upload = SimpleUploadedFile("release.docx", docx_bytes("Headline\n" + TEXT))
    response = api.post(FILE_URL, {"file": upload})
    assert response.status_code == 200
    assert response.json()["title"] == "Headline"


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("scan.pdf", b"%PDF-1.4", "type"),
        ("a.txt", b"", "empty"),
    ],
)
def test_unreadable_file_is_422(api, name, data, kind):
    response = api.post(FILE_URL, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 422
    assert response.json()["details"][0]["type"] == kind


def test_needs_relations_work(cast, client_for):
    response = client_for(cast.analyst).post(URL, {"text": TEXT}, content_type="application/json")
    assert response.status_code == 403
