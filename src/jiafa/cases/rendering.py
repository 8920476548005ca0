"""Rendering the documents of a case file (文书) from their frozen content.

A document is rendered once, when it is issued (documents.issue): `render(kind, content)` fills the Word
template of its kind with docxtpl, and the bytes are stored in the evidence store under their SHA-256. The
HTML print view shows that stored file (`print_context`), so the screen, the paper and the download are the
same document; nothing is re-rendered from the case as it is now.

Templates: `$JIAFA_DATA_DIR/documents/<kind>.docx` (the bureau's own) when present, else the packaged
`cases/templates/docx/<kind>.docx`. A bureau copies the packaged file, edits it in Word keeping the `{{ … }}`
and `{%p … %}` placeholders, and puts it into its data folder; documents issued afterwards use it.
Texts a bureau sets without editing Word (where to pay, where to seek review or sue) live in
`data/document_texts.json`, overridden key by key by `$JIAFA_DATA_DIR/documents/texts.json`.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import struct
import threading
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.oxml import serialize_part_xml
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.shared import Length
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from docxtpl import DocxTemplate
from jinja2 import ChainableUndefined, StrictUndefined, Template, Undefined
from jinja2.sandbox import SandboxedEnvironment

from jiafa.cases.models import CaseDocument, Outcome, PartyKind, PenaltyKind

PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates" / "docx"
PACKAGED_TEXTS = Path(__file__).resolve().parent / "data" / "document_texts.json"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


# ── Chinese numerals ─────────────────────────────────────────────────────────────────────────────────────

_CAPITAL = ("零壹贰叁肆伍陆柒捌玖", ("", "拾", "佰", "仟"))
_LOWER = ("零一二三四五六七八九", ("", "十", "百", "千"))
_GROUPS = ("", "万", "亿", "万亿")


def _group(n: int, digits: str, units: tuple[str, ...]) -> str:
    """1..9999 in Chinese; zeros between digits are read once (一千零一), trailing zeros not at all."""
    out: list[str] = []
    zero = False
    for pos in (3, 2, 1, 0):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append(digits[0])
            zero = False
        out.append(digits[d] + units[pos])
    return "".join(out)


def _numeral(n: int, digits: str, units: tuple[str, ...]) -> str:
    if n < 0 or n >= 10**16:
        raise ValueError(f"{n} is outside 0 .. 10^16")
    if n == 0:
        return digits[0]
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out: list[str] = []
    pending_zero = False
    for i in reversed(range(len(groups))):
        g = groups[i]
        if g == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or g < 1000):
            out.append(digits[0])
        out.append(_group(g, digits, units) + _GROUPS[i])
        pending_zero = False
    return "".join(out)


def yuan_capital(yuan: int) -> str:
    """Whole yuan in capital numerals (大写), as on a decision or a receipt: 20000 → 贰万元整."""
    return _numeral(yuan, *_CAPITAL) + "元整"


def chinese_number(n: int) -> str:
    """A count in ordinary numerals, as the law writes periods: 15 → 十五, 60 → 六十, 105 → 一百零五."""
    text = _numeral(n, *_LOWER)
    return text[1:] if text.startswith("一十") else text


# ── Bureau texts and templates ───────────────────────────────────────────────────────────────────────────


def bureau_dir() -> Path:
    return Path(settings.DATA_DIR) / "documents"


def template_path(kind: str, packaged: Path = PACKAGED_TEMPLATES) -> Path:
    """The bureau's template for `kind` if it has one, else the packaged one (in `packaged`: the case file's
    folder, or another app's for a document outside a case, such as a waterway hand-over letter)."""
    builtin = packaged / f"{kind}.docx"
    if not builtin.is_file():
        raise ValueError(f"no packaged template {builtin}")  # an unknown kind is a bug, not a missing file
    own = bureau_dir() / f"{kind}.docx"
    return own if own.is_file() else builtin


@dataclass(frozen=True)
class _File:
    stamp: tuple[int, int, int]  # inode, size and modification time: a changed or replaced file reads anew
    data: bytes
    sha256: str


_FILES: dict[Path, _File] = {}


def _read(path: Path) -> _File:
    """A template's or texts file's bytes and hash, read again only once the file has changed."""
    st = path.stat()
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
    found = _FILES.get(path)
    if found is None or found.stamp != stamp:
        data = path.read_bytes()
        found = _FILES[path] = _File(stamp, data, hashlib.sha256(data).hexdigest())
    return found


