"""Server-side SVG charts: the same markup serves the page, the PDF and print (no JavaScript).

``bar_chart`` draws horizontal bars, one per row, label beside the bar and the (already formatted)
value at its end. In a right-to-left language the chart is drawn mirrored: labels on the right,
bars growing leftwards, text anchored and shaped right-to-left.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
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
