"""The order of Chinese names in tables: by their pinyin (as a dictionary orders them), not by
the code points of their characters, which follow no order a reader knows.

Names read as pypinyin reads them with the phrases of its dictionary that change a reading
(重庆 is chong2 qing4), so that every phrase of its dictionary of 47,000 reads as with the whole
of it (a text joining phrases may still be cut otherwise than with the whole). pypinyin is not
loaded here: its tables take 20 MB in every process, the phrases 44 MB more.
`domain/pinyin.json`, written from pypinyin by `scripts/pinyin_table.py`, holds what the order
needs, in TONE3: each character's first reading, and those 9,000 phrases. A text is cut into
words as pypinyin cuts it with those phrases (its forward maximum match);
tests/integration/test_collation.py compares the two, for every phrase and character.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("pinyin.json")
# Each character's reading, an index in the table's readings, is written as one character from this code point on
# (a string of them takes 2 bytes a character, where a list of ints would take 36).
INDEX_BASE = 0x100


class Table:
    """The readings of characters and phrases, as compact as a lookup allows: the characters
    in code point order with their readings' indices beside them (found by bisection), the
    phrases in order (a text's next phrase found by its prefixes, by bisection too)."""

    def __init__(self, table: dict) -> None:
        self.hans = re.compile(table["hans"])
        # Runs of Chinese characters (those pypinyin reads), and runs of everything else.
        assert table["hans"].startswith("^(?:[") and table["hans"].endswith("])+$")
        han = table["hans"].removeprefix("^(?:").removesuffix(")+$")
        self.runs = re.compile(f"{han}+|(?:(?!{han}).)+", re.DOTALL)
        self.readings: list[str] = table["readings"]
        self.chars: str = table["chars"]
        self.reading_of: str = table["reading_of"]
        self.phrases: dict[str, str] = table["phrases"]
        self.in_order = sorted(self.phrases)

    def char(self, char: str) -> str:
        """A character's first reading; one without a reading stands for itself."""
        at = bisect_left(self.chars, char)
        if at < len(self.chars) and self.chars[at] == char:
            return self.readings[ord(self.reading_of[at]) - INDEX_BASE]
        return char

    def begins_a_phrase(self, text: str) -> bool:
        at = bisect_left(self.in_order, text)
        return at < len(self.in_order) and self.in_order[at].startswith(text)

    def words(self, run: str) -> Iterator[str]:
        """A run of Chinese characters cut as pypinyin's `mmseg.seg` cuts it (forward maximum
        match, phrases only): at each point, the longest phrase among the pieces that begin
        some phrase, or else one character; and if the whole rest begins a phrase without
        holding one, that rest character by character."""
        while run:
            length = phrase = 0
            while length < len(run) and self.begins_a_phrase(run[:length + 1]):
                length += 1
                if run[:length] in self.phrases:
                    phrase = length
            if phrase:
                yield run[:phrase]
                run = run[phrase:]
            elif length == len(run):
                yield from run
                return
            else:
                yield run[0]
                run = run[1:]

    def read(self, text: str) -> Iterator[str]:
        """The text's syllables: each run of Chinese characters by its words (a phrase by its
        reading, any other word character by character), any other run as it is."""
        for run in (m.group() for m in self.runs.finditer(text)):
            if not self.hans.fullmatch(run):
                yield run
                continue
            for word in self.words(run):
                if word in self.phrases:
                    yield from self.phrases[word].split(" ")
                else:
                    yield from map(self.char, word)


@lru_cache(maxsize=1)
def table() -> Table:
    """The app's table (domain/pinyin.json), read once a process."""
    return Table(json.loads(TABLE.read_text(encoding="utf-8")))


@lru_cache(maxsize=8_192)
def pinyin_key(text: str) -> tuple[tuple[str, ...], str]:
    """A sort key for a name: its syllables with their tones (长安 -> chang2 an1), then the
    text itself to order names that read alike; letters and digits sort as they are."""
    return tuple(part.lower() for part in table().read(text)), text
