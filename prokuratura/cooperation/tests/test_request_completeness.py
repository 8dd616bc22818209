"""The completeness check (cooperation.completeness) item by item.

- MLA: the contents UNTOC art. 18(15) requires — (a) the requesting authority; (b) the subject and nature of the
  proceedings and the authority conducting them; (c) a summary of the facts, except for the service of documents;
  (d) the assistance sought; (e) the persons' identity, location and nationality where possible (a warning);
  (f) the purpose.
- Extradition, per purpose: the person (identity, description, nationality, location), the provision and penalty,
  the limitation provision, the warrant (prosecution) or the judgment and time left (sentence).
- Translations: from the treaty's `languages` text, else the partner profile's `language_requirements`.
- Assurances: those the partner profile's `death_penalty_assurance` requires of an outgoing extradition request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from prokuratura.cooperation.completeness import (
    assurances_required,
    languages_named,
    request_completeness,
    required_languages,
)
from prokuratura.cooperation.models import CountryProfile
from prokuratura.cooperation.models_requests import (
    AssistanceRequest,
    Assurance,
    BasisKind,
    Direction,
    ExtraditionPurpose,
    Measure,
    PersonRole,
    RequestKind,
)
from prokuratura.cooperation.request_services import (
    PersonData,
    RequestData,
    request_create,
    request_person_add,
    translation_order,
    translation_set_status,
)
from prokuratura.core.models import Country

from .factories import InstrumentFactory
from .request_factories import incoming_extradition, outgoing_mla, treaty

pytestmark = pytest.mark.django_db


@pytest.fixture
def instrument(db):
    return treaty()


@pytest.fixture
def mla(cast, instrument):
    return outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)


def _codes(record: AssistanceRequest) -> list[str]:
    return request_completeness(record).codes()


# --- mutual legal assistance: UNTOC art. 18(15) ----------------------------------------------------------------


def test_a_complete_mla_request(mla):
    result = request_completeness(mla)
    assert result.complete and result.missing == [] and result.warnings == []


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("requesting_authority", "requesting_authority"),  # (a)
        ("proceedings_subject", "proceedings_subject"),  # (b) the subject and nature
        ("conducting_authority", "conducting_authority"),  # (b) the authority conducting them
        ("facts_summary", "facts_summary"),  # (c)
        ("assistance_sought", "assistance_sought"),  # (d)
        ("purpose", "purpose"),  # (f)
        ("foreign_authority", "foreign_authority"),  # to whom
    ],
)
def test_each_mla_item_is_named_when_missing(mla, field, code):
    setattr(mla, field, "  ")
    result = request_completeness(mla)
    assert result.codes() == [code]
    assert result.missing[0].field == field and result.missing[0].message
    assert not result.complete


def test_the_measures_sought_are_required(mla):
    mla.measures = []
    assert _codes(mla) == ["measures"]


def test_every_missing_item_is_named_at_once(mla):
    for field in ("requesting_authority", "proceedings_subject", "facts_summary", "purpose"):
        setattr(mla, field, "")
    assert set(_codes(mla)) == {"requesting_authority", "proceedings_subject", "facts_summary", "purpose"}


def test_service_of_documents_needs_no_summary_of_the_facts(mla):
    mla.facts_summary = ""
    mla.measures = [Measure.SERVICE]
    assert _codes(mla) == []
    # Serving documents and taking testimony: the facts are needed again.
    mla.measures = [Measure.SERVICE, Measure.TESTIMONY]
    assert _codes(mla) == ["facts_summary"]


def test_persons_without_location_or_nationality_are_a_warning_not_a_stop(cast, mla):
    request_person_add(
        by=cast.intl_officer,
        assistance_request=mla,
        data=PersonData(role=PersonRole.WITNESS, full_name="Petrov Petr"),
    )
    result = request_completeness(mla)
    assert result.complete
    assert [w.code for w in result.warnings] == ["person"]
    message = result.warnings[0].message
    assert "Petrov Petr" in message and "nationality" in message and "location" in message


def test_a_person_fully_described_gives_no_warning(cast, mla):
    request_person_add(
        by=cast.intl_officer,
        assistance_request=mla,
        data=PersonData(
            role=PersonRole.WITNESS,
            full_name="Petrov Petr",
            birth_date=dt.date(1990, 1, 1),
            stateless=True,
            location="Capital of XA",
        ),
    )
    assert request_completeness(mla).warnings == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"basis_kind": "", "basis": None}, "basis"),
        ({"basis_kind": BasisKind.INSTRUMENT, "basis": None}, "basis"),
        (
            {"basis_kind": BasisKind.RECIPROCITY, "basis": None, "reciprocity_assurance": ""},
            "reciprocity_assurance",
        ),
    ],
)
def test_the_legal_basis_is_checked(mla, changes, code):
    for name, value in changes.items():
        setattr(mla, name, value)
    assert _codes(mla) == [code]


# --- extradition, per purpose ----------------------------------------------------------------------------------


def _outgoing_extradition(cast, instrument, *, person: bool = True, **overrides: Any) -> AssistanceRequest:
    fields: dict[str, Any] = {
        "kind": RequestKind.EXTRADITION,
        "partner": instrument.partner,
        "foreign_authority": "Prosecutor General's Office of State XA",
        "basis_kind": BasisKind.INSTRUMENT,
        "basis": instrument,
        "extradition_purpose": ExtraditionPurpose.PROSECUTION,
        "offence_article": "CC RK art. 190 (fraud)",
        "penalty": "up to 7 years' imprisonment",
        "limitation": "CC RK art. 71: 10 years",
        "warrant": "Specialised investigative court of Astana, 02.02.2026",
        **overrides,
    }
    record = request_create(
        by=cast.intl_officer,
        direction=Direction.OUTGOING,
        office=cast.intl_officer.office,
        data=RequestData(**fields),
    )
    if person:
        request_person_add(
            by=cast.intl_officer,
            assistance_request=record,
            data=PersonData(
                role=PersonRole.SOUGHT,
                full_name="Sidorov Sidor",
                birth_date=dt.date(1980, 2, 3),
                nationality=Country.objects.get(iso2="KZ"),
                location="Capital of XA",
                description="Height 175 cm",
            ),
        )
    return record


def test_a_complete_extradition_request_for_prosecution(cast, instrument):
    assert _codes(_outgoing_extradition(cast, instrument)) == []


@pytest.mark.parametrize("field", ["offence_article", "penalty", "limitation", "warrant"])
def test_each_extradition_item_for_prosecution(cast, instrument, field):
    record = _outgoing_extradition(cast, instrument)
    setattr(record, field, "")
    assert _codes(record) == [field]


def test_prosecution_needs_the_warrant_not_the_judgment(cast, instrument):
    record = _outgoing_extradition(cast, instrument, warrant="")
    assert _codes(record) == ["warrant"]  # neither judgment nor time left to serve


def test_a_sentence_needs_the_judgment_and_the_time_left_not_the_warrant(cast, instrument):
    record = _outgoing_extradition(
        cast, instrument, extradition_purpose=ExtraditionPurpose.SENTENCE, warrant=""
    )
    assert _codes(record) == ["judgment", "sentence_remaining"]
    record.judgment = "Almaty city court, 01.03.2025"
    record.sentence_remaining = "4 years 2 months"
    assert _codes(record) == []


def test_the_purpose_of_the_extradition_is_required(cast, instrument):
    record = _outgoing_extradition(cast, instrument, extradition_purpose="")
    assert _codes(record) == ["extradition_purpose"]


def test_the_person_sought_is_required(cast, instrument):
    assert _codes(_outgoing_extradition(cast, instrument, person=False)) == ["person"]


def test_the_person_sought_item_by_item(cast, instrument):
    record = _outgoing_extradition(cast, instrument, person=False)
    request_person_add(
        by=cast.intl_officer,
        assistance_request=record,
        data=PersonData(role=PersonRole.SOUGHT, full_name="Sidorov Sidor"),
    )
    assert _codes(record) == [
        "person_identity",
        "person_description",
        "person_nationality",
        "person_location",
    ]
    # A witness is not the person sought: still missing.
    other = _outgoing_extradition(cast, instrument, person=False)
    request_person_add(
        by=cast.intl_officer,
        assistance_request=other,
        data=PersonData(role=PersonRole.WITNESS, full_name="A witness", location="X", stateless=True),
    )
    assert _codes(other) == ["person"]


def test_an_incoming_extradition_request_is_checked_too(cast, instrument):
    record = incoming_extradition(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument, limitation=""
    )
    assert _codes(record) == ["limitation"]


# --- translations ----------------------------------------------------------------------------------------------


def test_languages_are_read_from_free_text():
    assert languages_named("Russian or English") == ["ru", "en"]
    assert languages_named("на русском или китайском языке") == ["ru", "zh"]
    assert languages_named("ағылшын тілінде") == ["en"]
    assert languages_named("") == []


def test_the_treaty_languages_decide_the_translation(cast, instrument):
    instrument.languages = "English or Chinese"
    instrument.save()
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    assert record.translations_required == ["en"]
    assert _codes(record) == ["translation_en"]
    assert "English" in request_completeness(record).missing[0].message
    task = translation_order(
        by=cast.intl_officer, assistance_request=record, language="en", document="The request"
    )
    assert _codes(record) == ["translation_en"]  # ordered is not done
    translation_set_status(by=cast.intl_officer, assistance_request=record, task=task, status="done")
    assert _codes(record) == []


def test_a_request_already_in_a_language_the_treaty_accepts_needs_none(cast, instrument):
    instrument.languages = "Russian or English"
    instrument.save()
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    assert record.language == "ru" and required_languages(record) == []
    record.language = "kk"
    assert required_languages(record) == ["ru"]


def test_the_profile_decides_when_the_treaty_names_no_language(cast, instrument):
    CountryProfile.objects.create(
        country=instrument.partner,
        language_requirements="Requests must be accompanied by a Chinese translation.",
    )
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    assert record.translations_required == ["zh"]
    assert "translation_zh" in _codes(record)


def test_the_treaty_wins_over_the_profile(cast, instrument):
    CountryProfile.objects.create(country=instrument.partner, language_requirements="Chinese only.")
    instrument.languages = "Russian"
    instrument.save()
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    assert required_languages(record) == []


def test_an_incoming_request_must_come_in_kazakh_or_russian(cast, instrument):
    record = incoming_extradition(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument
    )
    assert required_languages(record) == []
    record.language = "en"
    assert required_languages(record) == ["ru"]


# --- assurances ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "required"),
    [("yes", ["death_penalty"]), ("conditional", ["death_penalty"]), ("no", []), ("unknown", [])],
)
def test_the_death_penalty_assurance_follows_the_profile(cast, instrument, answer, required):
    CountryProfile.objects.create(country=instrument.partner, death_penalty_assurance=answer)
    record = _outgoing_extradition(cast, instrument)
    assert assurances_required(record) == required
    assert _codes(record) == [f"assurance_{code}" for code in required]


def test_the_assurance_given_completes_the_request(cast, instrument):
    CountryProfile.objects.create(country=instrument.partner, death_penalty_assurance="yes")
    record = _outgoing_extradition(cast, instrument, assurances=[Assurance.DEATH_PENALTY])
    assert _codes(record) == []


def test_no_assurance_without_a_profile_or_for_mla(cast, instrument, mla):
    record = _outgoing_extradition(cast, instrument)
    assert assurances_required(record) == []
    CountryProfile.objects.create(country=instrument.partner, death_penalty_assurance="yes")
    mla.refresh_from_db()
    assert assurances_required(mla) == []


def test_an_incoming_extradition_request_is_not_asked_for_our_assurances(cast, instrument):
    CountryProfile.objects.create(country=instrument.partner, death_penalty_assurance="yes")
    record = incoming_extradition(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument
    )
    assert not any(code.startswith("assurance_") for code in _codes(record))


# --- transfers -------------------------------------------------------------------------------------------------


def test_a_transfer_of_a_sentenced_person_needs_the_person_and_the_judgment(cast, instrument):
    record = request_create(
        by=cast.intl_officer,
        direction=Direction.OUTGOING,
        office=cast.intl_officer.office,
        data=RequestData(
            kind=RequestKind.TRANSFER_SENTENCED,
            partner=instrument.partner,
            foreign_authority="Ministry of Justice of State XA",
            basis_kind=BasisKind.INSTRUMENT,
            basis=InstrumentFactory(partner=instrument.partner, subjects=["transfer_sentenced"]),
        ),
    )
    assert _codes(record) == ["person", "judgment", "sentence_remaining"]
