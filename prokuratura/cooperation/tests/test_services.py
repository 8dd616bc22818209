import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from prokuratura.cooperation import services
from prokuratura.cooperation.models import (
    CountryProfile,
    CountryProfileVersion,
    Instrument,
    InstrumentParty,
    Precision,
)
from prokuratura.core.models import AuditEntry

from .factories import CountryFactory, CrimeCategoryFactory, InstrumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def states(db):
    return {code: CountryFactory(iso2=code) for code in ("KZ", "TR", "RU", "BY")}


def _audit(obj):
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")
    )


def _facts(instrument, **changes):
    data = {name: getattr(instrument, name) for name in services.INSTRUMENT_FACT_FIELDS}
    data["supersedes"] = instrument.supersedes
    data.update(changes)
    return data


def _new(**overrides):
    data = {
        "code": "kz-tr-test",
        "kind": Instrument.Kind.BILATERAL,
        "partner": "TR",
        "title_en": "Treaty on extradition",
        "signed_date": dt.date(2015, 4, 1),
        "status": Instrument.Status.SIGNED,
        "source_url": "https://adilet.zan.kz/example",
    }
    data.update(overrides)
    return data


# --- instrument_update: an administrator's correction ----------------------------------------------------------


def test_correction_is_recorded_audited_and_kept(cast, states):
    instrument = InstrumentFactory(
        partner=states["TR"], in_force_date=None, status=Instrument.Status.RATIFIED
    )
    updated = services.instrument_update(
        by=cast.admin,
        instrument=instrument,
        data=_facts(instrument, in_force_date=dt.date(2013, 5, 6), status=Instrument.Status.IN_FORCE),
        source="MFA Bulletin of International Treaties 2013 No. 3",
        reason="The bulletin gives the date.",
    )
    updated.refresh_from_db()
    assert updated.in_force_date == dt.date(2013, 5, 6)
    correction = updated.corrections["in_force_date"]
    assert correction["value"] == "2013-05-06"
    assert correction["previous"] == ""
    assert correction["source"] == "MFA Bulletin of International Treaties 2013 No. 3"
    assert correction["by"] == "admin"
    assert dt.datetime.fromisoformat(correction["at"])
    assert updated.corrections["status"]["previous"] == "ratified"
    assert set(updated.corrections) == {"in_force_date", "status"}
    (entry,) = _audit(updated)
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor_id == cast.admin.pk
    assert entry.changes == {
        "in_force_date": {"before": None, "after": "2013-05-06"},
        "status": {"before": "ratified", "after": "in_force"},
    }
    assert "MFA Bulletin of International Treaties 2013 No. 3" in entry.reason
    assert "The bulletin gives the date." in entry.reason


def test_a_second_correction_keeps_the_first(cast, states):
    instrument = InstrumentFactory(partner=states["TR"])
    services.instrument_update(
        by=cast.admin, instrument=instrument, data=_facts(instrument, languages="Turkish"), source="Note 1"
    )
    instrument.refresh_from_db()
    services.instrument_update(
        by=cast.admin, instrument=instrument, data=_facts(instrument, signed_place="Ankara"), source="Note 2"
    )
    instrument.refresh_from_db()
    assert instrument.corrections["languages"]["source"] == "Note 1"
    assert instrument.corrections["signed_place"]["source"] == "Note 2"
    # A date and its precision are one fact: the import keeps both.
    assert "signed_date" not in instrument.corrections
    assert len(_audit(instrument)) == 2


def test_correcting_a_date_keeps_its_precision_from_the_import(cast, states):
    instrument = InstrumentFactory(partner=states["TR"])
    services.instrument_update(
        by=cast.admin,
        instrument=instrument,
        data=_facts(instrument, signed_date=dt.date(2009, 7, 15), signed_precision=Precision.MONTH),
        source="Law No. 1",
    )
    instrument.refresh_from_db()
    assert instrument.signed_date == dt.date(2009, 7, 1)
    assert instrument.signed_label == "2009-07"
    assert {"signed_date", "signed_precision"} <= set(instrument.corrections)


