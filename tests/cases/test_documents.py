"""Documents of the case file are real documents: a DOCX rendered from the Word template of their kind when
they are issued, stored under its SHA-256 and never rendered again from the case; a print view that shows
that file; both only within the jurisdiction. The decision states what law.md §2 requires of it."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from jiafa.cases import actions, rendering
from jiafa.cases.models import Case, CaseDocument, DocumentKind
from jiafa.core.roles import Role
from tests.cases.conftest import HEARING_PATH, S, Team, advance, register, step
from tests.conftest import TONGXIANG

pytestmark = pytest.mark.django_db

VIOLATION_NAME = "车货总质量超过限定标准，违法超限运输"  # CX-01 of the violation catalogue
DECISION_NUMBER = "嘉交执罚〔2026〕第00001号"
FINE = "罚款人民币20000元（大写：贰万元整）"


@pytest.fixture
def without_basis(monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot without the violation's name and legal basis (as taken before the catalogue existed)."""
    plain = actions._snapshot

    def snapshot(case: Case) -> dict[str, Any]:
        return {k: v for k, v in plain(case).items() if k not in ("basis", "violation_name")}

    monkeypatch.setattr(actions, "_snapshot", snapshot)


def text_of(data: bytes) -> str:
    """What a reader of the Word file sees: every paragraph, then every table cell."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def stored(document: CaseDocument) -> bytes:
    assert document.blob is not None
    return Path(document.blob.path).read_bytes()


def decision_of(case: Case) -> CaseDocument:
    return case.documents.get(kind=DocumentKind.DECISION)


# ── Capital numerals (大写) ────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("yuan", "words"),
    [
        (0, "零元整"),
        (5, "伍元整"),
        (10, "壹拾元整"),
        (105, "壹佰零伍元整"),
        (1010, "壹仟零壹拾元整"),
        (20000, "贰万元整"),
        (30000, "叁万元整"),
        (100001, "壹拾万零壹元整"),
        (1234567, "壹佰贰拾叁万肆仟伍佰陆拾柒元整"),
        (100010000, "壹亿零壹万元整"),
    ],
)
def test_yuan_in_capital_numerals(yuan: int, words: str):
    assert rendering.yuan_capital(yuan) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [(3, "三"), (5, "五"), (10, "十"), (15, "十五"), (60, "六十"), (105, "一百零五"), (115, "一百一十五")],
)
def test_periods_in_ordinary_numerals(n: int, words: str):
    assert rendering.chinese_number(n) == words


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        rendering.yuan_capital(-1)


# ── The decision (行政处罚决定书) ──────────────────────────────────────────────────────────────────────


def test_the_decision_states_what_the_law_requires(team: Team):
    decision = decision_of(advance(team, S.DECIDED))
    text = text_of(stored(decision))
    assert decision.number == DECISION_NUMBER
    required = [
        # title and number
        "嘉兴市交通运输局",
        "行政处罚决定书",
        DECISION_NUMBER,
        # the party
        "当事人：张三",
        "公民身份号码：330402198001011234",
        "车辆号牌：浙F12345",
        # facts: time, place, act
        "2025年11月20日10时00分",
        "G60 沪昆高速嘉兴段 K98",
        VIOLATION_NAME,
        "62,000 千克",
        # evidence from the case file
        "证据：",
        "1．听证笔录（2025年12月26日）",
        # legal basis, with the articles
        "《超限运输车辆行驶公路管理规定》第四十三条第一款第二项、第二款",
        "《公路安全保护条例》第六十四条",
        # penalty in figures and in capitals
        FINE,
        # when, where and how to pay; the late fee
        "收到本决定书之日起十五日内缴纳罚款",
        "请持本决定书到本机关指定的银行",
        "每日按罚款数额的百分之三加处罚款",
        "《中华人民共和国行政处罚法》第七十二条第一款第一项",
        # review and lawsuit: where and within how long
        "六十日内向嘉兴市人民政府申请行政复议",
        "六个月内依法向嘉兴市有管辖权的人民法院提起行政诉讼",
        # the procedure: notice and hearing
        "嘉交执告〔2025〕第00001号",
        "2025年12月26日依法举行了听证",
        # seal and date
        "嘉兴市交通运输局（印章）",
        "2026年1月8日",
    ]
    assert [phrase for phrase in required if phrase not in text] == []
    assert "{{" not in text and "{%" not in text and "（法律依据见案卷）" not in text


def test_without_a_legal_basis_the_decision_says_where_it_is(team: Team, without_basis: None):
    text = text_of(stored(decision_of(advance(team, S.DECIDED))))
    assert text.count("（法律依据见案卷）") == 1
    assert FINE in text and "实施了违法行为，事实如下" in text


def test_the_decision_lists_the_records_of_the_file_as_evidence(team: Team):
    case = step(team, register(team), *HEARING_PATH[0])
    record = {"kind": "inquiry_record", "made_on": "2025-12-02", "content": "问：车上装的是什么？答：钢材。"}
    case = step(team, case, "add_record", "officer", record)
    for action, who, payload in HEARING_PATH[1:9]:
        case = step(team, case, action, who, payload)
    text = text_of(stored(decision_of(case)))
    assert "证据：\n1．询问笔录（2025年12月2日）\n2．听证笔录（2025年12月26日）\n" in text


def test_the_decision_is_a4_in_named_chinese_fonts(team: Team):
    document = Document(io.BytesIO(stored(decision_of(advance(team, S.DECIDED)))))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    east_asian = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    fonts = {
        s.element.rPr.rFonts.get(east_asian)
        for s in document.styles
        if s.name.startswith("JF ") and s.element.rPr is not None
    }
    assert fonts == {"宋体", "仿宋"}


# ── Frozen by hash ────────────────────────────────────────────────────────────────────────────────────


def test_the_file_is_frozen_by_its_hash_and_downloads_byte_for_byte(team: Team, web_as):
    decision = decision_of(advance(team, S.DECIDED))
    data = stored(decision)
    assert decision.blob is not None and decision.blob.sha256 == hashlib.sha256(data).hexdigest()
    assert decision.blob.content_type == rendering.DOCX_TYPE
    client = web_as(team.officer)
    url = reverse("cases:document_docx", args=[decision.pk])
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content == data
    assert first["Content-Type"] == rendering.DOCX_TYPE
    assert first["Content-Disposition"].startswith("attachment;")
    assert first["X-Content-SHA256"] == decision.blob.sha256


def test_rendering_is_deterministic_so_the_hash_can_be_checked_again(team: Team):
    decision = decision_of(advance(team, S.DECIDED))
    assert rendering.render(decision.kind, decision.content) == stored(decision)


def test_a_later_change_of_the_case_does_not_change_an_issued_document(team: Team, web_as):
    case = advance(team, S.DECIDED)
    decision = decision_of(case)
    before = stored(decision)
    Case.objects.filter(pk=case.pk).update(party_name="李四", fine_yuan=500)
    client = web_as(team.officer)
    assert client.get(reverse("cases:document_docx", args=[decision.pk])).content == before
    page = client.get(reverse("cases:document", args=[decision.pk])).content.decode()
    assert "张三" in page and FINE in page
    assert "李四" not in page and "500元" not in page


def test_a_tampered_file_is_not_handed_out(team: Team, web_as):
    decision = decision_of(advance(team, S.DECIDED))
    assert decision.blob is not None
    path = Path(decision.blob.path)
    path.chmod(0o644)
    path.write_bytes(stored(decision) + b"x")
    client = web_as(team.officer)
    assert client.get(reverse("cases:document_docx", args=[decision.pk])).status_code == 500
    page = client.get(reverse("cases:document", args=[decision.pk]))
    assert "哈希值不符" in page.content.decode()


# ── The print view ────────────────────────────────────────────────────────────────────────────────────


def test_the_print_view_shows_the_issued_document(team: Team, web_as):
    decision = decision_of(advance(team, S.DECIDED))
    assert decision.blob is not None
    response = web_as(team.officer).get(reverse("cases:document", args=[decision.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for phrase in (
        DECISION_NUMBER,
        "行政处罚决定书",
        "张三",
        FINE,
        "《公路安全保护条例》第六十四条",
        "嘉兴市交通运输局（印章）",
        decision.blob.sha256,
    ):
        assert phrase in page
    assert 'class="paper"' in page and 'class="print-bar"' in page
    assert 'class="sidebar"' not in page  # the paper alone, not the application's shell
    assert reverse("cases:document_docx", args=[decision.pk]) in page


def test_the_case_page_links_each_document(team: Team, web_as):
    case = advance(team, S.DECIDED)
    page = web_as(team.officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    for document in case.documents.all():
        assert reverse("cases:document", args=[document.pk]) in page
        assert reverse("cases:document_docx", args=[document.pk]) in page


def test_a_table_document_prints_as_a_table(team: Team, web_as):
    case = advance(team, S.EXECUTING)
    receipt = case.documents.get(kind=DocumentKind.SERVICE_RECEIPT)
    page = web_as(team.officer).get(reverse("cases:document", args=[receipt.pk])).content.decode()
    assert 'class="paper-table"' in page
    assert f"行政处罚决定书（{DECISION_NUMBER}）" in page


# ── Jurisdiction ──────────────────────────────────────────────────────────────────────────────────────


def test_another_unit_gets_not_found(team: Team, web_as, make_user):
    decision = decision_of(advance(team, S.DECIDED))
    outsider = web_as(make_user("tx_officer", TONGXIANG, Role.OFFICER))
    assert outsider.get(reverse("cases:document", args=[decision.pk])).status_code == 404
    assert outsider.get(reverse("cases:document_docx", args=[decision.pk])).status_code == 404
    bureau = web_as(team.boss)  # the bureau above both units sees it
    assert bureau.get(reverse("cases:document", args=[decision.pk])).status_code == 200


def test_anonymous_users_are_sent_to_log_in(team: Team, client):
    decision = decision_of(advance(team, S.DECIDED))
    response = client.get(reverse("cases:document_docx", args=[decision.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


# ── Every document, and the bureau's own templates ────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_template_uses_only_known_names(kind: DocumentKind):
    content = {
        "date": "2026-01-08",
        "case_number": "嘉交执立〔2025〕第00001号",
        "party_name": "张三",
        "party_kind": "person",
        "occurred_at": "2025-11-20T10:00:00+08:00",
        "facts": "超限运输。",
        "texts": rendering.bureau_texts("嘉兴市交通运输局"),
    }
    text = text_of(rendering.render(kind, content, strict=True))
    assert kind.label in text and "{{" not in text and "{%" not in text


@pytest.mark.parametrize("status", [S.ARCHIVED, S.COURT, S.TRANSFERRED])
def test_every_document_of_a_real_case_is_stored_and_filled_in(team: Team, status: S):
    case = advance(team, status)
    assert case.documents.exists()
    for document in case.documents.all():
        text = text_of(stored(document))
        assert document.get_kind_display() in text and "嘉兴市交通运输局" in text
        assert "{{" not in text and "{%" not in text
        assert (document.number or document.content["case_number"]) in text


@pytest.mark.parametrize("status", [S.ARCHIVED, S.COURT, S.TRANSFERRED])
def test_a_document_is_the_file_docxtpl_makes_of_the_whole_template(team: Team, status: S):
    """Issuing renders the body alone into the template's other parts, prepared once: the same bytes."""
    case = advance(team, status)
    for document in case.documents.all():
        template = rendering.template_path(document.kind).read_bytes()
        values = rendering.context(document.content)
        whole = rendering._render_whole(template, values, rendering._ENVIRONMENTS[False])
        assert whole == stored(document), document.kind


