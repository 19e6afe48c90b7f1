"""The dispatch page's SVG pictures: numbers on every bar, sizes in proportion, escaped text,
black-and-white fills, and no inline style (the content security policy forbids it)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from app.web.charts import FILLS, Series, bars, columns, funnel, text_width

SVG = "{http://www.w3.org/2000/svg}"


def approx(value: float):
    return pytest.approx(value, abs=0.25)  # coordinates are written to one decimal place


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))


def rects(svg: ET.Element, index: int) -> list[ET.Element]:
    """The bars of one series (the legend's swatch first)."""
    return [r for r in svg.iter(f"{SVG}rect") if r.get("class") == f"series-{index}"]


def values(svg: ET.Element) -> list[str]:
    return [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "value"]


def test_columns_write_each_number_on_its_column_with_heights_in_proportion():
    svg = parse(columns(["W47", "W48"], [Series("Raised", [4, 2]), Series("Solved", [0, 1])],
                        title="Problems", ident="chart-p"))

    assert values(svg) == ["4", "0", "2", "1"]
    raised = [float(r.get("height")) for r in rects(svg, 0)[1:]]
    solved = [float(r.get("height")) for r in rects(svg, 1)[1:]]
    assert raised[0] == approx(2 * raised[1]) == approx(4 * solved[1])
    assert solved[0] == 0
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "label"] == [
        "Raised", "Solved", "W47", "W48"]
    assert svg.find(f"{SVG}title").text == "Problems"


def test_all_zero_values_draw_empty_bars_rather_than_dividing_by_zero():
    svg = parse(columns(["W1"], [Series("Due", [0])], title="t", ident="chart-z"))
    assert [float(r.get("height")) for r in rects(svg, 0)[1:]] == [0]
    assert values(svg) == ["0"]


def test_bars_are_long_in_proportion_and_numbers_are_formatted_by_the_caller():
    svg = parse(bars(["2026-10", "2026-11"], [Series("Completed", [100, 300]),
                                                Series("Plan", [600, 600])],
                     title="Investment", ident="chart-i", fmt=lambda v: f"{v / 100:g} 亿元"))

    completed = [float(r.get("width")) for r in rects(svg, 0)[1:]]
    plan = [float(r.get("width")) for r in rects(svg, 1)[1:]]
    assert completed[1] == approx(3 * completed[0]) == approx(plan[0] / 2)
    assert values(svg) == ["1 亿元", "6 亿元", "3 亿元", "6 亿元"]


def test_series_are_told_apart_without_colour_by_greys_and_patterns_defined_in_the_chart():
    svg = parse(columns(["a"], [Series(str(i), [i + 1]) for i in range(len(FILLS))],
                        title="t", ident="chart-bw"))

    fills = [rects(svg, i)[0].get("fill") for i in range(len(FILLS))]
    assert len(set(fills)) == len(FILLS)
    patterns = {p.get("id") for p in svg.iter(f"{SVG}pattern")}
    assert patterns == {"chart-bw-hatch", "chart-bw-dots"}
    assert {f[5:-1] for f in fills if f.startswith("url(")} == patterns
    for colour in (f for f in fills if f.startswith("#")):
        red, green, blue = (colour[i:i + 2] for i in (1, 3, 5))
        assert red == green == blue  # a grey
    assert all(r.get("stroke") == "#000" for r in svg.iter(f"{SVG}rect")
               if r.get("class", "").startswith("series-"))


def test_a_funnel_draws_centred_stages_in_proportion_with_their_captions():
    svg = parse(funnel([("签约", 60, "60 reached"), ("用地", 30, "30 reached"),
                        ("运营", 0, "0 reached")], title="Phases", ident="chart-f"))

    stages = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "stage"]
    widths = [float(r.get("width")) for r in stages]
    assert widths[0] == approx(2 * widths[1]) and widths[2] == 2  # an empty stage: a line
    centres = {round(float(r.get("x")) + float(r.get("width")) / 2, 1) for r in stages}
    assert len(centres) == 1
    assert values(svg) == ["60 reached", "30 reached", "0 reached"]


def test_text_is_escaped_and_nothing_uses_inline_style():
    markup = columns(["<b>W1</b>"], [Series('A & "B"', [1])], title="<script>x</script>",
                     ident="chart-e")
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;b&gt;W1&lt;/b&gt;" in markup and "A &amp; &#34;B&#34;" in markup
    assert not re.search(r"\sstyle=", markup)
    assert isinstance(markup, Markup)


@pytest.mark.parametrize("categories, series, problem", [
    (["a", "b"], [Series("x", [1])], "has 1 values for 2 categories"),
    (["a"], [Series("x", [-1])], "negative"),
    (["a"], [Series(str(i), [1]) for i in range(len(FILLS) + 1)], "black and white"),
    ([], [Series("x", [])], "at least one category"),
])
def test_data_a_chart_cannot_draw_honestly_is_refused(categories, series, problem):
    with pytest.raises(ValueError, match=problem):
        columns(categories, series, title="t", ident="chart-x")


@pytest.mark.parametrize("ident", ["Chart", "chart x", 'c"><script>', ""])
def test_chart_ids_are_plain_so_they_are_safe_in_attributes_and_pattern_urls(ident):
    with pytest.raises(ValueError, match="chart id"):
        bars(["a"], [Series("x", [1])], title="t", ident=ident)


def test_text_width_counts_chinese_characters_wider_than_latin_ones():
    assert text_width("项目", 10) == 20
    assert text_width("ab", 10) == 12


def extents(svg: ET.Element) -> list[tuple[float, float]]:
    """Where each text starts and ends across the drawing, by its anchor and estimated width."""
    found = []
    for t in svg.iter(f"{SVG}text"):
        x, wide = float(t.get("x")), text_width(t.text, int(t.get("font-size")))
        start = {"start": x, "middle": x - wide / 2, "end": x - wide}[t.get("text-anchor")]
        found.append((start, start + wide))
    return found


def test_a_chart_of_six_half_months_fits_its_phone_wide_drawing_with_every_text_inside():
    halves = ["6月上半月", "6月下半月", "7月上半月", "7月下半月", "8月上半月", "8月下半月"]
    svg = parse(columns(halves, [Series("Due", [1] * 6), Series("Due and reached", [1] * 6),
                                 Series("Reached in the period", [2] * 6)],
                        title="t", ident="chart-w"))
    width = float(svg.get("viewBox").split()[2])
    assert width <= 400  # about a phone's width, so its text keeps its size there
    assert all(0 <= start and end <= width for start, end in extents(svg))
    legend = [float(r.get("y")) for r in svg.find(f"{SVG}g").iter(f"{SVG}rect")]
    assert len(set(legend)) == 2  # the long English names wrap onto a second line


def test_a_funnel_with_long_captions_keeps_them_inside_the_drawing():
    caption = "累计进入 60 个，当前处于本阶段 12 个"
    svg = parse(funnel([("签约", 60, caption), ("运营", 5, caption)], title="f",
                       ident="chart-ff"))
    width = float(svg.get("viewBox").split()[2])
    assert all(0 <= start and end <= width for start, end in extents(svg))
