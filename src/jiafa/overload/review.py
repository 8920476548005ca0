"""The review (初审) of non-site overload findings and what follows it.

- `confirm`: an officer accepts a finding; it becomes a registered non-site case (案源登记) against the
  vehicle's registered owner, handled by the officer and a certified partner of the station's unit.
- `dismiss`: an officer sets it aside with a reason.
- `review_bulk`: several of both, all or nothing.
- `file_non_site`: a squadron leader files registered non-site cases, attaches each finding's evidence pack,
  concludes with the machine determination and serves the owner's notice (违法行为通知书), one case at a time,
  every step through `cases.actions.perform` so that every rule of the case lifecycle applies.

Each review locks the finding, checks role, jurisdiction, the version the reviewer saw and that the finding
is still pending, and writes its audit entry in the same transaction.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, QuerySet, Value, When
from django.utils import timezone

from jiafa.cases import actions as case_actions
from jiafa.cases.models import Case, DocumentKind, PartyKind
from jiafa.cases.models import Source as CaseSource
from jiafa.cases.states import CaseStatus
from jiafa.core import audit, jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import EvidenceItem, OrgUnit, User
from jiafa.core.roles import Perm, Role, require
from jiafa.law.book import rulebook
from jiafa.law.calendar import same_day_months_later
from jiafa.law.overload import Outcome
from jiafa.overload import packs
from jiafa.overload.models import Finding, Vehicle, WimStation

VIOLATION_CODE = "CX-01"  # 车货总质量超过限定标准，违法超限运输
MAX_BULK = 200  # findings or cases per request: one page of the queue, with room
# The reasons an officer most often sets a finding aside; "其他" needs words of its own.
DISMISS_REASONS = (
    "车牌识别错误",
    "称重数据异常（设备故障或跨道行驶）",
    "同一行程重复线索",
    "疑似套牌，转现场核查",
    "持有效超限运输许可",
    "其他",
)
REASON_MAX = 200  # Finding.dismiss_reason


def _refuse(message: str, code: ErrorCode = ErrorCode.INVALID_INPUT) -> JiafaError:
    return JiafaError(code, message)


def visible_findings(user: User) -> QuerySet[Finding]:
    return jurisdiction.visible(
        Finding.objects.select_related("station", "org_unit", "case", "reviewed_by"), user
    )


def vehicle_of(finding: Finding) -> Vehicle | None:
    return Vehicle.objects.filter(plate=finding.plate, plate_color=finding.plate_color).first()


def repeat_offences(finding: Finding) -> int:
    """Confirmed findings of the same plate in the year before this one (公路安全保护条例 Art. 66's window,
    as the rulebook holds it: the day twelve months before is not counted), for the discretion tier."""
    day = timezone.localtime(finding.passed_at).date()
    months = rulebook().value("repeat_offence.window_months", on=day)
    since = same_day_months_later(day, -months) + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    return Finding.objects.filter(
        plate=finding.plate,
        plate_color=finding.plate_color,
        status=Finding.Status.CONFIRMED,
        passed_at__gte=start,
        passed_at__lt=finding.passed_at,
    ).count()


def partner_officer(unit: OrgUnit, actor: User) -> User:
    """The second officer of a non-site case (Art. 42: at least two with certificates): a certified officer
    of the station's unit other than the reviewer, officers before the squadron leader, then by username,
    so the same squadron always pairs the same way."""
    partner = (
        User.objects.filter(is_active=True, org_unit=unit, role__in=[Role.OFFICER, Role.SQUADRON_LEADER])
        .exclude(certificate_no="")
        .exclude(pk=actor.pk)
        .order_by(
            SqlCase(When(role=Role.OFFICER, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "username",
        )
        .first()
    )
    if partner is None:
        raise _refuse(
            f"{unit.name}没有其他持执法证的执法人员，无法由两名以上执法人员办理本案"
            "（《行政处罚法》第四十二条），请联系中队长安排",
            ErrorCode.STEP_NOT_READY,
        )
    return partner


# A finding under review: locked, with its unit and its station's; built once (jurisdiction.get_seen).
_LOCKED = Finding.objects.select_for_update(of=("self",)).select_related("org_unit", "station__org_unit")


@contextmanager
def _reviewing(finding_id: int, *, actor: User, version: int | None) -> Iterator[Finding]:
    """The finding, locked, if the actor may review it now; saved with the review stamp afterwards."""
    require(actor, Perm.FINDING_REVIEW)
    with transaction.atomic():
        finding = jurisdiction.get_seen(_LOCKED, actor, finding_id)
        if version is not None and finding.version != version:
            raise _refuse("线索已被他人处理或更新，请刷新后再操作", ErrorCode.CONFLICT)
        if finding.status != Finding.Status.PENDING:
            who = finding.reviewed_by.full_name if finding.reviewed_by else ""
            raise _refuse(
                f"该线索已由{who}{finding.get_status_display()}，不能再次初审", ErrorCode.ILLEGAL_STEP
            )
        yield finding
        finding.reviewed_by = actor
        finding.reviewed_at = timezone.now()
        finding.version += 1
        finding.save()


@dataclass(frozen=True)
class Owner:
    kind: str
    name: str
    id_no: str
    address: str = ""
    phone: str = ""


def _register_vehicle(finding: Finding, owner: Owner, *, actor: User, ip: str | None) -> Vehicle:
    """Add a plate the register lacks, from what the reviewer established (audited like any change)."""
    if owner.kind not in PartyKind.values:
        raise _refuse(f"所有人类型“{owner.kind}”无效")
    if not owner.name.strip() or not owner.id_no.strip():
        raise _refuse("请填写车辆所有人姓名（名称）和证件号码")
    vehicle = Vehicle.objects.create(
        plate=finding.plate,
        plate_color=finding.plate_color,
        owner_kind=owner.kind,
        owner_name=owner.name.strip(),
        owner_id_no=owner.id_no.strip(),
        owner_address=owner.address.strip(),
        owner_phone=owner.phone.strip(),
        axles=finding.axles,
    )
    audit.record(
        "vehicle.add",
        actor=actor,
        obj=vehicle,
        org_unit=finding.org_unit,
        ip=ip,
        detail={"plate": vehicle.plate, "plate_color": vehicle.plate_color, "finding": finding.pk},
    )
    return vehicle


def _owner_vehicle(finding: Finding, owner: Owner | None, *, actor: User, ip: str | None) -> Vehicle:
    vehicle = vehicle_of(finding)
    if vehicle is not None:
        if owner is not None:
            raise _refuse(f"车辆 {finding.plate} 已在车辆登记库中，所有人以登记信息为准，请勿另行填写")
        return vehicle
    if owner is None:
        raise _refuse(
            f"车辆 {finding.plate}（{finding.plate_color}牌）不在车辆登记库中，无法确定违法通知的对象："
            "请补录车辆所有人信息后再确认",
            ErrorCode.STEP_NOT_READY,
        )
    return _register_vehicle(finding, owner, actor=actor, ip=ip)


def place_of(station: WimStation) -> str:
    """ "G60沪昆高速许村枢纽（杭州方向 K98+300）": the road is named once, whether or not the name has it."""
    road = "" if station.road in station.name else station.road
    where = " ".join(part for part in (road, station.direction, station.stake) if part)
    return f"{station.name}（{where}）"


def facts_of(finding: Finding) -> str:
    """违法事实 as the notice states it: time, place, vehicle, the numbers and the flags."""
    at = timezone.localtime(finding.passed_at)
    rate = f"{finding.overload_rate * 100:.2f}".rstrip("0").rstrip(".")
    text = (
        f"{at:%Y年%m月%d日%H时%M分}，{finding.plate}（{finding.plate_color}牌）{finding.axles}轴车辆"
        f"途经{place_of(finding.station)}，经不停车超限检测系统动态称重，车货总质量{finding.gross_kg}千克，"
        f"扣除计量误差{finding.tolerance_kg}千克后为{finding.gross_kg - finding.tolerance_kg}千克，"
        f"超过限定标准{finding.limit_kg}千克，超限{finding.overload_kg}千克，超限率{rate}%"
    )
    flags = [
        name for flag, name in ((finding.hundred_tonne, "百吨王"), (finding.serious, "严重违法超限")) if flag
    ]
    return text + (f"，属{'、'.join(flags)}" if flags else "") + "。"


def confirm(
    finding_id: int,
    *,
    actor: User,
    version: int | None = None,
    owner: Owner | None = None,
    ip: str | None = None,
) -> Finding:
    """Confirm a finding: register a non-site case (案源) against the vehicle's owner, handled by the reviewer
    and the station unit's partner officer. The evidence pack, checked against its hash, becomes a blob of its
    own (packs.materialise) that joins the case when it is filed (a registered case has no file to hold
    evidence yet: cases.actions.attach_evidence)."""
    with _reviewing(finding_id, actor=actor, version=version) as finding:
        if not actor.certificate_no:
            raise _refuse("确认线索即登记案源，须由持执法证的执法人员办理", ErrorCode.FORBIDDEN)
        packs.materialise(finding)
        vehicle = _owner_vehicle(finding, owner, actor=actor, ip=ip)
        partner = partner_officer(finding.station.org_unit, actor)
        repeat = repeat_offences(finding)
        case = case_actions.register(
            actor=actor,
            source=CaseSource.NON_SITE,
            source_ref=finding.record_id,
            violation_code=VIOLATION_CODE,
            occurred_at=finding.passed_at,
            place=place_of(finding.station),
            facts=facts_of(finding),
            party_kind=vehicle.owner_kind,
            party_name=vehicle.owner_name,
            party_id_no=vehicle.owner_id_no,
            party_address=vehicle.owner_address,
            party_phone=vehicle.owner_phone,
            vehicle_plate=finding.plate,
            officers=[actor, partner],
            facts_for_tier={"overload_kg": finding.overload_kg, "repeat_12m": repeat, "corrected": False},
            ip=ip,
        )
        finding.status = Finding.Status.CONFIRMED
        finding.case = case
        audit.record(
            "finding.confirm",
            actor=actor,
            obj=finding,
            ip=ip,
            detail={
                "case": case.pk,
                "plate": finding.plate,
                "overload_kg": finding.overload_kg,
                "partner": partner.username,
                "repeat_12m": repeat,
            },
        )
    return finding


def dismiss(
    finding_id: int, *, actor: User, reason: str, version: int | None = None, ip: str | None = None
) -> Finding:
    """Set a finding aside (排除) with the reviewer's reason; it never becomes a case."""
    reason = reason.strip()
    if not reason:
        raise _refuse("请写明排除理由")
    if len(reason) > REASON_MAX:
        raise _refuse(f"排除理由最多 {REASON_MAX} 字")
    with _reviewing(finding_id, actor=actor, version=version) as finding:
        finding.status = Finding.Status.DISMISSED
        finding.dismiss_reason = reason
        audit.record("finding.dismiss", actor=actor, obj=finding, ip=ip, detail={"reason": reason})
    return finding


