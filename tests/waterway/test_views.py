"""Waterway pages: the suspect queue with its filters, a finding with its map, basis and verification forms,
the map with a vessel's day from the lake, the vessel register and file; who may see and do what."""

import re
from typing import Any

import pytest
from django.test import Client

from jiafa.cases.models import Case, Source
from jiafa.core.roles import Role
from jiafa.waterway.models import Finding
from jiafa.waterway.rules import Rule
from tests.conftest import BUREAU, HAINING, TONGXIANG
from tests.waterway.river import TODAY, River, finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user: Any, web_as: Any, partner: Any) -> dict[str, Client]:
    return {
        "officer": web_as(make_user("hn_officer", HAINING, Role.OFFICER)),
        "auditor": web_as(make_user("hn_auditor", HAINING, Role.AUDITOR)),
        "other": web_as(make_user("tx_officer", TONGXIANG, Role.OFFICER)),
        "station": web_as(make_user("hn_station", HAINING, Role.STATION)),
    }


PAGES = ("/waterway/", "/waterway/map/", "/waterway/vessels/", "/waterway/vessels/413000007/")


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_for_staff_only(river: River, people: dict[str, Client], url: str) -> None:
    assert people["officer"].get(url).status_code == 200
    assert people["auditor"].get(url).status_code == 200
    refused = people["station"].get(url)
    assert refused.status_code == 403 and "您的角色无权查看水网疑似违法线索" in refused.content.decode()
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_navigation_and_home_tile_lead_to_the_queue(river: River, people: dict[str, Client]) -> None:
    home = people["officer"].get("/").content.decode()
    assert 'href="/waterway/"' in home and "待核查水网线索" in home
    tile = re.search(r"待核查水网线索</span><span class=\"value\">(\d+)<", home)
    assert tile is not None and tile.group(1) == "3"  # the three pending of Haining, not Tongxiang's


def _listed(response: Any) -> list[int]:
    return [row["f"].pk for row in response.context["rows"]]


def test_the_queue_shows_pending_findings_of_the_district_in_words(
    river: River, people: dict[str, Client]
) -> None:
    response = people["officer"].get("/waterway/")
    assert _listed(response) == [river.dark.pk, river.dumped.pk, river.berthing.pk]  # newest first
    page = response.content.decode()
    assert "停泊 47 分钟，阈值 30 分钟" in page
    assert "在装载点和消纳点以外停泊 25 分钟，阈值 10 分钟" in page
    assert "AIS 信号中断 1 小时 35 分钟，阈值 30 分钟" in page
    assert "长山河禁停区" in page and "长安卡口" in page and "在禁止停泊区停泊" in page
    assert river.elsewhere.pk not in _listed(people["officer"].get("/waterway/?status=all"))
    assert _listed(people["other"].get("/waterway/")) == [river.elsewhere.pk]


def test_the_queue_filters(river: River, people: dict[str, Client]) -> None:
    officer = people["officer"]
    Finding.objects.filter(pk=river.berthing.pk).update(status=Finding.Status.DISMISSED)
    assert river.berthing.pk not in _listed(officer.get("/waterway/"))
    assert _listed(officer.get("/waterway/?status=dismissed")) == [river.berthing.pk]
    assert len(_listed(officer.get("/waterway/?status=all"))) == 3
    assert _listed(officer.get("/waterway/?rule=ais_dark")) == [river.dark.pk]
    assert _listed(officer.get("/waterway/?vessel=渣0101")) == [river.dumped.pk]
    assert _listed(officer.get("/waterway/?vessel=413000202")) == [river.dark.pk]
    assert _listed(officer.get("/waterway/?vessel=0101")) == [river.dumped.pk]  # digits of a name
    assert _listed(officer.get("/waterway/?from=2025-06-03")) == []
    assert len(_listed(officer.get("/waterway/?from=2025-06-02&to=2025-06-02"))) == 2
    assert _listed(officer.get(f"/waterway/?unit={HAINING}&status=all&rule=illegal_berthing")) == [
        river.berthing.pk
    ]


