"""The demo county: 安福县's investment projects, as a year of recorded events.

`load_demo` registers the demo accounts and plays about sixty projects into a Banban service:
signings, teams and team changes, plans and replans, milestones, approval items (some with a
commitment, one or two rejected), problems from raising to resolution (some still open), progress
reports, visits, leader instructions, service ratings and two corrections. Two projects follow
the figures of the seed report: 江西鲁丽绿色新材料科技产业园 (signing to construction in 7
months, land approvals in under 2 months, 51 households cleared in 10 days, 190 power towers
moved in under 40 days) and 佩玫标准厂房 (13 departments' approvals in 5 days, from a Tuesday's
parallel approval).

Everything is generated from `random.Random(seed)`: the same seed and the same `today` give the
same history (project ids and recorded times aside). Every business date lies within the year
before `today`. Each project's history is built in business-date order, and the projects are
played interleaved by date, so the store's notification log reads like the county's year.

The plan is made to satisfy the domain's rules; nothing is caught and skipped.
"""

from app.demo.accounts import DEMO_PASSWORD, demo_accounts
from app.demo.county import load_demo

__all__ = ["DEMO_PASSWORD", "demo_accounts", "load_demo"]