def test_a_bureau_template_with_a_placeholder_in_its_footer_is_filled_in_there(
    team: Team, settings: Any, tmp_path: Path
):
    settings.DATA_DIR = tmp_path
    (tmp_path / "documents").mkdir()
    template = Document(str(rendering.PACKAGED_TEMPLATES / "decision.docx"))
    template.sections[0].footer.add_paragraph("{{ bureau_name }}印制")
    template.save(str(tmp_path / "documents" / "decision.docx"))
    decision = decision_of(advance(team, S.DECIDED))
    footer = Document(io.BytesIO(stored(decision))).sections[0].footer
    assert "嘉兴市交通运输局印制" in [p.text for p in footer.paragraphs]
    assert DECISION_NUMBER in text_of(stored(decision))


def test_demand_and_court_application_state_the_amounts(team: Team):
    case = advance(team, S.COURT)
    demand = text_of(stored(case.documents.get(kind=DocumentKind.DEMAND_NOTICE)))
    court = text_of(stored(case.documents.get(kind=DocumentKind.COURT_APPLICATION)))
    assert f"作出行政处罚决定书（{DECISION_NUMBER}）" in demand and FINE in demand
    assert "自收到本催告书之日起十个工作日内履行" in demand
    assert FINE in court and "被申请人：张三" in court


