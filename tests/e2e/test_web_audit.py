"""The auditors' pages: full histories with filters, a project as of a moment or version, the
difference between two points, and published dispatch reports as published with changes since."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import USERS
from tests.e2e.helpers import post_event
from tests.e2e.web import csrf_token, password_hash, sign_in  # noqa: F401

COUNTY = ZoneInfo("Asia/Shanghai")
ROW = re.compile(r'<tr id="v(\d+)"')


@pytest.fixture
def web(client, banban, tokens, password_hash):  # noqa: F811
    """Every test user can also sign in to the pages (the API tokens stay valid)."""
    for username, _ in USERS:
        banban.set_password(username, password_hash, actor="test")
    return client


@pytest.fixture
def auditor(web):
    """The test client, signed in as the auditor."""
    assert sign_in(web, "auditor").status_code == 302
    return web


@pytest.fixture
def story(api, project, banban):
    """The project with a plan, a milestone reached, a problem raised by the co-agent, and a
    visit whose purpose was amended by a correction: versions 1 to 6."""
    steps = [("zhang", "milestone_planned", {"milestone": "land_approved",
                                             "planned_on": "2026-11-15"}, "2026-11-02"),
             ("zhang", "milestone_reached", {"milestone": "land_approved"}, "2026-11-20"),
             ("li", "problem_raised", {"problem_id": "PB-1", "title": "施工用电未接入"},
              "2026-11-21"),
             ("zhang", "visit_logged", {"purpose": "了解投产计划"}, "2026-11-22"),
             ("zhang", "corrected", {"corrects_version": 5, "action": "amend",
                                     "reason": "记录有误", "changes": {"purpose": "了解用工需求"}},
              "2026-11-23")]
    for version, (user, event_type, fields, day) in enumerate(steps, start=1):
        answer = post_event(api, user, project["id"], event_type, fields, version, day)
        assert answer.status_code == 201, answer.get_json()
    return {"id": project["id"], "history": banban.history(project["id"])}


def page(client, path, status=200, **query) -> str:
    answer = client.get(path, query_string=query)
    assert answer.status_code == status, (path, answer.status_code)
    assert answer.mimetype == "text/html"
    return answer.get_data(as_text=True)


def in_english(client) -> None:
    token = csrf_token(page(client, "/audit"))
    client.post("/lang/en", data={"csrf_token": token, "next": "/audit"})


def county_time(moment) -> str:
    return moment.astimezone(COUNTY).strftime("%Y-%m-%d %H:%M:%S")


def local_input(moment) -> str:
    """A moment as an exact county-time text (with microseconds), as a link would give it."""
    return moment.astimezone(COUNTY).replace(tzinfo=None).isoformat(timespec="microseconds")


def fact(text: str, name: str) -> str:
    """The value a definition list gives a name."""
    found = re.search(rf"<dt>{name}</dt>\s*<dd>([^<]*)</dd>", text)
    assert found, name
    return found.group(1)


def versions_shown(text: str) -> list[int]:
    return [int(v) for v in ROW.findall(text)]


def history_path(story) -> str:
    return f"/audit/projects/{story['id']}/history"


# ---- history ----------------------------------------------------------------------------------


def test_the_history_shows_every_event_with_actor_both_clocks_and_readable_data(auditor, story):
    in_english(auditor)
    text = page(auditor, history_path(story))
    assert versions_shown(text) == [1, 2, 3, 4, 5, 6]
    for event in story["history"]:
        row = text.split(f'<tr id="v{event["version"]}"')[1].split("</tr>")[0]
        assert event["actor"] in row
        assert event["occurred_on"].isoformat() in row
        assert county_time(event["recorded_at"]) in row
        assert f"as-of?version={event['version']}" in row
    assert "Milestone reached" in text and "Land approval granted" in text
    assert "100 hundred million yuan" in text          # the signing's investment, via money
    assert "2026-11-15" in text                        # the planned date, as data


def test_corrections_are_marked_on_the_event_they_touched(auditor, story):
    in_english(auditor)
    text = page(auditor, history_path(story))
    visit = text.split('<tr id="v5"')[1].split("</tr>")[0]
    assert 'class="audit-amended"' in visit
    assert "Amended" in visit and "by version 6" in visit and "记录有误" in visit
    correction = text.split('<tr id="v6"')[1].split("</tr>")[0]
    assert 'href="#v5"' in correction and "了解用工需求" in correction


def test_a_voided_event_is_marked_voided(auditor, story, api):
    answer = post_event(api, "zhang", story["id"], "corrected", {
        "corrects_version": 4, "action": "void", "reason": "重复登记"}, 6)
    assert answer.status_code == 201, answer.get_json()
    text = page(auditor, history_path(story))
    raised = text.split('<tr id="v4"')[1].split("</tr>")[0]
    assert 'class="audit-void"' in raised and "作废" in raised and "重复登记" in raised


def test_the_history_filters_by_type_and_actor_and_keeps_the_choice(auditor, story):
    text = page(auditor, history_path(story), type="problem_raised")
    assert versions_shown(text) == [4]
    assert '<option value="problem_raised" selected>' in text
    text = page(auditor, history_path(story), actor="zhang")
    assert versions_shown(text) == [2, 3, 5, 6]
    assert '<option value="zhang" selected>' in text
    assert versions_shown(page(auditor, history_path(story), actor="li", type="signed")) == []
    assert versions_shown(page(auditor, history_path(story), actor="office",
                               type="signed")) == [1]


@pytest.mark.parametrize("project_id", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_project_is_a_404_page(auditor, project_id):
    for view in ("history", "as-of", "diff"):
        assert "没有这个页面" in page(auditor, f"/audit/projects/{project_id}/{view}", 404)


# ---- as of a moment or a version --------------------------------------------------------------


def test_as_of_a_moment_before_the_milestone_shows_the_earlier_state(auditor, story):
    in_english(auditor)
    reached = story["history"][2]["recorded_at"]
    path = f"/audit/projects/{story['id']}/as-of"
    before = page(auditor, path, at=local_input(reached - timedelta(microseconds=1)))
    assert "The project at version 2" in before
    assert fact(before, "Phase") == "Signing"
    after = page(auditor, path, at=local_input(reached))
    assert "The project at version 3" in after
    assert fact(after, "Phase") == "Land"
    assert 'type="datetime-local"' in after


def test_as_of_a_moment_to_the_second_includes_what_was_recorded_in_that_second(auditor, story):
    in_english(auditor)
    last = story["history"][-1]["recorded_at"]
    text = page(auditor, f"/audit/projects/{story['id']}/as-of",
                at=county_time(last).replace(" ", "T"))
    assert "The project at version 6" in text


def test_as_of_a_version_shows_that_version_and_prefills_its_moment(auditor, story):
    in_english(auditor)
    text = page(auditor, f"/audit/projects/{story['id']}/as-of", version="2")
    assert "The project at version 2" in text
    assert county_time(story["history"][1]["recorded_at"]).replace(" ", "T") in text
    plan = text.split("Land approval granted")[1].split("</tr>")[0]
    assert "2026-11-15" in plan and "—" in plan  # planned, not reached yet
    assert "Events recorded after it: 4." in text


def test_as_of_without_a_point_shows_the_project_now(auditor, story):
    in_english(auditor)
    text = page(auditor, f"/audit/projects/{story['id']}/as-of")
    assert "The project at version 6" in text and "as it stands now" in text
    assert "施工用电未接入" in text


@pytest.mark.parametrize("query, status, message", [
    ({"version": "99"}, 404, "There is no version 99: the project has versions 1 to 6."),
    ({"version": "0"}, 404, "There is no version 0"),
    ({"version": "two"}, 400, "is not a version number"),
    ({"at": "yesterday"}, 400, "is not a date and time"),
    ({"at": "2026-02-30T10:00"}, 400, "is not a date and time"),
    ({"at": "2020-01-01T08:00"}, 404, "The project was not yet recorded at 2020-01-01 08:00:00"),
    ({"at": "2099-01-01T00:00:00"}, 422, "is in the future"),
    ({"at": "2026-01-01T00:00", "version": "1"}, 400, "Give a moment or a version, not both."),
])
def test_points_that_cannot_be_shown_say_why(auditor, story, query, status, message):
    in_english(auditor)
    text = page(auditor, f"/audit/projects/{story['id']}/as-of", status, **query)
    assert message in html.unescape(text)
    assert "The project at version" not in text
    assert 'type="datetime-local"' in text  # the auditor can pick again


# ---- the difference between two points ----------------------------------------------------------


def test_the_difference_lists_the_changed_milestone_and_the_events_in_between(auditor, story):
    in_english(auditor)
    text = page(auditor, f"/audit/projects/{story['id']}/diff", **{"from": "2", "to": "3"})
    assert "From version 2 to version 3" in text
    milestones = text.split("<h3>Milestones</h3>")[1].split("</section>")[0]
    assert "Land approval granted" in milestones
    assert "<del>—</del> → <ins>2026-11-20</ins>" in milestones
    assert "<del>Signing</del> → <ins>Land</ins>" in text  # the phase it moved to
    assert versions_shown(text) == [3]


def test_the_difference_takes_moments_and_orders_the_points(auditor, story):
    in_english(auditor)
    signed_at = local_input(story["history"][0]["recorded_at"])
    text = page(auditor, f"/audit/projects/{story['id']}/diff", **{"from": "6", "to": signed_at})
    assert "From version 1 to version 6" in text and "earliest first" in text
    assert versions_shown(text) == [2, 3, 4, 5, 6]
    problems = text.split("<h3>Problems</h3>")[1].split("</section>")[0]
    assert "added" in problems and "施工用电未接入" in problems


def test_the_difference_of_a_point_with_itself_says_nothing_changed(auditor, story):
    in_english(auditor)
    text = page(auditor, f"/audit/projects/{story['id']}/diff", **{"from": "4", "to": "4"})
    assert "Nothing in the project's state differs" in text and versions_shown(text) == []


def test_a_bad_point_of_a_difference_says_why(auditor, story):
    in_english(auditor)
    text = page(auditor, f"/audit/projects/{story['id']}/diff", 400, **{"from": "x", "to": "2"})
    assert "is neither a version number nor a date and time" in html.unescape(text)
    text = page(auditor, f"/audit/projects/{story['id']}/diff", 404, **{"from": "1", "to": "7"})
    assert "There is no version 7" in text


# ---- published dispatch reports ------------------------------------------------------------------


def test_a_published_report_shows_the_exact_bytes_and_what_changed_since(auditor, api, story):
    assert api("office").post("/api/dispatch/weekly/2026-W48/publish").status_code == 201
    published = api("leader").get("/api/dispatch/weekly/2026-W48/published").get_data()
    path = "/audit/dispatch/weekly/2026-W48/published"

    in_english(auditor)
    text = page(auditor, path)
    # The raw JSON is a download, not inline; the page renders the report as leaders saw it.
    assert "<pre" not in text and '"red_flags":' not in text
    download = auditor.get(path + ".json", query_string={"revision": "1"})
    assert download.get_data() == published
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="dispatch-weekly-2026-W48-r1.json"')
    assert f"{len(published)} bytes" in text
    assert "Nothing has been recorded about this period since" in text
    seal = api("leader").get("/api/dispatch/weekly/2026-W48/published").headers
    assert f'<strong class="seal-code">{seal["X-Seal-Code"]}</strong>' in text
    assert seal["X-Seal"] in text

    late = post_event(api, "zhang", story["id"], "milestone_reached",
                      {"milestone": "land_delivered"}, 6, "2026-11-24")
    assert late.status_code == 201, late.get_json()
    text = page(auditor, path)
    since = text.split("Recorded since publication")[1].split("</section>")[0]
    assert "#v7" in since and "Milestone reached" in since
    figures = text.split("Headline figures")[1].split("</section>")[0]
    reached = figures.split("Milestones reached")[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', reached) == ["0", "1", "+1"]
    assert auditor.get(path + ".json").get_data() == published  # the text never moves


def test_the_index_lists_projects_and_every_publication(auditor, api, story):
    for _ in range(2):
        assert api("office").post("/api/dispatch/monthly/2026-11/publish").status_code == 201
    in_english(auditor)
    text = page(auditor, "/audit")
    assert "鲁丽绿色新材料产业园" in text and f"/audit/projects/{story['id']}/history" in text
    assert "/audit/dispatch/monthly/2026-11/published?revision=2" in text
    assert "/audit/dispatch/monthly/2026-11/published?revision=1" in text
    assert "Monthly inspection" in text and "Land" in text


@pytest.mark.parametrize("path, query, status, message", [
    ("/audit/dispatch/weekly/2026-W47/published", {}, 404, "has not been published"),
    ("/audit/dispatch/weekly/2026-W48/published", {"revision": "2"}, 404, "has no revision 2"),
    ("/audit/dispatch/weekly/2026-W48/published", {"revision": "x"}, 400, "not a revision"),
    ("/audit/dispatch/weekly/2026-13/published", {}, 404, "names no dispatch period"),
    ("/audit/dispatch/daily/2026-W48/published.json", {}, 404, "names no dispatch period"),
])
def test_reports_that_cannot_be_shown_say_why(auditor, api, project, path, query, status,
                                              message):
    assert api("office").post("/api/dispatch/weekly/2026-W48/publish").status_code == 201
    in_english(auditor)
    assert message in page(auditor, path, status, **query)


# ---- who, and in which language -------------------------------------------------------------------


def test_only_auditors_reach_the_audit_pages(web, story, api):
    assert api("office").post("/api/dispatch/weekly/2026-W48/publish").status_code == 201
    paths = ["/audit", history_path(story), f"/audit/projects/{story['id']}/as-of",
             f"/audit/projects/{story['id']}/diff", "/audit/dispatch/weekly/2026-W48/published",
             "/audit/dispatch/weekly/2026-W48/published.json"]
    for path in paths:
        assert web.get(path).location.startswith("/login?next=")
    for username in ("office", "leader", "zhang"):
        sign_in(web, username)
        for path in paths:
            assert web.get(path).status_code == 403, (username, path)
        web.post("/logout", data={"csrf_token": csrf_token(page(web, "/projects"))})


def test_every_audit_page_renders_in_chinese_and_english_without_inline_style_or_script(
        auditor, api, story):
    assert api("office").post("/api/dispatch/weekly/2026-W48/publish").status_code == 201
    paths = ["/audit", history_path(story), f"/audit/projects/{story['id']}/as-of",
             f"/audit/projects/{story['id']}/diff", "/audit/dispatch/weekly/2026-W48/published"]
    chinese = {path: page(auditor, path) for path in paths}
    in_english(auditor)
    english = {path: page(auditor, path) for path in paths}
    for path in paths:
        for text in (chinese[path], english[path]):
            assert " style=" not in text and "<script" not in text
            assert "css/audit.css" in text
        assert '<html lang="zh-CN">' in chinese[path] and "审计" in chinese[path]
        assert '<html lang="en">' in english[path] and "审计" not in english[path]
    assert "历史记录" in chinese[history_path(story)] and "业务日期" in chinese[history_path(story)]
    assert "Full history" in english[history_path(story)]


def test_a_published_report_renders_its_sections_in_the_readers_language(auditor, api, story):
    assert api("office").post("/api/dispatch/weekly/2026-W48/publish").status_code == 201
    report = api("leader").get("/api/dispatch/weekly/2026-W48/published").get_json()
    path = "/audit/dispatch/weekly/2026-W48/published"

    chinese = page(auditor, path)
    assert "周调度 2026年第48周（11月23日—11月29日）" in chinese
    for ident in ("summary", "red-flags", "due-next", "new-problems", "escalations-section",
                  "measures-section", "milestones-section", "problems-section",
                  "investment-section", "roll-up-section"):
        assert f'id="{ident}"' in chinese, ident
    flags = chinese.split('id="red-flags"')[1].split("</section>")[0]
    assert f'<span class="count">{report["red_flags"]["count"]}</span>' in flags
    for flag in report["red_flags"]["flags"]:
        assert flag["explanation"] not in chinese  # the domain's English never shows here
    assert "working days" not in chinese

    in_english(auditor)
    english = page(auditor, path)
    assert "Weekly dispatch Week 48, 2026 (23 Nov – 29 Nov), as published" in english
    assert "Red flags" in english and "Due in the next 7 days" in english


def test_a_report_published_before_the_measures_renders_with_what_it_has(auditor, banban, story):
    """Reports published by earlier releases have no measures, comparison, next 7 days or
    structured flag reasons: their page shows the sections they have, worded from the flags'
    rules and dates."""
    from domain.canonical import to_json
    from domain.publications import Publication

    report = json.loads(to_json(banban.dispatch("weekly", "2026-W48")))
    for key in ("measures", "comparison", "due_next_7_days"):
        del report[key]
    for flag in report["red_flags"]["flags"]:
        del flag["reason"]
    publication = Publication.open("weekly", "2026-W48", actor="office")
    publication.publish(to_json(report), actor="office")
    banban.save(publication)

    text = page(auditor, "/audit/dispatch/weekly/2026-W48/published")
    flags = text.split('id="red-flags"')[1].split("</section>")[0]
    assert "问题“施工用电未接入”截至 2026-11-25 仍无解决方案" in flags
    assert 'id="measures-section"' not in text and 'id="due-next"' not in text
