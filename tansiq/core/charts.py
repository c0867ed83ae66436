"""Server-side SVG charts: the same markup serves the page, the PDF and print (no JavaScript).

Data in, safe SVG out; the caller formats the values (in the reader's digits and language).

- ``bar_chart``: horizontal bars for categories (sectors, countries), label beside the bar and the
  value at its end; in a right-to-left language mirrored (labels on the right, bars growing
  leftwards).
- ``column_chart``: vertical bars for a time series (hours by month); in a right-to-left language
  the first column is on the right, as Arabic reads time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

ROW = 28  # px per bar
LABEL = 160  # px for the labels' column
VALUE = 56  # px kept after the longest bar for its value
WIDTH = 480  # narrow: on a phone the chart is shrunk less, so its text stays legible


def bar_chart(rows: Sequence[tuple[str, float, str]], *, title: str, rtl: bool = False) -> SafeString:
    """``rows``: (label, value, value as printed). An accessible ``<svg role="img">`` whose title
    names the chart; an empty ``rows`` gives an empty string (the caller shows its empty state)."""
    if not rows:
        return mark_safe("")
    largest = max(value for _label, value, _text in rows) or 1
    span = WIDTH - LABEL - VALUE
    height = ROW * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    ]
    text_attributes = 'font-size="13" fill="currentColor"' + (' direction="rtl"' if rtl else "")
    for index, (label, value, text) in enumerate(rows):
        y = index * ROW + 2
        length = max(span * value / largest, 1 if value else 0)
        if rtl:
            label_x, anchor_label = WIDTH - 4, "start"
            bar_x = WIDTH - LABEL - length
            value_x, anchor_value = bar_x - 6, "start"
        else:
            label_x, anchor_label = LABEL - 8, "end"
            bar_x = LABEL
            value_x, anchor_value = LABEL + length + 6, "start"
        parts.append(
            f'<text x="{label_x:.1f}" y="{y + ROW * 0.62:.1f}" text-anchor="{anchor_label}" {text_attributes}>'
            f"{escape(_clip(label))}</text>"
            f'<rect x="{bar_x:.1f}" y="{y + 4}" width="{length:.1f}" height="{ROW - 8}" rx="3" fill="#0d6efd"/>'
            f'<text x="{value_x:.1f}" y="{y + ROW * 0.62:.1f}" text-anchor="{anchor_value}" {text_attributes}>'
            f"{escape(text)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped above)


def _clip(label: str, length: int = 24) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar (a month's short name)
    value: float
    text: str  # the value as the reader reads it (their digits), above the bar and in the tooltip


def column_chart(
    bars: Sequence[Bar], *, title: str, rtl: bool = False, width: int = 640, height: int = 220
) -> SafeString:
    """A vertical bar chart. With ``rtl`` the first bar is on the right, as Arabic reads time."""
    count = max(len(bars), 1)
    top, bottom = 22, 28
    plot = height - top - bottom
    slot = width / count
    peak = max((bar.value for bar in bars), default=0) or 1
    parts = []
    for index, bar in enumerate(bars):
        position = count - 1 - index if rtl else index
        x = position * slot + slot * 0.15
        bar_height = plot * (bar.value / peak) if bar.value > 0 else 0
        y = top + plot - bar_height
        centre = x + slot * 0.35
        parts.append(
            (
                f"{x:.1f}",
                f"{y:.1f}",
                f"{slot * 0.7:.1f}",
                f"{bar_height:.1f}",
                f"{bar.label}: {bar.text}",
                f"{centre:.1f}",
                f"{max(y - 5, 12):.1f}",
                bar.text if bar.value > 0 else "",
                f"{height - 9:.1f}",
                bar.label,
            )
        )
    body = format_html_join(
        "",
        '<g><rect x="{}" y="{}" width="{}" height="{}" rx="2" class="chart-bar" fill="currentColor"><title>{}</title>'
        '</rect><text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" class="chart-label">{}</text></g>',
        ((x, y, w, h, tip, cx, ty, text, cx, ly, label) for x, y, w, h, tip, cx, ty, text, ly, label in parts),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" aria-label="{}" class="chart w-100"'
        ' preserveAspectRatio="xMidYMid meet"><title>{}</title>'
        '<line x1="0" x2="{}" y1="{}" y2="{}" stroke="currentColor" stroke-opacity="0.3"/>{}</svg>',
        width,
        height,
        title,
        title,
        width,
        top + plot,
        top + plot,
        body,
    )
