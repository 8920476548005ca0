"""The dashboard, the lists behind the figures and their exports, as a leader and as others see them."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from jiafa.core.roles import Role
from tests.conftest import BUREAU, HAINING
from tests.reports.world import World

YEAR_Q = "from=2026-01-01&to=2026-12-31"


def card(html: str, figure: str) -> str:
    """The number a headline card shows."""
    found = re.search(
        rf'data-figure="{figure}">\s*<span class="label">[^<]*</span>\s*<span class="value">([^<]*)<', html
    )
    assert found, figure
    return found.group(1)


def test_leader_sees_the_bureau_figures_and_the_regenerated_paragraph(world: World, make_user, web_as):
    leader = make_user("boss2", BUREAU, Role.BUREAU_LEADER)
    page = web_as(leader).get(f"/reports/?{YEAR_Q}")
    html = page.content.decode()
    assert page.status_code == 200
    assert card(html, "penalty") == "8"
    assert card(html, "non_site_share") == "50.00%"  # 4 of 8
    assert card(html, "court_application") == "1"
    assert "全市共办理行政处罚案件8起（罚款1万元以上案件2起、停业整顿案件1起" in html
    assert "/static/plotly/plotly.min.js" in html
    assert "cdn" not in html.lower()


def test_a_county_leader_sees_only_its_subtree(world: World, web_as):
    tx = web_as(world.tongxiang.leader)  # 桐乡 squadron leader
    html = tx.get(f"/reports/?{YEAR_Q}").content.decode()
    assert card(html, "penalty") == "1"  # the Tongxiang case only
    assert "桐乡市共办理行政处罚案件1起" in html
    assert tx.get(f"/reports/?unit={HAINING}&{YEAR_Q}").status_code == 404
    assert tx.get(f"/reports/cases/?unit={HAINING}&figure=penalty&{YEAR_Q}").status_code == 404
    assert tx.get(f"/reports/annual.docx?year=2026&unit={HAINING}").status_code == 404


def test_officers_have_no_dashboard(world: World, web_as):
    response = web_as(world.haining.officer).get("/reports/")
    assert response.status_code == 403
    assert "查看统计与年报" in response.content.decode()


def test_a_figure_opens_the_cases_behind_it(world: World, make_user, web_as):
    client = web_as(make_user("boss2", BUREAU, Role.BUREAU_LEADER))
    html = client.get(f"/reports/?{YEAR_Q}").content.decode()
    link = re.search(r'href="(/reports/cases/\?figure=large_fine[^"]*)"', html)
    assert link
    listing = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    numbers = {world.cases[k].number for k in ("hearing", "court")}
    assert all(n in listing for n in numbers)
    assert world.cases["ns1"].number not in listing
    assert "共 2 起" in listing


def test_a_breakdown_row_opens_its_cases(world: World, make_user, web_as):
    client = web_as(make_user("boss2", BUREAU, Role.BUREAU_LEADER))
    listing = client.get(f"/reports/cases/?figure=penalty&source=non_site&{YEAR_Q}").content.decode()
    assert "案源：非现场执法" in listing
    for key in ("ns1", "ns2", "ns3", "tongxiang"):
        assert world.cases[key].number in listing
    assert world.cases["hearing"].number not in listing


def test_drill_down_exports_to_csv_with_bom_and_to_xlsx(world: World, make_user, web_as):
    client = web_as(make_user("boss2", BUREAU, Role.BUREAU_LEADER))
    url = f"/reports/cases/?figure=non_site&{YEAR_Q}"
    raw = client.get(url + "&export=csv").content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["案号", "状态", "承办单位", "案源"]
    expected = sorted(world.cases[k].number for k in ("ns1", "ns2", "ns3", "tongxiang"))
    assert sorted(r[0] for r in rows[1:]) == expected
    assert {r[3] for r in rows[1:]} == {"非现场执法"}
    book = load_workbook(io.BytesIO(client.get(url + "&export=xlsx").content))
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "案号"
    assert sorted(r[0] for r in values[1:]) == expected
    fines = {r[0]: r[13] for r in values[1:]}
    assert fines[world.cases["ns1"].number] == 2500


def test_findings_list_and_export(world: World, make_user, web_as):
    client = web_as(make_user("boss2", BUREAU, Role.BUREAU_LEADER))
    page = client.get(f"/reports/findings/?figure=findings&plate=浙F33333&{YEAR_Q}").content.decode()
    assert "共 2 条" in page
    raw = client.get(f"/reports/findings/?figure=hundred_tonne&{YEAR_Q}&export=csv").content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(raw)))
    assert [r[4] for r in rows[1:]] == ["浙F44444"]
    assert rows[1][11] == "是"


def test_case_list_export_keeps_the_jurisdiction_and_filters(world: World, web_as):
    officer = web_as(world.tongxiang.officer)
    raw = officer.get("/reports/export/cases/?export=csv").content.decode("utf-8-sig")
    numbers = [r[0] for r in csv.reader(io.StringIO(raw))][1:]
    assert numbers == [world.cases["tongxiang"].number]
    hn = web_as(world.haining.officer)
    raw = hn.get("/reports/export/cases/?export=csv&source=non_site").content.decode("utf-8-sig")
    numbers = sorted(r[0] for r in csv.reader(io.StringIO(raw)))[:-1]  # the header sorts last
    assert numbers == sorted(world.cases[k].number for k in ("ns1", "ns2", "ns3"))
    assert hn.get("/reports/export/cases/?export=pdf").status_code == 422


def test_a_bad_period_is_a_chinese_refusal(world: World, make_user, web_as):
    client = web_as(make_user("boss2", BUREAU, Role.BUREAU_LEADER))
    response = client.get("/reports/?from=2026-05-01&to=2026-04-01")
    assert response.status_code == 422
    assert "结束日期早于开始日期" in response.content.decode()


def test_plotly_is_served_from_the_installed_package(db, client):
    response = client.get("/static/plotly/plotly.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"plotly" in body[:2000].lower()


def test_review_queue_exports_its_findings(world: World, web_as):
    hn = web_as(world.haining.officer)
    queue = hn.get("/overload/").content.decode()
    assert "/reports/export/findings/?status=pending" in queue
    raw = hn.get("/reports/export/findings/?status=pending&export=csv").content.decode("utf-8-sig")
    assert [r[4] for r in csv.reader(io.StringIO(raw))][1:] == ["浙F55555"]  # the one pending in Haining
    raw = hn.get("/reports/export/findings/?export=csv&plate=浙F33333").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(raw)))) == 3  # header and the two passes
    tx = web_as(world.tongxiang.officer)
    raw = tx.get("/reports/export/findings/?export=csv").content.decode("utf-8-sig")
    assert [r[4] for r in csv.reader(io.StringIO(raw))][1:] == ["浙F66666"]  # Tongxiang's station only


def test_a_unit_row_opens_that_units_cases(world: World, make_user, web_as):
    client = web_as(make_user("boss2", BUREAU, Role.BUREAU_LEADER))
    html = client.get(f"/reports/?{YEAR_Q}").content.decode()
    link = re.search(r'href="(/reports/cases/\?figure=penalty[^"]*within=330483[^"]*)"', html)
    assert link
    listing = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "单位：桐乡市" in listing and "共 1 起" in listing
    assert world.cases["tongxiang"].number in listing
