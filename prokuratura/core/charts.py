"""Charts drawn on the server as standalone SVG documents: no JavaScript, no CDN, no style sheet.

A view serves the string as `image/svg+xml` and the page embeds it with `<img>` next to a table holding the same
figures, which is what screen readers and keyboard users read (the image's `alt` names the chart, the table
gives the numbers). Inside the SVG, `<title>` and `<desc>` name and describe it for those who open it alone.

Only presentation attributes are written (`fill=`, `stroke=`), never `style=` or a `<style>` element, so the
strict Content-Security-Policy holds when the file is opened directly. Every text is escaped, so a label such as
`<b>&` is drawn as those characters. The colours are the Okabe–Ito palette, readable with colour-blindness; lines
differ by dash pattern and marker shape too, and bars carry their value, so colour is never the only cue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9dee3"
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class ChartSeries:
    label: str
    values: tuple[float, ...]


def _t(text: object) -> str:
    return str(escape(str(text)))


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def nice_ticks(maximum: float, *, count: int = 5) -> list[float]:
    """0 and round steps (1, 2 or 5 × 10ⁿ) up to at least `maximum`."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1) if maximum >= 1 else step
    top = math.ceil(maximum / step) * step
    return [i * step for i in range(int(round(top / step)) + 1)]


def _wrap(text: str, width: int, lines: int = 2) -> list[str]:
    """Cut a label into at most `lines` lines of about `width` characters; the last ends in … if cut."""
    words, out, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: max(width - 1, 1)].rstrip() + "…"
    return out or [""]


def _open(width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title chart-desc" '
        f'font-family="{FONT}" font-size="13" fill="{INK}">',
        f'<title id="chart-title">{_t(title)}</title>',
        f'<desc id="chart-desc">{_t(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="12" y="22" font-size="15" font-weight="bold">{_t(title)}</text>',
    ]


def _legend(series: Sequence[ChartSeries], *, x: float, y: float, lines: bool) -> list[str]:
    parts, cursor = [], x
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        if lines:
            dash = DASHES[index % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{_num(cursor)}" y1="{_num(y - 4)}" x2="{_num(cursor + 22)}" y2="{_num(y - 4)}" '
                f'stroke="{colour}" stroke-width="3"{dash_attr}/>'
            )
        else:
            parts.append(
                f'<rect x="{_num(cursor)}" y="{_num(y - 11)}" width="14" height="12" fill="{colour}"/>'
            )
        parts.append(f'<text x="{_num(cursor + 28)}" y="{_num(y)}">{_t(item.label)}</text>')
        cursor += 40 + 7.5 * len(item.label)
    return parts


def _check(categories: Sequence[str], series: Sequence[ChartSeries]) -> None:
    for item in series:
        if len(item.values) != len(categories):
            raise ValueError(
                f"series {item.label!r} has {len(item.values)} values for {len(categories)} categories"
            )


BAR, BAR_GAP, BAR_TOP, BAR_BOTTOM = 14, 14, 64, 40


def bar_chart_height(*, categories: int, series: int) -> int:
    """The height `bar_chart` draws for so many categories and series (for the `<img height>`)."""
    return BAR_TOP + max(categories, 1) * (max(series, 1) * BAR + BAR_GAP) + BAR_BOTTOM


