"""An act's text from its type's template (ActTemplate), in the act's language.

The template is a Django template that sees the act's plain facts only (`act_facts`: strings and dates, never a
model), as the appeals' letters do, so an administrator's template cannot reach a user, a setting or another
record. The act's own text, once drafted, is the prosecutor's: the template only starts it.
"""

from __future__ import annotations

from typing import Any

from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone, translation

from ..models import Act, ActTemplate, Violation


def act_facts(*, act: Act, violations: list[Violation]) -> dict[str, Any]:
    office = act.office
    with translation.override(act.language):
        return {
            "act": {
                "type": act.act_type.name,
                "addressee": act.addressee_name,
                "addressee_official": act.addressee_official,
                "number": act.number,
                "issued_on": act.issued_on,
                "inspection": act.inspection.number if act.inspection_id else "",  # type: ignore[union-attr]
                "appeal": act.appeal.reg_number if act.appeal_id else "",  # type: ignore[union-attr]
            },
            "office": office.name if office else "",
            "today": timezone.localdate(),
            "violations": [
                {
                    "description": v.description,
                    "law_violated": v.law_violated,
                    "found_on": v.found_on,
                    "damage": v.damage,
                    "persons_affected": v.persons_affected,
                }
                for v in violations
            ],
        }


def act_template_text(*, act: Act, violations: list[Violation]) -> tuple[str, str]:
    """(title, text) from the type's template in the act's language; the type's name and no text without one."""
    template = ActTemplate.objects.filter(act_type=act.act_type, language=act.language).first()
    with translation.override(act.language):
        if template is None:
            return act.act_type.name, ""
        context = Context(act_facts(act=act, violations=violations), autoescape=False)
        try:
            return (
                Template(template.subject).render(context).strip(),
                Template(template.body).render(context).strip(),
            )
        except TemplateSyntaxError:
            return act.act_type.name, ""


def act_letter_file(*, act: Act, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the act as a PDF or DOCX letter."""
    raise NotImplementedError  # being built
