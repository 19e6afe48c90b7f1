"""The catalogues through the API: the office adds and retires values with their history, and
a signing then takes only a catalogued industry, naming the catalogue when refused."""

from __future__ import annotations

from tests.e2e.conftest import SIGNING


def test_the_office_adds_a_value_and_a_signing_takes_only_catalogued_ones(api, tokens):
    office = api("office")
    assert office.get("/api/catalogues").get_json() == {"industries": [], "parks": [],
                                                        "units": []}
    added = office.post("/api/catalogues/industries", json={"value": "新材料"})
    assert added.status_code == 201 and added.get_json()["industries"] == ["新材料"]

    refused = office.post("/api/projects", json=SIGNING | {"industry": "新型材料"})
    assert refused.status_code == 422
    body = refused.get_json()
    assert (body["code"], body["field"]) == ("not_in_catalogue", "industry")
    assert "industries" in body["message"]
    assert office.post("/api/projects", json=SIGNING).status_code == 201


def test_only_the_office_keeps_the_catalogues_and_each_change_is_history(api, tokens):
    assert api("zhang").post("/api/catalogues/parks", json={"value": "x"}).status_code == 403
    office = api("office")
    office.post("/api/catalogues/parks", json={"value": "安福工业园"})
    twice = office.post("/api/catalogues/parks", json={"value": "安福工业园"})
    assert (twice.status_code, twice.get_json()["code"]) == (422, "duplicate_value")
    retired = office.post("/api/catalogues/parks/retire",
                          json={"value": "安福工业园", "reason": "更名"})
    assert retired.status_code == 200 and retired.get_json()["parks"] == []
    changes = api("zhang").get("/api/catalogues/history").get_json()["changes"]
    assert [(c["type"], c["value"], c["actor"]) for c in changes] == [
        ("ValueAdded", "安福工业园", "office"), ("ValueRetired", "安福工业园", "office")]
    assert office.post("/api/catalogues/trades", json={"value": "x"}).status_code == 404
