"""The server-side SVG charts: well-formed XML, accessible names, escaped text, no style or script."""

import xml.etree.ElementTree as ET

import pytest

from prokuratura.core.charts import ChartSeries, bar_chart, bar_chart_height, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(svg.encode("utf-8"))  # noqa: S314 - our own output


def texts(root):
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def test_bar_chart_is_well_formed_with_title_desc_and_a_bar_per_value():
    svg = bar_chart(
        title="Agreements",
        desc="By kind",
        categories=["Extradition", "Transfer"],
        series=[ChartSeries("Signed", (3, 5)), ChartSeries("In force", (1, 0))],
    )
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Agreements"
    assert root.find(f"{SVG}desc").text == "By kind"
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert [rect.find(f"{SVG}title").text for rect in bars] == [
        "Signed: 3",
        "In force: 1",
        "Signed: 5",
        "In force: 0",
    ]
    assert int(root.get("height")) == bar_chart_height(categories=2, series=2)
    assert "Extradition" in texts(root)


def test_text_is_escaped_never_markup():
    nasty = '<script>alert("x")</script> & Co'
    for svg in (
        bar_chart(title=nasty, desc=nasty, categories=[nasty], series=[ChartSeries(nasty, (1,))]),
        line_chart(title=nasty, desc=nasty, categories=[nasty, "b"], series=[ChartSeries(nasty, (1, 2))]),
    ):
        root = parse(svg)
        assert root.find(f"{SVG}title").text == nasty
        assert not list(root.iter(f"{SVG}script"))
        assert "<script>" not in svg


def test_no_style_attribute_or_element():
    svg = line_chart(
        title="t", desc="d", categories=["1993", "1994", "1995"], series=[ChartSeries("s", (0, 1, 4))]
    )
    root = parse(svg)
    assert not list(root.iter(f"{SVG}style"))
    assert all("style" not in el.attrib for el in root.iter())


def test_line_chart_marks_every_point_with_its_value():
    svg = line_chart(
        title="t",
        desc="d",
        categories=["2014", "2015"],
        series=[ChartSeries("Signed", (31, 36)), ChartSeries("Ratified", (19, 29))],
    )
    root = parse(svg)
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    titles = [el.find(f"{SVG}title").text for el in root.iter() if el.find(f"{SVG}title") is not None]
    assert "Signed, 2015: 36" in titles
    assert "Ratified, 2014: 19" in titles


def test_a_single_point_and_empty_values_draw_without_error():
    parse(line_chart(title="t", desc="d", categories=["2026"], series=[ChartSeries("s", (0,))]))
    parse(bar_chart(title="t", desc="d", categories=[], series=[]))


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        bar_chart(title="t", desc="d", categories=["a", "b"], series=[ChartSeries("s", (1,))])


@pytest.mark.parametrize(("maximum", "top"), [(0, 1), (1, 1), (7, 8), (44, 50), (73, 80), (230, 250)])
def test_nice_ticks_reach_the_maximum_in_round_steps(maximum, top):
    ticks = nice_ticks(maximum)
    assert ticks[0] == 0
    assert ticks[-1] == top
    assert ticks[-1] >= maximum