def template_info(kind: str, packaged: Path = PACKAGED_TEMPLATES) -> dict[str, str]:
    """Which template a document was made from: frozen with it, so a later edit of it is traceable."""
    path = template_path(kind, packaged)
    return {
        "name": path.name,
        "source": "bureau" if path.parent != packaged else "packaged",
        "sha256": _read(path).sha256,
    }


def city_of(bureau_name: str) -> str:
    """嘉兴市交通运输局 → 嘉兴市: the government a review goes to sits in the bureau's city."""
    m = re.match(r"^(.+?[省市州盟县区旗])", bureau_name)
    return m.group(1) if m else bureau_name.removesuffix("交通运输局")


def bureau_texts(bureau_name: str) -> dict[str, str]:
    """The bureau's document texts (where to pay, review body, court, hearing place), `{city}` filled in."""
    data: dict[str, Any] = json.loads(_read(PACKAGED_TEXTS).data)["texts"]
    own = bureau_dir() / "texts.json"
    if own.is_file():
        data |= json.loads(_read(own).data).get("texts", {})
    city = str(data.pop("city", "") or city_of(bureau_name))
    return {k: str(v).replace("{city}", city) for k, v in data.items()}


# ── What a template sees ─────────────────────────────────────────────────────────────────────────────────


def date_zh(value: str | date | None) -> str:
    if not value:
        return ""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.year}年{d.month}月{d.day}日"


def datetime_zh(value: str | None) -> str:
    if not value:
        return ""
    t = datetime.fromisoformat(value)
    return f"{t.year}年{t.month}月{t.day}日{t.hour}时{t.minute:02d}分"


def period_zh(term: Mapping[str, Any] | None) -> str:
    """A frozen rule value with its unit in words: {value: 5, unit: working_days} → 五个工作日."""
    if not term:
        return ""
    n = chinese_number(int(term["value"]))
    return {"days": f"{n}日", "working_days": f"{n}个工作日", "months": f"{n}个月", "years": f"{n}年"}.get(
        str(term.get("unit", "")), n
    )


def cite(basis: Iterable[Mapping[str, str]]) -> list[str]:
    lines = []
    for item in basis:
        law = str(item.get("law", "")).strip()
        if law and not law.startswith("《"):
            law = f"《{law}》"
        lines.append(f"{law}{str(item.get('article', '')).strip()}")
    return [line for line in lines if line]


def sentence(text: str) -> str:
    text = (text or "").strip()
    return text if not text or text[-1] in "。！？；;.!?）)" else text + "。"


def penalty_text(kinds: Iterable[str], fine_yuan: int | None) -> str:
    """警告；罚款人民币20000元（大写：贰万元整）"""
    parts = []
    for kind in kinds:
        if kind == PenaltyKind.FINE and fine_yuan:
            parts.append(f"罚款人民币{fine_yuan}元（大写：{yuan_capital(fine_yuan)}）")
        else:
            parts.append(PenaltyKind(kind).label if kind in PenaltyKind.values else str(kind))
    return "；".join(parts)


