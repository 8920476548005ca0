"""The review pages: the queue shows the jurisdiction's pending findings only, and confirming, dismissing
and filing through the pages go through the same actions as the API."""

from __future__ import annotations

import json
import os

import pytest

from jiafa.cases.models import Case, DocumentKind
from jiafa.overload.models import Finding
from tests.overload.review_world import World, freeze

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    freeze(monkeypatch)


@pytest.fixture
def world(make_user, org):
    return World(make_user, org)


def _rows(html: str) -> int:
    return html.count('<tr data-id="')


def test_the_queue_lists_only_the_jurisdictions_pending_findings(world, web_as):
    mine = world.finding()
    world.finding("浙F67890", station=world.far_station)
    world.finding("浙F67890", status=Finding.Status.DISMISSED)
    page = web_as(world.team.officer).get("/overload/")
    html = page.content.decode()
    assert page.status_code == 200
    assert _rows(html) == 1 and f'data-id="{mine.pk}"' in html
    assert "浙F12345" in html and "9900" in html and "20.2%" in html and "¥4500" in html
    assert 'href="/overload/"' in html  # the navigation links the queue
    far = web_as(world.stranger).get("/overload/").content.decode()
    assert _rows(far) == 1 and f'data-id="{mine.pk}"' not in far


def test_the_queue_flags_hundred_tonne_and_serious_overloads_and_filters_them(world, web_as):
    world.finding()
    king = world.finding("浙F67890", 104000)
    client = web_as(world.team.officer)
    html = client.get("/overload/?flag=hundred_tonne").content.decode()
    assert _rows(html) == 1 and f'data-id="{king.pk}"' in html
    assert "百吨王" in html and "严重超限" in html


def test_confirming_through_the_queue_registers_the_case_and_answers_the_refreshed_queue(world, web_as):
    f, other = world.finding(), world.finding("浙F67890")
    client = web_as(world.team.officer)
    response = client.post(
        "/overload/review/", {"action": "confirm", "item": [f"{f.pk}:{f.version}"], "back": ""}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "已确认 1 条线索（浙F12345）" in html
    assert _rows(html) == 1 and f'data-id="{other.pk}"' in html
    f.refresh_from_db()
    assert f.status == "confirmed" and f.case.status == "registered"


def test_a_refused_review_through_the_queue_shows_why_and_changes_nothing(world, web_as):
    f = world.finding("浙A00000")  # not in the vehicle register
    response = web_as(world.team.officer).post(
        "/overload/review/", {"action": "confirm", "item": [f"{f.pk}:1"]}, headers=HTMX
    )
    html = response.content.decode()
    assert "不在车辆登记库中" in html and "本次提交均未生效" in html
    assert "车辆未登记" in html  # the queue marks the row before anyone presses c
    assert Finding.objects.get(pk=f.pk).status == "pending"


def test_dismissing_through_the_queue_needs_a_reason_and_keeps_it(world, web_as):
    a, b = world.finding(), world.finding()
    client = web_as(world.team.officer)
    items = [f"{a.pk}:1", f"{b.pk}:1"]
    refused = client.post(
        "/overload/review/", {"action": "dismiss", "item": items, "reason": "其他"}, headers=HTMX
    )
    assert "请写明排除的具体理由" in refused.content.decode()
    response = client.post(
        "/overload/review/",
        {"action": "dismiss", "item": items, "reason": "车牌识别错误", "reason_text": "实为浙F12845"},
    )
    assert response.status_code == 302
    assert set(Finding.objects.values_list("dismiss_reason", flat=True)) == {"车牌识别错误：实为浙F12845"}


def test_a_reviewer_without_review_rights_sees_the_queue_without_the_buttons(world, web_as):
    world.finding()
    for user in (world.team.reviewer, world.team.boss):
        html = web_as(user).get("/overload/").content.decode()
        assert _rows(html) == 1 and 'id="btn-confirm"' not in html and 'id="dismiss-dialog"' not in html


def test_the_finding_page_shows_numbers_articles_evidence_and_confirms(world, web_as):
    f, following = world.finding(), world.finding()
    client = web_as(world.team.officer)
    html = client.get(f"/overload/findings/{f.pk}/").content.decode()
    assert f.pack_sha256 in html and "photo_front" in html
    assert "第三条" in html and "62000" in html and "49000" in html
    assert "数据湖中未找到本行程的原始记录" in html
    download = client.get(f"/overload/findings/{f.pk}/evidence/")
    assert download["X-Content-SHA256"] == f.pack_sha256
    assert json.loads(download.content)["record_id"] == f.record_id
    response = client.post(f"/overload/findings/{f.pk}/confirm/", {"version": "1"})
    assert (response.status_code, response["Location"]) == (302, f"/overload/findings/{following.pk}/")
    assert Case.objects.get().vehicle_plate == "浙F12345"
    assert web_as(world.stranger).get(f"/overload/findings/{f.pk}/").status_code == 404


def test_a_pack_whose_archive_was_changed_is_neither_shown_nor_downloaded(world, web_as):
    f = world.finding()
    path = f.pack_archive.path
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes().replace(b"photo_front", b"photo_fronT"))
    client = web_as(world.team.officer)
    html = client.get(f"/overload/findings/{f.pk}/").content.decode()
    assert "证据包文件无法读取" in html and "photo_fronT" not in html
    download = client.get(f"/overload/findings/{f.pk}/evidence/")
    assert download.status_code == 500 and "哈希值不符" in download.content.decode()


def test_the_finding_page_adds_a_missing_vehicle_with_the_confirmation(world, web_as):
    f = world.finding("浙A88888")
    client = web_as(world.team.officer)
    assert "请补录所有人信息" in client.get(f"/overload/findings/{f.pk}/").content.decode()
    client.post(
        f"/overload/findings/{f.pk}/confirm/",
        {"version": "1", "owner_kind": "person", "owner_name": "赵六", "owner_id_no": "330481199001012222"},
    )
    assert Case.objects.get().party_name == "赵六"


def test_the_leader_files_and_notifies_from_the_list(world, web_as):
    f = world.finding()
    client = web_as(world.team.officer)
    client.post("/overload/review/", {"action": "confirm", "item": [f"{f.pk}:1"]})
    case = Case.objects.get()
    officer_view = client.get("/overload/cases/").content.decode()
    assert "浙F12345" in officer_view and "立案并告知</button>" not in officer_view
    leader = web_as(world.team.leader)
    assert "立案并告知</button>" in leader.get("/overload/cases/").content.decode()
    html = leader.post(
        "/overload/cases/file/", {"case": [str(case.pk)], "served_on": "2026-09-15"}, headers=HTMX
    ).content.decode()
    case.refresh_from_db()
    notice = case.documents.get(kind=DocumentKind.NOTICE)
    assert case.status == "notified"
    assert "立案并告知 1 件" in html and notice.number in html and "没有待立案的非现场案件" in html
