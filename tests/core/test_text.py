"""The analyser folds the spellings our users write into one form and stems ar/ms/en words."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import pytest

from tansiq.core.text import analyze, normalize, tokenize
from tansiq.core.text.arabic import stem_arabic
from tansiq.core.text.english import stem_english
from tansiq.core.text.malay import stem_malay


def same_terms(*texts: str, language: str | None = None) -> bool:
    return len({tuple(analyze(text, language)) for text in texts}) == 1


# --- normalize ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("الإسلامي", "الاسلامي"),
        ("أعضاء آلية ٱلبر", "اعضاء اليه البر"),
        ("مستوى", "مستوي"),
        ("الحكومية", "الحكوميه"),
        ("مُنَظَّمَةٌ", "منظمه"),
        ("عُضْوًا", "عضوا"),
        ("الـتـضـامـن", "التضامن"),
        ("ﺍﻟﻤﻨﻈﻤﺎﺕ", "المنظمات"),
        ("ﻻ", "لا"),
        ("٢٠١٧ ۲۰۲۳", "2017 2023"),
        ("کیفیة", "كيفيه"),
        ("ہ ۃ ھ", "ه ه ه"),
        ("ٱلرَّحْمَٰنِ", "الرحمن"),
        ("عَلَيۡهِمۡ ۖ", "عليهم "),
        ("مرحبا\u200f\u200c\u202bعالم\u202c\ufeff", "مرحباعالم"),
        ("شئون شؤون", "شءون شءون"),
        ("İstanbul ISTANBUL Işık", "istanbul istanbul isik"),
        ("Café Zürich São Paulo Łódź", "cafe zurich sao paulo lodz"),
        ("Straße", "strasse"),
    ],
)
def test_normalize_folds_variants(written, normalised):
    assert normalize(written) == normalised


def test_normalize_keeps_the_hamza_of_words_it_distinguishes():
    assert normalize("سؤال") != normalize("سال")


def test_normalize_leaves_other_scripts_alone():
    assert normalize("Привет мир हिंदी 中文 ελληνικά") == "привет мир हिंदी 中文 ελληνικά"


# --- tokenize -----------------------------------------------------------------------------------


def test_tokenize_splits_at_script_changes_and_punctuation():
    assert tokenize("بتاريخ31 ديسمبر،2005 (NGO)") == ["بتاريخ", "31", "ديسمبر", "2005", "ngo"]


def test_tokenize_keeps_words_whole_across_diacritics_and_tatweel():
    assert tokenize("المُتَطَوِّعُونَ فـي الـمـيـدان") == ["المتطوعون", "في", "الميدان"]


def test_tokenize_keeps_hyphenated_latin_words_and_drops_inner_apostrophes():
    assert tokenize("badan-badan Qur’an Shariʿah COVID-19") == ["badan-badan", "quran", "shariah", "covid", "19"]


# --- Arabic ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        ("المؤتمر", "والمؤتمر", "للمؤتمر", "بالمؤتمر", "مؤتمر", "المـؤتـمـر", "ﺍﻟﻤﺆﺗﻤﺮ"),
        ("التضامن", "بالتضامن", "وبالتضامن", "تضامن"),
        ("المتطوعين", "للمتطوعين", "المتطوعون", "متطوع", "والمتطوعين"),
        ("الحكومية", "الحكوميه", "حكومة", "حكومات", "الحكومي"),
        ("الإسلامي", "الاسلامي", "الإسلامية", "إسلامي"),
        ("وزارة", "الوزارة", "والوزارة", "بالوزارة", "لوزارة", "وزارات"),
        ("برنامج", "البرنامج", "ببرنامج", "للبرنامج"),
        ("لجنة", "اللجنة", "للجنة", "واللجنة"),
        ("مشاركة", "بمشاركة", "المشاركة", "ومشاركة"),
        ("عضو", "عضوا", "عضوًا"),
        ("المنظمات", "منظمة", "ومنظماتها", "للمنظمات"),
        ("السعودية", "السّعوديّة", "السعوديه"),
    ],
)
def test_arabic_forms_of_one_word_meet(forms):
    assert same_terms(*forms)


def test_arabic_stems_are_never_shorter_than_three_letters():
    assert stem_arabic("سنه") == "سنه"
    assert stem_arabic("بها") == "بها"


def test_arabic_function_words_are_not_terms():
    assert analyze("في من على إلى وفي ولكن بهذا التي الذي") == []


def test_arabic_words_that_start_like_the_article_keep_it():
    assert same_terms("التزام", "الالتزام", "التزامات")


def test_arabic_script_words_are_arabic_whatever_the_language_hint():
    assert analyze("والمؤتمر", "ms") == analyze("المؤتمر", "en") == analyze("مؤتمر")


# --- Malay ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("menyelaraskan", "selaras"),
        ("penyelarasan", "selaras"),
        ("mengumpul", "kumpul"),
        ("pengumpulan", "kumpul"),
        ("pemimpin", "pimpin"),
        ("kepimpinan", "pimpin"),
        ("memperkasakan", "perkasa"),
        ("memperjuangkan", "juang"),
        ("dipertanggungjawabkan", "tanggungjawab"),
        ("membina", "bina"),
        ("menerusi", "terus"),
        ("memulakan", "mula"),
        ("memakai", "pakai"),
        ("mempunyai", "punya"),
        ("berperanan", "peran"),
        ("diketuai", "ketua"),
        ("terutamanya", "utama"),
        ("memartabatkan", "martabat"),
        ("kekeluargaan", "keluarga"),
        ("kefahaman", "faham"),
        ("memahami", "faham"),
        ("bekerjasama", "kerjasama"),
        ("kerjasama", "kerjasama"),
        ("pertubuhan", "pertubuhan"),
        ("kerajaan", "kerajaan"),
        ("tubuh", "tubuh"),
        ("aktivitinya", "aktiviti"),
        ("bukankah", "bukan"),
    ],
)
def test_malay_stemmer_finds_the_root(word, root):
    assert stem_malay(word) == root


def test_pertubuhan_does_not_meet_tubuh():
    assert set(analyze("pertubuhan", "ms")).isdisjoint(analyze("tubuh badan", "ms"))


def test_kerajaan_does_not_meet_raja():
    assert set(analyze("kerajaan", "ms")).isdisjoint(analyze("raja", "ms"))


def test_reduplication_gives_one_term():
    assert analyze("badan-badan", "ms") == ["badan"]
    assert analyze("pertubuhan-pertubuhan", "ms") == ["pertubuhan"]
    assert analyze("berlari-lari", "ms") == ["lari"]


def test_malay_names_are_not_stop_words():
    assert analyze("Abdul Ahmad Datuk Haji", "ms") == ["abdul", "ahmad", "datuk", "haji"]


def test_unknown_malay_words_are_left_whole():
    assert stem_malay("yadim") == "yadim"
    assert stem_malay("kluster") == "kluster"


# --- English and language detection -------------------------------------------------------------


def test_english_inflections_meet():
    assert same_terms("volunteers", "volunteering", "volunteered", language="en")
    assert same_terms("organisation", "organization", "organizations", language="en")
    assert same_terms("women", "woman", language="en")
    assert stem_english("meetings") == "meet"


def test_english_stop_words_spare_acronyms():
    assert analyze("the WHO and the US", "en") == ["who", "us"]


def test_latin_language_comes_from_the_function_words():
    assert analyze("Kerjasama dan penyelarasan pertubuhan") == ["kerjasama", "selaras", "pertubuhan"]
    assert analyze("The coordination of the volunteers") == ["coordin", "volunt"]


def test_a_query_without_function_words_is_guessed_word_by_word():
    assert analyze("penyelarasan volunteers") == ["selaras", "volunt"]


def test_a_language_hint_wins_for_latin_words():
    assert analyze("programs", "en") == ["program"]
    assert analyze("menyelaraskan", "ms") == ["selaras"]


# --- contract -------------------------------------------------------------------------------------


def test_analyze_returns_no_empty_term():
    assert "" not in analyze("و ف ب ل - -- ' ّ ـ \u200f a I")


def test_the_analyser_does_not_import_django():
    code = (
        "import sys, tansiq.core.text as t; t.analyze('مرحبا hello'); "
        "print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_shipped_word_lists_name_their_source_and_licence():
    lexicon = resources.files("tansiq.core.text").joinpath("data", "lexicon")
    assert "LGPL-3.0" in lexicon.joinpath("ms-roots.txt").read_text(encoding="utf-8")[:600]
    assert "LGPL-2.1-or-later" in lexicon.joinpath("ar-radical-initial-nouns.txt").read_text(encoding="utf-8")[:700]
