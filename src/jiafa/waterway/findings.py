"""What the pages, the API and the hand-over letter say about a suspect-vessel finding: the findings a user
may see, the measured value against its threshold in words, the place, and the legal basis from the violation
catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from jiafa.core import jurisdiction
from jiafa.core.errors import JiafaError
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
