"""Fill the Chinese catalogue's empty translations from TSV files or other catalogues.

    python translations/fill.py SOURCE...   # SOURCE: a .tsv (msgid<TAB>msgstr) or a .po

Used after `make messages` has added new message ids, and to merge two branches' catalogues
(take one side, then fill from the other). Existing translations are kept unless --replace.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).parent / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def translations_in(path: Path) -> dict[str, str]:
    if path.suffix == ".po":
        with path.open("rb") as file:
            return {m.id: m.string for m in read_po(file)
                    if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}
    pairs = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        msgid, tab, msgstr = line.partition("\t")
        if not tab or not msgstr.strip():
            sys.exit(f"{path}:{number}: expected msgid<TAB>msgstr")
        pairs[msgid] = msgstr.strip()
    return pairs


def main(arguments: list[str]) -> None:
    replace = "--replace" in arguments
    sources = [Path(a) for a in arguments if a != "--replace"]
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file, locale="zh_Hans_CN")
    filled = 0
    for source in sources:
        for msgid, msgstr in translations_in(source).items():
            message = catalogue.get(msgid)
            if message is not None and (replace or not message.string or message.fuzzy):
                message.string, filled = msgstr, filled + 1
                message.flags.discard("fuzzy")
    with CATALOGUE.open("wb") as file:
        write_po(file, catalogue, width=0, omit_header=False, sort_output=True,
                 no_location=True)
    missing = [m.id for m in catalogue if m.id and not m.string]
    print(f"filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing:
        print(f"  {msgid!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
