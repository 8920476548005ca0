"""The period calculator page (期间计算器) as an officer uses it."""

import pytest

from jiafa.core.roles import Role

pytestmark = pytest.mark.django_db
URL = "/law/calculator/"


@pytest.fixture
def officer(make_user, web_as):
    return web_as(make_user("hn1"))


def test_login_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("role", list(Role))
def test_every_role_finds_it_in_the_navigation(make_user, web_as, role):
    page = web_as(make_user(f"u_{role}", role=role)).get("/").content.decode()
    assert 'href="/law/calculator/"' in page and "期间计算器" in page


def test_empty_page_offers_both_forms_and_every_kind(officer):
    page = officer.get(URL).content.decode()
    assert 'name="kind"' in page and 'name="fine"' in page
    assert "申请听证期限" in page and "最早可申请强制执行之日" in page  # the kinds and the guide table
    assert 'hx-get="/law/calculator/"' in page  # htmx when available, a plain GET form otherwise


def test_deadline_shows_the_due_date_weekday_and_article(officer):
    page = officer.get(URL, {"kind": "hearing_request", "start": "2024-09-27"}).content.decode()
    assert "2024年10月10日" in page and "星期四" in page
    assert "5个工作日 · 按工作日计算" in page
    assert "《中华人民共和国行政处罚法》第六十四条第一项" in page
    assert "已过去" in page  # 2024-10-10 lies in the past
    assert '<option value="hearing_request" selected>' in page  # the form keeps what was asked


def test_htmx_request_gets_the_page_it_selects_from(officer):
    response = officer.get(URL, {"kind": "payment", "start": "2025-09-20"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="deadline-card"' in page
    assert "2025年10月9日" in page and "第六十七条第三款" in page


def test_late_fee_result(officer):
    params = {
        "fine": "1000",
        "due": "2024-03-01",
        "paid": "2024-03-31",
        "paused_from": "2024-03-10",
        "paused_to": "2024-03-19",
    }
    page = officer.get(URL, params).content.decode()
    assert "600 元" in page and "合计 1600 元" in page
    assert "复议、诉讼期间 10 日不计" in page and "第七十三条第三款" in page


def test_capped_late_fee_says_so(officer):
    page = officer.get(URL, {"fine": "2000", "due": "2024-03-01", "paid": "2024-06-01"}).content.decode()
    assert "2000 元" in page and "已达上限" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "payment", "start": "2024-02-30"}, "起算日 “2024-02-30” 不是有效日期"),
        ({"kind": "appeal", "start": "2024-03-01"}, "未知的期限类型"),
        ({"kind": "service", "start": "2031-03-03"}, "没有 2031 年的节假日安排"),
        ({"fine": "-3", "due": "2024-03-01", "paid": "2024-03-02"}, "罚款数额不能为负数"),
        ({"fine": "100", "due": "", "paid": "2024-03-02"}, "请填写缴款期限"),
        (
            {"fine": "100", "due": "2024-03-01", "paid": "2024-03-02", "paused_from": "2024-03-01"},
            "请填写暂停计算期间的结束日",
        ),
    ],
)
def test_bad_input_is_explained_in_chinese_not_a_500(officer, params, message):
    response = officer.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
