"""IIN / BIN validation. Every valid number below was computed by hand with the algorithm; the sums are in
the comments so a reader can check them without running anything."""

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from prokuratura.core.validators import (
    FIRST_WEIGHTS,
    SEX_FEMALE,
    SEX_MALE,
    BINValidator,
    IINValidator,
    check_digit,
    iin_birth_date,
    iin_sex,
    is_valid_bin,
    is_valid_iin,
    validate_bin,
    validate_iin,
)

# 9·1 + 0·2 + 0·3 + 1·4 + 0·5 + 1·6 + 3·7 + 0·8 + 0·9 + 1·10 + 2·11 = 72; 72 mod 11 = 6 → check digit 6.
# Born 1990-01-01 (digit 7 = 3: 20th century, male).
IIN_MALE_1990 = "900101300126"
# First pass: 8·1 + 5·2 + 0·3 + 7·4 + 1·5 + 5·6 + 4·7 + 0·8 + 0·9 + 0·10 + 1·11 = 120; 120 mod 11 = 10, so
# second pass: 8·3 + 5·4 + 0·5 + 7·6 + 1·7 + 5·8 + 4·9 + 0·10 + 0·11 + 0·1 + 1·2 = 171; 171 mod 11 = 6 → 6.
# Born 1985-07-15 (digit 7 = 4: 20th century, female).
IIN_FEMALE_1985_SECOND_PASS = "850715400016"
# 0·1 + 2·2 + 0·3 + 3·4 + 1·5 + 5·6 + 5·7 + 0·8 + 1·9 + 2·10 + 3·11 = 148; 148 mod 11 = 5 → 5.
# Born 2002-03-15 (digit 7 = 5: 21st century, male).
IIN_MALE_2002 = "020315501235"
# First pass: 9 + 10 + 0 + 24 + 5 + 12 + 21 + 0 + 0 + 50 + 22 = 153; 153 mod 11 = 10.
# Second pass: 27 + 20 + 0 + 36 + 7 + 16 + 27 + 0 + 0 + 5 + 4 = 142; 142 mod 11 = 10 → never issued.
IIN_NEVER_ISSUED_PREFIX = "95061230052"

# 9·1 + 9·2 + 0·3 + 3·4 + 4·5 + 0·6 + 0·7 + 0·8 + 0·9 + 1·10 + 2·11 = 91; 91 mod 11 = 3 → 3.
# Registered 1999-03, resident legal entity (4), head office (0).
BIN_RESIDENT_HEAD = "990340000123"
# 0 + 8 + 3 + 4 + 20 + 0 + 7 + 0 + 0 + 50 + 55 = 147; 147 mod 11 = 4 → 4. Registered 2004-11, branch (1).
BIN_RESIDENT_BRANCH = "041140100554"
# First pass: 1 + 14 + 0 + 8 + 25 + 6 + 0 + 0 + 0 + 0 + 11 = 65; 65 mod 11 = 10, so second pass:
# 3 + 28 + 0 + 12 + 35 + 8 + 0 + 0 + 0 + 0 + 2 = 88; 88 mod 11 = 0 → 0. Non-resident (5), branch (1).
BIN_NON_RESIDENT_SECOND_PASS = "170251000010"


def _codes(excinfo):
    return [error.code for error in excinfo.value.error_list]


def _message(excinfo):
    return " ".join(excinfo.value.messages)


# --- the check digit -----------------------------------------------------------------------------------------


def test_check_digit_matches_the_hand_computed_examples():
    assert check_digit(IIN_MALE_1990[:11]) == 6
    assert check_digit(IIN_FEMALE_1985_SECOND_PASS[:11]) == 6
    assert check_digit(IIN_MALE_2002[:11]) == 5
    assert check_digit(BIN_NON_RESIDENT_SECOND_PASS[:11]) == 0
    assert check_digit(IIN_NEVER_ISSUED_PREFIX) is None


def test_check_digit_refuses_anything_but_eleven_ascii_digits():
    with pytest.raises(ValueError):
        check_digit("1234567890")
    with pytest.raises(ValueError):
        check_digit("1234567890a")


# --- IIN -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("iin", [IIN_MALE_1990, IIN_FEMALE_1985_SECOND_PASS, IIN_MALE_2002])
def test_valid_iins_pass(iin):
    validate_iin(iin)
    assert is_valid_iin(iin)


