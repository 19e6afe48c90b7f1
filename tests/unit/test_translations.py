"""The Chinese catalogue covers every interface string, and the compiled one is current.

Interface text is written in English in the code and templates (msgids); Simplified Chinese is
the default language, so a string missing from the catalogue would show English to a county
official. These tests extract the strings from the sources as `make messages` does.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


@functools.cache
def source_messages() -> frozenset[str]:
    with (ROOT / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map,
                                                keywords=KEYWORDS):
        found.update([message] if isinstance(message, str) else message)
    return frozenset(m for m in found if m)


@pytest.fixture(scope="module")
def catalogue():
    with CATALOGUE.open("rb") as file:
        return read_po(file, locale="zh_Hans_CN")


def test_every_interface_string_has_a_chinese_translation(catalogue):
    translated = {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}
    missing = sorted(source_messages() - set(translated))
    assert not missing, f"untranslated (run `make messages` and translate): {missing}"


def test_translations_keep_their_placeholders(catalogue):
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check() if errors]
    assert not problems


def test_the_catalogue_has_no_stale_or_fuzzy_entries(catalogue):
    used = source_messages()
    stale = sorted(m.id for m in catalogue if m.id and m.id not in used)
    fuzzy = sorted(m.id for m in catalogue if m.id and m.fuzzy)
    assert not stale and not fuzzy, (stale, fuzzy)


def test_the_compiled_catalogue_is_current(catalogue):
    compiled = Translations.load(str(ROOT / "translations"), ["zh_Hans_CN"])
    assert isinstance(compiled, Translations), "run `make translations` to compile the catalogue"
    behind = [m.id for m in catalogue if m.id and isinstance(m.id, str)
              and compiled.gettext(m.id) != m.string]
    assert not behind, f"compiled catalogue is older than the .po: {behind[:5]}"
