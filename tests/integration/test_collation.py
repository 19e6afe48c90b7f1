"""Names sort by pypinyin's reading with its whole phrase dictionary, though the app does not
load pypinyin: it reads from domain/pinyin.json (domain/collation.py, scripts/pinyin_table.py).
pypinyin itself is the reference here, each reading in a process of its own (pypinyin decides
at import whether it loads its phrases)."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from domain.collation import TABLE, pinyin_key, table

ROOT = Path(__file__).resolve().parents[2]

# pypinyin's readings of the texts on stdin (a JSON list): with its whole dictionary, or
# (argument "kept") with only the phrases the app keeps, as the app's reader must cut them.
PYPINYIN = """
import json, sys
from pypinyin import Style, lazy_pinyin, load_phrases_dict
from pypinyin.phrases_dict import phrases_dict
texts = json.load(sys.stdin)
if texts is None:
    texts = list(phrases_dict)
if sys.argv[1] == "kept":
    kept = json.load(open("domain/pinyin.json", encoding="utf-8"))["phrases"]
    load_phrases_dict({p: phrases_dict[p] for p in kept})
print(json.dumps({t: lazy_pinyin(t, style=Style.TONE3) for t in texts}, ensure_ascii=False))
"""


def pypinyin(texts: list[str] | None, *, phrases: str) -> dict[str, list[str]]:
    """pypinyin's readings (of every phrase of its dictionary when texts is None): with its
    phrases "whole", or only the "kept" ones."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PYPINYIN_")}
    if phrases == "kept":
        environ["PYPINYIN_NO_PHRASES"] = "1"
    return json.loads(subprocess.run(
        [sys.executable, "-c", PYPINYIN, phrases], cwd=ROOT, env=environ, check=True,
        input=json.dumps(texts), capture_output=True, text=True).stdout)


def read(text: str) -> list[str]:
    return list(table().read(text))


def test_every_phrase_of_the_dictionary_reads_as_with_the_whole_dictionary():
    whole = pypinyin(None, phrases="whole")
    assert len(whole) > 40_000
    differ = {p: (reading, read(p)) for p, reading in whole.items() if reading != read(p)}
    assert not differ, list(differ.items())[:10]


def test_every_character_reads_as_pypinyin_reads_it():
    # Every character of the ranges pypinyin calls Chinese (some have no reading: they stand
    # for themselves), and a sample of the rest.
    chars = [chr(c) for c in range(0x3400, 0x32390) if table().hans.fullmatch(chr(c))]
    chars += [chr(c) for c in range(0x20, 0x3400, 7)]
    assert len(chars) > 90_000
    whole = pypinyin(chars, phrases="whole")
    differ = {c: (reading, read(c)) for c, reading in whole.items() if reading != read(c)}
    assert not differ, list(differ.items())[:10]


def test_any_text_is_cut_into_words_as_pypinyin_cuts_it():
    """Texts made of phrases, their beginnings and ends, single characters, letters, digits,
    spaces and punctuation, read as pypinyin reads them with the same phrases."""
    phrases = sorted(table().phrases)
    pieces = ["A", "b2", " ", "·", "，", "（", "12", "\n", "重", "庆", "银", "行", "安", "福",
              "县", "长", "乐", "𪛟", "〇"]
    rng = random.Random(2026)

    def piece() -> str:
        phrase = rng.choice(phrases)
        cut = rng.randrange(1, len(phrase) + 1)
        return rng.choice([phrase, phrase[:cut], phrase[cut - 1:], rng.choice(pieces)])

    texts = ["".join(piece() for _ in range(rng.randrange(1, 8))) for _ in range(5_000)]
    kept = pypinyin(texts, phrases="kept")
    differ = {t: (reading, read(t)) for t, reading in kept.items() if reading != read(t)}
    assert not differ, list(differ.items())[:10]


def test_names_read_by_their_phrases():
    assert pinyin_key("重庆银行")[0] == ("chong2", "qing4", "yin2", "hang2")
    assert pinyin_key("长安")[0] == ("chang2", "an1")
    assert pinyin_key("安福县Park 2")[0] == ("an1", "fu2", "xian4", "park 2")
    assert pinyin_key("")[0] == ()
    assert sorted(["银行", "重庆", "安福"], key=pinyin_key) == ["安福", "重庆", "银行"]


def test_the_app_reads_without_pypinyin_and_its_table_is_of_the_installed_pypinyin():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, domain.collation as c; c.pinyin_key('重庆'); "
                               "print(sorted(m for m in sys.modules if 'pypinyin' in m))"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    assert loaded.strip() == "[]"
    from importlib.metadata import version

    written = json.loads(TABLE.read_text(encoding="utf-8"))
    assert written["pypinyin"] == version("pypinyin"), (
        "pypinyin was upgraded: write domain/pinyin.json again (scripts/pinyin_table.py)")
    assert len(written["phrases"]) < 10_000
