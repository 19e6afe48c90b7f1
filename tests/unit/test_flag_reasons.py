"""A flag's reason worded from its structured values, in English and in Chinese: no English
sentence of the domain's reaches a Chinese page."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from app.web.flag_reasons import reason_text


def flag(rule: str, kind: str, title: str, **values) -> dict:
    base = {"kind": kind, "title": title, "day": date(2026, 10, 21),
            "due_on": date(2026, 10, 8), "promised_on": date(2026, 10, 8),
            "working_days_late": 6, "working_days_left": None, "paused_working_days": 0,
            "unknown_years": []}
    return {"rule": rule, "subject": {"kind": kind, "title": title},
            "due_on": date(2026, 10, 8), "working_days_late": 6, "thresholds": {},
            "explanation": "an English sentence", "reason": {"rule": rule,
                                                             "values": base | values}}


MOVED = flag("milestone_overdue", "milestone", "land_approved", promised_on=date(2026, 10, 3),
             previous=date(2026, 9, 30), paused_working_days=2, unknown_years=[2027])
COMMITMENT = flag("commitment_overdue", "commitment", "环评 (县生态环境局)",
                  granted_on=date(2026, 9, 1), missing_documents=["图纸", "承诺书"])
FOLLOW_UP = flag("problem_follow_up_late", "problem", "林地指标", raised_on=date(2026, 9, 1),
                 old_after_working_days=10, follow_up_every_working_days=5,
                 old_on=date(2026, 9, 15), since_kind="problem_followed_up",
                 since_on=date(2026, 9, 29))
SAME_DAY = flag("problem_not_solved_same_day", "problem", "临时用电",
                raised_on=date(2026, 10, 3))
SOON = flag("milestone_due_soon", "milestone", "land_delivered", working_days_late=0,
            working_days_left=3)


@pytest.mark.parametrize("red, english, chinese", [
    (MOVED,
     "Land approval granted was planned for 2026-10-08 and is not reached on 2026-10-21: 6 "
     "working days late. 2026-10-03 was a day off: it was due on the next working day, "
     "2026-10-08. The plan was moved from 2026-09-30. 2 working days while the project was "
     "suspended do not count. The official calendar for 2027 is not known: its working days "
     "are counted Monday to Friday.",
     "“用地报批获批”计划于 2026-10-08 完成，截至 2026-10-21 仍未完成，已逾期 6 个工作日。"
     "2026-10-03 为休息日，顺延至下一个工作日 2026-10-08。计划曾由 2026-09-30 调整。"
     "项目暂停期间的 2 个工作日不计入。2027 年的法定节假日安排尚未掌握，按周一至周五计算工作日。"),
    (COMMITMENT,
     "The documents promised for 环评 (县生态环境局) were due by 2026-10-08 and are not supplied "
     "on 2026-10-21: 6 working days late. It was granted on 2026-09-01 with documents "
     "missing: 图纸, 承诺书.",
     "环评 (县生态环境局) 容缺承诺的材料应于 2026-10-08 前补齐，截至 2026-10-21 仍未补齐，"
     "已逾期 6 个工作日。该事项于 2026-09-01 容缺办结，缺：图纸、承诺书。"),
    (FOLLOW_UP,
     "The problem “林地指标” is old (open over 10 working days) and must be followed up every "
     "5 working days; a follow-up was due by 2026-10-08. It was last followed up on "
     "2026-09-29.",
     "问题“林地指标”已超过 10 个工作日未解决，属老问题，须每 5 个工作日跟进一次；应于 2026-10-08 "
     "前跟进。最近一次跟进为 2026-09-29。"),
    (SAME_DAY,
     "The problem “临时用电”, raised on 2026-10-03 as one to solve the same day, is still open "
     "on 2026-10-21.",
     "问题“临时用电”于 2026-10-03 提出，属当日可解决问题（不过夜），截至 2026-10-21 仍未解决。"),
    (SOON,
     "Land delivered is due by 2026-10-08, 3 working days after 2026-10-21, and is not reached "
     "yet.",
     "“交地”应于 2026-10-08 前完成，距 2026-10-21 还有 3 个工作日，尚未完成。"),
])
def test_a_flag_is_worded_from_its_reason_in_each_language(page, red, english, chinese):
    with force_locale("en"):
        assert reason_text(red) == english
    with force_locale("zh_Hans_CN"):
        worded = reason_text(red)
    assert worded == chinese
    assert "an English sentence" not in worded


def test_a_flag_published_before_reasons_is_worded_from_its_rule_and_dates(page):
    old = {"rule": "problem_plan_late", "subject": {"kind": "problem", "title": "用电"},
           "due_on": "2026-11-23", "working_days_late": 2,
           "thresholds": {"plan_within_working_days": 2}, "explanation": "English"}
    with force_locale("zh_Hans_CN"):
        assert reason_text(old, "2026-11-25") == (
            "问题“用电”截至 2026-11-25 仍无解决方案；应在提出后 2 个工作日内（2026-11-23 前）制定。")