def bar_chart(
    *,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[ChartSeries],
    width: int = 760,
    label_width: int = 260,
) -> str:
    """Horizontal grouped bars: one group per category (long labels fit on the left), one bar per series,
    each bar labelled with its value."""
    _check(categories, series)
    bar, gap, top = BAR, BAR_GAP, BAR_TOP
    group = max(len(series), 1) * bar + gap
    plot_height = max(len(categories), 1) * group
    height = bar_chart_height(categories=len(categories), series=len(series))
    left, right = label_width + 12, width - 48
    maximum = max((v for item in series for v in item.values), default=0)
    ticks = nice_ticks(maximum)
    scale = (right - left) / (ticks[-1] or 1)
    parts = _open(width, height, title, desc)
    parts += _legend(series, x=12, y=46, lines=False)
    for tick in ticks:
        x = left + tick * scale
        parts.append(
            f'<line x1="{_num(x)}" y1="{top}" x2="{_num(x)}" y2="{top + plot_height}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{_num(x)}" y="{top + plot_height + 18}" text-anchor="middle" fill="{MUTED}">'
            f"{_fmt(tick)}</text>"
        )
    for c_index, category in enumerate(categories):
        y0 = top + c_index * group + gap / 2
        lines = _wrap(category, max(label_width // 7, 8))
        middle = y0 + (group - gap) / 2
        first = middle - (len(lines) - 1) * 8 + 4
        parts.append(f"<g><title>{_t(category)}</title>")
        for l_index, line in enumerate(lines):
            parts.append(
                f'<text x="{left - 8}" y="{_num(first + l_index * 16)}" text-anchor="end">{_t(line)}</text>'
            )
        parts.append("</g>")
        for s_index, item in enumerate(series):
            value = item.values[c_index]
            y = y0 + s_index * bar
            length = value * scale
            colour = PALETTE[s_index % len(PALETTE)]
            parts.append(
                f'<rect x="{left}" y="{_num(y)}" width="{_num(length)}" height="{bar - 2}" fill="{colour}">'
                f"<title>{_t(item.label)}: {_fmt(value)}</title></rect>"
            )
            parts.append(
                f'<text x="{_num(left + length + 4)}" y="{_num(y + bar - 4)}" font-size="11">{_fmt(value)}</text>'
            )
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_height}" stroke="{INK}"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def line_chart(
    *,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[ChartSeries],
    width: int = 760,
    height: int = 360,
) -> str:
    """Lines over ordered categories (years): one line per series with a marker at each point. When there are
    many categories only every n-th is labelled on the axis; each point's title gives its value."""
    _check(categories, series)
    # The last axis label is centred on the right edge of the plot: leave room for half of it ("12.2026").
    last = len(categories[-1]) if categories else 0
    left, right, top, bottom = 48, width - max(16, 4 * last + 4), 64, height - 36
    maximum = max((v for item in series for v in item.values), default=0)
    ticks = nice_ticks(maximum)
    y_scale = (bottom - top) / (ticks[-1] or 1)
    count = len(categories)
    x_step = (right - left) / (count - 1) if count > 1 else 0
    parts = _open(width, height, title, desc)
    parts += _legend(series, x=12, y=46, lines=True)
    for tick in ticks:
        y = bottom - tick * y_scale
        parts.append(f'<line x1="{left}" y1="{_num(y)}" x2="{right}" y2="{_num(y)}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{_num(y + 4)}" text-anchor="end" fill="{MUTED}">{_fmt(tick)}</text>'
        )
    every = max(1, math.ceil(count / 12))
    for index, category in enumerate(categories):
        if index % every == 0 or index == count - 1:
            x = left + index * x_step if count > 1 else (left + right) / 2
            parts.append(
                f'<text x="{_num(x)}" y="{bottom + 18}" text-anchor="middle" fill="{MUTED}">{_t(category)}</text>'
            )
    for s_index, item in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        dash = DASHES[s_index % len(DASHES)]
        points = [
            (left + i * x_step if count > 1 else (left + right) / 2, bottom - v * y_scale)
            for i, v in enumerate(item.values)
        ]
        if len(points) > 1:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            path = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
        for (x, y), category, value in zip(points, categories, item.values, strict=True):
            label = f"<title>{_t(item.label)}, {_t(category)}: {_fmt(value)}</title>"
            if s_index % 3 == 0:
                parts.append(
                    f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.5" fill="{colour}">{label}</circle>'
                )
            elif s_index % 3 == 1:
                parts.append(
                    f'<rect x="{_num(x - 3.5)}" y="{_num(y - 3.5)}" width="7" height="7" fill="{colour}">'
                    f"{label}</rect>"
                )
            else:
                parts.append(
                    f'<path d="M{_num(x)},{_num(y - 4.5)} L{_num(x + 4.5)},{_num(y + 3.5)} '
                    f'L{_num(x - 4.5)},{_num(y + 3.5)} Z" fill="{colour}">{label}</path>'
                )
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>')
    parts.append("</svg>")
    return "\n".join(parts)
