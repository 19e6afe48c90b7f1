"""Write domain/pinyin.json: what names need of pypinyin's readings, in TONE3.

    .venv/bin/python scripts/pinyin_table.py     # after upgrading pypinyin

Names sort by their pinyin (domain/collation.py), read as pypinyin reads them with its whole
dictionary of 47,000 phrases (重庆 is chong2 qing4, not zhong4 qing4). pypinyin's tables take
20 MB in every worker and its phrases 44 MB more, so the app does not load it: this script
writes each character's first reading, and the phrases whose reading matters, for the app's
reader (`domain.collation.Table`), which cuts a text into words as pypinyin does.

Most phrases read exactly as their characters do one by one; a phrase is kept when, without
it, some phrase of the dictionary would read otherwise than with the whole dictionary. Keeping
fewer phrases changes how a text is cut into words, so the choice is repeated until it holds
for every phrase of the dictionary. tests/integration/test_collation.py checks that it does.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypinyin import Style, lazy_pinyin  # noqa: E402  (with its whole dictionary)
from pypinyin.constants import PINYIN_DICT, RE_HANS  # noqa: E402
from pypinyin.phrases_dict import phrases_dict as everything  # noqa: E402

from domain.collation import INDEX_BASE, TABLE, Table  # noqa: E402


def reading(text: str) -> str:
    """pypinyin's reading of a text with its whole dictionary: TONE3 syllables, by spaces."""
    return " ".join(lazy_pinyin(text, style=Style.TONE3))


def characters() -> dict[str, object]:
    """Every character pypinyin reads, in code point order, with its first reading."""
    chars = sorted(chr(code) for code in PINYIN_DICT)
    first = {char: reading(char) for char in chars}
    readings = sorted(set(first.values()))
    index = {r: i for i, r in enumerate(readings)}
    assert INDEX_BASE + len(readings) < 0xD800  # below the surrogates
    return {"pypinyin": version("pypinyin"), "hans": RE_HANS.pattern, "readings": readings,
            "chars": "".join(chars),
            "reading_of": "".join(chr(INDEX_BASE + index[first[c]]) for c in chars)}


def main() -> None:
    table = characters()
    whole = {phrase: reading(phrase) for phrase in everything}
    kept: dict[str, str] = {}
    while True:
        reader = Table(table | {"phrases": kept})
        differ = [p for p, read in whole.items() if " ".join(reader.read(p)) != read]
        print(f"{len(kept):,} phrases kept, {len(differ):,} phrases read otherwise",
              file=sys.stderr)
        if not differ:
            break
        kept |= {p: whole[p] for p in differ}
    table["phrases"] = dict(sorted(kept.items()))
    TABLE.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{TABLE.relative_to(ROOT)}: {len(table['readings']):,} readings of "
          f"{len(table['chars']):,} characters, {len(kept):,} of {len(everything):,} phrases",
          file=sys.stderr)


if __name__ == "__main__":
    main()
