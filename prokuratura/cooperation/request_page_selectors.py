"""The reads the requests register's pages and API need besides request_selectors: the choices their forms offer,
the records a posted code or id names (a state, a treaty, a crime category, an office, a user), and the records
under a request (a person, a letter, a translation) found for a request the user already passed access_request
on. Visibility of the request itself is request_access's; these never widen it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from prokuratura.core.models import Country, CrimeCategory, Office

from .models import KAZAKHSTAN, Instrument
from .models_requests import AssistanceRequest, Correspondence, RequestPerson, TranslationTask

if TYPE_CHECKING:
    from prokuratura.accounts.models import User
from .resolver import resolver_choices


@dataclass
class RequestChoices:
    """What the request forms offer: the partner states (those with a bilateral treaty first), every state as a
    nationality, the ICCS sections and the focus areas; each list keeps its objects, so a form turns a posted code
    back into the record without another query."""

    treaty_states: list[Country]
    other_states: list[Country]
    iccs_sections: list[CrimeCategory]
    focus_areas: list[CrimeCategory]
    kazakhstan: Country | None

    def partners(self) -> dict[str, Country]:
        return {c.iso2: c for c in (*self.treaty_states, *self.other_states)}

    def nationalities(self) -> dict[str, Country]:
        found = self.partners()
        if self.kazakhstan is not None:
            found[self.kazakhstan.iso2] = self.kazakhstan
        return found

    def categories(self) -> dict[str, CrimeCategory]:
        return {c.code: c for c in (*self.iccs_sections, *self.focus_areas)}


def request_choices() -> RequestChoices:
    base = resolver_choices()
    return RequestChoices(
        treaty_states=base.treaty_states,
        other_states=base.other_states,
        iccs_sections=base.iccs_sections,
        focus_areas=base.focus_areas,
        kazakhstan=Country.objects.filter(iso2=KAZAKHSTAN).first(),
    )


def request_letter_get(*, assistance_request: AssistanceRequest, letter_id: int) -> Correspondence | None:
    """A letter of the request's correspondence log (None: not of this request)."""
    return Correspondence.objects.filter(request=assistance_request, pk=letter_id).first()


def request_translation_get(*, assistance_request: AssistanceRequest, task_id: int) -> TranslationTask | None:
    return TranslationTask.objects.filter(request=assistance_request, pk=task_id).first()


def request_person_get(*, assistance_request: AssistanceRequest, person_id: int) -> RequestPerson | None:
    return RequestPerson.objects.filter(request=assistance_request, pk=person_id).first()


# --- what a posted code or id names (None: nothing) ----------------------------------------------------------------


def country_by_code(code: str) -> Country | None:
    return Country.objects.filter(iso2=code).first() if code else None


def instrument_by_code(code: str) -> Instrument | None:
    return Instrument.objects.filter(code=code).first() if code else None


def crime_category_by_code(code: str) -> CrimeCategory | None:
    return CrimeCategory.objects.filter(code=code).first() if code else None


def office_by_code(code: str) -> Office | None:
    return Office.objects.filter(code=code).first() if code else None


def user_by_id(user_id: int) -> User | None:
    return get_user_model()._default_manager.filter(pk=user_id).first()  # type: ignore[no-any-return]
