"""Periods as people read them, in Chinese and English, for every cadence, across year ends
(ISO weeks that begin in one year and end in the next)."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from app.web.period_names import LABEL, SHORT, day_month, full_date, period_name
from domain.periods import Period


@pytest.mark.parametrize("cadence, period_id, chinese, english", [
    ("weekly", "2026-W49", "2026年第49周（11月30日—12月6日）", "Week 49, 2026 (30 Nov – 6 Dec)"),
    ("weekly", "2026-W53", "2026年第53周（12月28日—2027年1月3日）",
     "Week 53, 2026 (28 Dec – 3 Jan 2027)"),
    ("weekly", "2025-W01", "2025年第1周（2024年12月30日—1月5日）",
     "Week 1, 2025 (30 Dec 2024 – 5 Jan)"),
    ("weekly", "2027-W01", "2027年第1周（1月4日—1月10日）", "Week 1, 2027 (4 Jan – 10 Jan)"),
    ("half-monthly", "2026-11-H2", "2026年11月下半月", "Second half of November 2026"),
    ("half-monthly", "2026-12-H2", "2026年12月下半月", "Second half of December 2026"),
    ("half-monthly", "2027-01-H1", "2027年1月上半月", "First half of January 2027"),
    ("monthly", "2026-11", "2026年11月", "November 2026"),
    ("monthly", "2026-12", "2026年12月", "December 2026"),
    ("monthly", "2027-01", "2027年1月", "January 2027"),
    ("quarterly", "2026-Q4", "2026年第四季度", "Q4 2026"),
    ("quarterly", "2027-Q1", "2027年第一季度", "Q1 2027"),
])
def test_every_cadence_has_a_chinese_and_an_english_name(page, cadence, period_id, chinese,
                                                         english):
    period = Period.parse(cadence, period_id)
    with force_locale("zh_Hans_CN"):
        assert period_name(period) == chinese
    with force_locale("en"):
        assert period_name(period) == english


@pytest.mark.parametrize("cadence, period_id, short, label", [
    ("weekly", "2026-W53", ("2026年第53周", "Week 53, 2026"), ("第53周", "W53")),
    ("half-monthly", "2026-12-H1", ("2026年12月上半月", "First half of December 2026"),
     ("12月上半月", "Dec H1")),
    ("monthly", "2027-01", ("2027年1月", "January 2027"), ("1月", "Jan")),
    ("quarterly", "2026-Q4", ("2026年第四季度", "Q4 2026"), ("第四季度", "Q4")),
])
def test_titles_and_chart_axes_have_shorter_names(page, cadence, period_id, short, label):
    period = Period.parse(cadence, period_id)
    for locale, index in (("zh_Hans_CN", 0), ("en", 1)):
        with force_locale(locale):
            assert (period_name(period, SHORT), period_name(period, LABEL)) == (
                short[index], label[index])


def test_a_period_as_a_published_report_holds_it_and_a_year_have_names(page):
    held = {"cadence": "weekly", "id": "2026-W53", "start": "2026-12-28", "end": "2027-01-03"}
    year = {"cadence": "yearly", "id": "2026", "start": "2026-01-01", "end": "2026-12-31"}
    with force_locale("zh_Hans_CN"):
        assert period_name(held) == "2026年第53周（12月28日—2027年1月3日）"
        assert period_name(year) == "2026年"
        assert (day_month(date(2026, 11, 30), 2026), full_date(date(2027, 1, 3))) == (
            "11月30日", "2027年1月3日")
        assert period_name({"cadence": "half-monthly", "period": "2026-12-H2"}) == (
            "2026年12月下半月")  # a publication's record
    with force_locale("en"):
        assert period_name(year) == "Year 2026"
        assert full_date(date(2027, 1, 3)) == "3 Jan 2027"
