"""The violation catalogue in the database: the packaged catalogue is there after migrate, imports are all or
nothing and idempotent, a change is a new version and the old one stays readable, the version in force on a
day is found, bureau edits survive an upgrade, and the CLI and admin refuse a broken file in Chinese."""

import copy
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import AuditEntry
from jiafa.core.roles import Role
from jiafa.law import catalogue, violations
from jiafa.law.models import ImmutableVersionError, ViolationType
from tests.conftest import BUREAU, run_command

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def packaged_document(code: str) -> dict[str, Any]:
    """A bureau's file holding one packaged item, as the admin's export would give it."""
    return {"source": "测试", "items": [copy.deepcopy(catalogue.current(code, on=TODAY).document)]}


def run(*args: str) -> tuple[int, str, str]:
    return run_command("law", *args)


def test_the_packaged_catalogue_is_in_the_database_after_migrate():
    packaged = catalogue.packaged_items()
    rows = catalogue.in_force(on=TODAY)
    assert {r.code for r in rows} == {i.code for i in packaged} and len(rows) >= 15
    assert all(r.version == 1 and r.origin == ViolationType.Origin.PACKAGED for r in rows)
    assert {r.code for r in catalogue.in_force(on=TODAY, non_site=True)} == {
        "CX-01",
        "KY-02",
        "SL-02",
        "SL-03",
    }
    overload = catalogue.current("CX-01", on=TODAY)
    assert overload.item == next(i for i in packaged if i.code == "CX-01")
    assert {
        "law": "超限运输车辆行驶公路管理规定",
        "article": "第四十三条第一款第二项、第二款",
    } in overload.item.basis
    assert catalogue.sync_packaged().created == []  # a second migrate adds nothing


def test_a_bad_item_anywhere_in_a_file_writes_nothing():
    doc = packaged_document("CX-01")
    doc["items"][0]["name"] = "车货总质量超过限定标准（本局修订）"
    broken = copy.deepcopy(doc["items"][0])
    broken.update(code="CX-90", penalty_basis=[{"law": "公路安全保护条例"}])
    doc["items"].append(broken)
    before = (ViolationType.objects.count(), AuditEntry.objects.count())
    with pytest.raises(JiafaError) as refused:
        catalogue.load(doc, loaded_by="测试")
    assert refused.value.code is ErrorCode.CATALOGUE_INVALID and "CX-90" in refused.value.message
    assert (ViolationType.objects.count(), AuditEntry.objects.count()) == before


def test_loading_the_same_file_twice_adds_no_version():
    doc = packaged_document("GK-01")
    doc["items"][0]["note"] = "本局核对：港口法第四十九条。"
    first = catalogue.load(doc, loaded_by="测试")
    second = catalogue.load(copy.deepcopy(doc), loaded_by="测试")
    assert first.created == [("GK-01", 2)] and second.created == [] and second.unchanged == ["GK-01"]
    assert ViolationType.objects.filter(code="GK-01").count() == 2
    assert AuditEntry.objects.filter(action="violations.load").count() == 2  # who tried, even without change


def test_a_change_is_version_2_and_version_1_stays_readable(make_user):
    reviewer = make_user("fz1", BUREAU, Role.LEGAL_REVIEWER)
    v1_document = copy.deepcopy(catalogue.version("DY-01", 1).document)
    doc = packaged_document("DY-01")
    doc["items"][0]["tiers"][0]["fine"]["max_yuan"] = 800
    doc["items"][0]["tiers"][1]["fine"]["min_yuan"] = 800
    result = catalogue.load(doc, actor=reviewer, loaded_by="fz1", source="dy.json")
    assert result.created == [("DY-01", 2)]
    v1, v2 = catalogue.version("DY-01", 1), catalogue.version("DY-01", 2)
    assert v1.document == v1_document and v1.item.tier("general").fine_for(violations.Party.PERSON) == (
        violations.RangeFine(200, 1000)
    )
    assert v2.item.tier("general").fine_for(violations.Party.PERSON) == violations.RangeFine(200, 800)
    assert catalogue.current("DY-01", on=TODAY) == v2
    assert (v2.origin, v2.loaded_by) == (ViolationType.Origin.BUREAU, "fz1")
    entry = AuditEntry.objects.get(action="violations.load")
    assert entry.actor == reviewer and entry.detail["created"] == [{"code": "DY-01", "version": 2}]


