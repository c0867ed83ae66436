"""The measurements behind the analyser's design choices, on the relevance set.

``python -m tests.search.choices`` prints recall@20 / precision@5 over the Arabic queries for:
each way of writing hamza seats (``normalize.HAMZA_MODES``); the light stemmer with and without
the dictionary of words whose first letter is not a proclitic; Snowball's Arabic stemmer alone
and after the light stemmer.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import snowballstemmer

from tests.search.relevance import Score, evaluate, load_queries, tansiq_analyze

ARABIC_KINDS = (
    "hamza",
    "taa_marbuta",
    "alef_maqsura",
    "diacritics",
    "tatweel",
    "digits",
    "presentation_forms",
    "clitics",
    "keyboard_and_invisible",
)


@contextmanager
def variant(*, hamza: str = "hamza", stem: Callable[[str], str] | None = None) -> Iterator[None]:
    """Run the analyser with another hamza mode and/or another Arabic stemmer."""
    from tansiq.core.text.normalize import build_normalizer

    # The package exports functions named like these modules: import the modules themselves.
    analyze_module = importlib.import_module("tansiq.core.text.analyze")
    tokenize_module = importlib.import_module("tansiq.core.text.tokenize")

    saved = tokenize_module.normalize, analyze_module.stem_arabic
    tokenize_module.normalize = build_normalizer(hamza)
    if stem is not None:
        analyze_module.stem_arabic = functools.lru_cache(maxsize=None)(stem)
    analyze_module.clear_caches()
    try:
        yield
    finally:
        tokenize_module.normalize, analyze_module.stem_arabic = saved
        analyze_module.clear_caches()


def arabic_score() -> Score:
    queries = [query for query in load_queries() if query.kind in ARABIC_KINDS]
    return evaluate(tansiq_analyze, queries=queries)["all"]


def main() -> None:
    from tansiq.core.text.arabic import ArabicStemmer

    snowball = snowballstemmer.stemmer("arabic")
    rows: list[tuple[str, dict]] = [
        (f"hamza seats: {mode}", {"hamza": mode}) for mode in ("hamza", "seat", "drop", "keep")
    ]
    rows += [
        ("light stemmer without the proclitic-letter dictionary", {"stem": ArabicStemmer(radical_initial=False).stem}),
        ("light stemmer, then Snowball", {"stem": ArabicStemmer(snowball=True).stem}),
        ("Snowball alone (after normalize)", {"stem": lambda word: snowball.stemWord(word) or word}),
        ("no stemming (normalize only)", {"stem": lambda word: word}),
    ]
    print("| Arabic queries | R@20 | P@5 |\n| --- | --- | --- |")
    for name, options in rows:
        with variant(**options):
            score = arabic_score()
        print(f"| {name} | {score.recall_at_20:.3f} | {score.precision_at_5:.3f} |")


if __name__ == "__main__":
    main()
