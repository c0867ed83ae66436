"""Server-side SVG charts: the same markup serves the page, the PDF and print, and needs no script.

A chart is data in, safe SVG out; the caller formats the labels (in the reader's digits and
language) so the chart knows nothing of languages except which way time runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar (a month's short name)
    value: float
    text: str  # the value as the reader reads it (their digits), above the bar and in the tooltip


def bar_chart(bars: Sequence[Bar], *, title: str, rtl: bool = False, width: int = 640, height: int = 220) -> SafeString:
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
