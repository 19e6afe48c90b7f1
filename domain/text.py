"""What text a field may hold: nothing that hides, reorders or breaks what a reader sees.

Short text (names, titles, ids, list items) refuses control characters (C0 and C1, line breaks
and tabs included), bidirectional controls, line and paragraph separators, zero-width and
other invisible format characters, and U+FFFD, which stands for text lost on the way (bytes
that were not UTF-8). Long text (notes, reasons, descriptions) keeps its line breaks and tabs
and its zero-width joiners, and refuses the rest. Text is stored in NFC, and a
value with nothing visible once invisible characters are left out is blank.

One table of code point ranges makes both the checks here and the patterns the API document
states, so that the document refuses exactly what the domain refuses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

Ranges = tuple[tuple[int, int], ...]

# Every class as ranges of code points (first, last).
CONTROLS: Ranges = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F))  # C0, DEL, C1
BREAKS: Ranges = ((0x09, 0x0A), (0x0D, 0x0D))  # tab, line feed, carriage return
DIRECTION: Ranges = ((0x061C, 0x061C), (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x206F))
SEPARATORS: Ranges = ((0x2028, 0x2029),)
LOST: Ranges = ((0xFFFD, 0xFFFD),)  # the replacement character
ZERO_WIDTH: Ranges = ((0x00AD, 0x00AD), (0x180E, 0x180E), (0x200B, 0x200D), (0x2060, 0x2064),
                      (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
                      (0xE0000, 0xE007F))
# Allowed, but nothing to see on their own: spaces, fillers and variation selectors.
BLANKS: Ranges = ((0x20, 0x20), (0xA0, 0xA0), (0x034F, 0x034F), (0x115F, 0x1160),
                  (0x1680, 0x1680), (0x17B4, 0x17B5), (0x180B, 0x180D), (0x180F, 0x180F),
                  (0x2000, 0x200A), (0x202F, 0x202F), (0x205F, 0x205F), (0x2800, 0x2800),
                  (0x3000, 0x3000), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0),
                  (0xE0100, 0xE01EF))

# Why a character is refused, by class; the web shows a message of its own for each reason.
_REASONS = (("control", CONTROLS + BREAKS), ("direction", DIRECTION),
            ("separator", SEPARATORS), ("invisible", ZERO_WIDTH), ("lost", LOST))
_MESSAGES = {"control": "must not contain control characters, line breaks or tabs ({})",
             "direction": "must not contain direction controls ({})",
             "separator": "must not contain line or paragraph separators ({})",
             "invisible": "must not contain invisible characters ({})",
             "lost": "must not contain {}: it stands for text lost on the way (bytes that "
                     "were not UTF-8); send the text again",
             "surrogate": "must be text, not a lone surrogate ({})"}


def _class(ranges: Ranges) -> str:
    """The ranges as the inside of a regular expression's character class: \\uXXXX escapes
    for the basic plane (understood alike by ECMA 262, Python and Rust), the character itself
    beyond it."""
    def one(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)
    return "".join(one(first) if first == last else f"{one(first)}-{one(last)}"
                   for first, last in ranges)


@dataclass(frozen=True)
class Kind:
    """Short or long text: what it refuses, and the patterns that state it."""

    long: bool

    @property
    def refused(self) -> Ranges:
        breaks = () if self.long else BREAKS
        zero_width = () if self.long else ZERO_WIDTH
        return CONTROLS + breaks + DIRECTION + SEPARATORS + zero_width + LOST

    # A document states the rules with three patterns: the characters allowed (of the basic
    # plane), a text with a refused character beyond it, and a blank text. Characters beyond
    # the basic plane stay out of a pattern that a length limit is folded into (jsonschema-rs
    # writes them back as \U escapes, which ECMA 262 lacks).

    @property
    def allowed_pattern(self) -> str:
        """Every character allowed, as far as the basic plane goes (matched whole)."""
        return f"^[^{_class(tuple(r for r in self.refused if r[1] <= 0xFFFF))}]*$"

    @property
    def beyond_pattern(self) -> str | None:
        """A refused character beyond the basic plane (found anywhere), if any is refused."""
        beyond = tuple(r for r in self.refused if r[0] > 0xFFFF)
        return f"[{_class(beyond)}]" if beyond else None


SHORT, LONG = Kind(long=False), Kind(long=True)
# Characters that show nothing: a text of these alone is blank, refused or not.
INVISIBLE: Ranges = BREAKS + DIRECTION + SEPARATORS + ZERO_WIDTH + BLANKS
BLANK_PATTERN = f"^[{_class(INVISIBLE)}]*$"
_REFUSED = {kind: re.compile(f"[{_class(kind.refused)}\\ud800-\\udfff]") for kind in (SHORT, LONG)}
_SEEN = re.compile(f"[^{_class(INVISIBLE)}]")


@dataclass(frozen=True)
class TextProblem:
    """Why a text cannot be stored: `blank`, or the class of a character it contains (and
    that character)."""

    reason: str
    message: str
    char: str = ""


def text_problem(value: str, long: bool) -> TextProblem | None:
    """Why a text value cannot be stored, or None."""
    if not _SEEN.search(value):
        return TextProblem("blank", "must not be blank")
    bad = _REFUSED[LONG if long else SHORT].search(value)
    if bad is None:
        return None
    char = bad.group()
    reason = _reason(ord(char))
    return TextProblem(reason, _MESSAGES[reason].format(describe(char)), char)


def clean(value: str) -> str:
    """A text as it is stored: NFC, without spaces around it."""
    return unicodedata.normalize("NFC", value).strip()


def is_blank(value: str) -> bool:
    """Whether nothing would be seen of a text: empty, or only invisible characters."""
    return not _SEEN.search(value)


def describe(char: str) -> str:
    """A character named so that a reader can find it: U+202E RIGHT-TO-LEFT OVERRIDE."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def _reason(code: int) -> str:
    for reason, ranges in _REASONS:
        if any(first <= code <= last for first, last in ranges):
            return reason
    return "surrogate"