def test_a_city_leader_filters_by_unit(river: River, make_user: Any, web_as: Any) -> None:
    city = web_as(make_user("city", BUREAU, Role.BUREAU_LEADER))
    assert len(_listed(city.get("/waterway/"))) == 4
    assert _listed(city.get(f"/waterway/?unit={TONGXIANG}")) == [river.elsewhere.pk]
    page = city.get(f"/waterway/?unit={HAINING}")
    assert len(_listed(page)) == 3 and f'<option value="{HAINING}" selected>' in page.content.decode()


def _errors(response: Any) -> list[str]:
    return [m.message for m in response.context["messages"] if m.level_tag == "error"]


def test_bad_filters_are_said_and_left_out(river: River, people: dict[str, Client]) -> None:
    officer = people["officer"]
    response = officer.get(f"/waterway/?from=not-a-date&rule=bogus&unit={TONGXIANG}&vessel=浙海宁")
    assert response.status_code == 200
    assert _errors(response) == [
        "线索类型“bogus”无效，可选："
        + "、".join(f"{r.value}（{r.label}）" for r in Rule)
        + "。已忽略该筛选条件。",
        f"单位“{TONGXIANG}”不存在或不在您的辖区内。已忽略该筛选条件。",
        "开始日期“not-a-date”不是有效日期，应为“年-月-日”，如 2025-06-02。已忽略该筛选条件。",
    ]
    assert _listed(response) == [river.berthing.pk]  # the vessel filter still applies
    page = response.content.decode()
    assert "开始日期“not-a-date”不是有效日期" in page and 'value="浙海宁"' in page
    backwards = officer.get("/waterway/?from=2025-06-03&to=2025-06-02&status=closed")
    assert _errors(backwards) == [
        "状态“closed”无效，可选：all（全部）、pending（待核查）、confirmed（已确认立案）、handed_over（已移交）、"
        "dismissed（已排除）。已忽略该筛选条件。",
        "结束日期 2025-06-02 早于开始日期 2025-06-03。已忽略该筛选条件。",
    ]
    assert len(_listed(backwards)) == 3  # pending, any day
    for odd in ("vessel=%00", "vessel=²", "vessel=99999999999999999999", "page=x", "from=%00"):
        assert officer.get(f"/waterway/?{odd}").status_code == 200, odd


def test_the_pager_keeps_the_filters(river: River, people: dict[str, Client]) -> None:
    for i in range(55):
        finding("ais_dark", river.stranger, river.zone.org_unit, 400 + i, 40, checkpoint=river.checkpoint)
    page = people["officer"].get("/waterway/?rule=ais_dark").content.decode()
    assert "第 1 / 2 页，共 56 条" in page
    assert 'href="?rule=ais_dark&amp;page=2"' in page
    second = people["officer"].get("/waterway/?rule=ais_dark&page=2")
    assert len(second.context["rows"]) == 6


def test_the_finding_page_draws_the_track_and_cites_the_law(river: River, people: dict[str, Client]) -> None:
    page = people["officer"].get(f"/waterway/findings/{river.berthing.pk}/").content.decode()
    assert "停泊 47 分钟，阈值 30 分钟" in page
    assert "SL-01" in page and "《中华人民共和国内河交通安全管理条例》第二十四条第一款" in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert '<polyline class="track"' in svg and svg.count('class="dot stopped"') == 48  # a report a minute
    assert "长山河禁停区" in svg and "杭申线" in svg and "http" not in svg.replace("http://www.w3.org", "")
    assert "核查确认" in page and "移交并生成移交函" in page and "排除理由" in page
    assert "绿码" in page  # the vessel's code beside it
    dark = people["officer"].get(f"/waterway/findings/{river.dark.pk}/").content.decode()
    assert "KK01-20250602-0042" in dark and "ab" * 32 in dark and "长安卡口" in dark


def test_only_verifiers_get_the_forms_and_others_are_refused(river: River, people: dict[str, Client]) -> None:
    url = f"/waterway/findings/{river.berthing.pk}/"
    page = people["auditor"].get(url).content.decode()
    assert "待执法队员或中队长现场核查" in page and "check_note" not in page
    refused = people["auditor"].post(url + "dismiss/", {"reason": "误报", "version": 1})
    assert refused.status_code == 403
    assert people["other"].get(url).status_code == 404
    assert people["other"].post(url + "dismiss/", {"reason": "误报"}).status_code == 404
    river.berthing.refresh_from_db()
    assert river.berthing.status == Finding.Status.PENDING


