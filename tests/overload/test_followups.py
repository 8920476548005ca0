"""一超四罚 counters and the Art. 44 report: what `refresh_counters` opens, that a re-run opens nothing twice,
and the leaders' page where a follow-up is closed with a note."""

from __future__ import annotations

import datetime as dt
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from jiafa.cases.states import CaseStatus as S
from jiafa.core.models import AuditEntry
from jiafa.overload import followups
from jiafa.overload.models import Finding, FollowUp
from tests.cases.conftest import Team, advance, frozen_clock, step  # noqa: F401 (frozen_clock: a fixture)
from tests.conftest import BUREAU, HAINING, TONGXIANG
from tests.overload.factories import finding, station, vehicle

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 9, 15)  # the frozen clock's day
K = FollowUp.Kind


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SH)


@pytest.fixture
def team(make_user) -> Team:
    return Team(make_user)


@pytest.fixture
def hn(org):
    return station(org[HAINING], "HN01")


def revocations() -> list[FollowUp]:
    return list(FollowUp.objects.filter(kind=K.VEHICLE_REVOCATION))


def test_window_is_the_rolling_year_ending_today():
    from jiafa.law.book import rulebook

    win = followups.window(TODAY, rulebook())
    assert (win.first, win.last) == (date(2025, 9, 16), TODAY)


def test_four_confirmed_findings_within_a_year_open_one_revocation(hn):
    vehicle("浙F00004", owner="李四")
    for day in ("2025-09-16", "2026-01-05", "2026-05-05", "2026-09-15"):
        finding(hn, "浙F00004", at(day, 0))  # midnight in Shanghai: the first and last day both count
    result = followups.refresh_counters(TODAY)

    [f] = revocations()
    assert (f.count, f.window_from, f.window_to, f.status) == (4, date(2025, 9, 16), TODAY, "open")
    assert f.subject == "浙F00004（黄牌）（李四）" and f.vehicle is not None
    assert f.basis == [{"law": "公路安全保护条例", "article": "第六十六条"}]
    assert f.org_unit.code == BUREAU  # revoking a certificate is the bureau's decision
    assert len(f.detail["findings"]) == 4
    assert result.as_json()["opened"]["vehicle_revocation"] == 1


def test_three_findings_or_findings_outside_the_year_or_unconfirmed_open_nothing(hn):
    for day in ("2026-01-05", "2026-05-05", "2026-09-15"):
        finding(hn, "浙F00003", at(day))
    finding(hn, "浙F00003", at("2025-09-15", 23))  # the day 12 months ago is outside the window
    finding(hn, "浙F00003", at("2026-06-01"), status=Finding.Status.PENDING)
    finding(hn, "浙F00003", at("2026-06-02"), status=Finding.Status.DISMISSED)
    finding(hn, "浙F00003", at("2026-06-03"), plate_color="蓝")  # another vehicle
    followups.refresh_counters(TODAY)
    assert revocations() == []


def test_a_rerun_opens_nothing_twice_and_only_later_findings_count_again(hn):
    for day in ("2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05"):
        finding(hn, "浙F00005", at(day))
    followups.refresh_counters(TODAY)
    followups.refresh_counters(TODAY)
    finding(hn, "浙F00005", at("2026-09-16"))
    followups.refresh_counters(date(2026, 9, 16))  # 5 within the year, but 4 of them already counted
    assert len(revocations()) == 1
    for day in ("2026-09-17", "2026-09-18", "2026-09-19"):
        finding(hn, "浙F00005", at(day))
    followups.refresh_counters(date(2026, 9, 19))  # 4 new ones since the first follow-up
    assert [f.count for f in revocations()] == [4, 4]
    assert AuditEntry.objects.filter(action="followup.open").count() == 2
    assert AuditEntry.objects.filter(action="followup.refresh").count() == 4


def _fleet(prefix: str, size: int, owner_id: str) -> list[str]:
    plates = [f"{prefix}{i:03d}" for i in range(size)]
    for plate in plates:
        vehicle(plate, owner="嘉兴某某物流有限公司", owner_id=owner_id)
    return plates


def test_a_company_over_ten_percent_of_its_fleet_is_suspended(hn):
    over = _fleet("浙FA", 10, "91330400MA2B000001")  # 2 of 10 vehicles over: 20%
    at_limit = _fleet("浙FB", 10, "91330400MA2B000002")  # 1 of 10: exactly 10%, not more
    vehicle("浙FC001", owner="王五", owner_id="330402198001015678")  # a person, not a company
    for plate in over[:2]:
        finding(hn, plate, at("2026-03-01"))
        finding(hn, plate, at("2026-04-01"))  # twice over is still one vehicle
    finding(hn, at_limit[0], at("2026-03-01"))
    finding(hn, "浙FC001", at("2026-03-01"))
    finding(hn, over[5], at("2026-03-01"), status=Finding.Status.DISMISSED)

    followups.refresh_counters(TODAY)
    followups.refresh_counters(TODAY)

    [f] = FollowUp.objects.filter(kind=K.COMPANY_SUSPENSION)
    assert f.subject == "嘉兴某某物流有限公司（91330400MA2B000001）"
    assert (f.count, f.detail["fleet"], f.detail["vehicles"]) == (2, 10, over[:2])
    assert f.org_unit.code == BUREAU


