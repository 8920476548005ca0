"""What the pages, the API and the hand-over letter say about a suspect-vessel finding: the findings a user
may see and their filters, the measured value against its threshold in words, the place, and the legal basis
from the violation catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from jiafa.core import jurisdiction
from jiafa.core.errors import JiafaError
from jiafa.core.models import OrgUnit
from jiafa.core.roles import Perm, require
from jiafa.law import catalogue
from jiafa.law.book import rulebook
from jiafa.law.violations import Provision, cite
from jiafa.waterway.models import Finding
from jiafa.waterway.rules import Rule

R = Rule
STATUS_COLOURS = {
    Finding.Status.PENDING: "amber",
    Finding.Status.CONFIRMED: "green",
    Finding.Status.HANDED_OVER: "blue",
    Finding.Status.DISMISSED: "grey",
}


def visible(user: object) -> QuerySet[Finding]:
    """The findings of the user's jurisdiction (the unit of the zone, checkpoint or vessel)."""
    require(user, Perm.WATERWAY_VIEW)
    qs = Finding.objects.select_related("vessel", "org_unit", "zone", "checkpoint", "case", "reviewed_by")
    return jurisdiction.visible(qs, user)


def pending(user: object) -> QuerySet[Finding]:
    return visible(user).filter(status=Finding.Status.PENDING)


ALL = "all"  # the status filter's "every status"
MMSI_DIGITS = 9


def mmsi_of(text: str) -> int | None:
    """The MMSI typed, if the text is one: nine ASCII digits."""
    return int(text) if len(text) == MMSI_DIGITS and text.isascii() and text.isdigit() else None


@dataclass(frozen=True)
class Filters:
    """The filters of a findings list as checked. A value that can't be used is left out and said in `errors`
    (parameter → message in Chinese); the others still apply."""

    status: str  # a Finding.Status or ALL
    rule: str  # a Rule or ""
    unit: OrgUnit | None
    since: date | None  # found on or after this day (China time)
    until: date | None  # found on or before
    vessel: str  # part of a registered, AIS or camera-read name, or the MMSI
    errors: dict[str, str]


LABELS = {
    "status": "状态",
    "rule": "线索类型",
    "unit": "单位",
    "from": "开始日期",
    "to": "结束日期",
    "vessel": "船名或 MMSI",
}


def _param(params: Mapping[str, str], key: str, errors: dict[str, str]) -> str:
    text = (params.get(key) or "").strip()
    if "\x00" in text:  # no database takes it, and no one types it
        errors[key] = f"{LABELS[key]}含有空字符"
        return ""
    return text


def _day(params: Mapping[str, str], key: str, errors: dict[str, str]) -> date | None:
    text = _param(params, key, errors)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[key] = f"{LABELS[key]}“{text}”不是有效日期，应为“年-月-日”，如 2025-06-02"
        return None


def midnight(day: date) -> datetime:
    """The day's start in China time."""
    return datetime.combine(day, time(), tzinfo=timezone.get_current_timezone())


def filtered(
    user: object, params: Mapping[str, str], *, status: str = ALL
) -> tuple[QuerySet[Finding], Filters]:
    """The findings of the user's jurisdiction that pass the list's filters, newest first: the queue page's
    and `GET /api/v1/waterway/findings`'s. `status` applies when none is asked.

    Parameters: `status` (pending, confirmed, handed_over, dismissed or all), `rule`, `unit` (an org unit code
    within the jurisdiction: that unit and those under it), `from` and `to` (days in China time, both
    included), `vessel` (part of a name, or the nine-digit MMSI). Empty means no filter."""
    qs = visible(user)
    errors: dict[str, str] = {}
    asked = _param(params, "status", errors) or status
    if asked not in (ALL, *Finding.Status.values):
        errors["status"] = f"状态“{asked}”无效，可选：{ALL}（全部）、" + "、".join(
            f"{v}（{label}）" for v, label in Finding.Status.choices
        )
        asked = status
    rule = _param(params, "rule", errors)
    if rule and rule not in {r.value for r in Rule}:
        errors["rule"] = f"线索类型“{rule}”无效，可选：" + "、".join(f"{r.value}（{r.label}）" for r in Rule)
        rule = ""
    unit = None
    if code := _param(params, "unit", errors):
        unit = jurisdiction.units(user).filter(code=code).first()
        if unit is None:
            errors["unit"] = f"单位“{code}”不存在或不在您的辖区内"
    since, until = _day(params, "from", errors), _day(params, "to", errors)
    if since and until and since > until:
        errors["to"] = f"结束日期 {until} 早于开始日期 {since}"
        since = until = None
    vessel = _param(params, "vessel", errors)

    if asked != ALL:
        qs = qs.filter(status=asked)
    if rule:
        qs = qs.filter(rule=rule)
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if since:
        qs = qs.filter(start__gte=midnight(since))
    if until:
        qs = qs.filter(start__lt=midnight(until + timedelta(days=1)))
    if vessel:
        by_name = (
            Q(vessel__name__icontains=vessel) | Q(ais_name__icontains=vessel) | Q(seen_name__icontains=vessel)
        )
        mmsi = mmsi_of(vessel)
        qs = qs.filter(by_name | Q(mmsi=mmsi) if mmsi is not None else by_name)
    chosen = Filters(asked, rule, unit, since, until, vessel, errors)
    return qs.order_by("-start", "-id"), chosen


