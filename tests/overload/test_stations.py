"""The station registry pages: jurisdiction, the flags at their thresholds, the map, and the statistics
checked against a count made in Python from the same rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from django.utils import timezone

from jiafa.core.roles import Role
from jiafa.overload.models import Finding, WimStation
from jiafa.overload.station_views import cover_until, lake_last_seen, station_flags
from tests.cases.conftest import frozen_clock  # noqa: F401 (fixture: 2026-09-15 10:30 in Shanghai)
from tests.conftest import HAINING, TONGXIANG
from tests.overload.factories import certificate, finding, station

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 9, 15)
NOW = dt.datetime(2026, 9, 15, 2, 30, tzinfo=dt.UTC)


def codes(flags) -> set[str]:
    return {f.code for f in flags}


def flags_of(s: WimStation, cover: date | None = date(2027, 1, 1), last_seen=NOW) -> set[str]:
    return codes(station_flags(s, cover, last_seen, TODAY, NOW))


# ── Flags at their thresholds ────────────────────────────────────────────────────────────────────────


def test_calibration_expiring_within_30_days_and_expired():
    s = WimStation(status=WimStation.Status.ACTIVE, published_on=date(2020, 1, 1))
    assert flags_of(s, TODAY + timedelta(days=31)) == set()
    assert flags_of(s, TODAY + timedelta(days=30)) == {"expiring"}
    [flag] = station_flags(s, TODAY, NOW, TODAY, NOW)
    assert flag.short == "检定今天到期"  # valid through today: still evidence today
    assert flags_of(s, None) == {"expired"}


def test_cover_follows_certificates_that_continue_one_another():
    first = (date(2025, 10, 1), TODAY + timedelta(days=10))
    assert cover_until([first], TODAY) == TODAY + timedelta(days=10)
    follow_on = (TODAY + timedelta(days=11), date(2027, 10, 10))
    assert cover_until([follow_on, first], TODAY) == date(2027, 10, 10)
    gap = (TODAY + timedelta(days=12), date(2027, 10, 10))  # a day without a certificate breaks the cover
    assert cover_until([first, gap], TODAY) == TODAY + timedelta(days=10)
    assert cover_until([(date(2025, 1, 1), TODAY - timedelta(days=1))], TODAY) is None
    assert cover_until([(TODAY + timedelta(days=1), date(2027, 1, 1))], TODAY) is None


def test_location_not_published_until_its_day():
    published_today = WimStation(status=WimStation.Status.ACTIVE, published_on=TODAY)
    assert flags_of(published_today) == set()
    tomorrow = WimStation(status=WimStation.Status.ACTIVE, published_on=TODAY + timedelta(days=1))
    assert flags_of(tomorrow) == {"unpublished"}
    assert flags_of(WimStation(status=WimStation.Status.ACTIVE, published_on=None)) == {"unpublished"}


def test_silent_after_24_hours_without_records_unless_not_in_service():
    s = WimStation(status=WimStation.Status.ACTIVE, published_on=date(2020, 1, 1))
    assert flags_of(s, last_seen=NOW - timedelta(hours=24)) == set()
    assert flags_of(s, last_seen=NOW - timedelta(hours=24, minutes=1)) == {"silent"}
    assert flags_of(s, last_seen=None) == {"silent"}
    s.status = WimStation.Status.MAINTENANCE
    assert flags_of(s, last_seen=None) == set()


def test_the_lake_shows_a_station_alive_without_any_finding(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    day = tmp_path / "lake" / "wim" / "date=2026-09-15"
    day.mkdir(parents=True)
    pl.DataFrame(
        {
            "station_id": ["HN01", "HN01", "TX01"],
            "passed_at": [NOW - timedelta(hours=2), NOW - timedelta(hours=1), NOW - timedelta(hours=30)],
            "gross_kg": [30000, 31000, 20000],
        },
        schema_overrides={"passed_at": pl.Datetime("us", "UTC")},
    ).write_parquet(day / "part-000001.parquet")
    seen = lake_last_seen(NOW - timedelta(hours=24))
    assert seen == {"HN01": NOW - timedelta(hours=1)}


# ── Pages ─────────────────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def stations(org):
    hn = station(org[HAINING], "HN01", name="海宁长安检测点", lat=30.45, lon=120.55)
    hn2 = station(org[HAINING], "HN02", name="海宁袁花检测点", lat=30.40, lon=120.70, published_on=None)
    tx = station(org[TONGXIANG], "TX01", name="桐乡乌镇检测点", lat=30.74, lon=120.49)
    for s in (hn, hn2, tx):
        certificate(s, date(2026, 1, 1), date(2026, 12, 31))
    return hn, hn2, tx


def test_the_list_and_map_show_only_the_district_s_stations(stations, make_user, web_as):
    hn, _, tx = stations
    officer = make_user("hn1", HAINING, Role.OFFICER)
    response = web_as(officer).get("/stations/")
    page = response.content.decode()
    assert [r.station.code for r in response.context["rows"]] == ["HN01", "HN02"]
    assert "海宁长安检测点" in page and "海宁袁花检测点" in page and "桐乡乌镇检测点" not in page
    assert page.count("<circle") == 2 and "<svg" in page
    assert "https://" not in page and "http://" not in page  # no tiles, no CDN
    assert web_as(officer).get(f"/stations/{tx.pk}/").status_code == 404
    assert web_as(officer).get(f"/stations/{hn.pk}/").status_code == 200


def test_the_list_counts_and_filters_by_flag(stations, make_user, web_as):
    officer = make_user("hn1", HAINING, Role.OFFICER)
    response = web_as(officer).get("/stations/?flag=unpublished")
    assert response.context["counts"] == {"expired": 0, "expiring": 0, "unpublished": 1, "silent": 2}
    assert [r.station.code for r in response.context["rows"]] == ["HN02"]
    assert "位置未公布" in response.content.decode()


def test_the_station_page_marks_records_that_cannot_be_evidence(stations, make_user, web_as):
    hn, _, _ = stations
    hn.published_on = date(2026, 9, 1)
    hn.save()
    finding(hn, "浙F10001", dt.datetime(2026, 8, 20, 10, tzinfo=SH))  # before the location was published
    finding(hn, "浙F10002", dt.datetime(2026, 9, 10, 10, tzinfo=SH))
    page = web_as(make_user("hn1", HAINING)).get(f"/stations/{hn.pk}/").content.decode()
    assert page.count("位置公布前") == 1 and "检定有效期外" not in page


def test_station_statistics_match_an_independent_count(stations, make_user, web_as):
    hn, _, tx = stations
    rows = [
        # (local time, overload rate, status)
        ("2025-09-30 23:30", "0.1000", "confirmed"),  # before the 12 months shown
        ("2025-10-01 00:10", "0.2999", "confirmed"),
        ("2025-10-31 23:59", "0.3000", "pending"),
        ("2025-11-01 00:00", "0.9999", "confirmed"),
        ("2026-03-15 12:00", "1.0000", "confirmed"),
        ("2026-03-16 12:00", "1.7100", "dismissed"),  # dismissed: not an overload
        ("2026-08-20 08:00", "0.0500", "confirmed"),
        ("2026-09-01 08:00", "0.4000", "pending"),
        ("2026-09-14 18:00", "0.0200", "dismissed"),
        ("2026-09-15 09:00", "1.2000", "confirmed"),
    ]
    made = [
        finding(hn, f"浙F2{i:04d}", dt.datetime.fromisoformat(t).replace(tzinfo=SH), rate=r, status=st)
        for i, (t, r, st) in enumerate(rows)
    ]
    finding(tx, "浙F99999", dt.datetime(2026, 9, 1, tzinfo=SH))  # another station
    response = web_as(make_user("hn1", HAINING)).get(f"/stations/{hn.pk}/")
    ctx = response.context

    counted = [
        f
        for f in made
        if f.status != Finding.Status.DISMISSED
        and timezone.localtime(f.passed_at).date() >= date(2025, 10, 1)
    ]
    per_month = Counter(timezone.localtime(f.passed_at).strftime("%Y-%m") for f in counted)
    assert {m["label"].strftime("%Y-%m"): m["n"] for m in ctx["months"] if m["n"]} == dict(per_month)
    assert (ctx["months"][0]["label"], len(ctx["months"])) == (date(2025, 10, 1), 12)

    def band(rate: Decimal) -> int:
        return 0 if rate < Decimal("0.3") else 1 if rate < 1 else 2

    expected = Counter(band(f.overload_rate) for f in counted)
    assert [b["n"] for b in ctx["bands"]] == [expected[0], expected[1], expected[2]] == [2, 3, 2]

    recent = [f for f in made if f.passed_at >= NOW - timedelta(days=30)]
    by_outcome = Counter((f.outcome, f.status) for f in recent)
    fine = next(r for r in ctx["outcome_rows"] if r["label"] == "罚款")
    assert fine["cells"] == [by_outcome["fine", s] for s in Finding.Status.values]
    assert ctx["recent_total"] == len(recent) == 4
