"""Front-end weight: CSS + JavaScript a page ships, gzip-compressed (budget ≤ 120 KB).

The list of files is the one ``tests/test_static_budget.py`` checks against the budget on every
``make test``; here the figure goes into the table beside the other budgets.
"""

from __future__ import annotations

from benchmarks._harness import Result
from tests.test_static_budget import BUDGET, PAGE_ASSETS, STATIC, gzip_size


def run(ctx) -> list[Result]:
    results = []
    for direction, files in PAGE_ASSETS.items():
        total = sum(gzip_size(STATIC / name) for name in files)
        label = "Arabic (right-to-left)" if direction == "rtl" else "English and Malay"
        results.append(
            Result.measured(
                f"CSS + JS shipped to a page, {label}",
                "-",
                round(total / 1024, 1),
                "KB gzip",
                BUDGET / 1024,
                files=files,
            )
        )
    return results