def test_the_notice_states_the_rights_and_the_hearing_deadline(team: Team):
    case = advance(team, S.NOTIFIED)
    text = text_of(stored(case.documents.get(kind=DocumentKind.NOTICE)))
    assert "拟对你作出如下行政处罚：" + FINE in text
    assert "有权进行陈述和申辩" in text and "不因你陈述、申辩而给予更重的处罚" in text
    assert "自收到本通知书之日起五个工作日内，即2025年12月17日前（含当日）" in text


def test_a_bureau_edits_its_own_template_and_texts(team: Team, settings: Any, tmp_path: Path):
    settings.DATA_DIR = tmp_path
    own = tmp_path / "documents"
    own.mkdir()
    template = Document(str(rendering.PACKAGED_TEMPLATES / "decision.docx"))
    template.add_paragraph("本局联系电话：0573-00000000（{{ bureau_name }}）")
    template.save(str(own / "decision.docx"))
    texts = {"texts": {"payment": "请通过“浙里办”缴纳罚款"}}
    (own / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    decision = decision_of(advance(team, S.DECIDED))
    text = text_of(stored(decision))
    assert "本局联系电话：0573-00000000（嘉兴市交通运输局）" in text
    assert "十五日内缴纳罚款。请通过“浙里办”缴纳罚款。" in text
    assert decision.content["template"]["source"] == "bureau"
    assert decision.content["texts"]["review_body"] == "嘉兴市人民政府"  # not overridden: the default


def test_a_document_issued_before_files_were_kept_prints_marked_as_not_frozen(team: Team, web_as):
    decision = decision_of(advance(team, S.DECIDED))
    legacy = {
        k: v for k, v in decision.content.items() if k not in ("bureau_name", "texts", "terms", "number")
    }
    CaseDocument.objects.filter(pk=decision.pk).update(blob=None, content=legacy)
    client = web_as(team.officer)
    page = client.get(reverse("cases:document", args=[decision.pk])).content.decode()
    assert "未经哈希固定" in page
    assert DECISION_NUMBER in page and FINE in page and "十五日内缴纳罚款" in page
    download = client.get(reverse("cases:document_docx", args=[decision.pk]))
    assert download.status_code == 200 and DECISION_NUMBER in text_of(download.content)


def test_facts_typed_on_two_lines_keep_their_line_break_in_the_document(team: Team):
    facts = "车货总质量62吨，超限24%。\n当事人当场承认超限运输。"
    notice = advance(team, S.NOTIFIED, facts=facts).documents.get(kind=DocumentKind.NOTICE)
    xml = zipfile.ZipFile(io.BytesIO(stored(notice))).read("word/document.xml").decode()
    assert '超限24%。</w:t><w:br/><w:t xml:space="preserve">当事人当场承认超限运输' in xml


def test_what_officers_type_is_text_never_markup(team: Team, web_as):
    facts = "车货总质量 <62 吨> & 未卸载 {{ bureau_name }}"
    case = advance(team, S.NOTIFIED, facts=facts)
    notice = case.documents.get(kind=DocumentKind.NOTICE)
    assert facts in text_of(stored(notice))
    page = web_as(team.officer).get(reverse("cases:document", args=[notice.pk])).content.decode()
    assert "车货总质量 &lt;62 吨&gt; &amp; 未卸载 {{ bureau_name }}" in page
