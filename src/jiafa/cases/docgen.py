"""The packaged Word templates of the case file (cases/templates/docx/<kind>.docx), as code.

The .docx files are what a bureau edits (see rendering.py); this module is how the packaged ones are made, so
that a change to their wording is a reviewable diff:

    jiafa shell -c "from jiafa.cases import docgen; docgen.generate()"     # rewrite the packaged ones
    jiafa shell -c "from pathlib import Path; from jiafa.cases import docgen; docgen.generate(Path('out'))"

Layout after GB/T 9704-2012: A4, margins 37/26/35/28 mm, the issuing body and the document's name centred in
bold 宋体, the number right-aligned in 仿宋, the body in 宋体 四号 with a two-character first-line indent,
the seal line and the date at the right. Fonts are named only; Word and LibreOffice substitute what is
installed. Placeholders are docxtpl's Jinja: {{ value }} inside a paragraph, {%p if … %} / {%p for … %} as a
paragraph of their own. The names a template may use are those of rendering.context().
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle

from jiafa.cases.models import DocumentKind
from jiafa.cases.rendering import PACKAGED_TEMPLATES, docx_bytes

K = DocumentKind
SONG, FANGSONG, LATIN = "宋体", "仿宋", "Times New Roman"
BODY_PT = 14  # 四号
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PARTY_LINES = (
    ("party_address", "{{ address_label }}：{{ party_address }}"),
    ("vehicle_plate", "车辆号牌：{{ vehicle_plate }}"),
    ("vessel_name", "船舶名称：{{ vessel_name }}"),
)
BLANK = "　" * 8  # room to sign by hand
PENALTY_LAW = "《中华人民共和国行政处罚法》"


def _fonts(style: ParagraphStyle, east_asian: str, size: float, *, bold: bool = False) -> None:
    style.font.name = LATIN
    style.font.size = Pt(size)
    style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style(
    doc: DocxDocument,
    name: str,
    east_asian: str,
    size: float,
    *,
    bold: bool = False,
    align: int | None = None,
    first_indent: float = 0,
    left: float = 0,
    right: float = 0,
    line: float | None = None,
    before: float = 0,
    after: float = 0,
) -> None:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = doc.styles["Normal"]
    _fonts(style, east_asian, size, bold=bold)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Pt(first_indent) if first_indent else None
    fmt.left_indent = Pt(left) if left else None
    fmt.right_indent = Pt(right) if right else None
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line or round(size * 1.85))
    fmt.widow_control = True
    style.quick_style = True


def _page_number(doc: DocxDocument) -> None:
    """第 N 页 共 M 页, centred in the footer."""
    p = doc.sections[0].footer.paragraphs[0]
    p.style = doc.styles["JF Note"]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("第 ", "PAGE"), (" 页 共 ", "NUMPAGES"), (" 页", "")):
        p.add_run(text)
        if field:
            simple = OxmlElement("w:fldSimple")
            simple.set(qn("w:instr"), field)
            run = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = "1"
            run.append(t)
            simple.append(run)
            p._p.append(simple)


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>嘉法</Application></Properties>"
)
UNWANTED = ("/thumbnail", "/customXml", "/stylesWithEffects")


def _strip(doc: DocxDocument) -> None:
    """Leave out what python-docx's blank document carries besides styles: its thumbnail picture, custom XML,
    Word 2010 style effects and the name of the program that made it."""
    package = doc.part.package
    for rels in (package.rels, doc.part.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype.endswith(UNWANTED):
                rels.pop(r_id)
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = APP_XML.encode()
    _prune_styles(doc)


STYLE_REFERENCES = ("w:pStyle", "w:rStyle", "w:tblStyle")
STYLE_LINKS = ("w:basedOn", "w:next", "w:link")


def _prune_styles(doc: DocxDocument) -> None:
    """Keep only the styles the template uses (with those they are based on or linked to, and each type's
    default): python-docx's blank document carries some 160 styles and 370 latent ones, 350 KB that every
    issued document would otherwise parse, write and store again."""
    root = doc.styles.element
    used = set()
    for part in doc.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None or part.partname == "/word/styles.xml":
            continue
        for tag in STYLE_REFERENCES:
            used |= {e.get(qn("w:val")) for e in element.iter(qn(tag))}
    by_id = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
    used |= {i for i, s in by_id.items() if s.get(qn("w:default")) in ("1", "true")}
    todo = list(used)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:
            continue
        for tag in STYLE_LINKS:
            link = style.find(qn(tag))
            target = link.get(qn("w:val")) if link is not None else None
            if target and target not in used:
                used.add(target)
                todo.append(target)
    for style_id, style in by_id.items():
        if style_id not in used:
            root.remove(style)
    latent = root.find(qn("w:latentStyles"))
    if latent is not None:
        root.remove(latent)


class Sheet:
    """One template being written: a thin layer over python-docx with the document's vocabulary."""

    def __init__(self, name: str, label: str, subject: str = "嘉法 案卷文书模板") -> None:
        self.name, self.label = name, label  # the template's file name (without .docx) and the title
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(15), Mm(20)
        normal = self.doc.styles["Normal"]
        assert isinstance(normal, ParagraphStyle)
        _fonts(normal, SONG, BODY_PT)
        normal.paragraph_format.space_after = Pt(0)
        indent = BODY_PT * 2
        _style(self.doc, "JF Org", SONG, 20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, line=34)
        _style(self.doc, "JF Title", SONG, 22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, line=38, after=6)
        _style(self.doc, "JF Number", FANGSONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, after=14)
        _style(self.doc, "JF Field", SONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        _style(self.doc, "JF Heading", SONG, BODY_PT, bold=True, before=6)
        _style(self.doc, "JF Body", SONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_indent=indent)
        _style(self.doc, "JF Item", SONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, left=indent)
        _style(self.doc, "JF Seal", SONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, right=indent)
        _style(self.doc, "JF Sign", SONG, BODY_PT, before=6)
        _style(self.doc, "JF Note", FANGSONG, 10.5, line=18, before=8)
        _style(self.doc, "JF Cell", SONG, 12, line=21)
        _page_number(self.doc)
        props = self.doc.core_properties
        props.title, props.subject = label, subject
        props.author = props.last_modified_by = "嘉法"
        props.comments = f"文书种类 {name}；占位符说明见 jiafa.cases.docgen"
        props.keywords = props.category = ""
        props.created = props.modified = FIXED_DATE
        props.revision = 1

    # paragraphs -----------------------------------------------------------------------------------------

    def p(self, text: str, style: str = "JF Body") -> None:
        self.doc.add_paragraph(text, style=style)

    def tag(self, tag: str) -> None:
        """A docxtpl control paragraph: {%p if x %}, {%p endif %}, {%p for … %} — removed when rendered."""
        self.doc.add_paragraph("{%p " + tag + " %}", style="JF Field")

    def when(self, condition: str, *lines: tuple[str, str]) -> None:
        """Paragraphs (text, style) that appear only if `condition` holds."""
        self.tag(f"if {condition}")
        for text, style in lines:
            self.p(text, style)
        self.tag("endif")

    def head(self, title: str = "") -> None:
        self.p("{{ bureau_name }}", "JF Org")
        self.p(title or self.label, "JF Title")
        self.p("{{ number_line }}", "JF Number")

    def party(self, label: str = "当事人") -> None:
        self.p(label + "：{{ party_name }}", "JF Field")
        self.p("{{ id_label }}：{{ party_id_no }}", "JF Field")
        for key, text in PARTY_LINES:
            self.when(key, (text, "JF Field"))

    def addressee(self) -> None:
        self.p("{{ party_name }}：", "JF Field")

    def facts(self, who: str = "当事人", opening: str = "经查") -> None:
        self.p(
            opening + "，" + who + "于{{ occurred_zh }}在{{ place }}实施了违法行为"
            "{% if violation_name %}（{{ violation_name }}）{% endif %}，事实如下：{{ facts_sentence }}"
        )

    def basis(self, who: str = "当事人", lead: str = "上述行为的法律依据：") -> None:
        """The articles: split into the provision violated and the penalty provision when the content says
        which is which, else as one list, else a line that sends the reader to the case file."""
        self.tag("if violated_text and penalty_basis_text")
        self.p(who + "的上述行为违反了{{ violated_text }}的规定。处罚依据为{{ penalty_basis_text }}。")
        self.tag("elif basis_lines")
        self.p(lead + "{{ basis_text }}。")
        self.tag("else")
        self.p("（法律依据见案卷）")
        self.tag("endif")

    def remedies(self, who: str = "当事人") -> None:
        self.p(
            who + "如不服本决定，可以自收到本决定书之日起{{ review_period }}内向"
            "{{ texts.review_body }}申请行政复议，或者在{{ lawsuit_period }}内依法向"
            "{{ texts.court }}提起行政诉讼。"
            "行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外。"
        )

    def seal(self) -> None:
        """The issuing body and the date at the right, kept on one page with the paragraph before them."""
        last = self.doc.paragraphs[-1]
        if not last.text.startswith("{%p"):  # a control paragraph disappears when rendered
            last.paragraph_format.keep_with_next = True
        for text, style in (("", "JF Field"), ("{{ bureau_name }}（印章）", "JF Seal")):
            self.doc.add_paragraph(text, style=style).paragraph_format.keep_with_next = True
        self.p("{{ date_zh }}", "JF Seal")

    def sign(self, *who: str, dated: bool = True) -> None:
        for label in who:
            self.p(label + "（签名）：" + BLANK + ("　　年　　月　　日" if dated else ""), "JF Sign")

    def receipt(self, who: str = "当事人") -> None:
        self.p(who + "签收：" + BLANK + "　　年　　月　　日", "JF Sign")

    def note(self, text: str = "{{ texts.copies }}") -> None:
        self.p(text, "JF Note")

    def items(self, var: str) -> None:
        self.tag(f"for line in {var}")
        self.p("{{ loop.index }}．{{ line }}", "JF Item")
        self.tag("endfor")

    # tables ---------------------------------------------------------------------------------------------

    def table(
        self,
        widths_mm: Sequence[float],
        rows: Sequence[Sequence[str | tuple[str, int]]],
        tall: dict[int, float] | None = None,
    ) -> None:
        """Rows of cells; a cell is text or (text, columns it spans). `tall` sets minimum row heights (mm)."""
        table = self.doc.add_table(rows=len(rows), cols=len(widths_mm))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for r, row in enumerate(rows):
            col = 0
            for cell_spec in row:
                text, span = (cell_spec, 1) if isinstance(cell_spec, str) else cell_spec
                cell = table.cell(r, col)
                if span > 1:
                    cell = cell.merge(table.cell(r, col + span - 1))
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                paragraph = cell.paragraphs[0]
                paragraph.style = self.doc.styles["JF Cell"]
                paragraph.add_run(text)
                if col % 2 == 0 and span == 1 and len(widths_mm) > 1:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                col += span
            if tall and r in tall:
                table.rows[r].height = Mm(tall[r])
        for i, width in enumerate(widths_mm):
            table.columns[i].width = Mm(width)  # the grid, which LibreOffice follows
            for cell in table.columns[i].cells:  # and each cell, which Word follows
                cell.width = Mm(width)

    def save(self, folder: Path) -> Path:
        _strip(self.doc)
        path = folder / f"{self.name}.docx"
        path.write_bytes(docx_bytes(self.doc))
        return path


# ── The documents ───────────────────────────────────────────────────────────────────────────────────────

TEXT_WIDTH = 156  # mm between the margins


def filing_form(s: Sheet) -> None:
    s.head()
    w = (28, 50, 28, 50)
    s.table(
        w,
        [
            ("案件来源", "{{ case_source }}", "立案日期", "{{ date_zh }}"),
            ("案由", ("{{ violation_name or violation_code }}", 3)),
            ("当事人", "{{ party_name }}", "{{ id_label }}", "{{ party_id_no }}"),
            ("{{ address_label }}", ("{{ party_address }}", 3)),
            ("车辆/船舶", "{{ vehicle_plate }}{{ vessel_name }}", "承办单位", "{{ unit_name }}"),
            ("违法时间", "{{ occurred_zh }}", "违法地点", "{{ place }}"),
            ("简要案情", ("{{ facts }}", 3)),
            ("承办人员", ("{{ officers_text }}", 3)),
            (
                "承办人意见",
                (
                    "经初步核查，当事人涉嫌违法，符合立案条件，建议立案调查。\n\n"
                    "承办人（签名）：" + BLANK + "　　年　　月　　日",
                    3,
                ),
            ),
            ("负责人意见", ("同意立案。\n\n负责人（签名）：" + BLANK + "{{ date_zh }}", 3)),
        ],
        tall={6: 40, 8: 28, 9: 28},
    )


def _record(s: Sheet, *, place: bool, who: str, heading: str, tail: str = "") -> None:
    s.head()
    s.p("时间：{{ date_zh }}", "JF Field")
    if place:
        s.p("地点：{{ place }}", "JF Field")
    s.p("执法人员：{{ officers_text }}", "JF Field")
    s.p("案由：{{ violation_name or '涉嫌违法行为' }}（违法时间：{{ occurred_zh }}）", "JF Field")
    s.party(who)
    s.p(heading, "JF Heading")
    s.p("{{ text }}")
    if tail:
        s.p(tail)
    s.p("以上记录已交" + who + "核对（或者已向其宣读），" + who + "确认无误。")
    s.sign(who, "执法人员")


def on_site_record(s: Sheet) -> None:
    _record(s, place=True, who="当事人", heading="现场情况：")


def inquiry_record(s: Sheet) -> None:
    _record(s, place=False, who="被询问人", heading="询问内容：")


def inspection_record(s: Sheet) -> None:
    _record(s, place=True, who="当事人（见证人）", heading="勘验情况：")


def evidence_list(s: Sheet) -> None:
    s.head()
    s.party()
    s.p("案由：{{ violation_name or '涉嫌违法行为' }}", "JF Field")
    s.p("登记保存的证据：", "JF Heading")
    s.p("{{ text }}")
    s.p(
        "根据" + PENALTY_LAW + "第五十六条的规定，在证据可能灭失或者以后难以取得的情况下，"
        "经本机关负责人批准，对上述证据先行登记保存。登记保存期间，当事人或者有关人员不得销毁或者转移证据。本机关将在七日内"
        "及时作出处理决定。"
    )
    s.seal()
    s.sign("当事人", "执法人员")


def investigation_report(s: Sheet) -> None:
    s.head()
    s.p("案由：{{ violation_name or violation_code }}", "JF Field")
    s.party()
    s.p("一、案件事实", "JF Heading")
    s.facts(opening="经调查")
    s.p("二、调查情况", "JF Heading")
    s.p("{{ text or '详见案卷调查材料。' }}")
    s.p("三、法律依据", "JF Heading")
    s.basis(lead="")
    s.p("四、处理意见", "JF Heading")
    s.p("建议{{ outcome_label }}{% if kinds_text %}：{{ proposed_penalty_text }}{% endif %}。")
    s.p("承办人：{{ officers_text }}　　{{ date_zh }}", "JF Sign")
    s.p("负责人审批意见：", "JF Sign")
    s.sign("负责人")


def legal_review(s: Sheet) -> None:
    s.head()
    s.p("案由：{{ violation_name or violation_code }}", "JF Field")
    s.party()
    s.p("承办人员：{{ officers_text }}", "JF Field")
    s.p(
        "拟处罚：{% if proposed_fine_yuan %}罚款人民币{{ proposed_fine_yuan }}元"
        "（大写：{{ proposed_fine_zh }}）{% else %}见案件处理意见书{% endif %}",
        "JF Field",
    )
    s.p("审核意见：", "JF Heading")
    s.p("{{ text }}")
    s.p("法制审核人员（签名）：" + BLANK + "{{ date_zh }}", "JF Sign")


def discussion_record(s: Sheet) -> None:
    s.head()
    s.p("时间：{{ date_zh }}", "JF Field")
    s.p("参加人员：{{ participants }}", "JF Field")
    s.p("案由：{{ violation_name or violation_code }}", "JF Field")
    s.p("当事人：{{ party_name }}", "JF Field")
    s.p("汇报人：{{ officers_text }}", "JF Field")
    s.p("讨论意见及结论：", "JF Heading")
    s.p("{{ text }}")
    s.sign("参加人员", dated=False)
    s.sign("记录人")


def notice(s: Sheet) -> None:
    s.head()
    s.addressee()
    s.facts(who="{{ you }}", opening="经调查")
    s.basis(who="{{ you }}")
    s.p("根据上述事实和依据，本机关拟对{{ you }}作出如下行政处罚：{{ proposed_penalty_text }}。")
    s.p(
        "根据" + PENALTY_LAW + "第四十四条、第四十五条的规定，{{ you }}有权进行陈述和申辩。"
        "本机关不因{{ you }}陈述、申辩而给予更重的处罚。"
    )
    s.tag("if hearing_right")
    s.p(
        "根据" + PENALTY_LAW + "第六十三条、第六十四条的规定，{{ you }}有权要求举行听证。"
        "要求听证的，应当自收到本通知书之日起{{ hearing_request_period }}内，"
        "即{{ defence_until_zh }}前（含当日）向本机关提出；"
        "逾期未提出的，视为放弃听证权利。陈述、申辩意见也请在此期限内提出。"
    )
    s.tag("else")
    s.p(
        "{{ you }}如需陈述、申辩，请于{{ defence_until_zh }}前（含当日）向本机关提出；逾期未提出的，视为放弃"
        "陈述、申辩权利。"
    )
    s.tag("endif")
    s.p("联系人：{{ officers_text }}", "JF Item")
    s.seal()
    s.receipt()
    s.note()


def defence_record(s: Sheet) -> None:
    _record(s, place=False, who="陈述申辩人", heading="陈述申辩内容：")


def hearing_notice(s: Sheet) -> None:
    s.head()
    s.addressee()
    s.p(
        "根据{{ you }}的申请，本机关定于{{ hearing_on_zh }}在{{ texts.hearing_place }}就{{ you }}"
        "{{ violation_name or '涉嫌违法' }}一案举行听证，听证主持人：{{ chair }}。请{{ you }}准时参加。"
    )
    s.p(
        "{{ you }}可以亲自参加听证，也可以委托一至二人代理；委托代理人参加的，"
        "应当提交载明委托事项和权限的授权委托书。{{ you }}认为主持人与本案有直接利害关系的，有权申请回避。"
    )
    s.p(
        "{{ you }}及其代理人无正当理由拒不出席听证或者未经许可中途退出听证的，"
        "视为放弃听证权利，本机关终止听证（" + PENALTY_LAW + "第六十四条）。"
    )
    s.p("联系人：{{ officers_text }}", "JF Item")
    s.seal()
    s.receipt()
    s.note()


def hearing_record(s: Sheet) -> None:
    s.head()
    s.p("听证时间：{{ date_zh }}", "JF Field")
    s.p("案由：{{ violation_name or violation_code }}", "JF Field")
    s.party()
    s.p("案件调查人员：{{ officers_text }}", "JF Field")
    s.p(
        "当事人到场情况：{% if attended %}当事人到场参加听证{% else %}当事人无正当理由未到场，视为放弃听证"
        "{% endif %}",
        "JF Field",
    )
    s.p("听证记录：", "JF Heading")
    s.p("{{ text }}")
    s.p("以上笔录经当事人或者其代理人核对无误。")
    s.sign("当事人或代理人", "听证主持人", "记录人")


def decision(s: Sheet) -> None:
    s.head()
    s.party()
    s.facts()
    s.p("证据：", "JF Heading")
    s.tag("if evidence_lines")
    s.items("evidence_lines")
    s.tag("else")
    s.p("以上违法事实，有本案调查取证材料在案佐证。")
    s.tag("endif")
    s.basis()
    s.when(
        "notice_number",
        (
            "本机关于{{ notice_date_zh }}以违法行为通知书（{{ notice_number }}）告知当事人拟作出行政处罚的"
            "事实、理由、依据和处罚内容，以及依法享有的陈述、申辩"
            "{% if notice_hearing_right %}、要求听证{% endif %}的权利。"
            "{% if hearing_held_zh %}应当事人申请，本机关于{{ hearing_held_zh }}依法举行了听证。{% endif %}"
            "{% if defence_made %}当事人提出了陈述、申辩，本机关已进行复核。{% endif %}",
            "JF Body",
        ),
    )
    s.p("根据上述事实和依据，本机关决定对当事人给予如下行政处罚：{{ penalty_text }}。")
    s.when(
        "has_fine",
        (
            "当事人应当自收到本决定书之日起{{ payment_period }}内缴纳罚款。{{ texts.payment }}。"
            "到期不缴纳罚款的，本机关依据{{ late_fee_basis }}的规定，"
            "每日按罚款数额的百分之{{ late_fee_percent_zh }}加处罚款，"
            "加处罚款的数额不超出罚款的数额。",
            "JF Body",
        ),
    )
    s.remedies()
    s.when(
        "has_fine",
        (
            "当事人逾期不申请行政复议、不提起行政诉讼，又不履行本决定的，本机关将依法申请人民法院强制执行。",
            "JF Body",
        ),
    )
    s.when("summary", ("执法人员：{{ officers_text }}", "JF Item"))
    s.seal()
    s.receipt()
    s.note()


def no_penalty_decision(s: Sheet) -> None:
    s.head()
    s.party()
    s.facts()
    s.basis()
    s.when(
        'outcome == "minor_exemption"',
        (
            "本机关认为，当事人的违法行为轻微并及时改正，没有造成危害后果。根据"
            + PENALTY_LAW
            + "第三十三条第一款的规定，本机关决定不予行政处罚，并依照该条第三款的规定对当事人进行教育。",
            "JF Body",
        ),
    )
    s.when(
        'outcome == "first_violation_exemption"',
        (
            "本机关认为，当事人系初次违法，危害后果轻微并及时改正{% if commitment_letter %}，已签署承诺书"
            "{% endif %}。根据" + PENALTY_LAW + "第三十三条第一款的规定，本机关决定不予行政处罚，"
            "并依照该条第三款的规定对当事人进行教育。",
            "JF Body",
        ),
    )
    s.when(
        'outcome == "not_established"',
        (
            "本机关认为，当事人违法事实不能成立。根据"
            + PENALTY_LAW
            + "第五十七条第一款第（三）项的规定，本机关决定不予行政处罚。",
            "JF Body",
        ),
    )
    s.remedies()
    s.seal()
    s.receipt()
    s.note()


def service_receipt(s: Sheet) -> None:
    s.head()
    s.table(
        (44, TEXT_WIDTH - 44),
        [
            ("送达文书名称及文号", "{{ served_document }}"),
            ("受送达人", "{{ party_name }}"),
            ("送达地点", "{{ party_address }}"),
            ("送达方式", "{{ method }}"),
            ("送达时间", "{{ date_zh }}"),
            ("受送达人签名或盖章", "\n\n" + "　" * 10 + "年　　月　　日"),
            ("代收人及代收理由", ""),
            ("送达人", "{{ officers_text }}"),
            ("见证人", ""),
            ("备注", ""),
        ],
        tall={5: 30, 6: 16, 8: 16, 9: 16},
    )
    s.note(
        "受送达人拒绝签收的，送达人应当在备注栏注明情况，由见证人签名，并采用拍照、录像等方式记录送达过程。"
    )


def demand_notice(s: Sheet) -> None:
    s.head()
    s.addressee()
    s.p(
        "本机关于{{ decision_date_zh }}作出{{ decision_label }}（{{ decision_number }}），决定对{{ you }}"
        "罚款人民币{{ fine_yuan }}元（大写：{{ fine_zh }}）。{{ you }}应当于{{ payment_due_zh }}前缴纳罚款，"
        "至今未履行。"
    )
    s.p(
        "根据《中华人民共和国行政强制法》第三十五条、第五十四条的规定，现催告{{ you }}自收到本催告书之日起"
        "{{ demand_period }}内履行下列义务：缴纳罚款人民币{{ fine_yuan }}元（大写：{{ fine_zh }}）"
        "{% if late_fee_yuan %}，以及按日加处的罚款，截至{{ date_zh }}为人民币{{ late_fee_yuan }}元"
        "（大写：{{ late_fee_zh }}）{% endif %}。{{ texts.payment }}。"
    )
    s.p(
        "{{ you }}有权进行陈述和申辩；如需陈述、申辩，请在上述期限内向本机关提出。"
        "逾期仍不履行的，本机关将依法申请人民法院强制执行。"
    )
    s.p("联系人：{{ officers_text }}", "JF Item")
    s.seal()
    s.receipt()
    s.note()


def court_application(s: Sheet) -> None:
    s.head()
    s.p("申请人：{{ bureau_name }}", "JF Field")
    s.party("被申请人")
    s.p("申请事项：", "JF Heading")
    s.p(
        "请求依法强制执行本机关{{ decision_label }}（{{ decision_number }}）："
        "罚款人民币{{ outstanding_yuan }}元（大写：{{ outstanding_zh }}）"
        "{% if late_fee_yuan %}，加处罚款人民币{{ late_fee_yuan }}元"
        "（大写：{{ late_fee_zh }}）{% endif %}。"
    )
    s.p("事实和理由：", "JF Heading")
    s.p(
        "被申请人于{{ occurred_zh }}在{{ place }}实施违法行为，本机关于{{ decision_date_zh }}作出"
        "{{ decision_label }}（{{ decision_number }}）并依法送达。被申请人在法定期限内未申请行政复议、未提起"
        "行政诉讼，又不履行该决定；经本机关书面催告，仍未履行。根据《中华人民共和国行政强制法》第五十三条、"
        "第五十四条的规定，特申请强制执行。"
    )
    s.p("此致", "JF Item")
    s.p("{{ texts.enforcement_court }}", "JF Field")
    s.p("附：1．行政处罚决定书及送达回证；2．催告书及送达回证；3．其他有关材料。", "JF Field")
    s.seal()


def transfer_letter(s: Sheet) -> None:
    s.head()
    s.p("{{ to }}：", "JF Field")
    s.p(
        "本机关在查处{{ party_name }}{{ violation_name or '涉嫌违法' }}一案"
        "（案号：{{ case_number }}）中查明：{{ facts_sentence }}"
    )
    s.p("移送理由：{{ text }}")
    s.p(
        "{% if outcome == 'criminal_transfer' %}根据" + PENALTY_LAW + "第二十七条第一款的规定，该案涉嫌犯罪，"
        "{% else %}该案不属本机关管辖，{% endif %}现将该案移送你单位依法处理，请于收到本移送书后书面告知处理"
        "结果。"
    )
    s.p("附：案卷材料（清单附后）", "JF Item")
    s.seal()
    s.receipt("接收单位")


def closing_report(s: Sheet) -> None:
    s.head()
    s.p("案由：{{ violation_name or violation_code }}", "JF Field")
    s.party()
    s.p("承办人员：{{ officers_text }}", "JF Field")
    s.p("处理结果：", "JF Heading")
    s.p(
        "{% if decision_number %}本机关于{{ decision_date_zh }}作出{{ decision_label }}"
        "（{{ decision_number }}）"
        "{% if has_fine %}，罚款人民币{{ fine_yuan }}元（大写：{{ fine_zh }}）{% endif %}。"
        "{% else %}见案卷。{% endif %}"
    )
    s.when(
        "has_fine",
        (
            "执行情况：当事人已缴纳罚款人民币{{ paid_yuan }}元{% if late_fee_paid_yuan %}、加处罚款人民币"
            "{{ late_fee_paid_yuan }}元{% endif %}。",
            "JF Body",
        ),
    )
    s.p("结案意见：", "JF Heading")
    s.p("{{ text or '本案已办理完毕，建议结案。' }}")
    s.p("承办人：{{ officers_text }}　　{{ date_zh }}", "JF Sign")
    s.p("负责人审批意见：", "JF Sign")
    s.sign("负责人")


WRITERS: dict[DocumentKind, Callable[[Sheet], None]] = {
    K.FILING_FORM: filing_form,
    K.ON_SITE_RECORD: on_site_record,
    K.INQUIRY_RECORD: inquiry_record,
    K.INSPECTION_RECORD: inspection_record,
    K.EVIDENCE_LIST: evidence_list,
    K.INVESTIGATION_REPORT: investigation_report,
    K.LEGAL_REVIEW: legal_review,
    K.DISCUSSION_RECORD: discussion_record,
    K.NOTICE: notice,
    K.DEFENCE_RECORD: defence_record,
    K.HEARING_NOTICE: hearing_notice,
    K.HEARING_RECORD: hearing_record,
    K.DECISION: decision,
    K.NO_PENALTY_DECISION: no_penalty_decision,
    K.SERVICE_RECEIPT: service_receipt,
    K.DEMAND_NOTICE: demand_notice,
    K.COURT_APPLICATION: court_application,
    K.TRANSFER_LETTER: transfer_letter,
    K.CLOSING_REPORT: closing_report,
}


def generate(folder: Path = PACKAGED_TEMPLATES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in DocumentKind:
        sheet = Sheet(kind.value, kind.label)
        WRITERS[kind](sheet)
        written.append(sheet.save(folder))
    return written
