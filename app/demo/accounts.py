"""The demo accounts: two offices, twelve agents, three county leaders and an auditor."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "banban-demo"

ACCOUNTS: list[tuple[str, str, str]] = [
    ("office", "office", "陈敏"),
    ("office2", "office", "罗晓燕"),
    ("zhangwei", "agent", "张伟"),
    ("liuyang", "agent", "刘洋"),
    ("wangfang", "agent", "王芳"),
    ("lijing", "agent", "李静"),
    ("ouyanghui", "agent", "欧阳辉"),
    ("pengtao", "agent", "彭涛"),
    ("chenqiang", "agent", "陈强"),
    ("zhoujie", "agent", "周杰"),
    ("wuhua", "agent", "吴华"),
    ("xuli", "agent", "徐丽"),
    ("sunhao", "agent", "孙浩"),
    ("huangmin", "agent", "黄敏"),
    ("liujianguo", "leader", "刘建国"),
    ("yanghong", "leader", "杨红"),
    ("luowen", "leader", "罗文"),
    ("auditor", "auditor", "钟琳"),
]

NAMES = {u: n for u, _, n in ACCOUNTS}


@dataclass(frozen=True)
class People:
    """Who generated histories are recorded by: usernames by role, and display names."""

    agents: list[str]
    leaders: list[str]
    offices: list[str]
    names: dict[str, str]

    @classmethod
    def of(cls, accounts: list[tuple[str, str, str]]) -> People:
        """The people of (username, role, display name) accounts."""
        def by_role(role: str) -> list[str]:
            return [u for u, r, _ in accounts if r == role]
        return cls(by_role("agent"), by_role("leader"), by_role("office"),
                   {u: n for u, _, n in accounts})


DEMO_PEOPLE = People.of(ACCOUNTS)


def demo_accounts() -> list[dict[str, str]]:
    """The demo accounts (all with DEMO_PASSWORD), for printing."""
    return [{"username": u, "role": r, "display_name": n} for u, r, n in ACCOUNTS]
