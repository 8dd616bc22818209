"""CSV downloads that open correctly in a spreadsheet where the users are (kk-KZ, ru-RU) and cannot carry a formula.

Excel reads a UTF-8 file as UTF-8 only when it starts with a byte-order mark; without it Cyrillic turns into
mojibake. It splits on the list separator of the reader's locale, which is ";" for kk-KZ and ru-RU. A cell starting
with one of FORMULA_PREFIXES is a formula to a spreadsheet (CSV injection); such text gets a leading '.
"""

from __future__ import annotations

CSV_BOM = "\ufeff"
CSV_DELIMITER = ";"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str) -> str:
    """A text cell as a spreadsheet will show it, never run it."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value