def test_correction_without_a_source_is_refused(cast, states):
    instrument = InstrumentFactory(partner=states["TR"])
    with pytest.raises(ValidationError) as error:
        services.instrument_update(
            by=cast.admin, instrument=instrument, data=_facts(instrument, languages="Turkish"), source="  "
        )
    assert "source" in error.value.message_dict
    instrument.refresh_from_db()
    assert instrument.languages == "" and instrument.corrections == {}
    assert _audit(instrument) == []


def test_no_change_writes_nothing(cast, states):
    instrument = InstrumentFactory(partner=states["TR"])
    services.instrument_update(by=cast.admin, instrument=instrument, data=_facts(instrument), source="")
    instrument.refresh_from_db()
    assert instrument.corrections == {}
    assert _audit(instrument) == []


def test_termination_before_signature_is_refused_and_nothing_saved(cast, states):
    instrument = InstrumentFactory(partner=states["TR"], signed_date=dt.date(2010, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.instrument_update(
            by=cast.admin,
            instrument=instrument,
            data=_facts(instrument, terminated_date=dt.date(2009, 12, 31), languages="Turkish"),
            source="A source",
        )
    assert (
        "The termination date cannot be earlier than the date of signature."
        in error.value.message_dict["terminated_date"]
    )
    instrument.refresh_from_db()
    assert instrument.terminated_date is None
    assert instrument.languages == ""
    assert instrument.corrections == {}
    assert _audit(instrument) == []


def test_correction_of_offence_categories_and_subjects(cast, states):
    drugs = CrimeCategoryFactory(code="drug_trafficking")
    instrument = InstrumentFactory(partner=states["TR"], subjects=["mla"])
    services.instrument_update(
        by=cast.admin,
        instrument=instrument,
        data={
            **_facts(instrument, all_offences=False),
            "offence_categories": [drugs],
            "subjects": ["mla", "extradition"],
        },
        source="Treaty text, art. 1",
    )
    instrument.refresh_from_db()
    assert list(instrument.offence_categories.values_list("code", flat=True)) == ["drug_trafficking"]
    assert sorted(instrument.subject_codes()) == ["extradition", "mla"]
    assert instrument.corrections["offence_categories"]["value"] == "drug_trafficking"
    assert instrument.corrections["subjects"]["previous"] == "mla"
    (entry,) = _audit(instrument)
    assert entry.changes["subjects"] == {"before": ["mla"], "after": ["extradition", "mla"]}


def test_set_subjects_records_a_correction(cast, states):
    instrument = InstrumentFactory(partner=states["TR"], subjects=["mla"])
    services.instrument_set_subjects(
        by=cast.admin, instrument=instrument, subjects=["extradition"], source="Text"
    )
    instrument.refresh_from_db()
    assert instrument.subject_codes() == ["extradition"]
    assert instrument.corrections["subjects"]["value"] == "extradition"
    with pytest.raises(ValidationError):
        services.instrument_set_subjects(
            by=cast.admin, instrument=instrument, subjects=["bogus"], source="Text"
        )
    assert instrument.subject_codes() == ["extradition"]


# --- instrument_create -----------------------------------------------------------------------------------------


def test_create_bilateral_with_its_two_parties(cast, states):
    instrument = services.instrument_create(
        by=cast.admin,
        data=_new(),
        subjects=["extradition"],
        parties=[{"country": "KZ"}, {"country": "tr"}],
    )
    assert instrument.partner_id == "TR"
    assert sorted(instrument.parties.values_list("country_id", flat=True)) == ["KZ", "TR"]
    assert instrument.subject_codes() == ["extradition"]
    (entry,) = _audit(instrument)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["parties"]["after"] == "KZ:party, TR:party"


@pytest.mark.parametrize("codes", [["KZ"], ["KZ", "TR", "RU"], ["TR", "RU"], ["KZ", "KZ"]])
def test_bilateral_with_other_than_kazakhstan_and_partner_is_refused(cast, states, codes):
    with pytest.raises(ValidationError) as error:
        services.instrument_create(
            by=cast.admin, data=_new(), subjects=["mla"], parties=[{"country": c} for c in codes]
        )
    assert "parties" in error.value.message_dict
    assert not Instrument.objects.exists()
    assert not InstrumentParty.objects.exists()


def test_bilateral_parties_message(cast, states):
    with pytest.raises(ValidationError) as error:
        services.instrument_create(by=cast.admin, data=_new(), subjects=["mla"], parties=[{"country": "KZ"}])
    assert error.value.message_dict["parties"] == [
        "A bilateral treaty has exactly two parties: Kazakhstan and the partner state."
    ]


def test_unknown_country_code_is_refused(cast, states):
    with pytest.raises(ValidationError) as error:
        services.instrument_create(
            by=cast.admin,
            data=_new(partner="XQ"),
            subjects=["mla"],
            parties=[{"country": "KZ"}, {"country": "XQ"}],
        )
    assert error.value.message_dict["partner"] == ["Unknown country code: XQ."]
    with pytest.raises(ValidationError) as error:
        services.instrument_create(
            by=cast.admin,
            data=_new(kind=Instrument.Kind.MULTILATERAL, partner=None, code="conv"),
            subjects=["mla"],
            parties=[{"country": "KZ"}, {"country": "ZZ"}],
        )
    assert error.value.message_dict["parties"] == ["Unknown country code: ZZ."]
    assert not Instrument.objects.exists()


def test_create_refuses_termination_before_signature(cast, states):
    with pytest.raises(ValidationError) as error:
        services.instrument_create(
            by=cast.admin,
            data=_new(terminated_date=dt.date(2014, 1, 1)),
            subjects=["mla"],
            parties=[{"country": "KZ"}, {"country": "TR"}],
        )
    assert "terminated_date" in error.value.message_dict
    assert not Instrument.objects.exists()
    assert not AuditEntry.objects.filter(object_type="cooperation.instrument").exists()


def test_create_needs_a_source_and_a_subject(cast, states):
    with pytest.raises(ValidationError) as error:
        services.instrument_create(
            by=cast.admin,
            data=_new(source_url=""),
            subjects=[],
            parties=[{"country": "KZ"}, {"country": "TR"}],
        )
    assert set(error.value.message_dict) >= {"source_url", "subjects"}


def test_create_multilateral(cast, states):
    instrument = services.instrument_create(
        by=cast.admin,
        data=_new(kind=Instrument.Kind.MULTILATERAL, partner=None, code="conv", family=Instrument.Family.CIS),
        subjects=["mla"],
        parties=[{"country": "KZ"}, {"country": "RU", "status": InstrumentParty.Status.SIGNATORY}],
    )
    assert instrument.parties.get(country_id="RU").status == "signatory"


# --- parties ---------------------------------------------------------------------------------------------------


def test_party_save_corrects_a_row_and_marks_parties_corrected(cast, states):
    convention = InstrumentFactory(
        kind=Instrument.Kind.MULTILATERAL, partner=None, family="cis", parties=["KZ", "RU"]
    )
    party = services.instrument_party_save(
        by=cast.admin,
        instrument=convention,
        country_iso2="ru",
        status=InstrumentParty.Status.WITHDRAWN,
        date=dt.date(2023, 3, 1),
        source="Law No. 2783-IX",
        confidence="sourced",
    )
    assert party.status == "withdrawn"
    convention.refresh_from_db()
    assert convention.corrections["parties"]["previous"] == "KZ:party, RU:party"
    assert convention.corrections["parties"]["value"] == "KZ:party, RU:withdrawn"
    (entry,) = _audit(convention)
    assert entry.changes["parties[RU].status"] == {"before": "party", "after": "withdrawn"}


def test_party_save_unknown_country_and_stranger_to_a_bilateral(cast, states):
    treaty = InstrumentFactory(partner=states["TR"])
    with pytest.raises(ValidationError) as error:
        services.instrument_party_save(
            by=cast.admin, instrument=treaty, country_iso2="QQ", status="party", source="x"
        )
    assert error.value.message_dict["country"] == ["Unknown country code: QQ."]
    with pytest.raises(ValidationError) as error:
        services.instrument_party_save(
            by=cast.admin, instrument=treaty, country_iso2="RU", status="party", source="x"
        )
    assert error.value.message_dict["country"] == [
        "A bilateral treaty has exactly two parties: Kazakhstan and the partner state."
    ]
    assert treaty.parties.count() == 2


def test_party_remove(cast, states):
    treaty = InstrumentFactory(partner=states["TR"])
    with pytest.raises(ValidationError):
        services.instrument_party_remove(by=cast.admin, instrument=treaty, country_iso2="TR", source="x")
    assert treaty.parties.count() == 2
    convention = InstrumentFactory(
        kind=Instrument.Kind.MULTILATERAL, partner=None, parties=["KZ", "RU", "BY"]
    )
    services.instrument_party_remove(
        by=cast.admin, instrument=convention, country_iso2="BY", source="Depositary"
    )
    assert sorted(convention.parties.values_list("country_id", flat=True)) == ["KZ", "RU"]
    convention.refresh_from_db()
    assert "parties" in convention.corrections
    assert list(_audit(convention)[0].changes) == ["parties[BY]"]


# --- country profiles ------------------------------------------------------------------------------------------


def test_first_save_creates_the_profile_and_version_1(cast, states):
    profile = services.country_profile_update(
        by=cast.intl_officer,
        country=states["TR"],
        data={"central_authority": "Ministry of Justice", "source": "EJN fiche"},
        reason="First entry",
        expected_version=0,
    )
    assert profile.version == 1
    assert profile.updated_by == cast.intl_officer
    (version,) = CountryProfileVersion.objects.filter(profile=profile)
    assert version.version == 1
    assert version.data["central_authority"] == "Ministry of Justice"
    assert version.data["dual_criminality"] == "unknown"
    assert version.reason == "First entry"
    (entry,) = _audit(profile)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["central_authority"]["after"] == "Ministry of Justice"


def test_history_keeps_every_version(cast, states):
    country = states["TR"]
    services.country_profile_update(
        by=cast.intl_officer, country=country, data={"contacts": "a"}, expected_version=0
    )
    services.country_profile_update(
        by=cast.intl_officer, country=country, data={"contacts": "b"}, reason="New phone", expected_version=1
    )
    profile = CountryProfile.objects.get(country=country)
    assert profile.version == 2
    assert list(profile.versions.values_list("version", "data__contacts")) == [(2, "b"), (1, "a")]
    assert len(_audit(profile)) == 2


def test_stale_version_is_refused_and_nothing_overwritten(cast, states):
    country = states["TR"]
    services.country_profile_update(
        by=cast.intl_officer, country=country, data={"contacts": "a"}, expected_version=0
    )
    services.country_profile_update(
        by=cast.intl_officer, country=country, data={"contacts": "b"}, expected_version=1
    )
    with pytest.raises(ValidationError) as error:
        services.country_profile_update(
            by=cast.intl_officer, country=country, data={"contacts": "stale"}, expected_version=1
        )
    assert error.value.code == "stale"
    assert "version 2" in error.value.messages[0]
    profile = CountryProfile.objects.get(country=country)
    assert profile.contacts == "b" and profile.version == 2
    assert profile.versions.count() == 2


def test_a_profile_save_that_changes_nothing_writes_no_version(cast, states):
    country = states["TR"]
    services.country_profile_update(
        by=cast.intl_officer, country=country, data={"contacts": "a"}, expected_version=0
    )
    profile = services.country_profile_update(
        by=cast.intl_officer, country=country, data={"contacts": "a"}, expected_version=1
    )
    assert profile.version == 1
    assert profile.versions.count() == 1


def test_profile_bad_answer_is_refused(cast, states):
    with pytest.raises(ValidationError) as error:
        services.country_profile_update(
            by=cast.intl_officer,
            country=states["TR"],
            data={"dual_criminality": "perhaps"},
            expected_version=0,
        )
    assert "dual_criminality" in error.value.message_dict
    assert not CountryProfile.objects.exists()


def test_kazakhstan_has_no_partner_profile(cast, states):
    with pytest.raises(ValidationError):
        services.country_profile_update(
            by=cast.intl_officer, country=states["KZ"], data={}, expected_version=0
        )
