"""The vessel code (船舶码): green, yellow or red per vessel, with the reasons shown beside it. Pure code: the
facts and the day are arguments; the limits come from rule data (`waterway.vessel_code.*`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return {Colour.GREEN: "绿码", Colour.YELLOW: "黄码", Colour.RED: "红码"}[self]


@dataclass(frozen=True)
class Facts:
    certificates: list[tuple[str, date]]  # (certificate name, valid to)
    open_cases: int
    unpaid_fines: int  # decided cases whose fine is due and unpaid
    confirmed_findings: list[date]  # days of findings confirmed by a check


@dataclass(frozen=True)
class Limits:
    expiring_days: int  # a certificate expiring within this many days: yellow
    recent_days: int  # confirmed findings counted over this many days
    red_findings: int  # this many recent confirmed findings: red (one fewer and more than none: yellow)


@dataclass(frozen=True)
class Code:
    colour: Colour
    reasons: list[str]


def judge(facts: Facts, limits: Limits, on: date) -> Code:
    red: list[str] = []
    yellow: list[str] = []
    if not facts.certificates:
        red.append("无有效船舶证书登记")
    for name, valid_to in facts.certificates:
        if valid_to < on:
            red.append(f"{name}已于{valid_to:%Y年%m月%d日}过期")
        elif valid_to <= on + timedelta(days=limits.expiring_days):
            yellow.append(f"{name}将于{valid_to:%Y年%m月%d日}到期")
    if facts.unpaid_fines:
        red.append(f"有{facts.unpaid_fines}笔罚款逾期未缴")
    recent = sum(1 for day in facts.confirmed_findings if on - timedelta(days=limits.recent_days) < day <= on)
    if recent >= limits.red_findings:
        red.append(f"近{limits.recent_days}天内经核查确认的违法线索{recent}条")
    elif recent:
        yellow.append(f"近{limits.recent_days}天内经核查确认的违法线索{recent}条")
    if facts.open_cases:
        yellow.append(f"有{facts.open_cases}件案件正在办理")
    if red:
        return Code(Colour.RED, red + yellow)
    if yellow:
        return Code(Colour.YELLOW, yellow)
    return Code(Colour.GREEN, ["证书有效，无未结案件、欠缴罚款和近期确认的违法线索"])
