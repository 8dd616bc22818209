import pytest

from prokuratura.core.csv_export import text_cell


@pytest.mark.parametrize("value", ["=1+1", "+7 701", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_a_spreadsheet_would_run_gets_a_quote(value):
    assert text_cell(value) == f"'{value}"


@pytest.mark.parametrize("value", ["Алматы", "", "1 000", "AST-01"])
def test_plain_text_is_kept(value):
    assert text_cell(value) == value
