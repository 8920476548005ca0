"""An officer logs in, sees the home page, uploads evidence, is kept out of another unit, and logs out."""

import pytest

from jiafa.core.models import AuditEntry
from tests.conftest import PASSWORD, TONGXIANG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base_url + "/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_login_home_logout(page, make_user):
    make_user("hn1")
    _login(page, "hn1", "wrong-password")
    assert page.locator(".flash.error").inner_text() == "用户名或密码错误。"

    _login(page, "hn1")
    page.wait_for_url(page.base_url + "/")
    assert "工作台" in page.title()
    assert page.locator("h1").inner_text().endswith("hn1")
    assert "海宁市交通运输执法中队" in page.locator(".hero").inner_text()

    page.click(".usermenu summary")
    page.click("text=退出登录")
    page.wait_for_url("**/login/")
    page.goto(page.base_url + "/evidence/")
    assert "/login/" in page.url
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["login_failed", "login", "logout"]


def test_upload_evidence_and_jurisdiction(page, make_user, tmp_path):
    make_user("hn1")
    make_user("tx1", TONGXIANG)
    photo = tmp_path / "front.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 plate ZJ-F12345")

    _login(page, "hn1")
    page.click("text=证据库")
    page.click("text=上传证据")
    page.set_input_files("#id_file", str(photo))
    page.fill("#id_title", "浙F12345 车头照")
    page.select_option("#id_kind", "photo")
    page.click("text=上传并存证")
    assert "已入库" in page.locator(".flash.success").inner_text()
    detail_url = page.url
    page.click(".usermenu summary")
    page.click("text=退出登录")

    _login(page, "tx1")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/evidence/")
    assert "辖区内还没有证据" in page.locator("table").inner_text()
    response = page.goto(detail_url)
    assert response.status == 404
    assert "不在您的辖区内" in page.content()
