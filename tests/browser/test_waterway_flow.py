"""Suspect vessels through the web UI: an officer of Haining reads the queue, hands the muck vessel over
(refused first for want of a check note, with what he typed kept) and downloads the hand-over letter,
confirms the berthing vessel and follows the link to its case, dismisses the AIS finding with a reason, and
finds each in its new state with the status filter. The vessel's code card, scanned without logging in,
shows the colour, the name and the day only; a forged code is told apart in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from jiafa.cases.models import Case
from jiafa.cases.rendering import docx_text
from jiafa.core.roles import Role
from jiafa.waterway.models import Finding
from tests.conftest import HAINING, PASSWORD
from tests.waterway.river import NOW, build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECEIVER = "海宁市综合行政执法局袁花中队"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2 June 2025, 14:00 in Jiaxing, the day of the river's tracks: the live server runs in this process.
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _login(page, username: str) -> None:
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def _rows(page) -> list[str]:
    return [" ".join(row.inner_text().split()) for row in page.locator("table.ww-queue tbody tr").all()]


def _open(page, vessel_name: str) -> str:
    """Open the finding of the vessel from the queue; its address."""
    page.goto(page.base_url + "/waterway/")
    page.locator("table.ww-queue tbody tr", has_text=vessel_name).locator("td").first.locator("a").click()
    page.wait_for_url("**/waterway/findings/*/")
    return page.url


def _show(page, status_label: str) -> list[str]:
    page.goto(page.base_url + "/waterway/")
    page.select_option("select[name=status]", label=status_label)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/waterway/?*")
    return _rows(page)


def test_verify_suspect_vessels_and_check_a_vessel_code(page, browser, org, make_user):
    river = build(org)
    make_user("hn_officer", HAINING, Role.OFFICER)
    partner = make_user("hn_partner", HAINING, Role.OFFICER)  # a case takes two certified officers
    partner.certificate_no = "33040000901"
    partner.save()
    _login(page, "hn_officer")
    page.get_by_role("link", name="水网睿控").first.click()
    page.wait_for_url(page.base_url + "/waterway/")
    assert "待核查 3 条" in page.locator("main").inner_text()
    rows = _rows(page)
    assert len(rows) == 3  # Tongxiang's finding is not his
    assert "浙桐乡货0202" in rows[0] and "AIS 信号中断 1 小时 35 分钟，阈值 30 分钟" in rows[0]
    assert "浙嘉渣0101" in rows[1] and "在装载点和消纳点以外停泊 25 分钟，阈值 10 分钟" in rows[1]
    assert "浙海宁货0007" in rows[2] and "停泊 47 分钟，阈值 30 分钟" in rows[2] and "长山河禁停区" in rows[2]
    assert all("待核查" in row for row in rows)

    # The muck vessel: handed over to a unit typed in, first without the check note.
    muck_url = _open(page, "浙嘉渣0101")
    form = page.locator("form", has=page.get_by_role("button", name="移交并生成移交函"))
    form.locator("select[name=to]").select_option(label="其他单位（请填写）")
    form.locator("input[name=to_other]").fill(RECEIVER)
    form.get_by_role("button", name="移交并生成移交函").click()
    assert page.locator(".flash.error").inner_text() == "请填写移交单位和核查情况"
    form = page.locator("form", has=page.get_by_role("button", name="移交并生成移交函"))
    assert form.locator("select[name=to]").input_value() == "other"
    assert form.locator("input[name=to_other]").input_value() == RECEIVER
    assert Finding.objects.get(pk=river.dumped.pk).status == Finding.Status.PENDING
    form.locator("textarea[name=check_note]").fill("登船检查：船舱已空，船员承认在消纳点外卸载")
    form.get_by_role("button", name="移交并生成移交函").click()
    page.wait_for_url(muck_url)
    assert (
        f"已移交{RECEIVER}，移交函 嘉交执移交〔2025〕第00001号 已生成"
        in page.locator(".flash.success").inner_text()
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="下载移交函 嘉交执移交〔2025〕第00001号").click()
    assert download.value.suggested_filename == "移交函嘉交执移交〔2025〕第00001号.docx"
    letter = docx_text(Path(download.value.path()).read_bytes()).split("\n")
    assert f"{RECEIVER}：" in letter  # addressed to the receiving authority
    assert "船名\t浙嘉渣0101\tMMSI\t413000101" in letter and "船舶所有人\t嘉兴某渣土运输有限公司" in letter
    assert "嘉交执移交〔2025〕第00001号" in letter

    # The vessel berthed in the no-berthing zone: confirmed, a case source registered and linked.
    berthing_url = _open(page, "浙海宁货0007")
    page.fill("#c-note", "现场核查：船舶在禁停区内系泊，船长在场")
    page.get_by_role("button", name="核查确认").click()
    page.wait_for_url(berthing_url)
    case = Case.objects.get()
    assert f"已核查确认，已登记水网案源（案件 #{case.pk}）" in page.locator(".flash.success").inner_text()
    page.get_by_role("link", name="查看案件").click()
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")
    assert "待立案案源" in page.locator("h1").inner_text()
    head = page.locator(".page-head").inner_text()
    assert "海宁某航运有限公司" in head and "浙海宁货0007" in head

    # The AIS finding: dismissed with the reason.
    dark_url = _open(page, "浙桐乡货0202")
    page.fill("#d-reason", "现场核查：AIS 设备故障已报修，非故意关闭")
    page.get_by_role("button", name="排除", exact=True).click()
    page.wait_for_url(dark_url)
    assert "已排除该线索" in page.locator(".flash.success").inner_text()
    assert "理由：现场核查：AIS 设备故障已报修，非故意关闭" in page.locator("main").inner_text()

    # The status filter: each in its new state, none left pending.
    for label, vessel in (
        ("已移交", "浙嘉渣0101"),
        ("已确认立案", "浙海宁货0007"),
        ("已排除", "浙桐乡货0202"),
    ):
        rows = _show(page, label)
        assert len(rows) == 1 and vessel in rows[0] and label in rows[0], (label, rows)
    assert _show(page, "待核查") == ["辖区内的线索都已核查完毕。"]
    assert len(_show(page, "全部状态")) == 3

    # The vessel's card, scanned by anyone: the colour, the name and the day, nothing more.
    page.goto(page.base_url + "/waterway/vessels/413000007/")
    check_url = page.locator(".qr-box code").inner_text()
    assert check_url.startswith(page.base_url + "/waterway/check/")
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(check_url)
    assert "/login/" not in public.url
    assert public.locator("main").inner_text().split("\n") == [
        "船舶码核验",
        "黄码",  # a finding confirmed and its case open
        "浙海宁货0007",
        "核验日期 2025年6月2日",
    ]
    content = public.content()
    assert "海宁某航运有限公司" not in content and "案件" not in content and "413000007" not in content

    token = check_url.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = public.goto(f"{page.base_url}/waterway/check/{forged}/")
    assert response.status == 404
    said = public.locator("[role=alert]").inner_text()
    assert "无法核验" in said and "二维码无效：不是本系统签发的船舶码，或内容已被改动" in said
    assert "浙海宁货0007" not in public.content()
    public.context.close()
