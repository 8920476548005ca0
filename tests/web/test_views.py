"""The web shell as an officer meets it: login, home, logout, jurisdiction and role checks in pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiafa.core.models import EvidenceItem
from jiafa.core.roles import Role
from tests.conftest import BUREAU, PASSWORD, TONGXIANG

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    page = client.get("/login/").content.decode()
    assert "交通运输综合执法平台" in page and 'name="password"' in page


def test_wrong_password_shows_a_chinese_error(client, make_user):
    make_user("hn1")
    page = client.post("/login/", {"username": "hn1", "password": "nope"}).content.decode()
    assert "用户名或密码错误" in page


def test_login_page_is_rate_limited(client, make_user, settings):
    make_user("hn1")
    for _ in range(settings.LOGIN_MAX_FAILURES_PER_USER):
        client.post("/login/", {"username": "hn1", "password": "nope"})
    response = client.post("/login/", {"username": "hn1", "password": PASSWORD})
    assert response.status_code == 200  # the form again, not a redirect into the platform
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_home_shows_who_and_where(client, make_user):
    make_user("hn1")
    response = client.post("/login/", {"username": "hn1", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert "海宁市交通运输执法中队" in page and "执法队员" in page
    assert "今天" in page  # the work-calendar line


def test_logout_needs_post(client, make_user):
    make_user("hn1")
    client.post("/login/", {"username": "hn1", "password": PASSWORD})
    assert client.get("/logout/").status_code == 405
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    make_user("hn1")
    response = client.post("/login/", {"username": "hn1", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_pages_reference_no_internet_assets(web_as, make_user):
    page = web_as(make_user("hn1")).get("/").content.decode()
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def _upload(client, title):
    f = SimpleUploadedFile("p.jpg", title.encode(), content_type="image/jpeg")
    return client.post("/evidence/upload/", {"file": f, "title": title, "kind": "photo"})


def test_officer_of_haining_cannot_list_read_or_change_tongxiang_evidence_in_the_ui(web_as, make_user):
    tongxiang = web_as(make_user("tx1", TONGXIANG))
    assert _upload(tongxiang, "桐乡现场照片").status_code == 302
    item = EvidenceItem.objects.get()
    haining = web_as(make_user("hn1"))

    assert "桐乡现场照片" not in haining.get("/evidence/").content.decode()
    assert haining.get(f"/evidence/{item.pk}/").status_code == 404
    assert haining.get(f"/evidence/{item.pk}/file/").status_code == 404
    response = haining.post(f"/evidence/{item.pk}/", {"title": "改掉", "description": "", "version": 1})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.title == "桐乡现场照片"
    assert "不在您的辖区" in response.content.decode()


def test_upload_then_edit_in_the_ui(web_as, make_user):
    client = web_as(make_user("hn1"))
    response = _upload(client, "超限车辆侧面照")
    item = EvidenceItem.objects.get()
    assert response["Location"] == f"/evidence/{item.pk}/"
    page = client.get(f"/evidence/{item.pk}/").content.decode()
    assert item.blob.sha256 in page and "上传证据" in page
    client.post(
        f"/evidence/{item.pk}/", {"title": "超限车辆侧面照（轴数）", "description": "6 轴", "version": 1}
    )
    item.refresh_from_db()
    assert (item.title, item.description, item.version) == ("超限车辆侧面照（轴数）", "6 轴", 2)


def test_stale_edit_in_the_ui_explains_the_conflict(web_as, make_user):
    client = web_as(make_user("hn1"))
    _upload(client, "照片")
    item = EvidenceItem.objects.get()
    client.post(f"/evidence/{item.pk}/", {"title": "甲", "version": 1})
    page = client.post(f"/evidence/{item.pk}/", {"title": "乙", "version": 1}).content.decode()
    assert "已被他人修改" in page
    item.refresh_from_db()
    assert item.title == "甲"


def test_roles_in_pages(web_as, make_user):
    officer = web_as(make_user("hn1"))
    auditor = web_as(make_user("aud", BUREAU, Role.AUDITOR))
    assert officer.get("/audit/").status_code == 403
    assert "您的角色无权查看审计日志" in officer.get("/audit/").content.decode()
    assert auditor.get("/audit/").status_code == 200
    assert auditor.get("/evidence/upload/").status_code == 403
    assert officer.get("/admin/").status_code == 302  # the admin site is for system administrators only


def _nav(page: str) -> str:
    return page[page.index("<nav>") : page.index("</nav>")]


def test_navigation_follows_the_role(web_as, make_user):
    officer_nav = _nav(web_as(make_user("hn1")).get("/").content.decode())
    admin_nav = _nav(web_as(make_user("root", BUREAU, Role.ADMIN)).get("/").content.decode())
    assert "审计日志" not in officer_nav and "系统管理" not in officer_nav
    assert "审计日志" in admin_nav and "系统管理" in admin_nav
    assert "案件办理" in officer_nav and "建设中" in officer_nav


def test_auditor_sees_failed_logins_of_the_whole_bureau(client, web_as, make_user):
    make_user("hn1")
    client.post("/login/", {"username": "hn1", "password": "nope"})
    page = web_as(make_user("aud", BUREAU, Role.AUDITOR)).get("/audit/").content.decode()
    assert "登录失败" in page and "hn1" in page


@pytest.mark.parametrize(("today", "warned"), [((2026, 10, 15), True), ((2026, 6, 1), False)])
def test_home_warns_when_next_years_holidays_are_missing(web_as, make_user, monkeypatch, today, warned):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(*today, 2, 0, tzinfo=dt.UTC))
    page = web_as(make_user("hn1")).get("/").content.decode()
    assert ("尚未导入 2027 年的国务院节假日安排" in page) is warned


def test_a_form_without_its_csrf_token_is_refused_in_chinese(make_user):
    from django.test import Client

    make_user("hn1")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "hn1", "password": PASSWORD})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_station_account_cannot_log_into_the_web(client, make_user):
    make_user("hn_station", role=Role.STATION)
    page = client.post("/login/", {"username": "hn_station", "password": PASSWORD}).content.decode()
    assert "不能登录网页" in page
    assert "_auth_user_id" not in client.session
