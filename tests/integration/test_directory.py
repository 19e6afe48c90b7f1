"""The directory each process keeps (projections.directory): through signings, records,
corrections that move a project in the reports' order, counties listed and the views rebuilt,
it lists what the cards read afresh list, by county and in the reports' order (date signed,
name, id), on each store; after a write it reads again that project's card only, and hands out
the very same listing of a county nothing was written in."""

from __future__ import annotations

from datetime import date

import pytest

from projections.cards import ProjectCards, open_cards_view
from projections.directory import Directory
from projections.runner import catch_up

ANFU, TAIHE = ("360829", "安福县", "吉安市"), ("360826", "泰和县", "吉安市")


@pytest.fixture
def kept(service):
    """(a directory over the service's cards, the ids each read of cards asked for: None for
    every card, the cards)."""
    cards = ProjectCards(open_cards_view(service), service)
    asked: list = []
    read = cards.view.directory

    def directory(ids=None):
        asked.append(None if ids is None else set(ids))
        return read(ids)

    cards.view.directory = directory

    def caught_up():
        if not cards.held:
            catch_up(service, cards)
        return cards

    cards.held = False  # True: the directory finds the cards as they stand
    try:
        yield Directory(service, caught_up), asked, cards
    finally:
        cards.view.close()


def expected(service) -> dict[str | None, list[tuple[str, int]]]:
    """Every project's (id, version) from the aggregates themselves, in the reports' order,
    for all (None) and by county: those naming none are the home county's."""
    projects = [service.project(project_id) for project_id in service.project_ids()]
    projects.sort(key=lambda p: (str(p["signed_on"]), p["name"], str(p["id"])))
    home = service.home_county()
    found: dict[str | None, list[tuple[str, int]]] = {None: []}
    for project in projects:
        entry = (str(project["id"]), project["version"])
        found[None].append(entry)
        found.setdefault(project.get("county") or home or "", []).append(entry)
    return found


def listed(directory: Directory) -> dict[str | None, list[tuple[str, int]]]:
    found = {None: [(str(each.project_id), each.version) for each in directory.listed()]}
    for code, each in directory.by_county().items():
        found[code] = [(str(one.project_id), one.version) for one in each]
        assert list(directory.listed(code)) == list(each)
    return found


def test_the_kept_directory_lists_what_the_aggregates_say_through_writes(service, sign, kept):
    directory, asked, _ = kept

    def record(project_id, event_type, actor="office", **fields):
        version = service.project(project_id)["version"]
        return service.record(project_id, actor, event_type, expected_version=version,
                              occurred_on=date(2026, 3, 2), fields=fields)

    # Before any county is listed, projects name none.
    early = [sign(name=name, signed_on=date(2026, 1, 5))["id"] for name in ("乙项目", "甲项目")]
    assert listed(directory) == expected(service) and asked == [None]
    # Listing counties makes the first the home county: everything is read again.
    for county in (ANFU, TAIHE):
        service.add_county(*county, actor="test")
    service.register_user("taihe_office", "office", actor="test", scope=TAIHE[0])
    service.register_user("taihe_agent", "agent", actor="test", scope=TAIHE[0])
    asked.clear()
    assert listed(directory) == expected(service) and asked == [None]
    assert set(directory.by_county()) == {ANFU[0]}
    taihe = service.sign_project("taihe_office", name="泰和项目", investor="某公司",
                                 industry="新材料", investment=1_000, chief_agent="taihe_agent",
                                 signed_on=date(2026, 1, 5))["id"]
    anfu = sign(name="丙项目", signed_on=date(2026, 1, 4))["id"]
    asked.clear()
    assert listed(directory) == expected(service)
    assert asked == [{taihe, anfu}]
    # A record on one county's project: that card alone is read, the other county's listing
    # is handed out again as it was.
    before = directory.by_county()
    record(taihe, "visit_logged", actor="taihe_office", purpose="回访")
    asked.clear()
    after = directory.by_county()
    assert asked == [{taihe}] and listed(directory) == expected(service)
    assert after[ANFU[0]] is before[ANFU[0]] and after[TAIHE[0]] is not before[TAIHE[0]]
    # A correction renaming a project moves it in the order.
    record(early[1], "corrected", corrects_version=1, action="amend", reason="名称有误",
           changes={"name": "丁项目"})
    assert listed(directory) == expected(service)
    assert [service.project(each.project_id)["name"] for each in directory.listed(ANFU[0])] == [
        "丙项目", "丁项目", "乙项目"]
    # Nothing new: nothing is read, and the same listings are handed out.
    asked.clear()
    assert directory.by_county() == after | {ANFU[0]: directory.listed(ANFU[0])}
    assert directory.listed(TAIHE[0]) is after[TAIHE[0]] and asked == []


def test_a_gap_too_long_or_views_rebuilt_read_every_card_again(service, sign, kept):
    directory, asked, cards = kept
    ids = [sign(name=f"项目{n}")["id"] for n in range(3)]
    assert listed(directory) == expected(service)
    directory.REREAD = 2
    for project_id in ids:
        service.record(project_id, "office", "visit_logged",
                       expected_version=service.project(project_id)["version"],
                       occurred_on=date(2026, 3, 2), fields={"purpose": "回访"})
    asked.clear()
    assert listed(directory) == expected(service) and asked == [None]
    # The views being rebuilt (emptied, then caught up again) when the directory looks: the
    # position went back, and the directory lists what the cards hold so far.
    cards.view.drop_all()
    signed = next(n.id for n in service.recorder.select_notifications(1, 1_000)
                  if n.originator_id == ids[0])
    catch_up(service, cards, stop=signed)
    cards.held = True
    asked.clear()
    assert [each.project_id for each in directory.listed()] == [ids[0]] and asked == [None]
    cards.held = False
    assert listed(directory) == expected(service)
