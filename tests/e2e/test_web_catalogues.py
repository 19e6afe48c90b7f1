"""The catalogues on the pages: the office adds a value, the forms offer it, and a value the
catalogue does not hold is refused next to its field."""

from __future__ import annotations

import re

import pytest

from tests.e2e.web import (  # noqa: F401 - fixtures
    csrf_token,
    errors_of,
    overtaken,
    password_hash,
    sign_form,
    sign_in,
)

# The API's users sign in on the pages too.
from tests.e2e.web import web_tokens as tokens  # noqa: F401 - a fixture


@pytest.mark.usefixtures("tokens")
def test_a_value_the_office_adds_is_offered_and_others_are_refused(client):
    sign_in(client, "office")
    page = client.get("/office/catalogues").get_data(as_text=True)
    assert "行业" in page
    added = client.post("/office/catalogues?kind=industries",
                        data={"csrf_token": csrf_token(page), "value": "新材料"})
    assert added.status_code == 302

    signing = client.get("/projects/new").get_data(as_text=True)
    assert 'list="offered-industry"' in signing
    assert '<datalist id="offered-industry"><option value="新材料"></datalist>' in signing
    refused = sign_form(client, industry="新型材料")
    assert refused.status_code == 422
    assert errors_of(refused.get_data(as_text=True), "industry") == [
        "请从目录中选择（目录由代办服务中心维护）。"]
    assert sign_form(client, industry="新材料").status_code == 302


@pytest.mark.usefixtures("tokens")
def test_an_approvals_department_is_offered_from_the_units_catalogue(client):
    sign_in(client, "office")
    project = sign_form(client).headers["Location"]
    page = client.get("/office/catalogues").get_data(as_text=True)
    client.post("/office/catalogues?kind=units",
                data={"csrf_token": csrf_token(page), "value": "县发展和改革委员会"})

    form = client.get(f"{project}/record/approval_applied").get_data(as_text=True)
    assert '<datalist id="offered-department"><option value="县发展和改革委员会"></datalist>' \
        in form
    refused = client.post(f"{project}/record/approval_applied", data={
        "csrf_token": csrf_token(form), "expected_version": "1", "occurred_on": today(form),
        "item": "项目备案", "department": "发改委"})
    assert refused.status_code == 422
    assert errors_of(refused.get_data(as_text=True), "department") == [
        "请从目录中选择（目录由代办服务中心维护）。"]


@pytest.mark.usefixtures("tokens")
def test_a_value_added_as_another_change_is_saved_is_refused_and_nothing_recorded(
        client, banban, monkeypatch):
    sign_in(client, "office")
    page = client.get("/office/catalogues").get_data(as_text=True)
    said = overtaken(banban, monkeypatch,
                     lambda: banban.add_to_catalogue("office", "industries", "新能源"))
    answer = client.post("/office/catalogues?kind=industries",
                         data={"csrf_token": csrf_token(page), "value": "新材料"})
    assert said == ["meanwhile saved"]
    assert answer.status_code == 409
    shown = answer.get_data(as_text=True)
    assert "新材料" in shown  # the input is kept, to send again
    assert errors_of(shown, "value-industries") == [
        "有人同时修改了这里，本次未记录任何内容。请核对页面上的内容后再提交。"]
    offered = banban.catalogues(None)["industries"]
    assert "新能源" in offered and "新材料" not in offered
    again = client.post("/office/catalogues?kind=industries",
                        data={"csrf_token": csrf_token(shown), "value": "新材料"})
    assert again.status_code == 302
    assert "新材料" in banban.catalogues(None)["industries"]


@pytest.mark.usefixtures("tokens")
def test_a_retirement_overtaken_keeps_its_reason_in_the_values_fold(client, banban, monkeypatch):
    banban.add_to_catalogue("office", "industries", "新材料")
    sign_in(client, "office")
    page = client.get("/office/catalogues").get_data(as_text=True)
    overtaken(banban, monkeypatch,
              lambda: banban.add_to_catalogue("office", "industries", "新能源"))
    answer = client.post("/office/catalogues?kind=industries&retire=1", data={
        "csrf_token": csrf_token(page), "value": "新材料", "reason": "已并入新能源"})
    assert answer.status_code == 409
    shown = answer.get_data(as_text=True)
    assert re.search(r'<details class="inline" open>', shown)
    assert errors_of(shown, "reason-industries-1") == [
        "有人同时修改了这里，本次未记录任何内容。请核对页面上的内容后再提交。"]
    assert 'value="已并入新能源"' in shown  # the reason typed is kept
    assert errors_of(shown, "value-industries") == []  # not shown as an error of adding
    assert banban.catalogues(None)["industries"] == ["新材料", "新能源"]


def today(form: str) -> str:
    """The business date a form presets (today)."""
    return re.search(r'name="occurred_on"[^>]*value="([0-9-]+)"', form).group(1)


@pytest.mark.usefixtures("tokens")
def test_the_office_retires_a_value_with_a_reason_and_sees_the_history(client):
    sign_in(client, "office")
    page = client.get("/office/catalogues").get_data(as_text=True)
    client.post("/office/catalogues?kind=parks",
                data={"csrf_token": csrf_token(page), "value": "洲湖镇工业小区"})
    retired = client.post("/office/catalogues?kind=parks&retire=1", data={
        "csrf_token": csrf_token(page), "value": "洲湖镇工业小区", "reason": "已并入工业园"})
    assert retired.status_code == 302
    page = client.get("/office/catalogues").get_data(as_text=True)
    assert "已并入工业园" in page
    twice = client.post("/office/catalogues?kind=parks&retire=1", data={
        "csrf_token": csrf_token(page), "value": "洲湖镇工业小区", "reason": "再次"})
    assert twice.status_code == 422


@pytest.mark.usefixtures("tokens")
def test_only_the_office_sees_the_catalogues_page(client):
    sign_in(client, "zhang")
    assert client.get("/office/catalogues").status_code == 403
