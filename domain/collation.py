"""The order of Chinese names in tables: by their pinyin (as a dictionary orders them), not by
the code points of their characters, which follow no order a reader knows.

pypinyin reads phrases by its dictionary of 47,000 phrases (重庆 is chong2 qing4), which would
take 44 MB in every process. It is loaded without them and given back the 9,000 that read
otherwise than their characters do one by one (domain/pinyin_phrases.json, written by
scripts/pinyin_phrases.py): every phrase of the dictionary reads as with the whole of it.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

# pypinyin decides at import whether it loads its phrases (and copies its dictionaries).
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")

from pypinyin import Style, lazy_pinyin, load_phrases_dict  # noqa: E402

PHRASES = Path(__file__).with_name("pinyin_phrases.json")
load_phrases_dict(json.loads(PHRASES.read_text(encoding="utf-8")))


@lru_cache(maxsize=8_192)
def pinyin_key(text: str) -> tuple[tuple[str, ...], str]:
    """A sort key for a name: its syllables with their tones (长安 -> chang2 an1), then the
    text itself to order names that read alike; letters and digits sort as they are."""
    return tuple(part.lower() for part in lazy_pinyin(text, style=Style.TONE3)), text
