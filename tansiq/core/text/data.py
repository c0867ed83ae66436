"""Word lists shipped with the analyser: one entry a line, ``#`` starts a comment."""

from __future__ import annotations

import functools
from importlib import resources

from tansiq.core.text.normalize import normalize


def _lines(*parts: str) -> list[str]:
    text = resources.files("tansiq.core.text").joinpath("data", *parts).read_text(encoding="utf-8")
    lines = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


@functools.cache
def words(*parts: str) -> frozenset[str]:
    """A set of normalised words, e.g. ``words("stopwords", "ms.txt")``."""
    return frozenset(normalize(line) for line in _lines(*parts))


@functools.cache
def mapping(*parts: str) -> dict[str, str]:
    """``word stem`` pairs (whitespace-separated): words whose stem the rules would get wrong."""
    pairs = {}
    for line in _lines(*parts):
        word, _, stem = line.partition(" ")
        word, stem = normalize(word), normalize(stem.strip() or word)
        pairs[word] = stem
    return pairs