def test_versions_can_be_neither_changed_nor_deleted():
    row = catalogue.current("CX-01", on=TODAY)
    row.name = "改名"
    with pytest.raises(ImmutableVersionError):
        row.save()
    with pytest.raises(ImmutableVersionError):
        row.delete()
    assert catalogue.version("CX-01", 1).name == "车货总质量超过限定标准，违法超限运输"


def test_current_picks_the_version_in_force_on_the_day():
    doc = packaged_document("WY-03")
    doc["items"][0].update(effective_from="2027-01-01", name="未取得驾驶员证从事网约车经营（2027年新规）")
    catalogue.load(doc, loaded_by="测试")
    assert catalogue.current("WY-03", on=date(2026, 12, 31)).version == 1
    assert catalogue.current("WY-03", on=date(2027, 1, 1)).version == 2
    assert catalogue.current("WY-03", on=date(2030, 5, 5)).version == 2
    with pytest.raises(JiafaError) as early:
        catalogue.current("WY-03", on=date(2022, 11, 29))
    assert early.value.code is ErrorCode.VIOLATION_NOT_IN_FORCE and "2022-11-30" in early.value.message
    with pytest.raises(JiafaError) as unknown:
        catalogue.current("XX-99", on=TODAY)
    assert unknown.value.code is ErrorCode.NOT_FOUND
    # A correction re-issued for the original day replaces version 1 for new cases, not the 2027 rule.
    fix = packaged_document("WY-03")
    fix["items"] = [copy.deepcopy(catalogue.version("WY-03", 1).document)]
    fix["items"][0]["note"] = "更正说明"
    catalogue.load(fix, loaded_by="测试")
    assert catalogue.current("WY-03", on=date(2026, 1, 1)).version == 3
    assert catalogue.current("WY-03", on=date(2027, 6, 1)).version == 2


def packaged_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "packaged"
    shutil.copytree(catalogue.PACKAGED, folder)
    monkeypatch.setattr(catalogue, "PACKAGED", folder)
    return folder


def edit(folder: Path, name: str, change: Any) -> None:
    path = folder / name
    document = json.loads(path.read_text("utf-8"))
    change(document["items"])
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def test_an_upgrade_adds_packaged_changes_but_keeps_the_bureaus_own_versions(tmp_path, monkeypatch):
    bureau_doc = packaged_document("CX-02")
    bureau_doc["items"][0]["tiers"][0]["fine"]["min_yuan"] = 5000
    catalogue.load(bureau_doc, loaded_by="嘉兴局")  # CX-02 v2, the bureau's own discretion

    folder = packaged_copy(tmp_path, monkeypatch)  # the next release of the software
    edit(folder, "overload.json", lambda items: items[1].update(note="新版说明"))  # CX-02
    edit(folder, "overload.json", lambda items: items[2].update(note="新版说明"))  # CX-03
    new_item = copy.deepcopy(catalogue.version("CX-03", 1).document)
    new_item.update(code="CX-07", name="新增事项")
    edit(folder, "overload.json", lambda items: items.append(new_item))

    result = catalogue.sync_packaged()
    assert sorted(result.created) == [("CX-03", 2), ("CX-07", 1)]
    assert result.kept == ["CX-02"] == catalogue.pending_packaged_updates()
    assert catalogue.current("CX-02", on=TODAY).version == 2  # still the bureau's
    assert catalogue.current("CX-03", on=TODAY).item.note == "新版说明"
    assert AuditEntry.objects.get(action="violations.sync").detail["kept"] == ["CX-02"]
    code, out, _ = run("violations", "list", "--domain", "overload")
    assert code == 0 and "CX-02 第2版" in out and "有内置新版本未采用" in out


