"""Text analysis for search: one analyser for Arabic, Malay and English, pure Python.

``normalize`` folds spelling variants, ``tokenize`` splits normalised text into words and
``analyze`` turns text into index terms. Index and queries go through the same ``analyze``, so
any search backend that matches terms exactly gives the same answers.
"""

from tansiq.core.text.analyze import analyze, analyze_word, detect_latin_language
from tansiq.core.text.normalize import normalize
from tansiq.core.text.tokenize import tokenize

__all__ = ["analyze", "analyze_word", "detect_latin_language", "normalize", "tokenize"]
