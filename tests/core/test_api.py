"""The API's doors: tokens (hashed, expiring, revocable), error shape, rate limit, jurisdiction."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiafa.core.models import ApiToken, AuditEntry
from jiafa.core.roles import Role
from tests.conftest import PASSWORD, TONGXIANG, ApiClient

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_and_stored_only_as_hash(make_user):
    user = make_user("hn1")
    response = ApiClient().post("/auth/token", {"username": "hn1", "password": PASSWORD, "name": "卡口对接"})
    assert response.status_code == 200
    raw = response.json()["token"]
    stored = ApiToken.objects.get(user=user)
    assert raw not in (stored.key_hash, stored.prefix) and raw.startswith(stored.prefix)
    assert stored.name == "卡口对接"
    me = ApiClient(raw).get("/me").json()
    assert (me["username"], me["org_unit"]["name"], me["role_label"]) == (
        "hn1",
        "海宁市交通运输执法中队",
        "执法队员",
    )


def test_wrong_password_is_401_with_code_and_chinese_message(make_user):
    make_user("hn1")
    response = ApiClient().post("/auth/token", {"username": "hn1", "password": "wrong"})
    assert response.status_code == 401
    assert response.json() == {"code": "bad_credentials", "message": "用户名或密码错误"}


@pytest.mark.parametrize("header", [None, "Bearer jf_forged-token", "Bearer ", "Basic aG4xOnh4"])
def test_missing_or_forged_token_is_401(make_user, header):
    make_user("hn1")
    client = ApiClient()
    response = client.client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_expired_token_is_refused(make_user, api_as):
    client = api_as(make_user("hn1"))
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/me")
    assert response.status_code == 401
    assert response.json() == {"code": "token_expired", "message": "访问令牌已过期，请重新获取"}


def test_token_expires_after_the_configured_lifetime(make_user, api_as, settings):
    settings.API_TOKEN_TTL_HOURS = 2
    api_as(make_user("hn1"))
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == pytest.approx(timedelta(hours=2), abs=timedelta(seconds=5))


def test_revoked_token_is_refused_and_the_revocation_audited(make_user, api_as):
    client = api_as(make_user("hn1"))
    assert client.post("/auth/revoke").status_code == 204
    response = client.get("/me")
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert AuditEntry.objects.filter(action="token.revoke", actor_name="hn1").count() == 1


def test_login_is_rate_limited_per_account(make_user, settings):
    make_user("hn1")
    client = ApiClient()
    for _ in range(settings.LOGIN_MAX_FAILURES_PER_USER):
        assert client.post("/auth/token", {"username": "hn1", "password": "guess"}).status_code == 401
    # Even the right password is refused while the account is under attack.
    response = client.post("/auth/token", {"username": "hn1", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts"
    assert "分钟后再试" in response.json()["message"]
    assert AuditEntry.objects.filter(action="login_failed", object_id="hn1").count() == 5


def test_login_is_rate_limited_per_address(make_user, settings):
    settings.LOGIN_MAX_FAILURES_PER_IP = 3
    make_user("hn1")
    client = ApiClient()
    for name in ("a", "b", "c"):
        client.post("/auth/token", {"username": name, "password": "guess"})
    assert client.post("/auth/token", {"username": "hn1", "password": PASSWORD}).status_code == 429


def test_failed_logins_age_out_of_the_window(make_user, settings):
    make_user("hn1")
    client = ApiClient()
    for _ in range(settings.LOGIN_MAX_FAILURES_PER_USER):
        client.post("/auth/token", {"username": "hn1", "password": "guess"})
    # Shift the failures back beyond the window (the audit rows themselves are append-only).
    AuditEntry.objects.filter(action="login_failed").update(
        at=timezone.now() - timedelta(minutes=settings.LOGIN_WINDOW_MINUTES + 1)
    )
    assert client.post("/auth/token", {"username": "hn1", "password": PASSWORD}).status_code == 200


def test_validation_errors_are_422_with_the_fields_named(db):
    response = ApiClient().post("/auth/token", {"username": 5})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert "username" in body["message"] and "password" in body["message"]


def test_a_body_that_is_not_json_is_400_not_500(db):
    response = ApiClient().post("/auth/token", "{not json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"


def test_unknown_api_path_is_404_json(make_user, api_as):
    response = api_as(make_user("hn1")).get("/no-such-thing")
    assert response.status_code == 404


def test_openapi_schema_and_docs_are_served_without_internet(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/auth/token" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()


def _upload(client: ApiClient, title: str = "现场照片", content: bytes = b"photo-bytes") -> dict:
    response = client.post(
        "/evidence",
        {
            "file": SimpleUploadedFile("a.jpg", content, content_type="image/jpeg"),
            "title": title,
            "kind": "photo",
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_officer_of_haining_cannot_list_read_or_change_tongxiang_evidence(make_user, api_as):
    tongxiang = api_as(make_user("tx1", TONGXIANG))
    item = _upload(tongxiang, "桐乡的照片")
    haining = api_as(make_user("hn1"))
    _upload(haining, "海宁的照片", b"other")

    assert [i["title"] for i in haining.get("/evidence").json()] == ["海宁的照片"]
    for response in (
        haining.get(f"/evidence/{item['id']}"),
        haining.get(f"/evidence/{item['id']}/file"),
        haining.patch(f"/evidence/{item['id']}", {"title": "改", "version": 1}),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert tongxiang.get(f"/evidence/{item['id']}").json()["title"] == "桐乡的照片"


def test_bureau_leader_sees_every_unit(make_user, api_as):
    _upload(api_as(make_user("tx1", TONGXIANG)), "桐乡", b"1")
    _upload(api_as(make_user("hn1")), "海宁", b"2")
    leader = api_as(make_user("boss", "330400", Role.BUREAU_LEADER))
    assert sorted(i["title"] for i in leader.get("/evidence").json()) == ["桐乡", "海宁"]
    assert len(leader.get("/org-units").json()) == 11  # bureau, detachment, 9 squadrons


def test_auditor_may_read_but_not_upload(make_user, api_as):
    auditor = api_as(make_user("aud", "330400", Role.AUDITOR))
    response = auditor.post(
        "/evidence",
        {
            "file": SimpleUploadedFile("a.jpg", b"x", content_type="image/jpeg"),
            "title": "t",
        },
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert auditor.get("/evidence").status_code == 200


def test_stale_version_edit_is_409_and_changes_nothing(make_user, api_as):
    client = api_as(make_user("hn1"))
    item = _upload(client)
    first = client.patch(f"/evidence/{item['id']}", {"title": "车辆正面照", "version": 1})
    assert first.status_code == 200 and first.json()["version"] == 2
    second = client.patch(f"/evidence/{item['id']}", {"title": "覆盖别人的修改", "version": 1})
    assert second.status_code == 409
    assert second.json()["code"] == "conflict"
    assert client.get(f"/evidence/{item['id']}").json()["title"] == "车辆正面照"


def test_upload_with_a_future_collection_time_is_refused(make_user, api_as):
    client = api_as(make_user("hn1"))
    response = client.post(
        "/evidence",
        {
            "file": SimpleUploadedFile("a.jpg", b"x", content_type="image/jpeg"),
            "title": "t",
            "collected_at": (timezone.now() + timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert response.json()["message"] == "取证时间不能晚于当前时间"
