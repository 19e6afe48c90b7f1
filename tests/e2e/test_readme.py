"""The README's API examples work as written, against the real app under gunicorn."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from domain.application import Banban
from tests.conftest import TODAY
from tests.e2e.server import ROOT, Gunicorn, environment_for

README = (ROOT / "README.md").read_text(encoding="utf-8")


def api_examples() -> str:
    """The shell blocks of the README's API section, as one script."""
    section = README[README.index("## The API"):README.index("## Users")]
    return "\n".join(re.findall(r"```sh\n(.*?)```", section, re.S))


def test_the_readme_api_examples_run_and_answer_json_without_errors(store_env, tmp_path):
    banban = Banban(env=store_env, clock=lambda: TODAY)
    for username, role in [("office", "office"), ("zhangwei", "agent"), ("liuyang", "agent"),
                           ("liujianguo", "leader")]:
        banban.register_user(username, role, actor="test")
    banban.close()
    server = Gunicorn(store_env, workers=2)
    try:
        script = api_examples()
        script = script.replace("http://127.0.0.1:8000", server.url)
        script = script.replace(".venv/bin/flask", f"{sys.executable} -m flask")
        # Each command's output on its own line, so every answer can be checked.
        script = script.replace("\ncurl ", "\necho\ncurl ")
        (tmp_path / "examples.sh").write_text("set -euo pipefail\n" + script + "\necho\n")
        result = subprocess.run(["bash", str(tmp_path / "examples.sh")], cwd=ROOT,
                                env=environment_for(store_env), capture_output=True, text=True,
                                timeout=120)
        log = server.log()
    finally:
        server.stop()
    assert result.returncode == 0, (result.stdout, result.stderr, log[-3000:])
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(answers) == api_examples().count("\ncurl ") + api_examples().startswith("curl")
    assert all("code" not in answer for answer in answers), (answers, log[-3000:])
    listed, searched, planned, raised, now, at_v2, history, as_of = answers
    assert "projects" in listed
    assert searched["totals"] == {"count": 0, "investment": 0, "investment_completed": 0}
    assert (planned["type"], planned["version"]) == ("milestone_planned", 2)
    assert raised["problem_id"] and raised["version"] == 3
    assert now["version"] == 3 and now["name"] == "安福电子信息产业园"
    assert at_v2["version"] == 2 and at_v2["open_problems"] == 0
    assert [e["type"] for e in history["events"]] == ["signed", "milestone_planned",
                                                       "problem_raised"]
    assert as_of["version"] == 2


def test_the_readme_names_every_kind_of_wait_item_the_api_document_lists():
    from app.api.schemas import WaitItemSchema

    sentence = README[README.index("`item` (`kind`"):README.index("`since` and `working_days`")]
    kinds = WaitItemSchema().fields["kind"].metadata["enum"]
    assert [k for k in kinds if f"`{k}`" not in sentence] == []
