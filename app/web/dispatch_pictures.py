"""The dispatch page's pictures: which figures of the report and the trend each chart draws."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from markupsafe import Markup

from app.web import charts, labels
from app.web.charts import Series
from app.web.format import money
from app.web.period_names import LABEL, period_name
from domain.lifecycle import PHASES


def pictures(report: dict[str, Any], trend: list[dict[str, Any]]) -> dict[str, Markup]:
    """The funnel of the period's projects and the charts of the last periods' trend."""
    periods = [period_name(point["period"], LABEL) for point in trend]

    def series(label: str, key: str) -> Series:
        return Series(label, [point[key] for point in trend])

    return {
        "funnel": phase_funnel(report["projects_by_phase_and_status"]["by_phase"]),
        "milestones": charts.columns(periods, [
            series(gettext("Due"), "milestones_due"),
            series(gettext("Due and reached"), "milestones_due_reached"),
            series(gettext("Reached in the period"), "milestones_reached"),
        ], title=gettext("Milestones due and reached, last %(n)s periods", n=len(trend)),
            ident="chart-milestones"),
        "investment": charts.bars(periods, [
            series(gettext("Completed to date"), "investment_cumulative"),
            series(gettext("Total planned"), "investment_planned"),
        ], title=gettext("Investment completed against plan, last %(n)s periods", n=len(trend)),
            ident="chart-investment", fmt=money),
        "problems": charts.columns(periods, [
            series(gettext("Raised"), "problems_raised"),
            series(gettext("Solved"), "problems_solved"),
        ], title=gettext("Problems raised and solved, last %(n)s periods", n=len(trend)),
            ident="chart-problems"),
    }


def phase_funnel(by_phase: dict[str, dict[str, int]]) -> Markup:
    """Projects that have reached each phase (those now in it or a later one), as a funnel."""
    stages, later = [], 0
    for phase in reversed(PHASES):
        here = by_phase[phase]["total"]
        later += here
        stages.append((labels.label(labels.PHASE_LABELS, phase), later, gettext(
            "%(reached)s reached, %(here)s now in this phase", reached=later, here=here)))
    return charts.funnel(list(reversed(stages)), title=gettext("Projects by phase reached"),
                         ident="chart-funnel")
