"""The legal-basis resolver: every rule with real dates (entry into force, ratification only, signature only,
termination, parties on the date, unverified records, the UN wildcard, withdrawal, Chisinau replacing Minsk,
offence scope), the order of the answer, reciprocity last, input errors, query count, and the real register."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from prokuratura.cooperation.models import (
    BasisRule,
    Confidence,
    CountryProfile,
    Instrument,
    InstrumentParty,
    OrganisationMembership,
    Precision,
)
from prokuratura.cooperation.resolver import in_force_between, legal_basis_resolve, resolver_choices
from prokuratura.cooperation.tests.factories import CountryFactory, CrimeCategoryFactory, InstrumentFactory
from prokuratura.core.models import CrimeCategory

D = dt.date(2026, 12, 1)
MULTI = Instrument.Kind.MULTILATERAL


@pytest.fixture
def states(db):
    CountryFactory(iso2="KZ", iso3="KAZ", name_en="Kazakhstan")
    return {
        code: CountryFactory(iso2=code, iso3=f"{code}Q", name_en=name)
        for code, name in [("ES", "Spain"), ("BY", "Belarus"), ("RU", "Russia"), ("US", "United States")]
    }


@pytest.fixture
def offences(db):
    return {
        "drug_trafficking": CrimeCategoryFactory(code="drug_trafficking"),
        "cybercrime": CrimeCategoryFactory(code="cybercrime"),
        "06": CrimeCategoryFactory(
            code="06", kind=CrimeCategory.Kind.ICCS_SECTION, name_en="Acts involving controlled drugs"
        ),
    }


def convention(code, *, family="un", subjects=("mla", "extradition"), categories=(), **fields):
    values = {
        "kind": MULTI,
        "partner": None,
        "family": family,
        "short_name": code,
        "signed_date": dt.date(1990, 1, 1),
        "ratified_date": None,
        "in_force_date": None,
        "status": Instrument.Status.RATIFIED,
        "all_offences": not categories,
        **fields,
    }
    instrument = InstrumentFactory(code=code, subjects=list(subjects), parties=[], **values)
    instrument.offence_categories.set(categories)
    return instrument


def party(instrument, iso2, status=InstrumentParty.Status.PARTY, date=None, **fields):
    return InstrumentParty.objects.create(
        instrument=instrument, country_id=iso2, status=status, date=date, **fields
    )


def resolve(country, kind="mla", on_date=D, **arguments):
    return legal_basis_resolve(country=country, kind=kind, on_date=on_date, **arguments)


def verdict(resolution, code):
    (found,) = [c for c in resolution.candidates if c.instrument is not None and c.instrument.code == code]
    return found


# --- bilateral treaties ----------------------------------------------------------------------------------------


def test_bilateral_in_force_on_the_date_applies_and_not_before_its_entry_into_force(states):
    InstrumentFactory(code="kz-es-mla", partner=states["ES"], in_force_date=dt.date(2012, 9, 10))

    after = verdict(resolve("ES", on_date=dt.date(2013, 1, 1)), "kz-es-mla")
    before = verdict(resolve("ES", on_date=dt.date(2012, 9, 9)), "kz-es-mla")

    assert after.applies and after.tier == "bilateral" and after.in_force_confirmed
    assert "In force since 10.09.2012." in after.reasons
    assert "Covers mutual legal assistance in criminal matters." in after.reasons
    assert after.warnings == []
    assert not before.applies
    assert "Not yet in force on 09.09.2012: in force from 10.09.2012." in before.reasons


def test_bilateral_ratified_without_entry_into_force_applies_with_the_warning(states):
    InstrumentFactory(
        code="kz-us-mla",
        partner=states["US"],
        signed_date=dt.date(2015, 2, 20),
        ratified_date=dt.date(2015, 7, 16),
        in_force_date=None,
        status=Instrument.Status.RATIFIED,
    )

    resolution = resolve("US")
    treaty = verdict(resolution, "kz-us-mla")
    earlier = verdict(resolve("US", on_date=dt.date(2015, 7, 1)), "kz-us-mla")

    assert treaty.applies and not treaty.in_force_confirmed
    assert treaty.warnings == [
        "Entry into force is unconfirmed: ratified by Kazakhstan on 16.07.2015, no source states the date it "
        "entered into force."
    ]
    assert any("Entry into force is unconfirmed" in w for w in resolution.warnings)
    assert not earlier.applies
    assert "Ratified by Kazakhstan only on 16.07.2015." in earlier.reasons


def test_ratification_known_only_to_the_month_warns_inside_that_month(states):
    InstrumentFactory(
        code="kz-es-month",
        partner=states["ES"],
        ratified_date=dt.date(2015, 7, 1),
        ratified_precision=Precision.MONTH,
        in_force_date=None,
        status=Instrument.Status.RATIFIED,
    )

    treaty = verdict(resolve("ES", on_date=dt.date(2015, 7, 15)), "kz-es-month")

    assert treaty.applies
    assert "Ratified by Kazakhstan on 07.2015." in treaty.reasons
    assert any("known only to 07.2015" in w for w in treaty.warnings)


def test_bilateral_signed_only_does_not_apply(states):
    InstrumentFactory(
        code="kz-es-ext",
        partner=states["ES"],
        subjects=["extradition"],
        signed_date=dt.date(2024, 12, 12),
        ratified_date=None,
        in_force_date=None,
        status=Instrument.Status.SIGNED,
    )

    treaty = verdict(resolve("ES", kind="extradition"), "kz-es-ext")
    before_signature = verdict(resolve("ES", kind="extradition", on_date=dt.date(2024, 1, 1)), "kz-es-ext")

    assert not treaty.applies
    assert "Signed 12.12.2024 but not ratified by Kazakhstan as far as the register knows." in treaty.reasons
    assert "Not yet signed on 01.01.2024 (signed 12.12.2024)." in before_signature.reasons


def test_bilateral_of_unknown_status_does_not_apply(states):
    InstrumentFactory(
        code="kz-es-unknown",
        partner=states["ES"],
        signed_date=dt.date(2012, 1, 1),
        signed_precision=Precision.YEAR,
        ratified_date=None,
        in_force_date=None,
        status=Instrument.Status.UNKNOWN,
    )

    treaty = verdict(resolve("ES"), "kz-es-unknown")

    assert not treaty.applies
    assert (
        "Signed 2012; whether it was ratified and entered into force is not known to the register."
        in treaty.reasons
    )


def test_terminated_treaty_applies_before_its_termination_only(states):
    InstrumentFactory(
        code="kz-es-old",
        partner=states["ES"],
        in_force_date=dt.date(2000, 1, 1),
        terminated_date=dt.date(2020, 1, 1),
        status=Instrument.Status.TERMINATED,
    )

    after = verdict(resolve("ES", on_date=dt.date(2020, 1, 1)), "kz-es-old")
    before = verdict(resolve("ES", on_date=dt.date(2019, 12, 31)), "kz-es-old")

    assert not after.applies and "Terminated on 01.01.2020." in after.reasons
    assert before.applies and "Terminated later, on 01.01.2020." in before.reasons


def test_a_bilateral_treaty_on_another_subject_is_listed_with_the_reason(states):
    InstrumentFactory(code="kz-es-transfer", partner=states["ES"], subjects=["transfer_sentenced"])

    treaty = verdict(resolve("ES", kind="extradition"), "kz-es-transfer")

    assert not treaty.applies
    assert "Does not cover extradition." in treaty.reasons


def test_legal_assistance_in_civil_and_criminal_matters_covers_criminal_mla(states):
    InstrumentFactory(code="kz-es-la", partner=states["ES"], subjects=["legal_assistance"])

    treaty = verdict(resolve("ES", kind="mla"), "kz-es-la")

    assert treaty.applies
    assert treaty.reasons[0].startswith("Covers legal assistance in civil and criminal matters")


# --- multilateral conventions --------------------------------------------------------------------------------


def test_regional_convention_applies_when_both_states_were_parties_on_the_date(states):
    cis = convention("chisinau-2002", family="cis")
    party(cis, "KZ", date=dt.date(2004, 3, 29))
    party(cis, "BY", date=dt.date(2003, 8, 1))

    found = verdict(resolve("BY"), "chisinau-2002")
    early = verdict(resolve("BY", on_date=dt.date(2004, 1, 1)), "chisinau-2002")

    assert found.applies and found.tier == "regional"
    assert "Kazakhstan is a party (since 29.03.2004)." in found.reasons
    assert "Belarus is a party (since 01.08.2003)." in found.reasons
    assert (
        "Entry into force is unconfirmed: Kazakhstan joined on 29.03.2004, no source states the date it entered "
        "into force."
    ) in found.warnings
    assert not found.in_force_confirmed
    assert not early.applies
    assert "Kazakhstan became a party only on 29.03.2004." in early.reasons


def test_a_known_entry_into_force_for_each_state_counts(states):
    cis = convention("cis-transfer", family="cis", subjects=["transfer_sentenced"])
    party(cis, "KZ", date=dt.date(1999, 7, 16), in_force_date=dt.date(1999, 9, 1))
    party(cis, "RU", date=dt.date(1999, 1, 1), in_force_date=dt.date(1999, 3, 1))

    found = verdict(resolve("RU", kind="transfer_sentenced"), "cis-transfer")
    early = verdict(resolve("RU", kind="transfer_sentenced", on_date=dt.date(1999, 8, 1)), "cis-transfer")

    assert found.applies and found.in_force_confirmed and found.warnings == []
    assert "In force since 01.09.1999." in found.reasons
    assert not early.applies
    assert "Not yet in force for Kazakhstan on 01.08.1999: in force for it from 01.09.1999." in early.reasons


def test_regional_convention_the_partner_is_not_listed_in_does_not_apply(states):
    sco = convention("sco-2009", family="sco")
    party(sco, "KZ", date=dt.date(2011, 1, 10))
    party(sco, "RU", date=dt.date(2011, 1, 1))

    found = verdict(resolve("ES"), "sco-2009")

    assert not found.applies
    assert "Spain is not a party as far as the register knows." in found.reasons


def test_a_convention_whose_parties_are_not_recorded_says_so(states):
    protocol = convention("protocol", family="un")
    party(protocol, "KZ", date=dt.date(2008, 6, 4))

    found = verdict(resolve("ES"), "protocol")

    assert not found.applies
    assert (
        "The register does not list the other parties, so whether Spain is one is not known." in found.reasons
    )


def test_an_unverified_party_record_is_warned_about(states):
    minsk = convention("minsk-1993", family="cis")
    party(minsk, "KZ", date=dt.date(1994, 4, 10))
    party(minsk, "RU", confidence=Confidence.UNVERIFIED, note="Party from memory (ratified 1994).")

    resolution = resolve("RU")
    found = verdict(resolution, "minsk-1993")

    assert found.applies
    # The warning is a sentence of the interface; the compilers' note stays apart, as a research note.
    assert "Relies on an unverified party record for Russia." in found.warnings
    assert found.notes == ["Russia: Party from memory (ratified 1994)."]
    assert not any("from memory" in w for w in found.warnings)
    assert any("Russia joined minsk-1993 is unknown" in w for w in found.warnings)
    assert "minsk-1993: Relies on an unverified party record for Russia." in resolution.warnings
    assert "the partner state's participation" in found.checks


def test_kazakhstan_without_a_join_date_is_warned_about(states):
    cis = convention("cis-x", family="cis")
    party(cis, "KZ")
    party(cis, "BY", date=dt.date(2000, 1, 1))

    found = verdict(resolve("BY"), "cis-x")

    assert found.applies
    assert "Kazakhstan is a party (the date it joined is not known)." in found.reasons
    assert any(w.startswith("The date Kazakhstan joined cis-x is unknown") for w in found.warnings)


def test_kazakhstan_not_a_party_or_not_confirmed(states):
    convention("cets-173", family="coe", status=Instrument.Status.NOT_PARTY, open_to_all_states=True)
    convention("un-cyber", family="un", status=Instrument.Status.UNKNOWN, open_to_all_states=True)

    resolution = resolve("ES")

    assert not verdict(resolution, "cets-173").applies
    assert "Kazakhstan is not a party." in verdict(resolution, "cets-173").reasons
    assert not verdict(resolution, "un-cyber").applies
    assert "Kazakhstan's participation is not confirmed." in verdict(resolution, "un-cyber").reasons


def test_un_wildcard_presumes_the_partner_a_party_with_a_warning(states, offences):
    vienna = convention(
        "vienna-1988",
        categories=[offences["drug_trafficking"], offences["06"]],
        open_to_all_states=True,
        open_to_all_confidence=Confidence.UNVERIFIED,
        ratified_date=dt.date(1998, 6, 29),
    )
    party(vienna, "KZ", date=dt.date(1998, 6, 29))

    found = verdict(resolve("US", kind="extradition", focus_area="drug_trafficking"), "vienna-1988")

    assert found.applies and found.tier == "un"
    assert (
        "United States is presumed a party: the register lists only the states that are not." in found.reasons
    )
    assert "Covers drug trafficking." in found.reasons
    assert (
        "Relies on the assumption that every UN member not listed as a non-party is a party (unverified)."
        in found.warnings
    )


def test_un_wildcard_excludes_a_listed_non_party_and_a_sourced_wildcard_needs_no_warning(states, offences):
    vienna = convention(
        "vienna-1988",
        categories=[offences["drug_trafficking"]],
        open_to_all_states=True,
        open_to_all_confidence=Confidence.SOURCED,
    )
    party(vienna, "KZ", date=dt.date(1998, 6, 29))
    party(vienna, "RU", status=InstrumentParty.Status.NOT_PARTY)
    party(vienna, "ES", status=InstrumentParty.Status.SIGNATORY)

    us = verdict(resolve("US", focus_area="drug_trafficking"), "vienna-1988")
    ru = verdict(resolve("RU", focus_area="drug_trafficking"), "vienna-1988")
    es = verdict(resolve("ES", focus_area="drug_trafficking"), "vienna-1988")

    assert us.applies and not any("assumption" in w for w in us.warnings)
    assert not ru.applies and "Russia is not a party." in ru.reasons
    assert not es.applies and "Spain has signed but is not a party." in es.reasons


def test_a_withdrawn_state_is_a_party_until_its_withdrawal(states):
    minsk = convention("minsk-1993", family="cis")
    party(minsk, "KZ", date=dt.date(1994, 4, 10))
    party(minsk, "ES", status=InstrumentParty.Status.WITHDRAWN, date=dt.date(2022, 12, 1))

    after = verdict(resolve("ES", on_date=dt.date(2023, 1, 1)), "minsk-1993")
    before = verdict(resolve("ES", on_date=dt.date(2020, 1, 1)), "minsk-1993")

    assert not after.applies and "Spain withdrew on 01.12.2022." in after.reasons
    assert before.applies and "Spain was a party until it withdrew on 01.12.2022." in before.reasons


def test_chisinau_replaces_minsk_between_states_party_to_both(states):
    minsk = convention("minsk-1993", family="cis", signed_date=dt.date(1993, 1, 22))
    chisinau = convention("chisinau-2002", family="cis", signed_date=dt.date(2002, 10, 7), supersedes=minsk)
    for iso2 in ("KZ", "BY", "RU"):
        party(minsk, iso2, date=dt.date(1994, 1, 1))
    party(chisinau, "KZ", date=dt.date(2004, 3, 29))
    party(chisinau, "BY", date=dt.date(2003, 8, 1))
    party(chisinau, "RU", status=InstrumentParty.Status.SIGNATORY)

    belarus = resolve("BY")
    russia = resolve("RU")
    belarus_2003 = resolve("BY", on_date=dt.date(2003, 12, 31))

    assert verdict(belarus, "chisinau-2002").applies
    assert not verdict(belarus, "minsk-1993").applies
    assert "Replaced by chisinau-2002 between states party to both." in verdict(belarus, "minsk-1993").reasons
    assert verdict(russia, "minsk-1993").applies
    assert not verdict(russia, "chisinau-2002").applies
    assert verdict(belarus_2003, "minsk-1993").applies  # before Kazakhstan joined Chisinau
    assert [c.instrument.code for c in in_force_between(country="BY", on_date=D)] == ["chisinau-2002"]


def test_a_convention_not_covering_the_offence_is_listed_with_the_reason(states, offences):
    vienna = convention("vienna-1988", categories=[offences["drug_trafficking"], offences["06"]])
    party(vienna, "KZ", date=dt.date(1998, 6, 29))
    party(vienna, "US", date=dt.date(1990, 2, 20))

    cyber = verdict(resolve("US", focus_area="cybercrime"), "vienna-1988")
    iccs = verdict(resolve("US", iccs_section="06"), "vienna-1988")
    unnamed = verdict(resolve("US"), "vienna-1988")

    assert not cyber.applies
    assert (
        "Does not cover cybercrime; it covers drug trafficking, acts involving controlled drugs."
        in cyber.reasons
    )
    assert iccs.applies and "Covers acts involving controlled drugs." in iccs.reasons
    assert not unnamed.applies
    assert any(r.startswith("Covers only these offences: drug trafficking") for r in unnamed.reasons)


def test_a_convention_on_another_kind_of_cooperation_is_left_out(states):
    transfer = convention("cis-transfer", family="cis", subjects=["transfer_sentenced"])
    party(transfer, "KZ", date=dt.date(1999, 1, 1))
    party(transfer, "BY", date=dt.date(1999, 1, 1))

    resolution = resolve("BY", kind="extradition")

    assert all(c.instrument is None or c.instrument.code != "cis-transfer" for c in resolution.candidates)


# --- the answer as a whole ----------------------------------------------------------------------------------


def test_the_answer_is_in_tier_order_then_reciprocity_then_what_does_not_apply(states, offences):
    InstrumentFactory(code="kz-by", partner=states["BY"], in_force_date=dt.date(2001, 1, 1))
    InstrumentFactory(code="kz-by-signed", partner=states["BY"], in_force_date=None, ratified_date=None,
                      status=Instrument.Status.SIGNED)  # fmt: skip
    un = convention("untoc", categories=[offences["drug_trafficking"]], open_to_all_states=True)
    party(un, "KZ", date=dt.date(2008, 6, 4))
    cis = convention("chisinau-2002", family="cis")
    party(cis, "KZ", date=dt.date(2004, 3, 29))
    party(cis, "BY", date=dt.date(2003, 8, 1))
    sco = convention("sco", family="sco")
    party(sco, "KZ", date=dt.date(2011, 1, 1))

    resolution = resolve("BY", focus_area="drug_trafficking")

    assert [(c.tier, c.applies) for c in resolution.candidates] == [
        ("bilateral", True),
        ("regional", True),
        ("un", True),
        ("reciprocity", False),
        ("bilateral", False),
        ("regional", False),
    ]
    assert resolution.applicable == resolution.candidates[:3]
    assert resolution.reciprocity is resolution.candidates[3]
    assert resolution.reciprocity.status == "not_needed"
    assert resolution.reciprocity.summary == "Reciprocity is not needed: the 2010 bilateral treaty applies."
    assert [c.instrument.code for c in resolution.not_applicable] == ["kz-by-signed", "sco"]
    assert all(c.sources for c in resolution.candidates if c.instrument is not None)


def test_reciprocity_is_the_rule_text_and_the_only_basis_when_nothing_applies(states):
    rule = BasisRule.objects.get(code="reciprocity")

    resolution = resolve("ES", kind="extradition")

    assert [c.tier for c in resolution.applicable] == ["reciprocity"]
    assert resolution.applicable[0].status == "fallback" and resolution.applicable[0].applies
    assert resolution.applicable[0].reasons == [rule.text]
    assert resolution.headline.startswith("No treaty or convention in the register applies: send the request")
    assert resolution.applicable[0].legal_basis == rule.legal_basis
    assert not resolution.treaty_applies
    assert any("rests on reciprocity" in w for w in resolution.warnings)


def test_reciprocity_falls_back_to_a_built_in_sentence_without_the_rule(states):
    BasisRule.objects.filter(code="reciprocity").delete()

    (reciprocity,) = resolve("ES").applicable

    assert reciprocity.applies and reciprocity.legal_basis == ""
    assert "principle of reciprocity" in reciprocity.reasons[0]
    assert "written assurance of reciprocity" in reciprocity.reasons[0]


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        ({"country": "QQ"}, "country", "Unknown country code: QQ."),
        ({"country": "KZ"}, "country", "Choose a partner state other than Kazakhstan."),
        ({"kind": "espionage"}, "kind", "Unknown kind of cooperation: espionage."),
        ({"iccs_section": "99"}, "iccs_section", "Unknown ICCS section: 99."),
        ({"iccs_section": "cybercrime"}, "iccs_section", "Unknown ICCS section: cybercrime."),
        ({"focus_area": "06"}, "focus_area", "Unknown crime focus area: 06."),
    ],
)
def test_unknown_codes_are_refused_naming_the_field(states, offences, arguments, field, message):
    values = {"country": "ES", "kind": "mla", "on_date": D, **arguments}

    with pytest.raises(ValidationError) as caught:
        legal_basis_resolve(**values)

    assert caught.value.message_dict == {field: [message]}


def _queries(**arguments):
    with CaptureQueriesContext(connection) as context:
        legal_basis_resolve(**arguments)
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_register(
    states, offences, django_assert_max_num_queries
):
    arguments = {"country": "BY", "kind": "mla", "on_date": D, "focus_area": "drug_trafficking"}
    InstrumentFactory(partner=states["BY"])
    few = _queries(**arguments)
    for n in range(15):
        InstrumentFactory(partner=states["BY"], subjects=["mla", "extradition"])
        un = convention(f"un-{n}", categories=[offences["drug_trafficking"]], open_to_all_states=True)
        party(un, "KZ", date=dt.date(2008, 6, 4))
        party(un, "BY", date=dt.date(2008, 6, 4), confidence=Confidence.UNVERIFIED)

    with django_assert_max_num_queries(10):
        resolution = legal_basis_resolve(**arguments)

    assert _queries(**arguments) == few
    assert len(resolution.applicable) == 31


# --- what was in force between Kazakhstan and a state -------------------------------------------------------


def test_in_force_between_lists_treaties_and_shared_conventions_on_the_date(states):
    InstrumentFactory(code="kz-es-mla", partner=states["ES"], in_force_date=dt.date(2012, 12, 1))
    InstrumentFactory(code="kz-es-transfer", partner=states["ES"], subjects=["transfer_sentenced"],
                      in_force_date=None, ratified_date=dt.date(2013, 5, 23), status=Instrument.Status.RATIFIED)  # fmt: skip
    InstrumentFactory(code="kz-es-ext", partner=states["ES"], subjects=["extradition"], in_force_date=None,
                      ratified_date=None, status=Instrument.Status.UNKNOWN)  # fmt: skip
    cets = convention("cets-141", family="coe", subjects=["confiscation"], open_to_all_states=True)
    party(cets, "KZ", date=dt.date(2011, 5, 2))
    OrganisationMembership.objects.create(
        organisation="coe", country_id="ES", member_from=dt.date(1977, 11, 24)
    )
    other = convention("sco", family="sco")
    party(other, "KZ", date=dt.date(2011, 1, 1))

    found = in_force_between(country="ES", on_date=dt.date(2014, 1, 1))
    earlier = in_force_between(country="ES", on_date=dt.date(2012, 1, 1))

    assert [(c.instrument.code, c.in_force_confirmed) for c in found] == [
        ("kz-es-mla", True),
        ("kz-es-transfer", False),
        ("cets-141", False),
    ]
    assert [c.instrument.code for c in earlier] == ["cets-141"]
    with pytest.raises(ValidationError):
        in_force_between(country="KZ", on_date=D)


def test_the_form_choices_put_states_with_a_treaty_first(states, offences):
    InstrumentFactory(partner=states["ES"])

    choices = resolver_choices()

    assert [c.iso2 for c in choices.treaty_states] == ["ES"]
    assert "KZ" not in {c.iso2 for c in choices.other_states}
    assert [c.code for c in choices.iccs_sections] == ["06"]
    assert {c.code for c in choices.focus_areas} == {"drug_trafficking", "cybercrime"}


# --- the real register (data/reference) -------------------------------------------------------------------


def test_real_extradition_with_the_united_states_for_drug_trafficking(coop_reference):
    resolution = resolve("US", kind="extradition", focus_area="drug_trafficking")

    tiers = [(c.tier, c.instrument.code if c.instrument else None) for c in resolution.applicable]
    assert tiers == [("un", "vienna-1988")]
    assert resolution.reciprocity.status == "not_needed"
    vienna = resolution.applicable[0]
    assert any("presumed a party" in r for r in vienna.reasons)
    assert any("every UN member not listed as a non-party" in w for w in vienna.warnings)
    assert not any(c.tier == "bilateral" and c.applies for c in resolution.candidates)
    us_mla = [c for c in resolution.candidates if c.tier == "bilateral"]
    assert us_mla and all("Does not cover extradition." in c.reasons for c in us_mla)


def test_real_mla_with_russia_rests_on_minsk_with_the_unverified_warning(coop_reference):
    resolution = resolve("RU", kind="mla")

    first = resolution.applicable[0]
    assert first.instrument.code == "minsk-1993"
    assert any(w.startswith("Relies on an unverified party record for") for w in first.warnings)
    chisinau = verdict(resolution, "chisinau-2002")
    assert not chisinau.applies


def test_real_mla_with_belarus_rests_on_chisinau_not_minsk(coop_reference):
    resolution = resolve("BY", kind="mla")

    assert resolution.applicable[0].instrument.code == "chisinau-2002"
    minsk = verdict(resolution, "minsk-1993")
    assert not minsk.applies
    assert any(r.startswith("Replaced by Chisinau Convention 2002") for r in minsk.reasons)


def test_real_mla_with_spain_rests_on_the_bilateral_convention(coop_reference):
    resolution = resolve("ES", kind="mla")

    first = resolution.applicable[0]
    assert first.tier == "bilateral"
    assert first.instrument.in_force_date == dt.date(2012, 12, 1)
    assert "In force since 01.12.2012." in first.reasons
    assert first.in_force_confirmed


def test_real_extradition_with_turkey_rests_on_the_combined_1995_agreement(coop_reference):
    resolution = resolve("TR", kind="extradition")

    first = resolution.applicable[0]
    assert first.tier == "bilateral"
    assert first.instrument.signed_date == dt.date(1995, 8, 15)
    assert set(first.instrument.subject_codes()) >= {"extradition", "mla"}
    assert "In force since 12.06.2000." in first.reasons
    assert all(c.tier != "reciprocity" for c in resolution.applicable)


# --- a convention's "*" row by its own meaning ------------------------------------------------------------------


@pytest.fixture
def cets_141(states):
    """CETS 141 as the register holds it: Kazakhstan a non-member party since 2011, a "*" row for the Council of
    Europe's member states, and Russia's own (unverified) row."""
    for code, name in [("DE", "Germany"), ("CN", "China"), ("ME", "Montenegro")]:
        CountryFactory(iso2=code, iso3=f"{code}Q", name_en=name)
    cets = convention(
        "cets-141",
        family="coe",
        subjects=["mla", "confiscation"],
        open_to_all_states=True,
        open_to_group="coe",
        status=Instrument.Status.RATIFIED,
        ratified_date=dt.date(2011, 5, 2),
    )
    party(cets, "KZ", date=dt.date(2011, 5, 2))
    party(cets, "RU", confidence=Confidence.UNVERIFIED, note="Russia ratified 2001 (memory).")
    for iso2, start, end in [
        ("DE", dt.date(1950, 7, 13), None),
        ("RU", dt.date(1996, 2, 28), dt.date(2022, 3, 16)),
        ("ME", dt.date(2007, 5, 11), None),
    ]:
        OrganisationMembership.objects.create(
            organisation="coe", country_id=iso2, member_from=start, member_until=end
        )
    return cets


def test_the_coe_wildcard_is_not_every_state_china_and_the_united_states_are_not_parties(cets_141):
    china = verdict(resolve("CN"), "cets-141")
    usa = verdict(resolve("US"), "cets-141")

    assert not china.applies and not usa.applies
    assert china.summary == (
        "China is not a party as far as the register knows: it is not a member state of the Council of Europe, "
        "and the register lists no accession of its own."
    )
    assert [c.instrument.code for c in in_force_between(country="CN", on_date=D)] == []


def test_the_coe_wildcard_takes_a_member_state_on_the_date_asked(cets_141):
    germany = verdict(resolve("DE", on_date=dt.date(2015, 1, 1)), "cets-141")
    montenegro_2006 = verdict(resolve("ME", on_date=dt.date(2006, 1, 1)), "cets-141")
    montenegro_2012 = verdict(resolve("ME", on_date=dt.date(2012, 1, 1)), "cets-141")

    assert germany.applies
    assert (
        "Germany is presumed a party as a member state of the Council of Europe (a member since 13.07.1950)."
        in germany.reasons
    )
    assert any("every member state of the Council of Europe is a party" in w for w in germany.warnings)
    assert "the partner state's participation" in germany.checks
    assert not montenegro_2006.applies
    assert any("became a member only on 11.05.2007" in r for r in montenegro_2006.reasons)
    assert montenegro_2012.applies


def test_russia_after_leaving_the_council_rests_on_its_own_row_with_an_honest_warning(cets_141):
    before = verdict(resolve("RU", on_date=dt.date(2021, 1, 1)), "cets-141")
    after = verdict(resolve("RU", on_date=dt.date(2023, 1, 1)), "cets-141")

    assert before.applies and not any("ceased to be a member" in w for w in before.warnings)
    assert after.applies  # its own row says "party"; leaving the Council does not of itself end that
    assert (
        "Russia ceased to be a member of the Council of Europe on 16.03.2022; confirm with the Council of Europe's "
        "Treaty Office that it is still a party to cets-141." in after.warnings
    )
    assert "Relies on an unverified party record for Russia." in after.warnings


def test_without_its_own_row_a_former_member_is_not_a_party_after_leaving(cets_141):
    InstrumentParty.objects.filter(instrument=cets_141, country_id="RU").delete()

    before = verdict(resolve("RU", on_date=dt.date(2022, 3, 15)), "cets-141")
    after = verdict(resolve("RU", on_date=dt.date(2022, 3, 16)), "cets-141")

    assert before.applies
    assert not after.applies
    assert "ceased to be a member on 16.03.2022" in after.summary


def test_a_wildcard_loaded_before_its_group_was_recorded_reads_by_the_family(cets_141):
    Instrument.objects.filter(pk=cets_141.pk).update(open_to_group="")

    assert not verdict(resolve("CN"), "cets-141").applies
    assert verdict(resolve("DE"), "cets-141").applies


# --- a convention's scope ---------------------------------------------------------------------------------------


@pytest.fixture
def untoc(states):
    categories = {
        code: CrimeCategoryFactory(code=code)
        for code in ("money_laundering", "terrorism", "transnational_organized_crime")
    }
    untoc = convention(
        "untoc",
        categories=[categories["money_laundering"], categories["transnational_organized_crime"]],
        open_to_all_states=True,
        open_to_group="un",
        open_to_all_confidence=Confidence.SOURCED,
        scope_conditions=["transnational", "organised_group"],
        scope_source="UNTOC art. 3(1)",
    )
    party(untoc, "KZ", date=dt.date(2008, 6, 4))
    icsft = convention(
        "icsft",
        categories=[categories["terrorism"]],
        open_to_all_states=True,
        open_to_group="un",
        open_to_all_confidence=Confidence.SOURCED,
        scope_conditions=["terrorist_financing"],
        scope_source="ICSFT art. 2",
    )
    party(icsft, "KZ", date=dt.date(2002, 10, 2))
    return untoc


def test_untoc_needs_a_transnational_offence_and_an_organised_group(untoc):
    def found(**facts):
        return verdict(resolve("US", focus_area="money_laundering", facts=facts), "untoc")

    both = found(transnational="yes", organised_group="yes")
    not_transnational = found(transnational="no", organised_group="yes")
    unknown = found()

    assert both.applies and not any(w.startswith("The facts must show") for w in both.warnings)
    assert "Within its scope: the offence is transnational in nature." in both.reasons
    assert not not_transnational.applies
    assert not_transnational.summary == (
        "Outside its scope: it applies only where the offence is transnational in nature (UNTOC art. 3(1)), and "
        "the facts say otherwise."
    )
    assert unknown.applies
    assert [w for w in unknown.warnings if w.startswith("The facts")] == [
        "The facts must show that the offence is transnational in nature (UNTOC art. 3(1)); otherwise it does not "
        "apply.",
        "The facts must show that an organised criminal group is involved (UNTOC art. 3(1)); otherwise it does not "
        "apply.",
    ]
    assert "that an organised criminal group is involved" in unknown.checks


def test_the_terrorist_financing_convention_serves_only_the_financing_of_terrorism(untoc):
    said_no = verdict(resolve("US", focus_area="terrorism", facts={"terrorist_financing": "no"}), "icsft")
    said_yes = verdict(resolve("US", focus_area="terrorism", facts={"terrorist_financing": "yes"}), "icsft")
    laundering = verdict(resolve("US", focus_area="money_laundering"), "icsft")

    assert not said_no.applies and "the offence is the financing of terrorism" in said_no.summary
    assert said_yes.applies
    assert not laundering.applies


@pytest.mark.parametrize(
    ("facts", "field", "message"),
    [
        ({"espionage": "yes"}, "espionage", "Unknown fact of the case: espionage."),
        ({"transnational": "maybe"}, "transnational", "Answer yes, no or unknown."),
    ],
)
def test_bad_facts_are_refused_naming_the_field(untoc, facts, field, message):
    with pytest.raises(ValidationError) as caught:
        resolve("US", facts=facts)

    assert caught.value.message_dict == {field: [message]}


# --- the headline -----------------------------------------------------------------------------------------------


def test_the_headline_says_what_to_use_why_and_what_to_check(states):
    InstrumentFactory(code="kz-es-mla", partner=states["ES"], signed_date=dt.date(2011, 6, 17),
                      in_force_date=dt.date(2012, 12, 1))  # fmt: skip

    resolution = resolve("ES")

    assert resolution.headline == (
        "Use the 2011 bilateral treaty (in force since 01.12.2012); check: dual criminality, the central "
        "authority of the requested state."
    )
    assert resolution.first.instrument.code == "kz-es-mla"
    assert not resolution.reciprocity.applies


def test_the_headline_reads_the_profile_and_the_unconfirmed_entry_into_force(states):
    InstrumentFactory(code="kz-us-ext", partner=states["US"], subjects=["extradition"], in_force_date=None,
                      ratified_date=dt.date(2015, 7, 16), status=Instrument.Status.RATIFIED)  # fmt: skip
    CountryProfile.objects.create(
        country=states["US"],
        dual_criminality="no",
        extradites_nationals="yes",
        language_requirements="English",
    )

    resolution = resolve("US", kind="extradition")

    assert resolution.headline == (
        "Use the 2010 bilateral treaty (ratified by Kazakhstan on 16.07.2015, entry into force unconfirmed); "
        "check: its entry into force, the central authority of the requested state, the language of the request."
    )


def test_the_headline_falls_back_on_reciprocity_only_when_nothing_applies(states):
    resolution = resolve("US", kind="extradition")

    assert resolution.headline == (
        "No treaty or convention in the register applies: send the request on the basis of reciprocity, with a "
        "written assurance of reciprocity; check: the written assurance of reciprocity, dual criminality, whether "
        "the requested state extradites its own nationals, the central authority of the requested state."
    )
    assert resolution.applicable == [resolution.reciprocity]


def test_the_headline_names_a_convention_by_its_title_in_the_readers_language(states):
    cis = convention(
        "chisinau-2002", family="cis", title_ru="Конвенция (Кишинев, 2002)", short_name="Chisinau 2002"
    )
    party(cis, "KZ", date=dt.date(2004, 3, 29))
    party(cis, "BY", date=dt.date(2003, 8, 1))

    with translation.override("ru"):
        russian = resolve("BY").headline
    with translation.override("en"):
        english = resolve("BY").headline

    assert "Конвенция (Кишинев, 2002)" in russian
    assert english.startswith("Use Chisinau 2002 (both states are parties, entry into force unconfirmed)")


# --- the real register: the cases -----------------------------------------------------------------------


def test_real_china_mla_for_money_laundering_does_not_offer_cets_141(coop_reference):
    resolution = resolve("CN", focus_area="money_laundering")

    cets = verdict(resolution, "cets-141")
    assert not cets.applies
    assert cets not in resolution.applicable
    assert resolution.first.tier == "bilateral"
    assert resolution.headline.startswith("Use the 1993 bilateral treaty")
    assert resolution.reciprocity.status == "not_needed"


def test_real_united_states_mla_for_money_laundering_does_not_offer_cets_141(coop_reference):
    assert not verdict(resolve("US", focus_area="money_laundering"), "cets-141").applies


def test_real_germany_and_russia_for_money_laundering(coop_reference):
    germany = verdict(resolve("DE", focus_area="money_laundering"), "cets-141")
    russia_2021 = verdict(
        resolve("RU", on_date=dt.date(2021, 6, 1), focus_area="money_laundering"), "cets-141"
    )
    russia_2023 = verdict(
        resolve("RU", on_date=dt.date(2023, 6, 1), focus_area="money_laundering"), "cets-141"
    )

    assert germany.applies and any("member state of the Council of Europe" in r for r in germany.reasons)
    assert russia_2021.applies and not any("ceased to be a member" in w for w in russia_2021.warnings)
    assert russia_2023.applies  # Russia's own row says "party"
    assert any(
        "ceased to be a member of the Council of Europe on 16.03.2022" in w for w in russia_2023.warnings
    )


def test_real_untoc_asks_for_the_facts_and_uncac_serves_only_corruption(coop_reference):
    unknown = verdict(resolve("CN", focus_area="money_laundering"), "untoc")
    local = verdict(resolve("CN", focus_area="money_laundering", facts={"transnational": "no"}), "untoc")
    uncac = verdict(resolve("CN", focus_area="money_laundering"), "uncac")

    assert unknown.applies and any(w.startswith("The facts must show") for w in unknown.warnings)
    assert not local.applies
    assert not uncac.applies and uncac.summary.startswith("Does not cover money laundering")
