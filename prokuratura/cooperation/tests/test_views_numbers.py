"""The numbers page, its CSV and its charts: who may see them, the headline, the tables, a wrong date, CSV
content and escaping, the SVG, and the real register on 2015-10-22 beside the official 44."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from prokuratura.cooperation.models import Instrument, OfficialStatement, Precision

from .factories import CountryFactory, InstrumentFactory

D = dt.date
SVG = "{http://www.w3.org/2000/svg}"
URLS = ("cooperation:numbers", "cooperation:numbers_csv", "cooperation:numbers_chart")


@pytest.fixture
def register(db):
    kg = CountryFactory(iso2="KG", name_en="Kyrgyzstan", world_region="asia")
    tr = CountryFactory(iso2="TR", name_en="Turkey", world_region="asia")
    hu = CountryFactory(iso2="HU", name_en='=HYPERLINK("x") <Hungary> & Co', world_region="europe")
    InstrumentFactory(
        partner=kg,
        signed_date=D(1997, 1, 1),
        signed_precision=Precision.YEAR,
        ratified_date=D(1998, 6, 1),
        in_force_date=D(1999, 1, 1),
        subjects=["extradition", "transfer_proceedings"],
    )
    InstrumentFactory(
        partner=tr,
        signed_date=D(2011, 2, 1),
        signed_precision=Precision.MONTH,
        ratified_date=None,
        in_force_date=None,
        status=Instrument.Status.SIGNED,
        subjects=["mla"],
    )
    InstrumentFactory(
        partner=hu,
        signed_date=D(2014, 5, 1),
        ratified_date=D(2015, 3, 1),
        in_force_date=None,
        status=Instrument.Status.RATIFIED,
        subjects=["transfer_sentenced"],
    )
    InstrumentFactory(
        partner=tr,
        signed_date=None,
        ratified_date=None,
        in_force_date=None,
        status=Instrument.Status.UNKNOWN,
        subjects=["extradition"],
    )
    OfficialStatement.objects.create(
        date=D(2015, 10, 22),
        date_text="2015-10-22",
        figure="44",
        figure_value=44,
        statement="44 bilateral agreements in criminal proceedings.",
        source_url="https://example.org/44",
        note="Counting basis unknown.",
        import_key="s44",
    )


def get(client, name, **params):
    return client.get(reverse(name), params)


@pytest.mark.parametrize("who", ["analyst", "intl_officer"])
def test_analyst_and_international_officer_may_see_the_numbers(client_for, cast, register, who):
    client = client_for(getattr(cast, who))
    for name in URLS:
        assert get(client, name).status_code == 200, name


@pytest.mark.parametrize("who", ["registrar_astana", "outsider"])
def test_others_get_403(client_for, cast, register, who):
    client = client_for(getattr(cast, who))
    for name in URLS:
        assert get(client, name).status_code == 403, name


def test_anonymous_is_sent_to_sign_in(client, db):
    for name in URLS:
        assert get(client, name).status_code == 302, name


def test_the_page_on_a_date_has_the_headline_tables_chart_and_statement(client_for, cast, register):
    response = get(client_for(cast.analyst), "cooperation:numbers", date="2015-10-22")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "3 bilateral agreements in criminal matters on 22.10.2015: 3 signed, 2 ratified, 1 in force; "
        "partner states: 3, including"
    ) in page
    assert "Kyrgyzstan" in page
    assert "&lt;Hungary&gt; &amp; Co" in page and "<Hungary>" not in page
    assert "1 more agreement in the register has no known date" in page
    assert "An agreement covering two kinds of cooperation is counted under each" in page
    assert 'src="/cooperation/numbers.svg?chart=subjects&amp;date=2015-10-22"' in page
    assert 'src="/cooperation/numbers.svg?chart=series&amp;date=2015-10-22"' in page
    assert "44 bilateral agreements in criminal proceedings." in page
    assert "nearest to the date" in page
    assert "3 signed, 2 ratified, 1 in force" in page  # the register on the statement's date, beside it
    assert "they count on different bases" in page
    assert 'href="https://example.org/44"' in page
    assert " style=" not in page
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_one_agreement_reads_in_the_singular(client_for, cast, register):
    page = get(client_for(cast.analyst), "cooperation:numbers", date="1998-01-01").content.decode()
    assert "1 bilateral agreement in criminal matters on 01.01.1998: 1 signed, 0 ratified, 0 in force" in page


def test_the_default_date_is_today(client_for, cast, register):
    response = get(client_for(cast.analyst), "cooperation:numbers")
    assert response.context["day"] == timezone.localdate()
    assert response.context["counts"].total.count == 3


@pytest.mark.parametrize("bad", ["2015-13-45", "yesterday", "22.10.2015", "9999-01-01"])
def test_a_bad_date_shows_an_error_and_todays_figures(client_for, cast, register, bad):
    response = get(client_for(cast.analyst), "cooperation:numbers", date=bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The date could not be used, so the figures below are for today." in page
    assert response.context["day"] == timezone.localdate()
    assert response.context["form"].errors["date"]
    assert "bilateral agreements in criminal matters on" in page


def test_a_bad_date_in_russian_is_reported_in_russian(client_for, cast, register):
    client = client_for(cast.analyst)
    response = client.get(reverse("cooperation:numbers"), {"date": "x"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "Введите правильную дату." in response.content.decode()


def test_the_csv_and_the_chart_refuse_a_bad_date(client_for, cast, register):
    client = client_for(cast.analyst)
    for name in ("cooperation:numbers_csv", "cooperation:numbers_chart"):
        response = get(client, name, date="2015-02-30")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")


def test_all_statements_on_request(client_for, cast, register):
    OfficialStatement.objects.create(
        date=D(2025, 4, 25),
        date_text="2025-04-25",
        figure="26",
        statement="26 transfer agreements.",
        import_key="s26",
    )
    client = client_for(cast.analyst)
    near = get(client, "cooperation:numbers", date="2015-10-22").content.decode()
    assert "26 transfer agreements." not in near
    everything = get(client, "cooperation:numbers", date="2015-10-22", statements="all").content.decode()
    assert "26 transfer agreements." in everything


def read_csv(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_has_the_same_figures_and_is_an_attachment(client_for, cast, register):
    response = get(client_for(cast.analyst), "cooperation:numbers_csv", date="2015-10-22")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="treaty-numbers-20151022.csv"'
    rows = read_csv(response)
    assert rows[0] == ["Section", "Row", "Signed", "Ratified", "In force"]
    assert ["Summary", "Instruments", "3", "2", "1"] in rows
    assert ["Summary", "Partner states", "3", "2", "1"] in rows
    assert ["Summary", "No date known (not counted above)", "1", "", ""] in rows
    assert ["By kind of cooperation", "Extradition", "1", "1", "1"] in rows
    assert ["By kind of cooperation", "Transfer of criminal proceedings", "1", "1", "1"] in rows
    assert ["By kind of cooperation", "All instruments (each counted once)", "3", "2", "1"] in rows
    assert ["By region of the world", "Asia", "2", "1", "1"] in rows
    assert ["By region of the world", "Europe", "1", "1", "0"] in rows
    assert ["Change over time", "2011-12-31", "2", "1", "1"] in rows
    today = timezone.localdate()
    assert rows[-1][:2] == ["Change over time", today.isoformat()]


def test_csv_cells_cannot_start_a_formula(client_for, cast, register):
    InstrumentFactory(partner=CountryFactory(iso2="XF", world_region="=cmd|' /C calc'!A0"), subjects=["mla"])
    rows = read_csv(get(client_for(cast.analyst), "cooperation:numbers_csv"))
    labels = [row[1] for row in rows]
    assert "'=cmd|' /C calc'!A0" in labels
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def parse_svg(response):
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 - our own output


@pytest.mark.parametrize("chart", ["subjects", "regions", "series"])
def test_charts_are_well_formed_svg_with_a_title(client_for, cast, register, chart):
    response = get(client_for(cast.analyst), "cooperation:numbers_chart", chart=chart, date="2015-10-22")
    root = parse_svg(response)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc").text


def test_the_region_chart_escapes_its_labels(client_for, cast, register):
    InstrumentFactory(partner=CountryFactory(iso2="XE", world_region="<script>&"), subjects=["mla"])
    response = get(client_for(cast.analyst), "cooperation:numbers_chart", chart="regions")
    root = parse_svg(response)
    assert b"<script>" not in response.content
    labels = ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]
    assert "<script>&" in labels


def test_the_subject_chart_draws_each_subject_with_its_figures(client_for, cast, register):
    root = parse_svg(
        get(client_for(cast.analyst), "cooperation:numbers_chart", chart="subjects", date="2015-10-22")
    )
    titles = [
        el.find(f"{SVG}title").text for el in root.iter(f"{SVG}rect") if el.find(f"{SVG}title") is not None
    ]
    assert titles.count("Signed: 1") == 4  # four subjects, one agreement each
    assert "Transfer of sentenced persons" in ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def test_an_unknown_chart_is_refused(client_for, cast, register):
    response = get(client_for(cast.analyst), "cooperation:numbers_chart", chart="pie")
    assert response.status_code == 400


def test_the_page_query_count_does_not_grow_with_the_register(
    client_for, cast, register, django_assert_max_num_queries
):
    client = client_for(cast.analyst)
    client.get(reverse("cooperation:numbers"))  # warm the session
    for index in range(20):
        InstrumentFactory(partner=CountryFactory(iso2=f"Y{index % 10}"), subjects=["mla", "extradition"])
    with django_assert_max_num_queries(16):
        assert client.get(reverse("cooperation:numbers")).status_code == 200


def test_the_real_register_and_the_official_44_side_by_side(client_for, cast, coop_reference):
    response = get(client_for(cast.analyst), "cooperation:numbers", date="2015-10-22")
    assert response.status_code == 200
    counts = response.context["counts"]
    page = response.content.decode()
    assert f"{counts.total.count} bilateral agreements in criminal matters on 22.10.2015" in page
    nearest = [row for row in response.context["near"].rows if row.nearest]
    assert [row.statement.figure for row in nearest] == ["44"]
    assert "conclusion of 44 bilateral inter-state agreements in criminal proceedings" in page
    assert nearest[0].register == (counts.signed.count, counts.ratified.count, counts.in_force.count)
    assert f"{counts.signed.count} signed, {counts.ratified.count} ratified" in page
    assert "nearest to the date" in page