def day_of(finding: Finding) -> date:
    """The finding's day in China time: the lake's partition that holds its track."""
    return timezone.localtime(finding.start).date()


def duration(minutes: float) -> str:
    """47 → "47 分钟", 125 → "2 小时 5 分钟"."""
    m = round(minutes)
    if m < 60:
        return f"{m} 分钟"
    return f"{m // 60} 小时" + (f" {m % 60} 分钟" if m % 60 else "")


def measure(f: Finding) -> str:
    """The number the rule judged against its threshold, in words: "停泊 47 分钟，阈值 30 分钟"."""
    v, t = f.value, f.threshold
    rule = R(f.rule)
    if rule == R.MUCK_NEVER_DUMPED:
        return "装载后未在许可的消纳点停泊卸载"
    if rule == R.NAME_MISMATCH:
        read = f"置信度 {v:.2f}，不低于 {t:.2f}" if v is not None and t is not None else "置信度未知"
        return f"卡口识别船名“{f.seen_name}”（{read}），AIS 船名“{f.ais_name}”"
    if v is None or t is None:
        if rule == R.AIS_DARK and t is not None:
            return f"卡口拍到该船时，前后均无 AIS 位置报告（中断超过 {duration(t)}即为线索）"
        return rule.label
    if rule == R.SHARED_MMSI:
        return f"相邻两次位置推算航速 {v:.1f} 节，阈值 {t:g} 节"
    if rule == R.AIS_DARK:
        return f"AIS 信号中断 {duration(v)}，阈值 {duration(t)}"
    what = {
        R.UNLICENSED_DOCK: "在无证码头停泊",
        R.ILLEGAL_BERTHING: "停泊",
        R.MUCK_NO_PERMIT: "无有效运输许可时停泊装卸",
        R.MUCK_OUTSIDE_DUMPING_ZONE: "在装载点和消纳点以外停泊",
    }[rule]
    return f"{what} {duration(v)}，阈值 {duration(t)}"


def in_zone(f: Finding) -> bool:
    """Whether the finding happened in its zone: a vessel that never reached its dumping zone was not there
    (the zone is where it should have gone)."""
    return f.zone is not None and f.rule != R.MUCK_NEVER_DUMPED


def place(f: Finding) -> str:
    if f.zone is not None and in_zone(f):
        return f.zone.name
    if f.checkpoint is not None:
        return f.checkpoint.name
    where = f"北纬{f.lat:.5f}° 东经{f.lon:.5f}°" if f.lat is not None and f.lon is not None else "水域"
    return f"{where}（装载后应至{f.zone.name}卸载）" if f.zone is not None else where


def where(f: Finding) -> tuple[float, float] | None:
    """Where to mark the finding on a map: its own position, else its checkpoint's."""
    if f.lat is not None and f.lon is not None:
        return f.lat, f.lon
    if f.checkpoint is not None:
        return f.checkpoint.lat, f.checkpoint.lon
    return None


@dataclass(frozen=True)
class Legal:
    """The violation a finding points to, as the catalogue states it on the finding's day."""

    code: str
    name: str
    violated: tuple[Provision, ...]
    penalty_basis: tuple[Provision, ...]
    handover_to: str  # the authority that punishes it instead of the bureau, if any

    @property
    def violated_text(self) -> str:
        return cite(self.violated)

    @property
    def penalty_text(self) -> str:
        return cite(self.penalty_basis)


def legal(f: Finding) -> Legal | None:
    on = day_of(f)
    code = rulebook().value("waterway.findings.violations", on=on).get(f.rule)
    if not code:
        return None
    try:
        item = catalogue.current(code, on=on).item
    except JiafaError:  # not in the catalogue, or not yet in force that day
        return None
    return Legal(code, item.name, item.violated, item.penalty_basis, item.handover_to)