def test_birth_date_and_sex_come_from_the_number():
    assert iin_birth_date(IIN_MALE_1990) == dt.date(1990, 1, 1)
    assert iin_sex(IIN_MALE_1990) == SEX_MALE
    assert iin_birth_date(IIN_FEMALE_1985_SECOND_PASS) == dt.date(1985, 7, 15)
    assert iin_sex(IIN_FEMALE_1985_SECOND_PASS) == SEX_FEMALE
    assert iin_birth_date(IIN_MALE_2002) == dt.date(2002, 3, 15)


def test_birth_date_of_an_invalid_iin_raises():
    with pytest.raises(ValidationError):
        iin_birth_date("900101300127")
    with pytest.raises(ValidationError):
        iin_sex("900101300127")


def test_wrong_check_digit_is_named():
    with pytest.raises(ValidationError) as excinfo:
        validate_iin("900101300127")  # correct check digit is 6
    assert _codes(excinfo) == ["invalid_checksum"]
    assert "check digit" in _message(excinfo)


def test_a_number_whose_second_pass_also_gives_ten_is_never_valid():
    for last in "0123456789":
        with pytest.raises(ValidationError) as excinfo:
            validate_iin(IIN_NEVER_ISSUED_PREFIX + last)
        assert _codes(excinfo) == ["never_issued"]


