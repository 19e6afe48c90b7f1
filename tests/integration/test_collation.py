"""Names sort by pypinyin's reading with its whole phrase dictionary, though the app loads
only the phrases that change a reading (domain/collation.py, domain/pinyin_phrases.json)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from domain.collation import pinyin_key

ROOT = Path(__file__).resolve().parents[2]

# Each in a process of its own: pypinyin decides at import whether it loads its phrases.
WHOLE = """
import json
from pypinyin import Style, lazy_pinyin
from pypinyin.phrases_dict import phrases_dict
print(json.dumps({p: lazy_pinyin(p, style=Style.TONE3) for p in phrases_dict},
                 ensure_ascii=False))
"""
APP = """
import json
from domain.collation import pinyin_key
import pypinyin.constants
from pypinyin.phrases_dict import phrases_dict
assert len(pypinyin.constants.PHRASES_DICT) < 10_000
print(json.dumps({p: pinyin_key(p)[0] for p in phrases_dict}, ensure_ascii=False))
"""


def in_a_process(code: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PYPINYIN_")} | env
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, check=True,
                          capture_output=True, text=True).stdout


def test_every_phrase_of_the_dictionary_reads_as_with_the_whole_dictionary():
    whole, app = json.loads(in_a_process(WHOLE)), json.loads(in_a_process(APP))
    assert len(whole) > 40_000 and app.keys() == whole.keys()
    differ = {p: (reading, app[p]) for p, reading in whole.items() if reading != app[p]}
    assert not differ, list(differ.items())[:10]


def test_names_read_by_their_phrases():
    assert pinyin_key("重庆银行")[0] == ("chong2", "qing4", "yin2", "hang2")
    assert pinyin_key("长安")[0] == ("chang2", "an1")
    assert sorted(["银行", "重庆", "安福"], key=pinyin_key) == ["安福", "重庆", "银行"]


def test_the_app_holds_only_the_phrases_it_needs():
    held = in_a_process("import domain.collation, pypinyin.constants as c; "
                        "print(len(c.PHRASES_DICT))")
    kept = json.loads((ROOT / "domain" / "pinyin_phrases.json").read_text(encoding="utf-8"))
    assert int(held) == len(kept) < 10_000
