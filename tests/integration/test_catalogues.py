"""The county's catalogues on each store: kept by the office with their history; once a kind
has values, a project's field of that kind takes only them, in the catalogue's spelling."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DomainError, NotAllowed


def record(service, project_id, event_type, **fields):
    version = service.project(project_id)["version"]
    return service.record(project_id, "office", event_type, expected_version=version,
                          occurred_on=date(2026, 3, 2), fields=fields)


def test_an_empty_catalogue_takes_free_text(service, sign):
    assert service.catalogues() == {"industries": [], "parks": [], "units": []}
    assert sign(industry="随便写的行业")["industry"] == "随便写的行业"


def test_a_kept_catalogue_refuses_other_values_naming_it(service, sign):
    service.add_to_catalogue("office", "industries", "新材料")
    service.add_to_catalogue("office", "industries", "电子信息")

    with pytest.raises(DomainError) as info:
        sign(industry="新型材料")
    assert (info.value.code, info.value.field) == ("not_in_catalogue", "industry")
    assert "industries" in info.value.message and "电子信息" in info.value.message
    assert list(service.project_ids()) == []
    assert sign(industry=" 新材料")["industry"] == "新材料"


def test_units_are_recorded_in_the_catalogues_spelling(service, sign):
    service.add_to_catalogue("office", "units", "县自然资源局")
    project_id = sign()["id"]

    with pytest.raises(DomainError) as info:
        record(service, project_id, "problem_raised", title="用地", responsible_unit="自然资源局")
    assert (info.value.code, info.value.field) == ("not_in_catalogue", "responsible_unit")
    record(service, project_id, "problem_raised", title="用地", responsible_unit="县自然资源局 ")

    [problem] = service.project(project_id)["problems"]
    assert problem["responsible_unit"] == "县自然资源局"


def test_an_approvals_department_is_one_of_the_units(service, sign):
    project_id = sign()["id"]
    record(service, project_id, "approval_applied", approval_id="AP-1", item="环评",
           department="环保局")  # recorded before the catalogue: kept as it is
    service.add_to_catalogue("office", "units", "市生态环境局安福分局")
    version = service.project(project_id)["version"]

    with pytest.raises(DomainError) as info:
        record(service, project_id, "approval_applied", item="能评", department="县发改局")
    assert (info.value.code, info.value.field) == ("not_in_catalogue", "department")
    assert "units" in info.value.message and "市生态环境局安福分局" in info.value.message
    assert service.project(project_id)["version"] == version
    record(service, project_id, "approval_applied", approval_id="AP-2", item="能评",
           department="市生态环境局安福分局 ")

    with pytest.raises(DomainError) as amended:
        record(service, project_id, "corrected", corrects_version=2, action="amend",
               reason="部门名称", changes={"department": "生态环境局"})
    assert (amended.value.code, amended.value.field) == ("not_in_catalogue",
                                                         "changes.department")
    departments = {a["id"]: a["department"] for a in service.project(project_id)["approvals"]}
    assert departments == {"AP-1": "环保局", "AP-2": "市生态环境局安福分局"}


def test_a_correction_takes_only_catalogued_values(service, sign):
    project_id = sign(park="老园区")["id"]  # recorded before the catalogue: kept as it is
    service.add_to_catalogue("office", "parks", "安福工业园")

    with pytest.raises(DomainError) as info:
        record(service, project_id, "corrected", corrects_version=1, action="amend",
               reason="园区名称", changes={"park": "新园区"})
    assert (info.value.code, info.value.field) == ("not_in_catalogue", "changes.park")
    assert service.project(project_id)["park"] == "老园区"
    record(service, project_id, "corrected", corrects_version=1, action="amend",
           reason="园区名称", changes={"park": "安福工业园"})
    assert service.project(project_id)["park"] == "安福工业园"


def test_the_office_keeps_the_catalogues_with_their_history(service):
    service.add_to_catalogue("office", "parks", "安福工业园")
    service.add_to_catalogue("office", "parks", "洲湖镇工业小区")
    with pytest.raises(DomainError) as twice:
        service.add_to_catalogue("office", "parks", "安福 工业园")
    assert twice.value.code == "duplicate_value"
    service.retire_from_catalogue("office", "parks", "洲湖镇工业小区", "已并入工业园")
    with pytest.raises(NotAllowed):
        service.add_to_catalogue("zhang", "parks", "另一个园区")

    assert service.catalogues()["parks"] == ["安福工业园"]
    assert [(h["type"], h["value"], h["actor"], h["reason"]) for h in
            service.catalogue_history()] == [
        ("ValueAdded", "安福工业园", "office", None),
        ("ValueAdded", "洲湖镇工业小区", "office", None),
        ("ValueRetired", "洲湖镇工业小区", "office", "已并入工业园")]


def test_a_reviews_invited_departments_are_units_and_an_opinion_is_an_invited_ones(service, sign):
    project_id = sign()["id"]
    record(service, project_id, "park_review_convened", review_id="R0",
           departments=["县工信局"])  # convened before the catalogue: kept as it is
    service.add_to_catalogue("office", "units", "县自然资源局")
    service.add_to_catalogue("office", "units", "县住房和城乡建设局")
    version = service.project(project_id)["version"]

    with pytest.raises(DomainError) as info:
        record(service, project_id, "park_review_convened", review_id="R1",
               departments=["县自然资源局", "县住房和城乡建设局", "县水利局"])
    assert (info.value.code, info.value.field) == ("not_in_catalogue", "departments.2")
    assert "units" in info.value.message and "县水利局" in info.value.message
    assert service.project(project_id)["version"] == version

    record(service, project_id, "park_review_opinion_given", review_id="R0",
           department="县工信局", opinion="agree")  # invited, though not in the catalogue
    with pytest.raises(DomainError) as uninvited:
        record(service, project_id, "park_review_opinion_given", review_id="R0",
               department="县自然资源局", opinion="agree")
    assert (uninvited.value.code, uninvited.value.field) == ("not_invited", "department")
    record(service, project_id, "park_review_concluded", review_id="R0", passed=False)
    record(service, project_id, "park_review_convened", review_id="R1",
           departments=["县自然资源局 ", "县住房和城乡建设局"])
    [_, review] = service.project(project_id)["park_reviews"]
    assert review["departments"] == ["县自然资源局", "县住房和城乡建设局"]

    with pytest.raises(DomainError) as amended:
        record(service, project_id, "corrected", corrects_version=version + 3, action="amend",
               reason="部门名称", changes={"departments": ["县自然资源局", "县水利局"]})
    assert (amended.value.code, amended.value.field) == ("not_in_catalogue",
                                                         "changes.departments.1")
