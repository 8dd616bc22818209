"""The press import's forms: the text pasted or the file uploaded (with the publication date and the source), and
the review of the draft — the event form of `relations.forms` pre-filled, and the participants and figures as rows
the officer keeps, corrects or adds to.

The draft itself (the text, and where each item was read) travels with the review form as a signed value: nothing
is stored before the officer confirms, and a draft cannot be altered on the way (`draft_sign`/`draft_unsign`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prokuratura.core.models import Sensitivity

from .forms import EventForm, FigureForm, ParticipantForm, RowFormSet
from .forms_steps import date_input
from .models import CounterpartKind, ParticipantSide
from .press.draft import Draft, Found, draft_from_dict
from .press.gazetteer import HOME_STATE
from .press.text import EXTENSIONS, MAX_UPLOAD_BYTES, text_from_paste, text_from_upload, upload_too_large
from .selectors import EventChoices

DRAFT_SALT = "relations.press.draft"
DRAFT_MAX_AGE = 24 * 60 * 60  # a review left open overnight is read again


def draft_sign(draft: Draft) -> str:
    return signing.dumps(draft.as_dict(), salt=DRAFT_SALT, compress=True)


def draft_unsign(value: str) -> Draft | None:
    try:
        return draft_from_dict(signing.loads(value or "", salt=DRAFT_SALT, max_age=DRAFT_MAX_AGE))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the press release"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text=_("Paste the news item or press release in Kazakh, Russian or English."),
    )
    file = forms.FileField(
        label=_("or upload a file"),
        required=False,
        help_text=_("A .txt, .html or .docx file of at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=date_input(),
        help_text=_("When the text says “today” or “yesterday”, the date is counted from this one."),
    )
    source_url = forms.URLField(label=_("Address of the publication"), required=False, max_length=2000)

    def clean_published_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("published_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("The publication date cannot be in the future."), code="future")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("text") or ""
        upload = data.get("file")
        if upload and text.strip():
            self.add_error("text", _("Paste the text or upload a file, not both."))
            return data
        if not upload and not text.strip():
            self.add_error("text", _("Paste the text of the press release or upload a file."))
            return data
        try:
            if upload:
                if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
                    raise upload_too_large()
                data["press_text"] = text_from_upload(upload.name or "", upload.read())
            else:
                data["press_text"] = text_from_paste(text)
        except ValidationError as error:
            self.add_error("file" if upload else "text", error)
        return data


# --- the review ----------------------------------------------------------------------------------------------------


class PressEventForm(EventForm):
    """The event form, with the signed draft."""

    draft = forms.CharField(widget=forms.HiddenInput)


class _KeepMixin(forms.Form):
    keep = forms.BooleanField(label=_("Keep"), required=False, initial=True)
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)


class PressParticipantForm(_KeepMixin, ParticipantForm):
    field_order = ["keep", "side", "country", "counterpart", "official_name", "official_title"]


class PressFigureForm(_KeepMixin, FigureForm):
    field_order = ["keep", "value", "text", "subject"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sentence"].widget = forms.HiddenInput()


class KeepFormSet(RowFormSet):
    def items(self) -> list[Any]:
        """The rows marked "keep" that are filled in (blank added rows are left out)."""
        return [form.item() for form in self.forms if form.cleaned_data.get("keep") and not form.is_blank()]


PressParticipantFormSet = forms.formset_factory(
    PressParticipantForm, formset=KeepFormSet, extra=2, max_num=200, validate_max=True
)
PressFigureFormSet = forms.formset_factory(
    PressFigureForm, formset=KeepFormSet, extra=1, max_num=200, validate_max=True
)


def _participant_rows(draft: Draft, choices: EventChoices) -> list[dict[str, Any]]:
    """Officials first (with the state or organisation they belong to), then the states and organisations no
    official stands for; a state or organisation the database does not have is left out."""
    states = {c.iso2 for c in choices.countries}
    counterparts = {c.code: c for c in choices.counterparts}
    rows: list[dict[str, Any]] = []
    covered: set[str] = set()

    def side(iso2: str = "", code: str = "") -> str:
        counterpart = counterparts.get(code)
        home = iso2 == HOME_STATE or (
            counterpart is not None and counterpart.kind == CounterpartKind.DOMESTIC_AGENCY
        )
        return ParticipantSide.KAZAKHSTAN if home else ParticipantSide.PARTNER

    for n, official in enumerate(draft.officials):
        state = official.state if official.state in states else ""
        counterpart = counterparts.get(official.organisation)
        covered.add(official.affiliation)
        rows.append(
            {
                "keep": True,
                "side": side(state, official.organisation),
                "country": state,
                "counterpart": counterpart.pk if counterpart else "",
                "official_name": official.name,
                "official_title": official.title,
                "source": f"officials:{n}",
            }
        )
    for n, item in enumerate(draft.states):
        if item.iso2 in states and f"state:{item.iso2}" not in covered:
            rows.append(
                {"keep": True, "side": side(iso2=item.iso2), "country": item.iso2, "source": f"states:{n}"}
            )
    for n, org in enumerate(draft.organisations):
        counterpart = counterparts.get(org.code)
        if counterpart is not None and f"org:{org.code}" not in covered:
            rows.append(
                {
                    "keep": True,
                    "side": side(code=org.code),
                    "counterpart": counterpart.pk,
                    "source": f"organisations:{n}",
                }
            )
    return rows


def review_initial(draft: Draft, choices: EventChoices, *, source_url: str, key: str) -> dict[str, Any]:
    counterparts = {c.code: c.pk for c in choices.counterparts}
    topics = {t.code for t in choices.topics}
    today = timezone.localdate()
    return {
        "kind": draft.kind,
        "title": draft.title,
        "start_date": draft.date,
        "end_date": draft.end_date if draft.end_date and draft.end_date != draft.date else None,
        "held": bool(draft.date and draft.date <= today),
        "place": draft.place_name,
        "country": draft.country if draft.country in {c.iso2 for c in choices.countries} else "",
        "principal": counterparts.get(draft.principal, ""),
        "holder_name": draft.holder_name if draft.principal in counterparts else "",
        "topics": [t.code for t in draft.topics if t.code in topics],
        "summary": draft.summary,
        "source_url": source_url,
        "sensitivity": Sensitivity.INTERNAL,
        "submission_key": key,
    }


def review_forms(
    draft: Draft, choices: EventChoices, *, user: Any, data: Any = None, initial: dict[str, Any] | None = None
) -> tuple[PressEventForm, dict[str, Any]]:
    """The event form and the two lists, from the draft (`data` None) or as posted."""
    form = PressEventForm(
        data, user=user, choices=choices, initial={**(initial or {}), "draft": draft_sign(draft)}
    )
    figures = [
        {
            "keep": True,
            "value": f.value,
            "text": f.text,
            "subject": f.subject,
            "sentence": f.found.sentence,
            "source": f"figures:{n}",
        }
        for n, f in enumerate(draft.figures)
    ]
    formsets: dict[str, Any] = {
        "participants": PressParticipantFormSet(
            data,
            prefix="participants",
            initial=None if data is not None else _participant_rows(draft, choices),
            form_kwargs={"choices": choices},
        ),
        "figures": PressFigureFormSet(
            data,
            prefix="figures",
            initial=None if data is not None else figures,
            form_kwargs={"choices": choices},
        ),
    }
    for formset in formsets.values():
        for row in formset.forms:
            source = row["source"].value() or ""
            row.found = found_of(draft, source)  # type: ignore[attr-defined]
    return form, formsets


def found_of(draft: Draft, source: str) -> Found | None:
    """Where the row's item was read ("officials:0" → the first official's sentence)."""
    name, _sep, index = source.partition(":")
    items = (
        getattr(draft, name, None) if name in ("officials", "states", "organisations", "figures") else None
    )
    if not items or not index.isdigit() or int(index) >= len(items):
        return None
    found: Found = items[int(index)].found
    return found