@dataclass(frozen=True)
class Dismissal:
    id: int
    reason: str
    version: int | None = None


def review_bulk(
    confirms: Iterable[tuple[int, int | None]],
    dismissals: Iterable[Dismissal],
    *,
    actor: User,
    ip: str | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """Confirm and dismiss several findings at once: all or nothing. A refusal names the finding."""
    confirms, dismissals = list(confirms), list(dismissals)
    ids = [i for i, _ in confirms] + [d.id for d in dismissals]
    if not ids:
        raise _refuse("请选择要确认或排除的线索")
    if len(ids) > MAX_BULK:
        raise _refuse(f"一次最多处理 {MAX_BULK} 条线索")
    if len(set(ids)) != len(ids):
        raise _refuse("同一条线索不能在一次提交中出现两次")
    done: tuple[list[Finding], list[Finding]] = ([], [])
    with transaction.atomic():
        for finding_id, version in confirms:
            with _naming(finding_id):
                done[0].append(confirm(finding_id, actor=actor, version=version, ip=ip))
        for d in dismissals:
            with _naming(d.id):
                done[1].append(dismiss(d.id, actor=actor, reason=d.reason, version=d.version, ip=ip))
    return done


@contextmanager
def _naming(finding_id: int) -> Iterator[None]:
    try:
        yield
    except JiafaError as e:
        raise JiafaError(e.code, f"线索 #{finding_id}：{e.message}（本次提交均未生效）") from e


# ── Filing in bulk (批量立案并告知) ────────────────────────────────────────────────────────────────────


@dataclass
class FilingResult:
    case_id: int
    ok: bool = False
    status: str = ""
    number: str = ""
    plate: str = ""
    party_name: str = ""
    notice_id: int | None = None
    notice_number: str = ""
    code: str = ""
    message: str = ""


def registered_non_site(user: User) -> QuerySet[Case]:
    """The leader's worklist: non-site cases registered from confirmed findings, waiting to be filed."""
    return (
        jurisdiction.visible(Case.objects.select_related("org_unit"), user)
        .filter(source=CaseSource.NON_SITE, status=CaseStatus.REGISTERED, findings__isnull=False)
        .distinct()
        .order_by("registered_at", "id")
    )


def file_non_site(
    case_ids: Iterable[int], *, actor: User, served_on: date, ip: str | None = None
) -> list[FilingResult]:
    """For each registered non-site case: file it today, attach its evidence pack, conclude with the machine
    determination (warning or the per-tonne fine) and serve the notice on `served_on`. Each case in its own
    transaction: a refused case is reported and left as it was, and the others go on."""
    require(actor, Perm.NON_SITE_FILE)
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        raise _refuse("请选择要立案的案件")
    if len(ids) > MAX_BULK:
        raise _refuse(f"一次最多办理 {MAX_BULK} 件")
    results = []
    for case_id in ids:
        result = FilingResult(case_id)
        try:
            with transaction.atomic():
                case = _file_one(case_id, actor=actor, served_on=served_on, ip=ip)
        except JiafaError as e:
            result.code, result.message = str(e.code), e.message
            found = jurisdiction.visible(Case.objects.filter(pk=case_id), actor).first()
            if found is None:
                results.append(result)
                continue
            case = found
        else:
            result.ok = True
            notice = case.documents.filter(kind=DocumentKind.NOTICE).order_by("-id").first()
            if notice is not None:
                result.notice_id, result.notice_number = notice.pk, notice.number
        result.status, result.number = case.status, case.number
        result.plate, result.party_name = case.vehicle_plate, case.party_name
        results.append(result)
    return results


def _file_one(case_id: int, *, actor: User, served_on: date, ip: str | None) -> Case:
    case = case_actions.lock(case_id, actor)
    if case.source != CaseSource.NON_SITE:
        raise _refuse("不是非现场执法案件，请在案件页面办理")
    if case.status != CaseStatus.REGISTERED:
        raise _refuse(
            f"案件当前为“{CaseStatus(case.status).label}”，请在案件页面继续办理", ErrorCode.ILLEGAL_STEP
        )
    finding = case.findings.order_by("id").first()
    if finding is None:
        raise _refuse("案件没有对应的非现场线索", ErrorCode.STEP_NOT_READY)

    def step(action: str, payload: dict[str, Any]) -> Case:
        return case_actions.perform(action, case_id, payload, actor=actor, ip=ip)

    step("file", {"filed_on": timezone.localdate()})
    _attach_pack(case_id, finding, actor=actor, ip=ip)
    fine = finding.fine_yuan if finding.outcome == Outcome.FINE else 0
    step(
        "conclude",
        {
            "outcome": "penalty",
            "kinds": [finding.outcome],
            "fine_yuan": fine,
            "report": f"经初审确认，{facts_of(finding)}证据包 SHA-256：{packs.sha256(finding)}。",
        },
    )
    return step("notify", {"served_on": served_on})


def _attach_pack(case_id: int, finding: Finding, *, actor: User, ip: str | None) -> EvidenceItem:
    """The finding's evidence pack into the case file, refused if the stored file no longer has its hash."""
    item = case_actions.attach_evidence(
        case_id,
        io.BytesIO(packs.read(finding)),
        actor=actor,
        title=f"非现场检测证据包（{finding.plate} {timezone.localtime(finding.passed_at):%m-%d %H:%M}）",
        kind=EvidenceItem.Kind.RECORD,
        original_name=f"evidence-{finding.record_id}.json",
        content_type=packs.PACK_TYPE,
        description=f"动态称重记录 {'、'.join(finding.record_ids) or finding.record_id}；"
        f"照片、视频、称重记录与检定证书的哈希见证据包",
        collected_at=finding.passed_at,
        ip=ip,
    )
    if item.blob_id != packs.sha256(finding):  # packs.read checked the bytes; this checks the store kept them
        raise _refuse("证据包文件与登记的哈希值不符，已停止立案，请联系系统管理员核查", ErrorCode.CONFLICT)
    return item


def today_counts(user: User, today: date | None = None) -> dict[str, int]:
    """Pending findings, and those confirmed and dismissed today, in the user's jurisdiction."""
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    mine = jurisdiction.visible(Finding.objects.all(), user)
    reviewed = mine.filter(reviewed_at__gte=start, reviewed_at__lt=start + timedelta(days=1))
    return {
        "pending": mine.filter(status=Finding.Status.PENDING).count(),
        "confirmed": reviewed.filter(status=Finding.Status.CONFIRMED).count(),
        "dismissed": reviewed.filter(status=Finding.Status.DISMISSED).count(),
        "mine": reviewed.filter(reviewed_by=user).count(),
    }
