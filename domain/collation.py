"""The order of Chinese names in tables: by their pinyin (as a dictionary orders them), not by
the code points of their characters, which follow no order a reader knows."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=8_192)
def pinyin_key(text: str) -> tuple[tuple[str, ...], str]:
    """A sort key for a name: its syllables with their tones (长安 -> chang2 an1), then the
    text itself to order names that read alike; letters and digits sort as they are."""
    return tuple(part.lower() for part in lazy_pinyin(text, style=Style.TONE3)), text
