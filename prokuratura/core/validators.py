"""Kazakhstan's individual (IIN) and business (BIN) identification numbers.

Both are 12 digits whose last digit is a check digit (Law "On national registers of identification
numbers" No. 223-III of 12.01.2007; the check-digit rule is the registers' published one):

- weigh the first 11 digits with 1, 2, …, 11 and take the sum mod 11;
- if that is 10, weigh them again with 3, 4, …, 11, 1, 2 and take the sum mod 11;
- if that is 10 too, no number with these 11 digits is ever issued; otherwise the result is the check digit.

IIN: YYMMDD (birth date) · one digit for century and sex (1/2 = 19th century, 3/4 = 20th, 5/6 = 21st;
odd = male, even = female) · 4 serial digits · check digit.
BIN: YYMM (registration) · entity type (4 resident legal entity, 5 non-resident legal entity, 6 individual
entrepreneur in joint enterprise) · attribute (0 head office, 1 branch, 2 representative office,
3 peasant or farm enterprise in joint enterprise) · 5 serial digits · check digit.

Note what the check digit does not catch: digit 11 has weight 11 ≡ 0 (mod 11) in the first pass, so
changing digit 11 alone goes unnoticed whenever the first pass decides the check digit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_DIGITS = frozenset("0123456789")

SEX_MALE = "male"
SEX_FEMALE = "female"
# IIN digit 7 → (first year of the century, sex)
_CENTURY_SEX = {
    "1": (1800, SEX_MALE),
    "2": (1800, SEX_FEMALE),
    "3": (1900, SEX_MALE),
    "4": (1900, SEX_FEMALE),
    "5": (2000, SEX_MALE),
    "6": (2000, SEX_FEMALE),
}
BIN_ENTITY_TYPES = frozenset("456")
BIN_ATTRIBUTES = frozenset("0123")


def check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when the algorithm gives 10 twice (never issued)."""
    if len(first_eleven) != 11 or not set(first_eleven) <= _DIGITS:
        raise ValueError("expected 11 ASCII digits")
    digits = [int(c) for c in first_eleven]
    remainder = sum(d * w for d, w in zip(digits, FIRST_WEIGHTS, strict=True)) % 11
    if remainder == 10:
        remainder = sum(d * w for d, w in zip(digits, SECOND_WEIGHTS, strict=True)) % 11
        if remainder == 10:
            return None
    return remainder


# Whole sentences per number kind, so translators never assemble grammar from pieces.
_MESSAGES = {
    "iin": {
        "invalid_characters": _("An IIN consists of the digits 0–9 only."),
        "invalid_length": _("An IIN has 12 digits; this one has %(length)d."),
        "never_issued": _("This cannot be an IIN: no number with these first 11 digits is ever issued."),
        "invalid_checksum": _("The check digit of this IIN does not match: a digit was probably mistyped."),
    },
    "bin": {
        "invalid_characters": _("A BIN consists of the digits 0–9 only."),
        "invalid_length": _("A BIN has 12 digits; this one has %(length)d."),
        "never_issued": _("This cannot be a BIN: no number with these first 11 digits is ever issued."),
        "invalid_checksum": _("The check digit of this BIN does not match: a digit was probably mistyped."),
    },
}


def _fail(kind: str, code: str, **params: Any) -> ValidationError:
    return ValidationError(_MESSAGES[kind][code], code=code, params=params or None)


def _check_shape(value: Any, *, kind: str) -> str:
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    # str.isdigit() would accept "١" or "²"; only ASCII digits make an identification number.
    if not set(value) <= _DIGITS:
        raise _fail(kind, "invalid_characters")
    if len(value) != 12:
        raise _fail(kind, "invalid_length", length=len(value))
    return value


def _check_check_digit(value: str, *, kind: str) -> None:
    expected = check_digit(value[:11])
    if expected is None:
        raise _fail(kind, "never_issued")
    if int(value[11]) != expected:
        raise _fail(kind, "invalid_checksum")


def _iin_parts(value: str) -> tuple[dt.date, str]:
    century_sex = _CENTURY_SEX.get(value[6])
    if century_sex is None:
        raise ValidationError(
            _("The 7th digit of an IIN (century of birth and sex) must be 1 to 6, not %(digit)s."),
            params={"digit": value[6]},
            code="invalid_century",
        )
    century, sex = century_sex
    try:
        born = dt.date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise ValidationError(
            _("The first six digits of an IIN are the birth date (YYMMDD); %(digits)s is not a real date."),
            params={"digits": value[0:6]},
            code="invalid_birth_date",
        ) from None
    if born > timezone.localdate():
        raise ValidationError(
            _("The birth date in this IIN (%(date)s) is in the future."),
            params={"date": born.strftime("%d.%m.%Y")},
            code="future_birth_date",
        )
    return born, sex


def validate_iin(value: str) -> None:
    """Raise ValidationError saying what is wrong unless `value` is a well-formed IIN."""
    value = _check_shape(value, kind="iin")
    _iin_parts(value)
    _check_check_digit(value, kind="iin")


def validate_bin(value: str) -> None:
    """Raise ValidationError saying what is wrong unless `value` is a well-formed BIN."""
    value = _check_shape(value, kind="bin")
    month = int(value[2:4])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Digits 3–4 of a BIN are the month of registration (01–12), not %(month)s."),
            params={"month": value[2:4]},
            code="invalid_month",
        )
    if value[4] not in BIN_ENTITY_TYPES:
        raise ValidationError(
            _(
                "The 5th digit of a BIN (type of entity) must be 4 (resident legal entity), 5 (non-resident "
                "legal entity) or 6 (individual entrepreneur in joint enterprise), not %(digit)s."
            ),
            params={"digit": value[4]},
            code="invalid_entity_type",
        )
    if value[5] not in BIN_ATTRIBUTES:
        raise ValidationError(
            _(
                "The 6th digit of a BIN must be 0 (head office), 1 (branch), 2 (representative office) or "
                "3 (peasant or farm enterprise), not %(digit)s."
            ),
            params={"digit": value[5]},
            code="invalid_attribute",
        )
    _check_check_digit(value, kind="bin")


def is_valid_iin(value: Any) -> bool:
    try:
        validate_iin(value)
    except ValidationError:
        return False
    return True


def is_valid_bin(value: Any) -> bool:
    try:
        validate_bin(value)
    except ValidationError:
        return False
    return True


def iin_birth_date(value: str) -> dt.date:
    """The holder's birth date (the IIN is validated first; ValidationError if it is not valid)."""
    validate_iin(value)
    return _iin_parts(str(value))[0]


def iin_sex(value: str) -> str:
    """SEX_MALE or SEX_FEMALE (the IIN is validated first; ValidationError if it is not valid)."""
    validate_iin(value)
    return _iin_parts(str(value))[1]


@deconstructible
class IINValidator:
    """For model and form fields: `validators=[IINValidator()]` (serialisable in migrations)."""

    def __call__(self, value: Any) -> None:
        validate_iin(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IINValidator)

    def __hash__(self) -> int:
        return hash(type(self))


@deconstructible
class BINValidator:
    """For model and form fields: `validators=[BINValidator()]` (serialisable in migrations)."""

    def __call__(self, value: Any) -> None:
        validate_bin(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BINValidator)

    def __hash__(self) -> int:
        return hash(type(self))
