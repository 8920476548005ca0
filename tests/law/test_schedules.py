"""A bureau loads next year's holiday schedule the day it is published; until then, no guessing."""

import datetime as dt
import json

import pytest

from jiafa.law import schedules
from jiafa.law.calendar import NoScheduleError
from jiafa.law.models import HolidaySchedule
from tests.conftest import run_command

pytestmark = pytest.mark.django_db


def _schedule_2027() -> dict:
    """A made-up 2027 schedule in the published format (a stand-in until the real notice)."""
    national_day = [f"2027-10-0{d}" for d in range(1, 8)]
    return {
        "year": 2027,
        "source": "测试用 2027 年安排",
        "published": "2026-11-20",
        "holidays": [{"name": "元旦", "days": ["2027-01-01"]}, {"name": "国庆节", "days": national_day}],
        "workdays": ["2027-09-26", "2027-10-09"],
    }


def _run(*args: str) -> tuple[int, str, str]:
    return run_command("law", *args)


def test_a_year_without_schedule_is_an_error_until_loaded(tmp_path):
    with pytest.raises(NoScheduleError):
        schedules.calendar().add_working_days(dt.date(2026, 12, 28), 5)
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(_schedule_2027(), ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run("calendar", "load", str(path))
    assert code == 0 and "2027" in out
    cal = schedules.calendar()
    # 2026-12-28 (Mon) + 5 working days: 12-29, 12-30, 12-31, 2027-01-04 (Mon; 01-01 is a holiday), 01-05.
    assert cal.add_working_days(dt.date(2026, 12, 28), 5) == dt.date(2027, 1, 5)
    assert cal.is_working_day(dt.date(2027, 9, 26))  # make-up Sunday
    assert HolidaySchedule.objects.get().source == "测试用 2027 年安排"


def test_a_bad_schedule_file_changes_nothing(tmp_path):
    doc = _schedule_2027()
    doc["workdays"] = ["2027-10-01"]  # both a holiday and a working day
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = _run("calendar", "load", str(path))
    assert code == 2
    assert "schedule_invalid" in err
    assert HolidaySchedule.objects.count() == 0


def test_show_lists_the_make_up_days(capsys):
    code, out, _ = _run("calendar", "show", "2026", "--json")
    data = json.loads(out)
    assert code == 0 and "2026-10-10" in data["workdays"] and "2026-10-01" in data["holidays"]
    code, _, err = _run("calendar", "show", "2031")
    assert code == 2 and "2031" in err