def test_second_pass_number_with_the_first_pass_digit_is_refused():
    # The first pass gives 10 for 85071540001; a "check digit" of 0 (10 mod 10) or 1 is not the second-pass 6.
    for wrong in "01":
        assert not is_valid_iin(IIN_FEMALE_1985_SECOND_PASS[:11] + wrong)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("90010130012", "invalid_length"),
        ("9001013001266", "invalid_length"),
        ("", "invalid_length"),
        ("90010130012a", "invalid_characters"),
        ("9001 0130012", "invalid_characters"),
        ("90010130012٦", "invalid_characters"),  # Arabic-Indic six: isdigit() but not an IIN digit
        ("901301300120", "invalid_birth_date"),  # month 13
        ("900230300120", "invalid_birth_date"),  # 30 February
        ("010229500120", "invalid_birth_date"),  # 2001 was not a leap year
        ("900101700120", "invalid_century"),
        ("900101000120", "invalid_century"),
        ("990101600120", "future_birth_date"),  # 2099
    ],
)
def test_malformed_iins_say_what_is_wrong(value, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_iin(value)
    assert _codes(excinfo) == [code]


def test_messages_are_specific():
    with pytest.raises(ValidationError) as excinfo:
        validate_iin("90010130012")
    assert "12 digits" in _message(excinfo) and "11" in _message(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        validate_iin("901301300120")
    assert "901301" in _message(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        validate_iin("900101700120")
    assert "7th digit" in _message(excinfo)


def test_leap_day_birth_dates_are_accepted():
    # 0·1+0·2+0·3+2·4+2·5+9·6+5·7+0·8+0·9+0·10+1·11 = 118; 118 mod 11 = 8 → 8. Born 2000-02-29.
    assert iin_birth_date("000229500018") == dt.date(2000, 2, 29)


def test_non_strings_are_refused_not_crashed():
    assert not is_valid_iin(None)
    assert not is_valid_iin(900101300126.0)
    # An integer loses leading zeros and could never be a 21st-century IIN; it is read as its digits.
    assert is_valid_iin(900101300126)
    assert iin_birth_date(900101300126) == dt.date(1990, 1, 1)


# --- BIN -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bin_", [BIN_RESIDENT_HEAD, BIN_RESIDENT_BRANCH, BIN_NON_RESIDENT_SECOND_PASS])
def test_valid_bins_pass(bin_):
    validate_bin(bin_)
    assert is_valid_bin(bin_)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("99034000012", "invalid_length"),
        ("99034000012X", "invalid_characters"),
        ("991340000120", "invalid_month"),
        ("990040000120", "invalid_month"),
        ("990370000120", "invalid_entity_type"),
        ("990344000120", "invalid_attribute"),
        ("990340000124", "invalid_checksum"),
    ],
)
def test_malformed_bins_say_what_is_wrong(value, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_bin(value)
    assert _codes(excinfo) == [code]


def test_an_iin_is_not_a_bin():
    assert not is_valid_bin(IIN_MALE_1990)  # month "01" is fine, but digit 5 is "0", not an entity type


# --- as Django validators ------------------------------------------------------------------------------------


class _Form(forms.Form):
    iin = forms.CharField(validators=[IINValidator()])
    bin = forms.CharField(validators=[BINValidator()], required=False)


def test_validators_plug_into_forms():
    good = _Form(data={"iin": IIN_MALE_1990, "bin": BIN_RESIDENT_HEAD})
    assert good.is_valid(), good.errors
    bad = _Form(data={"iin": "900101300127", "bin": "990340000124"})
    assert not bad.is_valid()
    assert "check digit" in bad.errors["iin"][0]
    assert "BIN" in bad.errors["bin"][0]


def test_validators_deconstruct_for_migrations():
    path, args, kwargs = IINValidator().deconstruct()
    assert path == "prokuratura.core.validators.IINValidator" and args == () and kwargs == {}
    assert IINValidator() == IINValidator()
    assert BINValidator() != IINValidator()


# --- properties ----------------------------------------------------------------------------------------------


def _reference_check_digit(first_eleven: str) -> int | None:
    """The algorithm once more, written independently of the module, to check it against."""
    digits = list(map(int, first_eleven))
    first = sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11
    if first != 10:
        return first
    second = sum(d * w for d, w in zip(digits, [*range(3, 12), 1, 2], strict=True)) % 11
    return None if second == 10 else second


def _first_pass(first_eleven: str) -> int:
    return sum(int(d) * w for d, w in zip(first_eleven, FIRST_WEIGHTS, strict=True)) % 11


@st.composite
def iin_prefixes(draw):
    """11 digits that make a valid IIN prefix: a real, past birth date and a matching century/sex digit."""
    born = draw(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2024, 12, 31)))
    female = draw(st.booleans())
    century_digit = {1800: 1, 1900: 3, 2000: 5}[born.year // 100 * 100] + female
    serial = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    return f"{born:%y%m%d}{century_digit}{serial}", born, female


@given(iin_prefixes())
def test_any_valid_prefix_with_its_computed_check_digit_validates(prefix_born_female):
    prefix, born, female = prefix_born_female
    digit = _reference_check_digit(prefix)
    assert check_digit(prefix) == digit
    assume(digit is not None)  # ~1 prefix in 121 is never issued
    iin = prefix + str(digit)
    validate_iin(iin)
    assert iin_birth_date(iin) == born
    assert iin_sex(iin) == (SEX_FEMALE if female else SEX_MALE)


@given(iin_prefixes(), st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9))
def test_changing_one_digit(prefix_born_female, position, shift):
    """What one changed digit does, stated exactly:

    - the check digit itself (position 12): always invalid;
    - positions 1–10 (first-pass weights 1–10, all non-zero mod 11, and 11 is prime, so the first-pass
      remainder always changes): invalid whenever neither the original nor the changed number needs the
      second pass (first-pass remainder 10). When one of them does, the two passes' results may coincide,
      and nothing is asserted;
    - position 11 (first-pass weight 11 ≡ 0): the first-pass remainder cannot change, so when the original
      does not need the second pass the changed number is STILL VALID — the algorithm does not protect
      this digit. When the original does need the second pass (weight 2 there), the changed number is
      invalid.
    """
    prefix, _born, _female = prefix_born_female
    digit = check_digit(prefix)
    assume(digit is not None)
    iin = prefix + str(digit)
    changed_digit = str((int(iin[position]) + shift) % 10)
    changed = iin[:position] + changed_digit + iin[position + 1 :]
    assert changed != iin

    if position == 11:
        assert not is_valid_iin(changed)
    elif position == 10:
        if _first_pass(prefix) != 10:
            assert is_valid_iin(changed)
        else:
            # The first pass still gives 10; the second-pass weight here is 2, so the second-pass remainder
            # changes: the new number is never issued or has another check digit.
            assert _first_pass(changed[:11]) == 10
            assert check_digit(changed[:11]) != digit
            assert not is_valid_iin(changed)
    elif _first_pass(prefix) != 10 and _first_pass(changed[:11]) != 10:
        assert not is_valid_iin(changed)


def test_the_eleventh_digit_is_unprotected_by_the_first_pass():
    # 900101300126 with digit 11 changed from 2 to 7: 72 + 5·11 = 127, 127 mod 11 = 6, same check digit.
    assert is_valid_iin("900101300176")