def context(content: Mapping[str, Any]) -> dict[str, Any]:
    """The frozen content and the display values derived from it, the same for the DOCX and the print view."""
    c = dict(content)
    person = c.get("party_kind") != PartyKind.ORGANISATION
    terms: dict[str, Any] = c.get("terms") or {}
    fine = c.get("fine_yuan") or 0
    proposed = c.get("proposed_fine_yuan") or 0
    basis = cite(c.get("basis") or [])
    kinds = list(c.get("kinds") or [])
    outcome = str(c.get("outcome") or "")
    procedure: dict[str, Any] = c.get("procedure_history") or {}
    decision: dict[str, Any] = c.get("decision") or {}
    late_fee: dict[str, Any] | None = terms.get("late_fee")
    derived: dict[str, Any] = {
        "number_line": c.get("number") or (f"案号：{c['case_number']}" if c.get("case_number") else ""),
        "date_zh": date_zh(c.get("date")),
        "occurred_zh": datetime_zh(c.get("occurred_at")),
        "party_kind_label": PartyKind.PERSON.label if person else PartyKind.ORGANISATION.label,
        "id_label": "公民身份号码" if person else "统一社会信用代码",
        "address_label": "住址" if person else "住所",
        "you": "你" if person else "你单位",
        "officers_text": "、".join(c.get("officers") or []),
        "facts_sentence": sentence(str(c.get("facts") or "")),
        "violation_name": c.get("violation_name") or "",
        "basis_lines": basis,
        "basis_text": "、".join(basis),
        "violated_text": "、".join(cite(c.get("violated") or [])),
        "penalty_basis_text": "、".join(cite(c.get("penalty_basis") or [])),
        "kinds_text": "、".join(PenaltyKind(k).label if k in PenaltyKind.values else k for k in kinds),
        "has_fine": bool(fine),
        "fine_zh": yuan_capital(fine) if fine else "",
        "proposed_fine_zh": yuan_capital(proposed) if proposed else "",
        "penalty_text": penalty_text(kinds, fine),
        "proposed_penalty_text": penalty_text(kinds, proposed),
        "outcome_label": Outcome(outcome).label if outcome in Outcome.values else "",
        "evidence_lines": list(c.get("evidence") or []),
        "defence_until_zh": date_zh(c.get("defence_until")),
        "hearing_on_zh": date_zh(c.get("hearing_on")),
        "payment_due_zh": date_zh(c.get("payment_due")),
        "summary": c.get("procedure") == "summary",
        "texts": c.get("texts") or {},
        "payment_period": period_zh(terms.get("payment")),
        "review_period": period_zh(terms.get("review")),
        "lawsuit_period": period_zh(terms.get("lawsuit")),
        "hearing_request_period": period_zh(terms.get("hearing_request")),
        "demand_period": period_zh(terms.get("demand")),
        "late_fee_percent_zh": chinese_number(int(late_fee["value"])) if late_fee else "",
        "late_fee_basis": "".join(cite([late_fee])) if late_fee else "",
        "late_fee_zh": yuan_capital(c["late_fee_yuan"]) if c.get("late_fee_yuan") else "",
        "outstanding_zh": yuan_capital(c["outstanding_yuan"]) if c.get("outstanding_yuan") else "",
        "paid_zh": yuan_capital(c["paid_yuan"]) if c.get("paid_yuan") else "",
        "notice_number": procedure.get("notice_number", ""),
        "notice_date_zh": date_zh(procedure.get("notice_date")),
        "notice_hearing_right": bool(procedure.get("hearing_right")),
        "hearing_held_zh": date_zh(procedure.get("hearing_on")),
        "defence_made": bool(procedure.get("defence")),
        "decision_number": decision.get("number", ""),
        "decision_date_zh": date_zh(decision.get("date")),
        "decision_label": decision.get("label", ""),
        "served_document": c.get("served_document") or "",
    }
    # Every other name a template may use, so that a document issued before a key existed still renders.
    for key in TEXT_KEYS:
        derived.setdefault(key, c.get(key) or "")
    for key in NUMBER_KEYS:
        derived.setdefault(key, c.get(key) or 0)
    for key in FLAG_KEYS:
        derived.setdefault(key, bool(c.get(key)))
    return {**c, **derived}


TEXT_KEYS = (
    "bureau_name",
    "unit_name",
    "case_source",
    "text",
    "to",
    "method",
    "chair",
    "participants",
    "party_name",
    "party_id_no",
    "party_address",
    "vehicle_plate",
    "vessel_name",
    "case_number",
    "number",
    "place",
    "facts",
    "violation_code",
    "outcome",
    "date",
    "occurred_at",
)
NUMBER_KEYS = (
    "fine_yuan",
    "proposed_fine_yuan",
    "late_fee_yuan",
    "outstanding_yuan",
    "paid_yuan",
    "late_fee_paid_yuan",
)
FLAG_KEYS = ("attended", "hearing_right", "commitment_letter")


# ── Rendering ───────────────────────────────────────────────────────────────────────────────────────────


class _Environment(SandboxedEnvironment):
    """A template is a file a bureau edits: sandboxed, and every value is XML-escaped. Each part of a
    template is compiled once and kept (by its text, so an edited template compiles anew): compiling is most
    of the cost of issuing a document."""

    COMPILED_MAX = 256

    def __init__(self, undefined: type[Undefined]) -> None:
        super().__init__(autoescape=True, undefined=undefined)
        self._compiled: dict[str, Template] = {}
        self._lock = threading.Lock()

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._lock:
            found = self._compiled.get(source)
        if found is None:
            found = super().from_string(source)
            with self._lock:
                if len(self._compiled) >= self.COMPILED_MAX:
                    self._compiled.clear()
                self._compiled[source] = found
        return found


