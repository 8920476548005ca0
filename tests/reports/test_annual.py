"""The annual report: the API, the command's JSON and DOCX, and the refusals (exit 2, nothing written)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from docx import Document

from jiafa.core.roles import Role
from tests.conftest import BUREAU, HAINING, run_command
from tests.reports.world import World

PARAGRAPH_2026 = (
    "2026年1月1日至9月15日，全市共办理行政处罚案件8起（罚款1万元以上案件2起、停业整顿案件1起，"
    "申请法院强制执行案件1起，办理行刑衔接案件1起）；办理轻微违法行为首违免罚承诺告知案件1起；"
    "办理非现处罚案件4起，非现处罚案件占全部处罚案件的比重为50.00%。"
    "发生行政复议案件1起、行政诉讼案件1起，其中被撤销、变更或确认违法1起。"
)


def test_api_gives_the_year_with_its_paragraph(world: World, make_user, api_as):
    api = api_as(make_user("boss2", BUREAU, Role.BUREAU_LEADER))
    body = api.get("/reports/annual?year=2026").json()
    assert body["paragraph"] == PARAGRAPH_2026
    assert body["figures"]["penalty"] == 8 and body["figures"]["non_site"] == 4
    # The year is running: compared with the same days of 2025, before the summary case of 20 November.
    assert body["previous"]["period"]["to"] == "2025-09-15"
    assert body["previous"]["figures"]["penalty"] == 0
    assert body["targets"]["non_site_share"] == 0.65
    assert (body["figures"]["review"], body["figures"]["lawsuit"], body["figures"]["corrected"]) == (1, 1, 1)
    assert sum(r["penalty"] for r in body["by_month"]) == 8


def test_api_scopes_to_the_caller_and_refuses_in_chinese(world: World, make_user, api_as):
    county = api_as(world.tongxiang.leader)
    assert county.get("/reports/annual?year=2026").json()["figures"]["penalty"] == 1
    outside = county.get(f"/reports/annual?year=2026&unit={HAINING}")
    assert outside.status_code == 404 and outside.json()["code"] == "not_found"
    leader = api_as(make_user("boss2", BUREAU, Role.BUREAU_LEADER))
    for year in ("2031", "1999", "abc"):
        bad = leader.get(f"/reports/annual?year={year}")
        assert bad.status_code == 422
        assert bad.json()["code"] == "report_period_invalid" and "年" in bad.json()["message"]
    missing = leader.get("/reports/annual")
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_input"
    officer = api_as(world.haining.officer).get("/reports/annual?year=2026")
    assert officer.status_code == 403 and officer.json()["code"] == "forbidden"


def test_command_prints_json_for_a_unit(world: World):
    code, out, _ = run_command("report", "annual", "--year", "2026", "--unit", HAINING, "--json")
    report = json.loads(out)
    assert code == 0
    assert report["paragraph"].startswith("2026年1月1日至9月15日，海宁市共办理行政处罚案件7起")


def test_command_writes_a_docx_with_the_paragraph_and_the_tables(world: World, tmp_path: Path):
    path = tmp_path / "annual.docx"
    code, out, _ = run_command(
        "report", "annual", "--year", "2026", "--format", "docx", "--output", str(path)
    )
    assert code == 0 and str(path) in out
    doc = Document(io.BytesIO(path.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "嘉兴市交通运输局关于2026年法治政府建设工作的报告"
    assert PARAGRAPH_2026 in texts
    assert any("信访及群体性事件" in t and "请核实后填写" in t for t in texts)
    headline = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert headline["行政处罚案件（起）"] == "8"
    assert headline["非现场处罚占比（目标 ≥ 65.00%）"] == "50.00%"
    assert headline["罚款金额（元）"] == f"{20000 * 2 + 2500 * 2 + 3500 + 200 + 2000:,}"
    months = {row.cells[0].text: row.cells[1].text for row in doc.tables[1].rows}
    assert months["1月"] == "2" and months["3月"] == "3"


def test_command_refuses_a_bad_year_unit_or_format_and_writes_nothing(world: World, tmp_path: Path):
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "out.docx"
    for args, code_name in (
        (["--year", "2031"], "report_period_invalid"),
        (["--year", "二〇二六"], "report_period_invalid"),
        (["--year", "2026", "--unit", "999999"], "not_found"),
        (["--year", "2026", "--format", "pdf"], "invalid_input"),
    ):
        fmt = [] if "--format" in args else ["--format", "docx"]
        code, out, err = run_command("report", "annual", *args, *fmt, "--output", str(path), "--json")
        assert code == 2, args
        assert json.loads(err)["code"] == code_name
        assert out == ""
    assert list(folder.iterdir()) == []  # not even a temporary file
    code, _, err = run_command(
        "report", "annual", "--year", "2026", "--output", str(tmp_path / "no" / "x.json")
    )
    assert code == 2 and "输出目录" in err


def test_docx_carries_three_charts_or_says_why_not(world: World, tmp_path: Path, monkeypatch):
    from jiafa.reports import charts

    def write(path: Path) -> None:
        args = ("--year", "2026", "--format", "docx", "--output", str(path))
        assert run_command("report", "annual", *args)[0] == 0

    path = tmp_path / "with.docx"
    write(path)
    if charts.cjk_font() is not None:
        assert len(Document(str(path)).inline_shapes) == 3
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    bare = tmp_path / "without.docx"
    write(bare)
    doc = Document(str(bare))
    assert len(doc.inline_shapes) == 0
    assert charts.NO_FONT_NOTE in [p.text for p in doc.paragraphs]
