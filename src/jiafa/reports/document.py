"""The annual report as an editable Word document (python-docx, which docxtpl brings): the regenerated
opening paragraph, the sentence the bureau completes by hand (highlighted), the tables and the charts.
A bureau finishes the narrative around them in Word."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from jiafa.reports import charts, figures
from jiafa.reports.annual import percent

BODY_FONT, TITLE_FONT = "仿宋", "黑体"


def _font(run_or_style: Any, name: str, size: float | None = None, bold: bool | None = None) -> None:
    run_or_style.font.name = name
    rpr = run_or_style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run_or_style.font.size = Pt(size)
    if bold is not None:
        run_or_style.font.bold = bold


def _heading(doc: Any, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(12)
    _font(p.add_run(text), TITLE_FONT, 14, True)


def _body(doc: Any, text: str, *, highlight: bool = False) -> Any:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(28)
    p.paragraph_format.line_spacing = 1.5
    run = p.add_run(text)
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def _table(doc: Any, header: list[str], rows: list[list[Any]]) -> None:
    """A grid with the first column wide enough for its labels, numbers right-aligned with separators."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    first = Cm(6.5 if len(header) > 2 else 9)
    rest = (Cm(15.8) - first) / max(1, len(header) - 1)
    repeat = OxmlElement("w:tblHeader")  # the header row repeats when a table runs onto the next page
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), TITLE_FONT, 10.5, True)
    for row in rows or [["无"] + [""] * (len(header) - 1)]:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            number = isinstance(value, int | float)
            _font(cell.paragraphs[0].add_run(f"{value:,}" if number else str(value)), BODY_FONT, 10.5)
            if number:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = first if i == 0 else rest
    doc.add_paragraph()


def _change(now: float | int | None, before: float | int | None) -> str:
    if now is None or before is None:
        return "—"
    if isinstance(now, float) or isinstance(before, float):
        return f"{(now - before) * 100:+.2f}个百分点"
    return f"{now - before:+,}"


def _picture(doc: Any, png: bytes) -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(15))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def render(report: dict[str, Any]) -> bytes:
    h, before = report["figures"], report["previous"]["figures"]
    doc = Document()
    normal = doc.styles["Normal"]
    _font(normal, BODY_FONT, 14)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.6)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    unit = report["unit"]["name"]
    _font(title.add_run(f"{unit}关于{report['year']}年法治政府建设工作的报告"), TITLE_FONT, 20, True)
    if not report["complete_year"]:
        note = doc.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(note.add_run(f"（数据截至 {report['period']['to']}）"), BODY_FONT, 12)

    _body(doc, report["paragraph"])
    for text in report["to_complete"]:
        _body(doc, text, highlight=True)

    _heading(doc, "附表1  主要执法数据")
    large = f"罚款{figures.yuan_label(report['large_fine_yuan'])}以上案件"
    lines = [
        ("行政处罚案件（起）", "penalty"),
        (large + "（起）", "large_fine"),
        ("停业整顿案件（起）", "suspension_order"),
        ("申请法院强制执行案件（起）", "court_application"),
        ("行刑衔接案件（起）", "criminal_transfer"),
        ("首违免罚承诺告知案件（起）", "first_violation_exemption"),
        ("非现场处罚案件（起）", "non_site"),
        ("行政复议案件（起）", "review"),
        ("行政诉讼案件（起）", "lawsuit"),
        ("复议、诉讼中被纠错（起）", "corrected"),
        ("罚款金额（元）", "fines_yuan"),
        ("疑似超限线索（条）", "findings"),
        ("百吨王（辆次）", "hundred_tonne"),
    ]
    rows: list[list[Any]] = [
        [label, h[key], before[key], _change(h[key], before[key])] for label, key in lines
    ]
    rows.append(
        [
            f"非现场处罚占比（目标 ≥ {percent(report['targets']['non_site_share'])}）",
            percent(h["non_site_share"]),
            percent(before["non_site_share"]),
            _change(h["non_site_share"], before["non_site_share"]),
        ]
    )
    rows.append(
        [
            "按期作出决定比例",
            percent(h["deadline_compliance"]),
            percent(before["deadline_compliance"]),
            _change(h["deadline_compliance"], before["deadline_compliance"]),
        ]
    )
    rows.append(
        [
            "平均办案天数（立案至决定）",
            "—" if h["avg_handling_days"] is None else h["avg_handling_days"],
            "—" if before["avg_handling_days"] is None else before["avg_handling_days"],
            "",
        ]
    )
    _table(doc, ["项目", report["period"]["label"], report["previous"]["period"]["label"], "增减"], rows)

    _heading(doc, "附表2  各月行政处罚案件")
    _table(
        doc,
        ["月份", "行政处罚案件（起）", "其中非现场（起）", "罚款金额（元）", "疑似超限线索（条）"],
        [
            [r["label"], r["penalty"], r["non_site"], r["fines_yuan"], r["findings"]]
            for r in report["by_month"]
        ],
    )
    parts = report["breakdowns"]
    _heading(doc, "附表3  行政处罚案件按单位、案源统计")
    _table(doc, ["单位", "案件（起）"], [[r["label"], r["n"]] for r in parts["unit"]])
    _table(doc, ["案源", "案件（起）"], [[r["label"], r["n"]] for r in parts["source"]])
    _heading(doc, "附表4  行政处罚案件按违法行为统计")
    _table(
        doc, ["违法行为", "案件（起）"], [[f"{r['key']} {r['label']}", r["n"]] for r in parts["violation"]]
    )
    overload = report["overload"]
    _heading(doc, "附表5  治超非现场执法")
    _table(
        doc,
        ["站点", "疑似超限线索（条）", "初审确认（条）", "百吨王（辆次）"],
        [[r["label"], r["n"], r["confirmed"], r["hundred_tonne"]] for r in overload["station"]],
    )
    _table(doc, ["超限率", "线索（条）"], [[r["label"], r["n"]] for r in overload["band"]])

    _heading(doc, "附图")
    if charts.cjk_font() is None:
        _body(doc, charts.NO_FONT_NOTE, highlight=True)
    else:
        _picture(doc, charts.monthly(report["by_month"]))
        _picture(doc, charts.ranked("行政处罚案件按单位", parts["unit"], "起"))
        if report["figures"]["findings"]:
            _picture(doc, charts.bands(overload["band"]))

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