_ENVIRONMENTS = {
    strict: _Environment(StrictUndefined if strict else ChainableUndefined) for strict in (True, False)
}


class _FixedZip:
    """The zip writer python-docx's package writer is given: every part with the same fixed timestamp and
    mode, so equal content saves to equal bytes (and equal hashes)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        part = zipfile.ZipInfo(pack_uri.membername, date_time=ZIP_EPOCH)
        part.compress_type = zipfile.ZIP_DEFLATED
        part.external_attr = 0o644 << 16
        self.zip.writestr(part, blob)


def docx_bytes(document: DocxDocument) -> bytes:
    """The DOCX of a python-docx document, written once with fixed timestamps."""
    package = document.part.package
    parts = list(package.iter_parts())
    out = io.BytesIO()
    fixed = _FixedZip(out)
    writer: Any = fixed  # python-docx's writer interface is write(pack_uri, blob), which _FixedZip has
    with fixed.zip:
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, parts)
    return out.getvalue()


class _Template(DocxTemplate):
    """docxtpl's template, with the clean-up of each part's XML (patch_xml: joining the runs Word splits a
    placeholder into) done once per distinct part: it depends on the template alone."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml, super().patch_xml)

    def resolve_listing(self, xml: str) -> str:
        """docxtpl turns tabs, newlines, bells and form feeds in a value into Word's tabs, breaks, paragraphs
        and pages with three nested passes of regular expressions; XML without any of them comes out as it
        went in, so the passes are skipped (most documents)."""
        return super().resolve_listing(xml) if _LISTING.search(xml) else xml


_LISTING = re.compile("[\t\a\n\f]")


_PATCHED: dict[str, str] = {}


def _patched(src_xml: str, patch: Any) -> str:
    found = _PATCHED.get(src_xml)
    if found is None:
        if len(_PATCHED) >= _Environment.COMPILED_MAX:
            _PATCHED.clear()
        found = _PATCHED[src_xml] = patch(src_xml)
    return found


def render(
    kind: str, content: Mapping[str, Any], *, strict: bool = False, packaged: Path = PACKAGED_TEMPLATES
) -> bytes:
    """The DOCX of a document from its frozen content. `strict` refuses an unknown placeholder (for checking
    a template); issuing is lenient, so a typo in a bureau's template leaves a blank rather than blocking a
    case."""
    file = _read(template_path(kind, packaged))
    values, env = context(content), _ENVIRONMENTS[strict]
    compiled = _compiled(file, values, env)
    return compiled.render(values, env) if compiled else _render_whole(file.data, values, env)


def _render_whole(data: bytes, values: Mapping[str, Any], env: _Environment) -> bytes:
    """docxtpl's rendering of every part of the template, and the package written anew."""
    template = _Template(io.BytesIO(data))
    template.render(values, jinja_env=env, autoescape=True)
    return docx_bytes(template.docx)


_JINJA = re.compile(r"\{[{%#]")


@dataclass
class _Compiled:
    """A template whose placeholders are all in the body of its main part — the usual case. Every other part
    of the package (styles, numbering, footers without placeholders, properties …) comes out of docxtpl the
    same whatever the content, so it is written once, compressed, and copied into each document as it is;
    a document renders its body alone. The bytes are those of `_render_whole` (a test holds the two
    together)."""

    document: DocxDocument  # the pristine parsed template, never changed
    body: str  # the body's XML, cleaned for Jinja (patch_xml)
    entries: list[tuple[zipfile.ZipInfo, bytes | None]]  # in package order; None marks the main part
    shell: Any = field(init=False)  # the main part's XML with an empty body: each rendering's body fills it

    def __post_init__(self) -> None:
        self.shell = copy.deepcopy(self.document.element)
        self.shell.body.clear()

    def render(self, values: Mapping[str, Any], env: _Environment) -> bytes:
        steps = _Template(io.BytesIO())  # docxtpl's steps on the body, with this rendering's own state
        steps.docx = self.document
        steps.render_init()
        tree = steps.fix_tables(steps.render_xml_part(self.body, self.document.part, values, env))
        steps.fix_docpr_ids(tree)
        root = copy.deepcopy(self.shell)
        root.replace(root.body, tree)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for info, raw in self.entries:
                if raw is None:
                    package.writestr(copy.copy(info), serialize_part_xml(root))
                else:
                    _write_compressed(package, info, raw)
        return out.getvalue()