def _closed_non_site_case(team: Team, plate: str, closed_on: str):
    case = advance(team, S.EXECUTING, source="non_site", vehicle_plate=plate)
    paid = {"paid_on": "2026-01-20", "fine_yuan": 20000, "late_fee_yuan": 0, "receipt_no": f"PJ-{plate}"}
    case = step(team, case, "pay", "officer", paid)
    return step(team, case, "close", "leader", {"closed_on": closed_on})


def test_a_closed_case_of_an_out_of_region_vehicle_is_reported_within_7_working_days(team, org):
    vehicle("苏E12345", registered_region="320500")
    vehicle("浙F12345", registered_region="330481")
    out = _closed_non_site_case(team, "苏E12345", "2026-02-12")  # the Thursday before the Spring Festival
    _closed_non_site_case(team, "浙F12345", "2026-02-12")  # registered in Jiaxing (3304…): no report
    unknown = _closed_non_site_case(team, "皖A00001", "2026-02-12")  # not in the vehicle register
    advance(team, S.CLOSED, vehicle_plate="苏E12345")  # an on-site case: not this rule

    result = followups.refresh_counters(TODAY)
    followups.refresh_counters(TODAY)

    [f] = FollowUp.objects.filter(kind=K.REGISTRATION_REPORT)
    # 13 Feb, the make-up Saturday 14 Feb, then 24–27 Feb after the holiday, and the make-up Saturday 28 Feb.
    assert f.due == date(2026, 2, 28)
    assert (f.case, f.org_unit.code) == (out, HAINING)
    assert f.basis == [{"law": "超限运输车辆行驶公路管理规定", "article": "第四十四条"}]
    assert result.unknown_region == [unknown.number]


def test_region_prefix():
    assert followups.region_prefix("330400") == "3304"
    assert followups.region_prefix("330000") == "33"
    assert followups.region_prefix("330481") == "330481"


def test_the_command_reports_what_it_opened(hn, capsys):
    for day in ("2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05"):
        finding(hn, "浙F00006", at(day))
    call_command("followups", "refresh", "--json")
    assert '"vehicle_revocation": 1' in capsys.readouterr().out
    call_command("followups", "refresh")
    assert "没有新增事项" in capsys.readouterr().out


# ── The leaders' page ─────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def opened(hn):
    for day in ("2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05"):
        finding(hn, "浙F00007", at(day))
    followups.refresh_counters(TODAY)
    return FollowUp.objects.get()


def test_leaders_see_open_follow_ups_and_close_them_with_a_note(team, web_as, opened):
    client = web_as(team.boss)
    page = client.get("/stations/followups/").content.decode()
    assert "吊销车辆营运证" in page and "浙F00007" in page and "超限 <strong>4</strong> 次" in page

    refused = client.post(f"/stations/followups/{opened.pk}/done/", {"note": "  "}, follow=True)
    assert "请写明办理情况" in refused.content.decode()
    opened.refresh_from_db()
    assert opened.status == "open"

    client.post(
        f"/stations/followups/{opened.pk}/done/", {"note": "已作出吊销决定，嘉交执罚〔2026〕第00100号"}
    )
    opened.refresh_from_db()
    assert (opened.status, opened.done_by, opened.note) == (
        "done",
        team.boss,
        "已作出吊销决定，嘉交执罚〔2026〕第00100号",
    )
    entry = AuditEntry.objects.get(action="followup.done")
    assert entry.actor == team.boss and entry.detail["note"].startswith("已作出吊销决定")
    assert "浙F00007" in client.get("/stations/followups/?status=done").content.decode()
    assert "浙F00007" not in client.get("/stations/followups/").content.decode()


def test_officers_may_not_and_other_districts_do_not_see(team, web_as, make_user, opened):
    from jiafa.core.roles import Role

    assert web_as(team.officer).get("/stations/followups/").status_code == 403
    assert (
        web_as(team.officer).post(f"/stations/followups/{opened.pk}/done/", {"note": "x"}).status_code == 403
    )
    tongxiang = make_user("tx_leader", TONGXIANG, Role.SQUADRON_LEADER)
    assert "浙F00007" not in web_as(tongxiang).get("/stations/followups/").content.decode()
    assert web_as(tongxiang).post(f"/stations/followups/{opened.pk}/done/", {"note": "x"}).status_code == 404
    opened.refresh_from_db()
    assert opened.status == "open"