def test_confirming_registers_a_case_and_links_it(river: River, people: dict[str, Client]) -> None:
    url = f"/waterway/findings/{river.berthing.pk}/"
    response = people["officer"].post(
        url + "confirm/", {"check_note": "现场核查：船舶在禁停区内系泊", "version": 1}
    )
    assert response.status_code == 302 and response["Location"] == url
    river.berthing.refresh_from_db()
    case = Case.objects.get()
    assert (river.berthing.status, river.berthing.case, case.source) == ("confirmed", case, Source.WATERWAY)
    assert case.party_name == "海宁某航运有限公司" and case.vessel_name == "浙海宁货0007"
    page = people["officer"].get(url).content.decode()
    assert f'href="/cases/{case.pk}/"' in page and "已核查确认，已登记水网案源" in page
    assert "核查确认</button>" not in page  # no forms once verified


def test_refusals_are_shown_in_chinese_with_what_was_typed(river: River, people: dict[str, Client]) -> None:
    url = f"/waterway/findings/{river.berthing.pk}/"
    empty = people["officer"].post(url + "confirm/", {"check_note": " ", "version": 1, "step": "confirm"})
    assert empty.status_code == 422 and "请填写核查情况" in empty.content.decode()
    stale = people["officer"].post(
        url + "dismiss/", {"reason": "船舶故障临时停泊", "version": 7, "step": "dismiss"}
    )
    text = stale.content.decode()
    assert (
        stale.status_code == 409 and "记录已被他人修改，请刷新后重试" in text and "船舶故障临时停泊" in text
    )
    no_reason = people["officer"].post(url + "dismiss/", {"reason": "", "version": 1})
    assert no_reason.status_code == 422 and "请填写排除理由" in no_reason.content.decode()
    muck = people["officer"].post(
        f"/waterway/findings/{river.dumped.pk}/confirm/", {"check_note": "属实", "version": 1}
    )
    assert muck.status_code == 409 and "渣土运输线索由综合行政执法部门管辖" in muck.content.decode()
    river.berthing.refresh_from_db()
    assert (river.berthing.status, river.berthing.version) == ("pending", 1)


def test_dismissing_keeps_the_reason(river: River, people: dict[str, Client]) -> None:
    url = f"/waterway/findings/{river.berthing.pk}/"
    people["officer"].post(url + "dismiss/", {"reason": "船舶因故障临时停泊，已报海事", "version": 1})
    river.berthing.refresh_from_db()
    assert (river.berthing.status, river.berthing.dismiss_reason) == (
        "dismissed",
        "船舶因故障临时停泊，已报海事",
    )
    assert "船舶因故障临时停泊，已报海事" in people["auditor"].get(url).content.decode()


def test_the_muck_finding_offers_the_comprehensive_enforcement_bureau(
    river: River, people: dict[str, Client]
) -> None:
    page = people["officer"].get(f"/waterway/findings/{river.dumped.pk}/").content.decode()
    assert '<option value="海宁市综合行政执法局" selected>' in page and "嘉兴市生态环境局" in page
    assert "核查确认</button>" not in page and "嘉兴市建筑垃圾管理条例" in page


# ── The map ────────────────────────────────────────────────────────────────────────────────────────────


def test_the_map_draws_the_registers_and_pending_findings(river: River, people: dict[str, Client]) -> None:
    response = people["officer"].get("/waterway/map/")
    page = response.content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "杭申线" in svg and "长安卡口" in svg and "乌镇禁停区" not in svg  # Tongxiang's zone is not his
    assert svg.count('class="zone z-') == 3 and 'class="zone z-dumping"' in svg
    for f in (river.berthing, river.dumped, river.dark):
        assert f'href="/waterway/findings/{f.pk}/"' in svg
    assert f"/waterway/findings/{river.elsewhere.pk}/" not in svg
    assert "公里" in svg or "米" in svg  # the scale bar
    assert ">北<" in svg and "待核查线索 3 条" in page