def _write_compressed(package: zipfile.ZipFile, info: zipfile.ZipInfo, raw: bytes) -> None:
    """Append an entry whose compressed bytes, CRC and sizes are known, as zipfile itself would write it."""
    assert package.fp is not None
    entry = copy.copy(info)
    entry.header_offset = package.fp.tell()
    package.fp.write(entry.FileHeader(False))
    package.fp.write(raw)
    package.filelist.append(entry)
    package.NameToInfo[entry.filename] = entry
    package.start_dir = package.fp.tell()


_COMPILED: dict[str, _Compiled | None] = {}


def _compiled(file: _File, values: Mapping[str, Any], env: _Environment) -> _Compiled | None:
    """The template prepared for rendering its body alone, or None when any other part has placeholders
    (headers, footers, footnotes, properties): such a template is rendered whole. Prepared from its first
    rendering (of `values`), whose parts but the body are every rendering's."""
    key, data = file.sha256, file.data
    if key in _COMPILED:
        return _COMPILED[key]
    if len(_COMPILED) >= _Environment.COMPILED_MAX:
        _COMPILED.clear()
    document = open_docx(io.BytesIO(data))
    main = document.part
    others = [part for part in main.package.iter_parts() if part is not main]
    found: _Compiled | None = None
    if not any(_JINJA.search(part.blob.decode("utf-8", "replace")) for part in others):
        steps = _Template(io.BytesIO())
        steps.docx = document
        body = steps.patch_xml(steps.get_xml())
        whole = _render_whole(data, values, env)
        with zipfile.ZipFile(io.BytesIO(whole)) as package:
            entries = [
                (info, None if info.filename == main.partname.membername else _raw(whole, info))
                for info in package.infolist()
            ]
        found = _Compiled(document, body, entries)
    _COMPILED[key] = found
    return found