def test_cli_loads_a_file_and_refuses_a_broken_one_in_chinese(tmp_path):
    good = tmp_path / "ride.json"
    doc = packaged_document("WY-02")
    doc["items"][0]["note"] = "本局核对"
    good.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run("violations", "load", str(good))
    assert code == 0 and "WY-02 第2版" in out
    code, out, _ = run("violations", "load", str(good), "--json")
    assert code == 0 and json.loads(out) == {"created": [], "unchanged": ["WY-02"], "kept": []}

    broken = tmp_path / "broken.json"
    doc["items"][0]["tiers"][0]["fine"]["max_yuan"] = 50000
    broken.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, _, err = run("violations", "load", str(broken))
    assert code == 2 and "超出法定幅度" in err and "catalogue_invalid" in err
    (tmp_path / "garbled.json").write_text("{not json", encoding="utf-8")
    code, _, err = run("violations", "load", str(tmp_path / "garbled.json"), "--json")
    assert (
        code == 2
        and json.loads(err)["code"] == "catalogue_invalid"
        and "无法读取" in json.loads(err)["message"]
    )
    assert ViolationType.objects.filter(code="WY-02").count() == 2


def test_cli_lists_the_catalogue_and_the_non_site_items():
    code, out, _ = run("violations", "list", "--on", "2026-06-01", "--non-site", "--json")
    data = json.loads(out)
    assert code == 0 and [i["code"] for i in data["items"]] == ["CX-01", "KY-02", "SL-02", "SL-03"]
    assert data["items"][0]["basis"][0] == {
        "law": "超限运输车辆行驶公路管理规定",
        "article": "第三条第一款第四项至第八项",
    }
    code, out, _ = run("violations", "list", "--on", "2012-01-01")
    assert code == 0 and "CX-02" in out and "CX-01" not in out  # the 2016 rule was not yet in force
    code, _, err = run("violations", "list", "--on", "明天")
    assert code == 2 and "YYYY-MM-DD" in err


def test_choices_for_the_case_form_mark_items_another_authority_punishes():
    choices = dict(catalogue.violation_choices(TODAY))
    assert choices["CX-01"].startswith("CX-01 车货总质量")
    assert choices["ZT-02"].endswith("（移送综合行政执法部门）")


def test_admin_shows_versions_read_only_and_imports_a_file(web_as, make_user):
    admin_user = make_user("root", BUREAU, Role.ADMIN)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = web_as(admin_user)
    row = catalogue.current("SL-02", on=TODAY)
    page = client.get(f"/admin/law/violationtype/{row.pk}/change/")
    assert page.status_code == 200 and "第五十一条" in page.content.decode()
    assert client.post(f"/admin/law/violationtype/{row.pk}/change/", {"name": "改"}).status_code == 403

    doc = packaged_document("SL-02")
    doc["items"][0]["tiers"][0]["fine"]["max_yuan"] = 400
    doc["items"][0]["tiers"][1]["fine"]["min_yuan"] = 400
    upload = SimpleUploadedFile("sl.json", json.dumps(doc, ensure_ascii=False).encode(), "application/json")
    response = client.post("/admin/law/violationtype/import/", {"file": upload})
    assert response.status_code == 302
    assert catalogue.current("SL-02", on=TODAY).version == 2
    assert AuditEntry.objects.get(action="violations.load").actor == admin_user

    doc["items"][0]["penalty_kinds"] = ["fine", "flogging"]
    upload = SimpleUploadedFile("bad.json", json.dumps(doc, ensure_ascii=False).encode(), "application/json")
    refused = client.post("/admin/law/violationtype/import/", {"file": upload})
    assert refused.status_code == 200 and "flogging" in refused.content.decode()
    assert ViolationType.objects.filter(code="SL-02").count() == 2


def test_only_system_administrators_may_import(web_as, make_user):
    reviewer = make_user("fz1", BUREAU, Role.LEGAL_REVIEWER)
    reviewer.is_staff = True
    reviewer.save()
    assert web_as(reviewer).get("/admin/law/violationtype/import/").status_code == 403
