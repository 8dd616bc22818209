import datetime as dt

import factory

from prokuratura.cooperation.models import Instrument, InstrumentParty, InstrumentSubject
from prokuratura.core.models import Country, CrimeCategory


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso2",)

    iso2 = "XA"
    iso3 = factory.LazyAttribute(lambda o: f"{o.iso2}X")
    name_en = factory.LazyAttribute(lambda o: f"State {o.iso2}")
    name_ru = factory.LazyAttribute(lambda o: f"Государство {o.iso2}")
    name_kk = factory.LazyAttribute(lambda o: f"{o.iso2} мемлекеті")
    world_region = "europe"


class CrimeCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrimeCategory
        django_get_or_create = ("code",)

    code = "drug_trafficking"
    kind = CrimeCategory.Kind.FOCUS_AREA
    name_en = factory.LazyAttribute(lambda o: o.code.replace("_", " ").capitalize())
    name_ru = factory.LazyAttribute(lambda o: o.code)
    name_kk = factory.LazyAttribute(lambda o: o.code)


class InstrumentFactory(factory.django.DjangoModelFactory):
    """A bilateral treaty in force with a made-up partner; pass subjects=[...] and parties=[...] iso codes."""

    class Meta:
        model = Instrument
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"test-treaty-{n}")
    kind = Instrument.Kind.BILATERAL
    title_en = factory.Sequence(lambda n: f"Test treaty {n}")
    partner = factory.SubFactory(CountryFactory)
    signed_date = dt.date(2010, 1, 1)
    ratified_date = dt.date(2011, 1, 1)
    in_force_date = dt.date(2012, 1, 1)
    status = Instrument.Status.IN_FORCE
    all_offences = True
    source_url = "https://example.org/source"

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        for code in extracted or ["mla"]:
            InstrumentSubject.objects.create(instrument=self, subject=code)

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        codes = extracted
        if codes is None and self.kind == Instrument.Kind.BILATERAL:
            codes = ["KZ", self.partner_id]
        for code in codes or []:
            country = CountryFactory(iso2=code)
            InstrumentParty.objects.create(
                instrument=self, country=country, status=InstrumentParty.Status.PARTY
            )


def vienna_1988(*, drugs: CrimeCategory, **overrides):
    """The 1988 Vienna Convention as the resolver tests know it: UN, drug offences only, Kazakhstan a party since
    1998-06-29, every other UN member presumed a party (an unverified presumption), no entry into force recorded."""
    from prokuratura.cooperation.models import Confidence

    fields = {
        "code": "vienna-1988",
        "kind": Instrument.Kind.MULTILATERAL,
        "family": Instrument.Family.UN,
        "partner": None,
        "short_name": "1988 Vienna Convention",
        "title_en": "UN Convention against Illicit Traffic",
        "in_force_date": None,
        "status": Instrument.Status.RATIFIED,
        "all_offences": False,
        "open_to_all_states": True,
        "open_to_all_confidence": Confidence.UNVERIFIED,
        "subjects": ["mla", "extradition"],
        "parties": [],
        **overrides,
    }
    vienna = InstrumentFactory(**fields)
    vienna.offence_categories.set([drugs])
    InstrumentParty.objects.create(instrument=vienna, country_id="KZ", date=dt.date(1998, 6, 29))
    return vienna
