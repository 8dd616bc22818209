"""The extractor (relations.press.extract) on short texts in each language, with a small gazetteer built from rows
(no database), and the database gazetteer's rebuild when a reference row changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from prokuratura.relations.models import CounterpartKind, EventKind
from prokuratura.relations.press.draft import draft_from_dict
from prokuratura.relations.press.extract import extract
from prokuratura.relations.press.gazetteer import Rows, build, gazetteer_from_db

from . import factories

ROWS = Rows(
    counterparts=(
        (
            "osce",
            "organisation",
            "Organization for Security and Co-operation in Europe",
            "Организация по безопасности и сотрудничеству в Европе",
            "Еуропадағы қауіпсіздік және ынтымақтастық ұйымы",
            "OSCE",
            "ОБСЕ",
            "ЕҚЫҰ",
            "",
            "",
            "",
        ),
        (
            "osce-astana",
            "field_office",
            "OSCE Programme Office in Astana",
            "Программный офис ОБСЕ в Астане",
            "ЕҚЫҰ-ның Астанадағы бағдарламалар офисі",
            "",
            "",
            "",
            "OSCE Centre in Astana",
            "",
            "osce",
        ),
        (
            "gpo-kz",
            "domestic_agency",
            "Prosecutor General's Office of the Republic of Kazakhstan",
            "Генеральная прокуратура Республики Казахстан",
            "Қазақстан Республикасының Бас прокуратурасы",
            "",
            "",
            "",
            "Prosecutor General's Office | Генпрокуратура",
            "",
            "",
        ),
        (
            "sr-torture",
            "mandate",
            "Special Rapporteur on torture",
            "Специальный докладчик по вопросу о пытках",
            "Азаптау жөніндегі арнайы баяндамашы",
            "",
            "",
            "",
            "UN Special Rapporteur on torture",
            "",
            "",
        ),
        (
            "uz-gpo",
            "foreign_authority",
            "General Prosecutor's Office of the Republic of Uzbekistan",
            "Генеральная прокуратура Республики Узбекистан",
            "Өзбекстан Республикасының Бас прокуратурасы",
            "",
            "",
            "",
            "",
            "UZ",
            "",
        ),
    ),
    countries=(
        ("US", "United States", "Соединённые штаты", "АҚШ"),
        ("CN", "China", "Китай", "Қытай"),
        ("UZ", "Uzbekistan", "Узбекистан", "Өзбекстан"),
        ("DE", "Germany", "Германия", "Германия"),
        ("KZ", "Kazakhstan", "Казахстан", "Қазақстан"),
    ),
    topics=(("terrorism", "Terrorism", "Терроризм", "Терроризм", "terroris* | террор* | лаңкес*"),),
    cities=(("Astana", "г. Астана", "Астана қаласы"),),
)
GAZETTEER = build(ROWS)


def _figures(draft):
    return {(f.value, f.subject) for f in draft.figures}


def test_english_agency_item():
    text = (
        "Prosecutor General's Office meets OSCE ambassadors\n"
        "ASTANA. KAZINFORM – Deputy Prosecutor General Andrey Kravchenko today met the ambassadors of 18 OSCE "
        "participating States and the Head of the OSCE Programme Office in Astana Ambassador György Szabó.\n"
        "U.S. Ambassador to Kazakhstan George Krol said that more than 500 thousand people took part in training "
        "against terrorism, under Article 5 of the 2015 plan No. 12 of 22 October 2015."
    )
    draft = extract(text, GAZETTEER, published=dt.date(2015, 10, 22))
    assert draft.language == "en"
    assert (draft.date, draft.place, draft.country, draft.kind) == (
        dt.date(2015, 10, 22),
        "astana",
        "KZ",
        "meeting",
    )
    assert draft.title == "Prosecutor General's Office meets OSCE ambassadors"
    assert draft.summary.startswith("Deputy Prosecutor General Andrey Kravchenko")
    assert [o.code for o in draft.organisations] == ["gpo-kz", "osce", "osce-astana"]
    assert [s.iso2 for s in draft.states] == ["US"]
    assert [t.code for t in draft.topics] == ["terrorism"]
    officials = {(o.name, o.title, o.affiliation) for o in draft.officials}
    assert officials == {
        ("Andrey Kravchenko", "Deputy Prosecutor General", "org:gpo-kz"),
        ("György Szabó", "Head of the OSCE Programme Office in Astana Ambassador", "org:osce-astana"),
        ("George Krol", "U.S. Ambassador to Kazakhstan", "state:US"),
    }
    # article, document and year numbers and the date are not figures
    assert _figures(draft) == {(Decimal(18), "OSCE participating States"), (Decimal(500000), "people")}
    figure = next(f for f in draft.figures if f.value == 500000)
    assert figure.text == "more than 500 thousand"
    assert figure.found.sentence.startswith("U.S. Ambassador") and figure.found.matched.startswith(
        "more than 500"
    )
    assert draft.warnings == []


def test_russian_item_with_case_endings():
    text = (
        "АСТАНА, 22 октября 2015 года. КАЗИНФОРМ – В Астане заместитель Генерального прокурора Андрей Кравченко "
        "встретился с послом Германии Рольфом Мафаэлем и с главой Программного офиса ОБСЕ в Астане Натальей "
        "Зарудной.\nС американскими коллегами обсуждена борьба с терроризмом: обучение прошли более 500 тыс. "
        "человек, подписано 44 двусторонних договора (статья 12)."
    )
    draft = extract(text, GAZETTEER)
    assert (draft.language, draft.date, draft.place) == ("ru", dt.date(2015, 10, 22), "astana")
    assert draft.place_name == "г. Астана" or draft.place_name == "Астана"
    assert {s.iso2 for s in draft.states} == {"DE", "US"}
    assert {o.code for o in draft.organisations} == {"osce-astana"}
    officials = {(o.name, o.title) for o in draft.officials}
    assert ("Андрей Кравченко", "заместитель Генерального прокурора") in officials
    assert ("Рольф Мафаэль", "посол Германии") in officials
    assert ("Наталья Зарудная", "глава Программного офиса ОБСЕ в Астане") in officials
    assert _figures(draft) == {(Decimal(500000), "человек"), (Decimal(44), "двусторонних договора")}


def test_kazakh_item_with_suffixes():
    text = (
        "Астана. 2015 жылғы 22 қазан. ҚазАқпарат – Бас прокурордың орынбасары Андрей Кравченко АҚШ-тың елшісімен "
        "және ЕҚЫҰ-ның Астанадағы бағдарламалар офисінің басшысы Наталья Зарудная кездесті. 500 мыңнан астам адам "
        "лаңкестікке қарсы оқытудан өтті, 40-қа жуық бірлескен жоба іске асырылды."
    )
    draft = extract(text, GAZETTEER)
    assert (draft.language, draft.date, draft.place, draft.kind) == (
        "kk",
        dt.date(2015, 10, 22),
        "astana",
        "meeting",
    )
    assert [s.iso2 for s in draft.states] == ["US"]
    assert "osce-astana" in {o.code for o in draft.organisations}
    assert [t.code for t in draft.topics] == ["terrorism"]
    officials = {(o.name, o.title, o.affiliation) for o in draft.officials}
    assert ("Андрей Кравченко", "Бас прокурордың орынбасары", "org:gpo-kz") in officials
    assert _figures(draft) == {(Decimal(500000), "адам"), (Decimal(40), "бірлескен жоба")}


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("22 October 2015", dt.date(2015, 10, 22), None),
        ("October 22, 2015", dt.date(2015, 10, 22), None),
        ("22.10.2015", dt.date(2015, 10, 22), None),
        ("2015-10-22", dt.date(2015, 10, 22), None),
        ("22 октября 2015 г.", dt.date(2015, 10, 22), None),
        ("2015 жылғы 22 қазан", dt.date(2015, 10, 22), None),
        ("2015 жылғы 22 қазанда", dt.date(2015, 10, 22), None),
        ("from 5 to 13 May 2009", dt.date(2009, 5, 5), dt.date(2009, 5, 13)),
        ("с 5 по 13 мая 2009 года", dt.date(2009, 5, 5), dt.date(2009, 5, 13)),
        ("October 22-24, 2015", dt.date(2015, 10, 22), dt.date(2015, 10, 24)),
    ],
)
def test_date_formats(written, start, end):
    draft = extract(f"The meeting. It took place on {written} in the capital.", GAZETTEER)
    assert (draft.date, draft.end_date) == (start, end)
    assert draft.date_found is not None and draft.date_found.text.strip(". ") in written


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Today the delegation met.", 0),
        ("Сегодня делегация встретилась.", 0),
        ("Кеше делегация кездесті.", -1),
    ],
)
def test_relative_days_count_from_the_publication_date(text, days):
    published = dt.date(2024, 3, 12)
    assert extract(text, GAZETTEER, published=published).date == published + dt.timedelta(days=days)
    draft = extract(text, GAZETTEER)
    assert draft.date is None
    assert "No date was recognised" in draft.warnings[0]


def test_a_publication_stamp_is_not_the_event_date():
    text = "Published: 14.02.2022 16:40\nThe Prosecutor General met the ambassador on 13 February 2022."
    draft = extract(text, GAZETTEER)
    assert (draft.published_on, draft.date) == (dt.date(2022, 2, 14), dt.date(2022, 2, 13))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Ambassadors pay familiarisation visit to Astana. They met the Prosecutor General.",
            EventKind.FAMILIARISATION,
        ),
        ("Kazakhstan and China sign memorandum. The meeting took place in Astana.", EventKind.SIGNING),
        (
            "Prosecutor General visits Uzbekistan. The delegation arrived in Tashkent.",
            EventKind.OUTGOING_VISIT,
        ),
        ("UN expert ends visit. The Special Rapporteur visited Astana.", EventKind.INCOMING_VISIT),
        ("Прокуроры провели семинар. Семинар прошел в Астане.", EventKind.TRAINING),
        ("Халықаралық конференция өтті. Конференция Астанада өтті.", EventKind.CONFERENCE),
        ("A letter was sent.", EventKind.MEETING),
    ],
)
def test_kind_from_cue_words(text, kind):
    assert extract(text, GAZETTEER).kind == kind


def test_a_foreign_authority_named_by_a_domestic_name_and_its_state():
    text = "Делегация Генеральной прокуратуры Узбекистана провела переговоры в Астане."
    draft = extract(text, GAZETTEER)
    assert [o.code for o in draft.organisations] == ["uz-gpo"]
    assert draft.states == []  # the state is part of the authority's name


def test_a_mandate_between_commas_is_the_officials_title():
    text = "The UN Special Rapporteur on torture, Helena Marsh, concluded a visit to Kazakhstan."
    draft = extract(text, GAZETTEER)
    assert draft.principal == "sr-torture"
    assert [(o.name, o.organisation) for o in draft.officials] == [("Helena Marsh", "sr-torture")]
    assert draft.holder_name == "Helena Marsh"


def test_an_official_nobody_can_be_attached_to_is_left_for_the_officer():
    draft = extract("Minister Aidar Bekov spoke at the meeting.", GAZETTEER)
    assert [(o.name, o.affiliation) for o in draft.officials] == [("Aidar Bekov", "")]
    assert any("Choose the state or organisation" in w for w in draft.warnings)


def test_the_draft_survives_its_json_form():
    draft = extract(
        "ASTANA, 22 October 2015 – 18 OSCE States met Deputy Prosecutor General Andrey Kravchenko.", GAZETTEER
    )
    again = draft_from_dict(draft.as_dict())
    assert again.as_dict() == draft.as_dict()


def test_the_database_gazetteer_follows_the_reference_rows(db):
    text = "The Zorbanian Justice Council met the delegation."
    assert "zjc" not in {o.code for o in extract(text, gazetteer_from_db()).organisations}
    factories.counterpart("zjc", CounterpartKind.FOREIGN_AUTHORITY, name_en="Zorbanian Justice Council")
    assert "zjc" in {o.code for o in extract(text, gazetteer_from_db()).organisations}
