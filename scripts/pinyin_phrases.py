"""Write domain/pinyin_phrases.json: the phrases of pypinyin's dictionary that names need.

    .venv/bin/python scripts/pinyin_phrases.py     # after upgrading pypinyin

Names sort by their pinyin (domain/collation.py). pypinyin reads a phrase by its dictionary of
47,000 phrases (重庆 is chong2 qing4, not zhong4 qing4), which takes 44 MB in every worker. Most
phrases read exactly as their characters do one by one, so the app loads pypinyin without its
phrases (PYPINYIN_NO_PHRASES) and gives it back only those that matter: every phrase whose
reading, with the phrases kept, would differ from its reading with the whole dictionary.
Keeping fewer phrases changes how a text is cut into phrases, so the choice is repeated until
it holds for every phrase of the dictionary. tests/unit/test_collation.py checks that it does.

Each reading is computed in a process of its own (pypinyin decides at import whether it loads
its phrases).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "domain" / "pinyin_phrases.json"

# Run as `--readings FILE`: print the TONE3 reading of every phrase of pypinyin's dictionary,
# with the phrases listed in FILE loaded (without its own phrases), or with the whole
# dictionary when FILE is "-".
READINGS = """
import json, sys
from pypinyin import Style, lazy_pinyin, load_phrases_dict
from pypinyin.phrases_dict import phrases_dict as everything
if sys.argv[1] != "-":
    load_phrases_dict(json.loads(open(sys.argv[1], encoding="utf-8").read()))
print(json.dumps({p: " ".join(lazy_pinyin(p, style=Style.TONE3)) for p in everything},
                 ensure_ascii=False))
"""


def readings(kept: dict[str, list[list[str]]] | None) -> dict[str, str]:
    """Every dictionary phrase's reading: with the whole dictionary (kept None), or with only
    the phrases kept."""
    env = dict(os.environ)
    argument = "-"
    if kept is None:
        env.pop("PYPINYIN_NO_PHRASES", None)
    else:
        env["PYPINYIN_NO_PHRASES"] = "1"
        argument = str(OUT.with_suffix(".tmp"))
        Path(argument).write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    try:
        output = subprocess.run([sys.executable, "-c", READINGS, argument], env=env,
                                check=True, capture_output=True, text=True).stdout
    finally:
        if kept is not None:
            Path(argument).unlink()
    return json.loads(output)


def main() -> None:
    from pypinyin.phrases_dict import phrases_dict as everything

    whole = readings(None)
    kept: dict[str, list[list[str]]] = {}
    while True:
        differ = [p for p, reading in readings(kept).items() if reading != whole[p]]
        print(f"{len(kept):,} phrases kept, {len(differ):,} phrases read otherwise",
              file=sys.stderr)
        if not differ:
            break
        kept |= {p: everything[p] for p in differ}
    lines = [f"{json.dumps(p, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
             for p, v in sorted(kept.items())]
    OUT.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(kept):,} of {len(everything):,} phrases",
          file=sys.stderr)


if __name__ == "__main__":
    main()