def _raw(package: bytes, info: zipfile.ZipInfo) -> bytes:
    """An entry's compressed bytes, read past its local header."""
    name_len, extra_len = struct.unpack("<HH", package[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    return package[start : start + info.compress_size]


def docx_text(data: bytes) -> str:
    """All text of a DOCX, paragraph by paragraph, tables included (for tests and for searching)."""
    lines: list[str] = []
    for block in to_blocks(data).blocks:
        if block.kind == "table":
            lines.extend("\t".join(cell_text(cell) for cell in row) for row in block.rows)
        else:
            lines.append(block.text)
    return "\n".join(lines)


# ── The print view: the stored DOCX as HTML ──────────────────────────────────────────────────────────────

_ALIGN = {
    WD_ALIGN_PARAGRAPH.CENTER: "center",
    WD_ALIGN_PARAGRAPH.RIGHT: "right",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "justify",
    WD_ALIGN_PARAGRAPH.DISTRIBUTE: "justify",
}


@dataclass
class Span:
    text: str
    css: str = ""


@dataclass
class Block:
    kind: str  # "p", "table" or "page_break"
    css: str = ""
    spans: list[Span] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # table columns, in mm

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass
class Cell:
    blocks: list[Block]
    colspan: int = 1
    css: str = ""


def cell_text(cell: Cell) -> str:
    return " ".join(b.text for b in cell.blocks)


@dataclass
class Paper:
    blocks: list[Block]
    margins_mm: tuple[float, float, float, float]  # top, right, bottom, left
    width_mm: float
    height_mm: float


def _pt(length: Length | None) -> float | None:
    return None if length is None else round(length.pt, 1)


def _mm(length: Length | None, default: float) -> float:
    return default if length is None else round(length.mm, 1)


def _para_attr(p: Paragraph, name: str) -> Any:
    value = getattr(p.paragraph_format, name)
    style = p.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, name)
        style = style.base_style
    return value


def _font_attr(run: Run, p: Paragraph, name: str) -> Any:
    value = getattr(run.font, name)
    style = p.style
    while value is None and style is not None:
        value = getattr(style.font, name)
        style = style.base_style
    return value


def _east_asian_font(run: Run, p: Paragraph) -> str:
    for rpr in (run._r.rPr, *(s.element.rPr for s in _style_chain(p))):
        fonts = rpr.rFonts if rpr is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return str(fonts.get(qn("w:eastAsia")))
    return ""


def _style_chain(p: Paragraph) -> Iterable[Any]:
    style = p.style
    while style is not None:
        yield style
        style = style.base_style


_FAMILIES = {"黑": "jf-hei", "楷": "jf-kai", "仿宋": "jf-fangsong"}


def _span(run: Run, p: Paragraph) -> Span:
    css = []
    size = _pt(_font_attr(run, p, "size"))
    if size:
        css.append(f"font-size:{size}pt")
    if _font_attr(run, p, "bold"):
        css.append("font-weight:bold")
    if _font_attr(run, p, "underline"):
        css.append("text-decoration:underline")
    family = _east_asian_font(run, p)
    cls = next((c for key, c in _FAMILIES.items() if key in family), "")
    if cls:
        css.append(f"font-family:var(--{cls})")
    return Span(run.text, ";".join(css))


def _paragraph(p: Paragraph) -> list[Block]:
    css = []
    align = _ALIGN.get(_para_attr(p, "alignment"))
    if align:
        css.append(f"text-align:{align}")
    for attr, prop in (
        ("first_line_indent", "text-indent"),
        ("left_indent", "margin-left"),
        ("right_indent", "margin-right"),
        ("space_before", "margin-top"),
        ("space_after", "margin-bottom"),
    ):
        value = _pt(_para_attr(p, attr))
        if value:
            css.append(f"{prop}:{value}pt")
    spacing = _para_attr(p, "line_spacing")
    if isinstance(spacing, Length):
        css.append(f"line-height:{_pt(spacing)}pt")
    elif isinstance(spacing, float):
        css.append(f"line-height:{spacing}")
    blocks = [Block("page_break")] if _para_attr(p, "page_break_before") else []
    spans = [_span(run, p) for run in p.runs]
    blocks.append(Block("p", ";".join(css), spans))
    if any(br.get(qn("w:type")) == "page" for br in p._p.iter(qn("w:br"))):
        blocks.append(Block("page_break"))
    return blocks


def _cell(tc: Any, table: Table) -> Cell:
    cell = _Cell(tc, table)
    blocks = [b for p in cell.paragraphs for b in _paragraph(p) if b.kind == "p"]
    return Cell(blocks, colspan=int(tc.grid_span))


def _table(table: Table) -> Block:
    rows = [[_cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    widths = [_mm(col.width, 0) for col in table.columns]
    return Block("table", rows=rows, widths=widths)


def to_blocks(data: bytes) -> Paper:
    document: DocxDocument = open_docx(io.BytesIO(data))
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.extend(_paragraph(item))
        else:
            blocks.append(_table(item))
    section = document.sections[0]
    margins = (
        _mm(section.top_margin, 37),
        _mm(section.right_margin, 26),
        _mm(section.bottom_margin, 35),
        _mm(section.left_margin, 28),
    )
    return Paper(blocks, margins, _mm(section.page_width, 210), _mm(section.page_height, 297))


@dataclass
class Frozen:
    """A document's file as stored (or, for a document issued before files were kept, rendered now from its
    frozen content) and whether the stored file still has the hash it was issued with."""

    data: bytes
    stored: bool
    intact: bool
    sha256: str


def frozen_file(document: CaseDocument) -> Frozen:
    if document.blob is None:
        data = render(document.kind, legacy_content(document))
        return Frozen(data, stored=False, intact=True, sha256=hashlib.sha256(data).hexdigest())
    data = Path(document.blob.path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    return Frozen(data, stored=True, intact=digest == document.blob.sha256, sha256=digest)


def legacy_content(document: CaseDocument) -> dict[str, Any]:
    """Content of a document issued before documents were rendered: the keys issue() now adds that cannot
    have changed since (the bureau, the periods in force on the document's date, its own number), and the
    bureau's texts as they are now — the print view says that such a document was not frozen."""
    from jiafa.cases import documents  # documents renders through this module

    bureau = document.case.org_unit.bureau().name
    on = date.fromisoformat(document.content["date"]) if document.content.get("date") else None
    terms = (
        {name: documents.term(key, on) for name, key in documents.TERMS.get(document.kind, {}).items()}
        if on
        else {}
    )
    return {
        "bureau_name": bureau,
        "texts": bureau_texts(bureau),
        "terms": terms,
        **document.content,
        "number": document.number,
    }


def print_context(document: CaseDocument) -> dict[str, Any]:
    """What the print view shows: the frozen file's paragraphs and tables with their layout, and its hash."""
    frozen = frozen_file(document)
    paper = to_blocks(frozen.data)
    return {
        "document": document,
        "case": document.case,
        "paper": paper,
        "frozen": frozen,
        "title": f"{document.get_kind_display()} {document.number}".strip(),
    }
