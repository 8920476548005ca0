"""The Art. 15 class of a load and the statutory time limit in working days, around National Day 2024
(holidays 1–7 October; make-up working days Sunday 29 September and Saturday 12 October)."""

from datetime import date

import pytest

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law import ruledata
from jiafa.law.calendar import from_chinese_calendar
from jiafa.permits.rules import Dimensions, PermitClass, decision_due, permit_class

BOOK = ruledata.load(ruledata.PACKAGED)
CAL = from_chinese_calendar()
FRIDAY = date(2024, 9, 27)


@pytest.mark.parametrize(
    ("height", "width", "length", "gross", "within", "expected"),
    [
        (4.0, 2.9, 18.0, 40000, True, PermitClass.SMALL),
        (4.2, 3.0, 20.0, 49000, True, PermitClass.SMALL),  # 未超过: the limits themselves are inside
        (4.0, 2.9, 18.0, 60000, False, PermitClass.MEDIUM),  # overweight makes it at least the second class
        (4.5, 3.75, 28.0, 100000, False, PermitClass.MEDIUM),
        (4.6, 3.0, 20.0, 40000, True, PermitClass.LARGE),
        (4.0, 3.8, 20.0, 40000, True, PermitClass.LARGE),
        (4.0, 3.0, 28.5, 40000, True, PermitClass.LARGE),
        (4.0, 3.0, 20.0, 100001, False, PermitClass.LARGE),
    ],
)
def test_class_by_size_and_weight(height, width, length, gross, within, expected) -> None:
    cls, rule = permit_class(Dimensions(height, width, length, gross, within), BOOK, FRIDAY)
    assert cls is expected
    assert rule.article == "第十五条" and rule.verified


@pytest.mark.parametrize(
    ("cls", "cross", "excluded", "due"),
    [
        (PermitClass.SMALL, False, 0, date(2024, 9, 30)),  # Sun 29 (make-up), Mon 30
        (PermitClass.MEDIUM, False, 0, date(2024, 10, 10)),  # 29, 30, 8, 9, 10 October
        (PermitClass.LARGE, False, 0, date(2024, 10, 23)),  # … 11, 12 (make-up), 14–18, 21, 22, 23
        (PermitClass.SMALL, True, 0, date(2024, 10, 10)),  # cross-province: 5
        (PermitClass.MEDIUM, True, 0, date(2024, 10, 16)),  # 10: … 11, 12 (make-up), 14, 15, 16
        (PermitClass.LARGE, True, 0, date(2024, 10, 30)),  # 20
        (PermitClass.SMALL, False, 3, date(2024, 10, 10)),  # three days of reinforcement not counted
    ],
)
def test_time_limit_in_working_days(cls, cross, excluded, due) -> None:
    limit = decision_due(FRIDAY, cls, cross, CAL, BOOK, excluded_working_days=excluded)
    assert limit.due == due
    assert "超限运输车辆行驶公路管理规定第十五条" in limit.explanation
    assert ("不计入" in limit.explanation) == bool(excluded)


def test_bad_loads_and_exclusions_are_refused() -> None:
    with pytest.raises(JiafaError) as e:
        Dimensions(-1.0, 3.0, 20.0, 40000, True)
    assert e.value.code is ErrorCode.PERMIT_INPUT_INVALID and "总高度" in e.value.message
    with pytest.raises(JiafaError) as e:
        Dimensions(4.0, 3.0, 20.0, 0, True)
    assert "总质量" in e.value.message
    with pytest.raises(JiafaError):
        decision_due(FRIDAY, PermitClass.SMALL, False, CAL, BOOK, excluded_working_days=-1)


def test_a_year_without_a_schedule_is_refused() -> None:
    with pytest.raises(JiafaError) as e:
        decision_due(date(2099, 12, 30), PermitClass.LARGE, False, CAL, BOOK)
    assert e.value.code is ErrorCode.NO_SCHEDULE
