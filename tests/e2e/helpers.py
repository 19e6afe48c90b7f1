"""Helpers of the JSON API tests: a valid body per event type, its prerequisites, and posting.

`scenario(event_type)` gives the events that must come first (as (user, type, fields) steps)
and a body that is then valid for that type. `LAST` in a body stands for the project's version
just before the body is posted (the event the prerequisites ended with).
"""

from __future__ import annotations

from typing import Any

from domain.fields import EVENT_TYPES

PREREQ_DAY = "2026-11-10"   # business date of prerequisites (after the signing on 2026-01-05)
EVENT_DAY = "2026-11-20"    # business date of the event under test (before TODAY 2026-11-25)
LAST = "<last version>"

# Who records each type in the happy-path tests; any other type: the chief agent.
RECORDER = {"team_assigned": "office", "service_rated": "office",
            "instruction_given": "leader", "progress_reported": "li"}

Step = tuple[str, str, dict[str, Any]]
# A condition a passing park-entry review carries, in the API's object form.
CARRIED = {"text": "环评批复前不得开工", "party": "investor", "department": None,
           "due_on": "2026-12-20"}


def recorder(event_type: str) -> str:
    return RECORDER.get(event_type, "zhang")


def scenario(event_type: str, tag: str = "1", by: str | None = None) -> tuple[list[Step], dict]:
    """(prerequisite steps, body fields) for a valid `event_type` event; ids carry `tag`.

    `by` records the prerequisites (default: the chief agent zhang).
    """
    who = by or "zhang"
    ap, pb = f"AP-{tag}", f"PB-{tag}"
    applied: Step = (who, "approval_applied", {"approval_id": ap, "item": "环评",
                                               "department": "县生态环境局"})
    raised: Step = (who, "problem_raised", {"problem_id": pb, "title": "施工用电未接入"})
    pr = f"PR-{tag}"
    convened: Step = (who, "park_review_convened", {"review_id": pr,
                                                    "departments": ["县自然资源局", "县住建局"]})
    table: dict[str, tuple[list[Step], dict]] = {
        "team_assigned": ([], {"chief_agent": "li", "co_agents": ["zhang"],
                               "reason": "李熟悉用地报批"}),
        "milestone_planned": ([], {"milestone": "land_approved", "planned_on": "2027-03-31"}),
        "milestone_reached": ([], {"milestone": "land_approved", "note": "省厅批复"}),
        "approval_applied": ([], {"item": "能评", "department": "县发改委", "note": "并联审批"}),
        "approval_granted": ([applied], {"approval_id": ap, "missing_documents": ["水保方案"],
                                         "commitment_due_on": "2026-12-20"}),
        "approval_rejected": ([applied], {"approval_id": ap, "reason": "材料不全"}),
        "commitment_fulfilled": ([applied, (who, "approval_granted", {
            "approval_id": ap, "missing_documents": ["水保方案"],
            "commitment_due_on": "2026-12-20"})], {"approval_id": ap, "note": "已补齐"}),
        "problem_raised": ([], {"title": "征地拆迁进度慢", "description": "还有3户未签约",
                                "same_day": True, "responsible_unit": "县自然资源局"}),
        "problem_plan_proposed": ([raised], {"problem_id": pb, "plan": "协调供电公司",
                                             "due_on": "2026-11-30"}),
        "problem_escalated": ([raised], {"problem_id": pb, "escalated_to": "leader",
                                         "leader": "leader", "note": "需要县领导协调"}),
        "problem_followed_up": ([raised], {"problem_id": pb, "note": "供电公司已勘察"}),
        "problem_resolved": ([raised], {"problem_id": pb, "resolution": "已通电"}),
        "problem_reopened": ([raised, (who, "problem_resolved", {
            "problem_id": pb, "resolution": "临时用电"})], {"problem_id": pb, "reason": "再次断电"}),
        "progress_reported": ([], {"investment_completed": 1_500_000_000, "note": "厂房基础完工"}),
        "visit_logged": ([], {"purpose": "了解投产计划", "met_with": "王总"}),
        "instruction_given": ([raised], {"instruction": "三天内解决", "problem_id": pb,
                                         "leader": "leader"}),
        "service_rated": ([], {"rating": 4, "agent": "zhang", "comment": "服务及时"}),
        "park_review_convened": ([], {"departments": ["县自然资源局", "县生态环境局", "县住建局"],
                                      "opinion_within_working_days": 5, "note": "入园会审"}),
        "park_review_opinion_given": ([convened], {
            "review_id": pr, "department": "县住建局", "opinion": "agree_with_conditions",
            "conditions": [{"text": "补充消防设计", "party": "department",
                            "department": "县住建局", "due_on": "2026-12-31"}],
            "note": "现场核查"}),
        "park_review_concluded": ([convened, (who, "park_review_opinion_given", {
            "review_id": pr, "department": "县自然资源局", "opinion": "agree"}),
            (who, "park_review_opinion_given", {"review_id": pr, "department": "县住建局",
                                                "opinion": "agree"})],
            {"review_id": pr, "passed": True, "conditions": [CARRIED]}),
        "park_review_condition_met": ([convened, (who, "park_review_opinion_given", {
            "review_id": pr, "department": "县自然资源局", "opinion": "agree"}),
            (who, "park_review_opinion_given", {"review_id": pr, "department": "县住建局",
                                                "opinion": "agree"}),
            (who, "park_review_concluded", {"review_id": pr, "passed": True,
                                            "conditions": [CARRIED]})],
            {"review_id": pr, "condition": 1, "note": "环评已批复"}),
        "suspended": ([], {"reason": "投资方资金调整"}),
        "resumed": ([(who, "suspended", {"reason": "资金调整"})], {"note": "资金到位"}),
        "terminated": ([], {"reason": "投资方退出"}),
        "corrected": ([(who, "visit_logged", {"purpose": "了解投产计划"})], {
            "corrects_version": LAST, "action": "amend", "reason": "记录有误",
            "changes": {"purpose": "了解用工需求"}}),
    }
    assert set(table) == set(EVENT_TYPES), "every event type needs a scenario"
    return table[event_type]


def resolve(body: dict[str, Any], version: int) -> dict[str, Any]:
    return {k: (version if v == LAST else v) for k, v in body.items()}


def event_path(project_id: str) -> str:
    return f"/api/projects/{project_id}/events"


def post_event(api, user: str, project_id: str, event_type: str, fields: dict[str, Any],
               version: int, occurred_on: str | None = None):
    """POST one event; returns the response."""
    body = {"type": event_type, "expected_version": version, **resolve(fields, version)}
    if occurred_on is not None:
        body["occurred_on"] = occurred_on
    return api(user).post(event_path(project_id), json=body)


def post_sequence(api, project_id: str, steps: list[Step], version: int,
                  occurred_on: str = PREREQ_DAY) -> int:
    """POST each step, asserting 201; return the project's version after the last."""
    for user, event_type, fields in steps:
        response = post_event(api, user, project_id, event_type, fields, version, occurred_on)
        assert response.status_code == 201, (event_type, response.get_json())
        assert response.get_json()["version"] == version + 1
        version += 1
    return version


def history(api, project_id: str, user: str = "auditor") -> dict[str, Any]:
    response = api(user).get(event_path(project_id))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def state(api, project_id: str, user: str = "auditor", **query) -> dict[str, Any]:
    response = api(user).get(f"/api/projects/{project_id}", query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()
