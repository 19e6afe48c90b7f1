"""Every page, for each role, in Chinese and in English: it renders, and it shows no text of
the other language from the catalogue (a missing translation shows its English msgid)."""

from __future__ import annotations

import html as markup
import re

import pytest
from babel.messages.pofile import read_po

from domain.fields import EVENT_TYPES
from tests.e2e.test_web_dispatch import CATALOGUE, county, users  # noqa: F401 - fixtures
from tests.e2e.web import csrf_token, password_hash, sign_in  # noqa: F401 - fixture

# A catalogue entry long enough not to occur by chance inside other text or data.
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z,.']* [A-Za-z ,.']{5,}")


def catalogue() -> list[tuple[str, str]]:
    """Every (msgid, translation) of the Chinese catalogue, translated or not."""
    with CATALOGUE.open("rb") as file:
        return [(m.id, m.string) for m in read_po(file) if isinstance(m.id, str) and m.id]


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: no tags, no attribute values, entities decoded."""
    body = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return markup.unescape(re.sub(r"<[^>]+>", " ", body))


def pages(project_id: str) -> dict[str, list[str]]:
    """The paths each role works in."""
    record = [f"/projects/{project_id}/record/{t}" for t in sorted(EVENT_TYPES)]
    return {
        "zhang": ["/board", "/projects", f"/projects/{project_id}",
                  f"/projects/{project_id}/record/problem_raised"],
        "office": ["/projects", "/projects/new", *record,
                   *(f"/dispatch/{c}" for c in ("weekly", "half-monthly", "monthly",
                                                 "quarterly"))],
        "leader": ["/dispatch/weekly", "/dispatch/monthly/2026-10",
                   f"/projects/{project_id}/record/instruction_given"],
        "auditor": ["/audit", f"/audit/projects/{project_id}/history",
                    f"/audit/projects/{project_id}/as-of?version=3",
                    f"/audit/projects/{project_id}/diff?from=2&to=6",
                    "/audit/dispatch/weekly/2026-W47/published"],
    }


@pytest.mark.parametrize("username", ["zhang", "office", "leader", "auditor"])
def test_every_page_reads_wholly_in_chinese_and_wholly_in_english(client, county, api, username):
    assert api("office").post("/api/dispatch/weekly/2026-W47/publish").status_code == 201
    english_ids = [(msgid, text) for msgid, text in catalogue() if _ENGLISH.fullmatch(msgid)]
    sign_in(client, username)
    paths = pages(county["id"])[username]
    for path in paths:
        answer = client.get(path)
        # 409: a form the project's state does not take says why, in the same language.
        assert answer.status_code in (200, 409), (path, answer.status_code)
        text = visible_text(answer.get_data(as_text=True))
        untranslated = [msgid for msgid, _ in english_ids if msgid in text]
        assert not untranslated, (path, untranslated)
    token = csrf_token(client.get(paths[0]).get_data(as_text=True))
    client.post("/lang/en", data={"csrf_token": token, "next": paths[0]})
    chinese_words = {text for _, text in catalogue()
                     if text and len(text) >= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", text)}
    for path in paths:
        answer = client.get(path)
        # 409: a form the project's state does not take says why, in the same language.
        assert answer.status_code in (200, 409), (path, answer.status_code)
        text = visible_text(answer.get_data(as_text=True))
        # Data (names of projects, departments, problems) is Chinese in both languages; the
        # interface's own words are not.
        leaks = {word for word in chinese_words if word in text and word not in DATA}
        assert not leaks, (path, leaks)


# Chinese text that is data, not interface: the fixtures' project, departments and problems.
DATA = {"施工用电未接入", "鲁丽绿色新材料产业园", "县生态环境局", "县供电公司", "安福工业园",
        "鲁丽集团", "绿色新材料"}
