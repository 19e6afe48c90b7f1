"""What text a field may hold (domain.text), and that the API document states exactly that."""

from __future__ import annotations

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.api.fields import text_schema
from domain import text
from domain.errors import InvalidValue
from domain.fields import coerce_text

# A character of each class, and text around it.
REFUSED_IN_BOTH = {"\x00": "control", "\x1b": "control", "\x7f": "control", "\x85": "control",
                   "\x9b": "control", "\u202e": "direction", "\u2066": "direction",
                   "\u200f": "direction", "\u061c": "direction", "\u2028": "separator",
                   "\u2029": "separator", "\ufffd": "lost"}
REFUSED_IN_SHORT = {"\n": "control", "\t": "control", "\r": "control", "\u200b": "invisible",
                    "\u200d": "invisible", "\ufeff": "invisible", "\u00ad": "invisible",
                    "\u2060": "invisible", "\U000e0041": "invisible"}
NOTHING_VISIBLE = ["", " ", "\u3000", "\u200b", "\u200b\u200c\ufeff", "\u2800\u3164",
                   "\ufe0f", "\U000e0041\U000e0042", "\n\t ", "\u202e"]


@pytest.mark.parametrize("char, reason", [*REFUSED_IN_BOTH.items(), *REFUSED_IN_SHORT.items()])
def test_short_text_refuses_what_hides_reorders_or_breaks_it(char, reason):
    problem = text.text_problem(f"安福{char}产业园", long=False)
    assert problem is not None and problem.reason == reason
    assert problem.char == char and f"U+{ord(char):04X}" in problem.message


@pytest.mark.parametrize("char, reason", REFUSED_IN_BOTH.items())
def test_long_text_refuses_the_same_but_keeps_line_breaks_tabs_and_joiners(char, reason):
    assert text.text_problem(f"第一行{char}第二行", long=True).reason == reason
    assert text.text_problem("第一行\r\n\t第二行 👩\u200d💻", long=True) is None


@pytest.mark.parametrize("value", NOTHING_VISIBLE, ids=ascii)
@pytest.mark.parametrize("long", [False, True])
def test_text_with_nothing_visible_is_blank(value, long):
    assert text.is_blank(value)
    assert text.text_problem(value, long).reason == "blank"


def test_a_lone_surrogate_is_not_text():
    assert text.text_problem("a\ud800", long=True).reason == "surrogate"


def test_text_is_stored_in_nfc_without_spaces_around_it():
    assert coerce_text("name", " Cafe\u0301\u3000", long=False) == "Caf\u00e9"
    assert coerce_text("name", "\uff21\uff22", long=False) == "\uff21\uff22"  # NFC, not NFKC


def test_coercing_text_names_the_field_and_the_character():
    with pytest.raises(InvalidValue) as info:
        coerce_text("title", "用电\u202e未接入", long=False)
    assert info.value.field == "title"
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in info.value.message


# Characters of every kind the rules name, and any others.
CHARACTERS = st.one_of(
    st.sampled_from([*REFUSED_IN_BOTH, *REFUSED_IN_SHORT, " ", "\u3000", "\u2800", "\ufe0f",
                     "\U000e0100", "\U0001bca0", "\U0001d173", "安", "a", "0"]),
    st.characters(exclude_categories=["Cs"]))


@settings(max_examples=2_000)
@given(value=st.text(CHARACTERS, max_size=8), long=st.booleans())
def test_the_api_document_states_exactly_what_text_is_refused(value, long):
    documented = jsonschema_rs.validator_for(text_schema(long)).is_valid(value)
    assert documented == (text.text_problem(value, long) is None), ascii(value)
