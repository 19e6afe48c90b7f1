"""Pictures for the dispatch page: inline SVG made on the server, with no library and no script.

Readable printed in black and white: each series has its own grey or hatching, outlined in black,
and every bar carries its number, so nothing depends on colour. No `style` attributes (the content
security policy refuses inline style): presentation attributes (fill=, stroke=) and classes only.
Every text is escaped; the functions return Markup that Jinja inserts as it is.

Drawn for a phone: WIDTH units wide, about the width of a 375-px screen's content, so that the
page scales the drawing by its viewBox to the width it has and its text stays readable there; a
label too long for its column is set smaller, and the legend wraps onto as many lines as it
needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = 12        # px: labels
SMALL = 11       # px: the numbers on bars
TINY = 9         # px: the smallest a label is set to fit its column
WIDTH = 360      # the drawing's width in user units; CSS scales it to the page
LEGEND = 24      # height of one line of the legend at the top

# How each series is filled, in order: (pattern name or None, fill colour).
FILLS = ((None, "#4d4d4d"), ("hatch", None), (None, "#c8c8c8"), ("dots", None))
PATTERNS = {
    "hatch": ('<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
              'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
              '<line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2"/></pattern>'),
    "dots": ('<pattern id="{id}" width="5" height="5" patternUnits="userSpaceOnUse">'
             '<rect width="5" height="5" fill="#fff"/>'
             '<circle cx="2.5" cy="2.5" r="1.2" fill="#000"/></pattern>'),
}
# Chart ids name the SVG and its patterns in the page: one id per chart, of these characters.
IDENT = re.compile(r"[a-z][a-z0-9-]*")
# Funnel stages, widest first, from dark to light grey (black outlines and text beside them).
FUNNEL_FILLS = ("#4d4d4d", "#7a7a7a", "#a6a6a6", "#d0d0d0", "#e6e6e6")


@dataclass(frozen=True)
class Series:
    """One named row of values, one per category."""

    label: str
    values: Sequence[int | float]


def text_width(text: str, size: int = FONT) -> float:
    """An estimate of a text's width: CJK and full-width characters are square, others narrower."""
    return sum(size if ord(char) > 0x2E7F else size * 0.6 for char in text)


def columns(categories: Sequence[str], series: Sequence[Series], *, title: str, ident: str,
            fmt: Callable[[int | float], str] = str) -> Markup:
    """Grouped vertical columns: one group per category (e.g. period), one column per series."""
    _check(categories, series)
    legend, lines = _legend(series, ident)
    top = lines * LEGEND + 18  # room for the numbers above the tallest column
    plot, bottom = 170, 26
    height = top + plot + bottom
    group = (WIDTH - 20) / max(len(categories), 1)
    bar = min(32.0, group * 0.8 / len(series))
    peak = _peak(series)
    parts = [legend]
    for i, category in enumerate(categories):
        left = 10 + i * group + (group - bar * len(series)) / 2
        for s, one in enumerate(series):
            value = one.values[i]
            tall = plot * value / peak
            x, y = left + s * bar, top + plot - tall
            parts.append(_rect(x, y, bar, tall, ident, s))
            parts.append(_text(x + bar / 2, y - 4, fmt(value), size=SMALL, anchor="middle",
                               cls="value"))
        parts.append(_text(10 + i * group + group / 2, height - 8, category, anchor="middle",
                           size=_fitting(category, group - 4)))
    parts.append(_line(10, top + plot, WIDTH - 10, top + plot))
    return _svg(parts, height, title, ident, series)


def bars(categories: Sequence[str], series: Sequence[Series], *, title: str, ident: str,
         fmt: Callable[[int | float], str] = str) -> Markup:
    """Grouped horizontal bars: one row per category, one bar per series, the number after it."""
    _check(categories, series)
    bar, gap = 14, 10
    label = max((text_width(c) for c in categories), default=0) + 12
    numbers = max(text_width(fmt(v), SMALL) for one in series for v in one.values) + 10
    room = max(WIDTH - label - numbers - 10, 60)
    peak = _peak(series)
    row = bar * len(series) + gap
    legend, lines = _legend(series, ident)
    top = lines * LEGEND + 8
    height = top + row * len(categories)
    parts = [legend]
    for i, category in enumerate(categories):
        y0 = top + i * row
        parts.append(_text(label - 8, y0 + bar * len(series) / 2 + 4, category, anchor="end"))
        for s, one in enumerate(series):
            value = one.values[i]
            long = room * value / peak
            y = y0 + s * bar
            parts.append(_rect(label, y, long, bar - 2, ident, s))
            parts.append(_text(label + long + 4, y + bar - 4, fmt(value), size=SMALL,
                               cls="value"))
    parts.append(_line(label, top - 4, label, height - gap / 2))
    return _svg(parts, height, title, ident, series)


