"""What people type is stored so that it cannot spoof another text and its digits can be dialled."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tansiq.core.forms import BIDI_CONTROLS, NameField, PhoneField
from tansiq.core.i18n import ascii_digits

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("control", list(CONTROLS))
def test_every_override_and_isolate_control_is_removed_from_a_name(control):
    assert NameField().clean(f"Relief{control} Fund") == "Relief Fund"


def test_a_name_that_would_display_reversed_is_stored_as_typed_letters_only():
    assert NameField().clean("\u202eexe.gnp\u202c") == "exe.gnp"
    # Marks that only set the direction of neutral characters are harmless and kept.
    assert NameField().clean("مؤسسة\u200f (2)") == "مؤسسة\u200f (2)"


@given(st.text().filter(lambda text: "\x00" not in text))
def test_no_bidi_control_survives_cleaning(text):
    cleaned = NameField(required=False).clean(text)
    assert not BIDI_CONTROLS.search(cleaned)


def test_phone_numbers_are_stored_with_ascii_digits():
    assert PhoneField().clean("+٩٦٦ ١١ ٢٣٤ ٥٦٧٨") == "+966 11 234 5678"
    assert PhoneField().clean("+۹۸ ۲۱ ۱۲۳۴") == "+98 21 1234"
    assert PhoneField().clean("\u2067+60 3-1234 5678\u2069") == "+60 3-1234 5678"
    assert ascii_digits("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹") == "01234567890123456789"