def test_the_map_draws_a_vessel_s_day_from_that_day_only(river: River, people: dict[str, Client]) -> None:
    response = people["officer"].get("/waterway/map/?vessel=浙海宁货0007&day=2025-06-02")
    assert response.context["reports"] == 50 + 60  # the stay's and the hour under way; not the next day's
    drawn = response.context["map"]["track"]
    assert [s["minutes"] for s in drawn["stops"]] == ["47 分钟"]
    assert drawn["start"]["time"] == "07:55" and drawn["drawn"] < drawn["reports"]  # thinned
    page = response.content.decode()
    assert "停 47 分钟" in page and "07:55 起" in page
    by_digits = people["officer"].get("/waterway/map/?vessel=0007&day=2025-06-02")  # part of the name
    assert by_digits.context["mmsi"] == 413_000_007 and by_digits.context["reports"] == 110
    next_day = people["officer"].get("/waterway/map/?vessel=413000007&day=2025-06-03")
    assert next_day.context["reports"] == 30 and next_day.context["map"]["track"]["stops"] == []
    empty = people["officer"].get("/waterway/map/?vessel=413000007&day=2025-05-01")
    assert empty.context["reports"] == 0 and "数据湖中没有当天的位置报告" in empty.content.decode()
    unknown = people["officer"].get("/waterway/map/?vessel=不存在的船").content.decode()
    assert "未找到船舶“不存在的船”" in unknown


# ── Vessels ────────────────────────────────────────────────────────────────────────────────────────────


def test_the_vessel_list_searches_and_shows_the_code(river: River, people: dict[str, Client]) -> None:
    listed = people["officer"].get("/waterway/vessels/")
    assert [(r["v"].name, r["code"].colour.label, r["pending"]) for r in listed.context["rows"]] == [
        ("浙嘉渣0101", "绿码", 1),
        ("浙桐乡货0202", "绿码", 1),  # registered in Tongxiang, found on Haining's waters
        ("浙海宁货0007", "绿码", 1),
    ]
    found = people["officer"].get("/waterway/vessels/?q=渣土")
    assert [r["v"].mmsi for r in found.context["rows"]] == [413_000_101]
    assert [r["v"].mmsi for r in people["officer"].get("/waterway/vessels/?q=413000007").context["rows"]] == [
        413_000_007
    ]
    for odd in ("²", "99999999999999999999"):  # digits that are no MMSI are looked for in names
        assert people["officer"].get(f"/waterway/vessels/?q={odd}").context["rows"] == []
    # Tongxiang sees its own vessel, not Haining's
    assert [r["v"].mmsi for r in people["other"].get("/waterway/vessels/").context["rows"]] == [413_000_202]
    assert people["other"].get("/waterway/vessels/413000007/").status_code == 404


def test_the_vessel_file(river: River, people: dict[str, Client]) -> None:
    url = "/waterway/vessels/413000007/"
    people["officer"].post(
        f"/waterway/findings/{river.berthing.pk}/confirm/", {"check_note": "现场核查属实", "version": 1}
    )
    response = people["officer"].get(url)
    page = response.content.decode()
    assert "船舶国籍证书" in page and "2026-12-31" in page and "海宁某航运有限公司" in page
    assert "黄码" in page and "有1件案件正在办理" in page  # the confirmed finding and its case
    case = Case.objects.get()
    assert f'href="/cases/{case.pk}/"' in page and "已确认立案" in page
    assert "<svg" in page and "/waterway/check/" in page  # the QR code of the public check
    assert response.context["tracks"] == {TODAY: 110}  # the days of the last two weeks with AIS
    assert 'href="/waterway/map/?vessel=413000007&amp;day=2025-06-02"' in page
    card = people["officer"].get(url + "card/").content.decode()
    assert "浙海宁货0007" in card and "<svg" in card  # the printed card has no colour, which changes:
    assert "code-badge" not in card and "code-tile" not in card and "正在办理" not in card


def test_a_vessel_found_on_the_district_s_waters_is_visible_there(
    river: River, people: dict[str, Client]
) -> None:
    page = people["officer"].get("/waterway/vessels/413000202/").content.decode()
    assert "浙桐乡货0202" in page
    assert f"/waterway/findings/{river.dark.pk}/" in page
    assert f"/waterway/findings/{river.elsewhere.pk}/" not in page  # Tongxiang's finding stays Tongxiang's