def funnel(stages: Sequence[tuple[str, int, str]], *, title: str, ident: str) -> Markup:
    """A funnel: one centred bar per (label, value, caption), widths in proportion to values,
    each caption on the line under its bar."""
    if not stages:
        raise ValueError("a funnel needs at least one stage")
    band, line, gap = 24, 16, 6
    label = max(text_width(name) for name, _, _ in stages) + 12
    room = max(WIDTH - label - 10, 120)
    peak = max(max(value for _, value, _ in stages), 1)
    parts = []
    for i, (name, value, text) in enumerate(stages):
        y = 6 + i * (band + line + gap)
        wide = max(room * value / peak, 2)
        x = label + (room - wide) / 2
        parts.append(f'<rect class="stage" x="{_n(x)}" y="{_n(y)}" width="{_n(wide)}" '
                     f'height="{band}" fill="{FUNNEL_FILLS[min(i, len(FUNNEL_FILLS) - 1)]}" '
                     'stroke="#000"/>')
        parts.append(_text(label - 8, y + band / 2 + 4, name, anchor="end"))
        parts.append(_text(label + room / 2, y + band + line - 4, text,
                           size=_fitting(text, room, SMALL), anchor="middle", cls="value"))
    height = 6 + len(stages) * (band + line + gap)
    return _svg(parts, height, title, ident, ())


def _check(categories: Sequence[str], series: Sequence[Series]) -> None:
    if not series or not categories:
        raise ValueError("a chart needs at least one category and one series")
    if len(series) > len(FILLS):
        raise ValueError(f"at most {len(FILLS)} series can be told apart in black and white")
    for one in series:
        if len(one.values) != len(categories):
            raise ValueError(f"series {one.label!r} has {len(one.values)} values for "
                             f"{len(categories)} categories")
        if any(v < 0 for v in one.values):
            raise ValueError(f"series {one.label!r} has a negative value")


def _peak(series: Sequence[Series]) -> float:
    """The largest value, or 1 when all are zero (so every bar is drawn empty, not divided by 0)."""
    return max(max(max(one.values) for one in series), 1)


def _fill(ident: str, index: int) -> str:
    pattern, colour = FILLS[index]
    return f"url(#{ident}-{pattern})" if pattern else colour


def _rect(x: float, y: float, width: float, height: float, ident: str, index: int) -> str:
    return (f'<rect class="series-{index}" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" '
            f'height="{_n(height)}" fill="{_fill(ident, index)}" stroke="#000"/>')


def _legend(series: Sequence[Series], ident: str) -> tuple[str, int]:
    """The series' swatches and names along the top, from the left, on as many lines as they
    need; and how many lines that is."""
    parts = []
    x, line = 10.0, 0
    for index, one in enumerate(series):
        wide = 20 + text_width(one.label)
        if x > 10 and x + wide > WIDTH - 10:
            x, line = 10.0, line + 1
        y = 6 + line * LEGEND
        parts.append(_rect(x, y, 14, 14, ident, index))
        parts.append(_text(x + 20, y + 12, one.label))
        x += wide + 16
    return f'<g class="legend">{"".join(parts)}</g>', line + 1


def _fitting(text: str, room: float, size: int = FONT) -> int:
    """The largest font size, up to `size` and down to TINY, at which a text fits its room."""
    while size > TINY and text_width(text, size) > room:
        size -= 1
    return size


def _text(x: float, y: float, text: str, *, size: int = FONT, anchor: str = "start",
          cls: str = "label") -> str:
    return (f'<text class="{cls}" x="{_n(x)}" y="{_n(y)}" font-size="{size}" '
            f'text-anchor="{anchor}">{escape(text)}</text>')


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="#000"/>'


def _svg(parts: list[str], height: float, title: str, ident: str,
         series: Sequence[Series]) -> Markup:
    if not IDENT.fullmatch(ident):
        raise ValueError(f"chart id {ident!r}: lower-case letters, digits and hyphens only")
    used = {FILLS[i][0] for i in range(len(series))} - {None}
    defs = "".join(PATTERNS[name].format(id=f"{ident}-{name}") for name in sorted(used))
    return Markup(
        f'<svg class="chart" id="{ident}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{ident}-title" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'width="{WIDTH}" height="{_n(height)}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        + (f"<defs>{defs}</defs>" if defs else "") + "".join(parts) + "</svg>"
    )


def _n(value: float) -> str:
    """A coordinate to one decimal place, without a trailing .0."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
