"""The hand-over letter (移交函) of a finding handed to another authority.

Issued once, with the hand-over: numbered per bureau and year (嘉交执移交〔2025〕第00001号), rendered through
the case file's renderer (cases/rendering.py) from the packaged Word template
`templates/docx/waterway_hand_over.docx` or the bureau's own
`$JIAFA_DATA_DIR/documents/waterway_hand_over.docx`, and kept in the evidence store under its SHA-256: every
download is that file, refused if it no longer has its hash. The packaged template is written by `generate()`
(like the case file's, cases/docgen.py):

    jiafa shell -c "from jiafa.waterway import letters; letters.generate()"
"""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from jiafa.cases import rendering
from jiafa.cases.docgen import Sheet
from jiafa.core import evidence
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import User
from jiafa.core.numbering import next_number
from jiafa.waterway import findings
from jiafa.waterway.models import Finding
from jiafa.waterway.rules import Rule

KIND = "waterway_hand_over"
TITLE = "水上交通违法线索移交函"
NUMBER_WORD = "移交"
PACKAGED = Path(__file__).resolve().parent / "templates" / "docx"


def receivers(finding: Finding) -> list[str]:
    """The authorities a finding usually goes to, named for its place: the comprehensive administrative
    enforcement bureau of the district or county (muck, docks) and the city's environment bureau
    (pollution)."""
    unit = finding.org_unit
    bureau = unit.bureau()
    city = rendering.city_of(bureau.name)
    local = unit.short_name if unit.region_code != bureau.region_code else city
    return [f"{local}综合行政执法局", f"{city}生态环境局"]


def _local(moment: Any) -> str:
    return timezone.localtime(moment).replace(tzinfo=None).isoformat(timespec="minutes")


def _until(f: Finding) -> str:
    """When the finding ends, without its day when that is the day it began."""
    end = rendering.datetime_zh(_local(f.end))
    return end.split("日", 1)[1] if findings.day_of(f) == timezone.localtime(f.end).date() else end


def _evidence(f: Finding, checked_by: str, on: date) -> list[str]:
    lines = []
    if f.track:
        first, last = (timezone.localtime(datetime.fromisoformat(p[0])) for p in (f.track[0], f.track[-1]))
        span = f"{first:%Y-%m-%d %H:%M} 至 {last:%H:%M}"
        lines.append(f"AIS 轨迹片段：{len(f.track)} 个位置报告（{span}）")
    else:
        lines.append(f"AIS 位置报告：MMSI {f.mmsi}，{findings.day_of(f):%Y-%m-%d}（数据湖存档）")
    if f.record_id:
        where = f.checkpoint.name if f.checkpoint else "水上卡口"
        seen = f"，识别船名“{f.seen_name}”" if f.seen_name else ""
        photo = f"，照片 SHA-256 {f.photo}" if f.photo else ""
        lines.append(f"卡口抓拍记录 {f.record_id}（{where}{seen}{photo}）")
    lines.append(f"执法人员现场核查情况（{checked_by}，{rendering.date_zh(on)}）")
    if f.vessel is not None:
        lines.append("船舶登记信息（船名、MMSI、船舶所有人）")
    return lines


def content(
    finding: Finding, *, to: str, check_note: str, actor: User, on: date, number: str
) -> dict[str, Any]:
    """What the letter states: the names a template may use (besides those rendering.context() derives)."""
    f, vessel = finding, finding.vessel
    legal = findings.legal(f)
    checked_by = actor.full_name or actor.username
    return {
        "bureau_name": f.org_unit.bureau().name,
        "number": number,
        "date": on.isoformat(),
        "template": rendering.template_info(KIND, PACKAGED),
        "to": to,
        "vessel_name": vessel.name if vessel else (f.ais_name or f.seen_name or "未登记船舶"),
        "mmsi": str(f.mmsi),
        "party_kind": vessel.owner_kind if vessel else "",
        "party_name": vessel.owner_name if vessel else "未登记",
        "party_id_no": vessel.owner_id_no if vessel else "",
        "occurred_at": _local(f.start),
        "ended_zh": _until(f),
        "place": findings.place(f),
        "rule_label": Rule(f.rule).label,
        "measure": findings.measure(f),
        "violation_code": legal.code if legal else "",
        "violation_name": legal.name if legal else "",
        "violated": [p.as_dict() for p in legal.violated] if legal else [],
        "penalty_basis": [p.as_dict() for p in legal.penalty_basis] if legal else [],
        "handover_to": legal.handover_to if legal else "",
        "check_note": check_note.strip(),
        "checked_by": checked_by,
        "checked_zh": rendering.date_zh(on),
        "evidence": (evidence := _evidence(f, checked_by, on)),
        "evidence_text": "\n".join(f"{i}．{line}" for i, line in enumerate(evidence, 1)),  # a line each
    }


def issue(finding: Finding, *, to: str, check_note: str, actor: User, on: date) -> None:
    """Number, render and store the letter of a finding being handed over; call inside hand_over's transaction
    (a rollback gives the number back)."""
    number = next_number(finding.org_unit, KIND, NUMBER_WORD, on.year)
    full = content(finding, to=to, check_note=check_note, actor=actor, on=on, number=number)
    data = rendering.render(KIND, full, packaged=PACKAGED)
    finding.letter = evidence.store(io.BytesIO(data), rendering.DOCX_TYPE)
    finding.letter_number = number


def stored(finding: Finding) -> rendering.Frozen:
    """The letter's file as issued, and whether it still has the hash it was issued with."""
    if finding.letter is None:
        raise JiafaError(ErrorCode.NOT_FOUND, "该线索没有移交函")
    data = Path(finding.letter.path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    return rendering.Frozen(data, stored=True, intact=digest == finding.letter.sha256, sha256=digest)


def filename(finding: Finding) -> str:
    return f"移交函{finding.letter_number}.docx"


# ── The packaged template ───────────────────────────────────────────────────────────────────────────────


def write(s: Sheet) -> None:
    s.head()
    s.p("{{ to }}：", "JF Field")
    s.p(
        "本机关经船舶自动识别系统（AIS）和水上卡口监测发现下列船舶涉嫌"
        "{{ violation_name or rule_label }}，经执法人员现场核查属实。该行为"
        "{% if handover_to %}依法由{{ handover_to }}查处{% else %}不属本机关管辖{% endif %}，"
        "现将线索及有关材料移交你单位依法处理，请将处理结果函告本机关。"
    )
    s.table(
        [28, 58, 20, 50],
        [
            ["船名", "{{ vessel_name }}", "MMSI", "{{ mmsi }}"],
            ["船舶所有人", ("{{ party_name }}{% if party_id_no %}（{{ party_id_no }}）{% endif %}", 3)],
            ["发现时间", ("{{ occurred_zh }}至{{ ended_zh }}", 3)],
            ["地点", ("{{ place }}", 3)],
            ["监测发现", ("{{ rule_label }}：{{ measure }}", 3)],
            ["核查情况", ("{{ check_note }}（{{ checked_by }}，{{ checked_zh }}）", 3)],
            ["涉嫌违反", ("{{ violated_text or '（见所附材料）' }}", 3)],
            ["处罚依据", ("{{ penalty_basis_text or '（见所附材料）' }}", 3)],
            ["证据材料", ("{{ evidence_text }}", 3)],
        ],
    )
    s.seal()  # on one page: no receipt line, delivery is acknowledged on a service receipt (送达回证)


def generate(folder: Path = PACKAGED) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    sheet = Sheet(KIND, TITLE, subject="嘉法 水网睿控文书模板")
    write(sheet)
    return sheet.save(folder)
