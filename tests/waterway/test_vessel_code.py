"""The vessel code at each of its limits."""

from datetime import date

import pytest

from jiafa.waterway.vessel_code import Colour, Facts, Limits, judge

ON = date(2025, 6, 2)
LIMITS = Limits(expiring_days=30, recent_days=90, red_findings=2)


def facts(valid_to: date = date(2026, 1, 1), **kw: object) -> Facts:
    base: dict[str, object] = {
        "certificates": [("船舶检验证书", valid_to)],
        "open_cases": 0,
        "unpaid_fines": 0,
        "confirmed_findings": [],
    }
    return Facts(**(base | kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("the_facts", "colour"),
    [
        (facts(), Colour.GREEN),
        (facts(date(2025, 7, 2)), Colour.YELLOW),  # expires in 30 days
        (facts(date(2025, 7, 3)), Colour.GREEN),  # in 31
        (facts(date(2025, 6, 2)), Colour.YELLOW),  # valid through today
        (facts(date(2025, 6, 1)), Colour.RED),  # expired yesterday
        (facts(certificates=[]), Colour.RED),
        (facts(open_cases=1), Colour.YELLOW),
        (facts(unpaid_fines=1), Colour.RED),
        (facts(confirmed_findings=[date(2025, 5, 1)]), Colour.YELLOW),
        (facts(confirmed_findings=[date(2025, 5, 1), date(2025, 3, 5)]), Colour.RED),  # 89 days ago
        (facts(confirmed_findings=[date(2025, 5, 1), date(2025, 3, 4)]), Colour.YELLOW),  # 90 days: outside
    ],
)
def test_colour_at_each_limit(the_facts: Facts, colour: Colour) -> None:
    assert judge(the_facts, LIMITS, ON).colour == colour


def test_the_reasons_name_what_decided_the_colour() -> None:
    code = judge(facts(date(2025, 6, 1), open_cases=2), LIMITS, ON)
    assert (code.colour.label, code.reasons) == (
        "红码",
        ["船舶检验证书已于2025年06月01日过期", "有2件案件正在办理"],
    )
