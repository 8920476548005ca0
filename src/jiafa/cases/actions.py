"""The steps of a case. Each one locks the case, checks the transition table, the role, the jurisdiction and
the version the user saw, then the step's own legal conditions; it changes the case and writes the timeline
event and the audit entry — all in one transaction, so a refused step changes nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from pydantic import ValidationError

from jiafa.cases import documents, events, rules
from jiafa.cases.models import Case, DocumentKind, Outcome, PartyKind, PenaltyKind, Procedure, Remedy, Source
from jiafa.cases.schemas import STEP_INPUTS
from jiafa.cases.states import DONE, CaseStatus, Transition, available, transition
from jiafa.core import actions as evidence_actions
from jiafa.core import audit, jurisdiction, rows
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import EvidenceItem, OrgUnit, User
from jiafa.core.roles import Perm, require
from jiafa.law import catalogue, schedules
from jiafa.law.book import rulebook
from jiafa.law.calendar import NoScheduleError, same_day_months_later
from jiafa.law.deadlines import DeadlineKind, deadline, late_fee, period_end
from jiafa.law.violations import Item, Tier, check_penalty, first_violation_exemption_allowed, select_tier

S = CaseStatus
NO_PENALTY = frozenset({Outcome.MINOR_EXEMPTION, Outcome.FIRST_VIOLATION_EXEMPTION, Outcome.NOT_ESTABLISHED})
TRANSFERS = frozenset({Outcome.CRIMINAL_TRANSFER, Outcome.HANDOVER})
RECORD_KINDS = frozenset(
    {DocumentKind.ON_SITE_RECORD, DocumentKind.INQUIRY_RECORD, DocumentKind.INSPECTION_RECORD}
)
LAW = "《行政处罚法》"


def _refuse(message: str, code: ErrorCode = ErrorCode.INVALID_INPUT) -> JiafaError:
    return JiafaError(code, message)


def _due(kind: DeadlineKind, start: date) -> date:
    """A statutory deadline on the work calendar (a year without a holiday schedule is refused)."""
    return deadline(kind, start, schedules.calendar(), rulebook()).due


def _period(key: str, start: date) -> date:
    """The end of a period that the rulebook holds under `key` (a setting, e.g. the defence window)."""
    try:
        return period_end(rulebook().get(key, on=start), start, schedules.calendar())
    except NoScheduleError as e:
        raise JiafaError(ErrorCode.NO_SCHEDULE, str(e)) from e


def _check_day(day: date, what: str, *, after: date | None = None, after_what: str = "") -> None:
    if day > timezone.localdate():
        raise _refuse(f"{what}不能晚于今天")
    if after is not None and day < after:
        raise _refuse(f"{what}（{day:%Y-%m-%d}）不能早于{after_what}（{after:%Y-%m-%d}）")


@dataclass
class _Step:
    case: Case
    row: Transition
    status_from: str
    target: str
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def to(self, status: CaseStatus) -> None:
        self.target = status


# How a step reads its case: locked, with its catalogue version's content hash (item_of).
_LOCKED = (
    Case.objects.select_for_update().annotate(item_hash=catalogue.hash_of(Case._meta.db_table)).order_by()
)
_COLUMNS = [f.attname for f in Case._meta.concrete_fields]


@cache
def _lock_statement() -> tuple[str, list[tuple[int, list[Any], Any]]]:
    """_LOCKED's statement for one case, compiled once (inside a transaction, as FOR UPDATE requires), with
    the converters its columns' values go through (dates, JSON). Every step reads its case: compiling the
    statement and matching its columns to fields each time took twice as long as running it."""
    compiler = _LOCKED.filter(pk=0).query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    assert params == (0,) and len(compiler.select) == len(_COLUMNS) + 1, "the case's columns, then item_hash"
    converters = compiler.get_converters([expression for expression, _, _ in compiler.select])
    return sql, [(pos, funcs, expression) for pos, (funcs, expression) in converters.items()]


def lock(case_id: int, actor: User) -> Case:
    """The case, locked until the transaction ends, with its unit and the unit's ancestors (whose bureau its
    documents name and number: OrgUnit.bureau), if it lies in the actor's jurisdiction ("not found" if not).
    The jurisdiction is checked on the row fetched: a simpler query than filtering by it."""
    try:
        key = Case._meta.pk.get_prep_value(case_id)
    except (TypeError, ValueError) as exc:
        raise JiafaError(ErrorCode.NOT_FOUND) from exc
    sql, converters = _lock_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        raise JiafaError(ErrorCode.NOT_FOUND)
    values = list(row)
    for pos, funcs, expression in converters:
        for convert in funcs:
            values[pos] = convert(values[pos], expression, connection)
    case = Case.from_db(connection.alias, _COLUMNS, values[:-1])
    case.__dict__["item_hash"] = values[-1]  # for item_of
    case.org_unit = OrgUnit.lineage(case.org_unit_id)
    if not jurisdiction.sees(actor, case.org_unit):
        raise JiafaError(ErrorCode.NOT_FOUND)
    return case


@contextmanager
def _step(case_id: int, action: str, *, actor: User, version: int | None, ip: str | None) -> Iterator[_Step]:
    with transaction.atomic():
        case = lock(case_id, actor)
        if version is not None and case.version != version:
            raise JiafaError(ErrorCode.CONFLICT, "案件已被他人更新，请刷新页面后再操作")
        row = transition(action, case.status)
        if actor.role not in row.roles:
            raise JiafaError(ErrorCode.FORBIDDEN, f"您的角色不能{row.label}")
        only = next(iter(row.targets)) if len(row.targets) == 1 else case.status
        step = _Step(case, row, case.status, only)
        loaded = _values(case)
        yield step
        if step.target not in row.targets:
            raise AssertionError(f"{action} may not lead to {step.target}")
        case.status = step.target
        case.version += 1
        rows.update(case, [name for name, value in _values(case).items() if loaded[name] != value])
        events.record(case, action, actor, status_from=step.status_from, note=step.note, **step.data)
        audit.record(
            f"case.{action}",
            actor=actor,
            obj=case,
            ip=ip,
            detail={"from": step.status_from, "to": case.status, **step.data},
        )


def _values(case: Case) -> dict[str, Any]:
    """The case's columns, to write back only those a step changed (lists and dicts copied: a step may change
    them in place)."""
    values = {f.name: getattr(case, f.attname) for f in Case._meta.concrete_fields if not f.primary_key}
    return {name: copy.deepcopy(v) if isinstance(v, list | dict) else v for name, v in values.items()}


def attach_evidence(
    case_id: int,
    f: IO[bytes],
    *,
    actor: User,
    title: str,
    kind: str,
    original_name: str,
    content_type: str,
    description: str = "",
    collected_at: datetime | None = None,
    source_material: bool = False,
    ip: str | None = None,
) -> EvidenceItem:
    """Evidence for an open case, stored in the case's unit and linked to it, on its timeline. What the case
    source itself rests on (`source_material`: a finding's evidence pack, registered with the source) joins
    the case already before it is filed."""
    with transaction.atomic():
        case = lock(case_id, actor)
        if case.status in DONE or (case.status == S.REGISTERED and not source_material):
            raise _refuse("只有已立案、尚未结案的案件可以添加证据", ErrorCode.STEP_NOT_READY)
        item = evidence_actions.add_evidence(
            f,
            actor=actor,
            title=title,
            kind=kind,
            original_name=original_name,
            content_type=content_type,
            description=description,
            collected_at=collected_at,
            org_unit=case.org_unit,
            linked=case,
            ip=ip,
        )
        events.record(case, "evidence", actor, note=f"{item.get_kind_display()}：{item.title}")
    return item


def case_evidence(case: Case) -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.filter(
        linked_type=ContentType.objects.get_for_model(Case), linked_id=str(case.pk)
    ).select_related("blob", "uploaded_by")


def item_of(case: Case) -> Item:
    """The catalogue item as it was when the case was registered (the version the case records); looked up
    once for this instance of the case, as a step and its documents all ask, and not at all where the case
    was read with its version's content hash and the process has parsed that content."""
    key = (case.violation_code, case.violation_version)
    memo: tuple[tuple[str, int], Item] | None = case.__dict__.get("_item")
    if memo is None or memo[0] != key:
        item = catalogue.parsed(*key, case.__dict__.get("item_hash", ""))  # read with a step's case
        memo = case.__dict__["_item"] = (key, item or catalogue.version(*key).item)
    return memo[1]


def _check_discretion(case: Case, item: Item, kinds: list[str], fine_yuan: int) -> Tier:
    """The discretion tier (裁量基准) the case's facts select; a refusal if the penalty falls outside it."""
    facts = case.facts_for_tier
    tier = select_tier(item, facts)
    check_penalty(item, tier, party_kind=case.party_kind, kinds=set(kinds), fine_yuan=fine_yuan, facts=facts)
    return tier


def _snapshot(case: Case) -> dict[str, Any]:
    """The facts every document repeats; taken when the document is issued so they agree across the file."""
    item = item_of(case)
    return {
        "case_number": case.number,
        "party_name": case.party_name,
        "party_kind": case.party_kind,
        "party_id_no": case.party_id_no,
        "party_address": case.party_address,
        "vehicle_plate": case.vehicle_plate,
        "vessel_name": case.vessel_name,
        "occurred_at": timezone.localtime(case.occurred_at).isoformat(),
        "place": case.place,
        "facts": case.facts,
        "violation_code": case.violation_code,
        "violation_version": case.violation_version,
        "fine_yuan": case.fine_yuan,
        "proposed_fine_yuan": case.proposed_fine_yuan,
        "violation_name": item.name,
        "basis": item.basis,
        "tier": case.tier,
        "officers": _officer_names(case.pk),
    }


def _officer_names(case_id: int) -> list[str]:
    """The case's officers as its documents name them: the statement the ORM builds for
    `case.officers.values_list("full_name")`, written once, as every document asks."""
    with connection.cursor() as cursor:
        cursor.execute(_OFFICER_NAMES, [case_id])
        return [name for (name,) in cursor.fetchall()]


_OFFICER_NAMES = (
    'SELECT "core_user"."full_name" FROM "core_user" INNER JOIN "cases_case_officers"'
    ' ON ("core_user"."id" = "cases_case_officers"."user_id") WHERE "cases_case_officers"."case_id" = %s'
)


# ── Source and filing (案源、立案) ─────────────────────────────────────────────────────────────────────


def register(
    *,
    actor: User,
    source: str,
    violation_code: str,
    occurred_at: datetime,
    place: str,
    facts: str,
    party_kind: str,
    party_name: str,
    party_id_no: str,
    officers: Iterable[User] = (),
    source_ref: str = "",
    party_address: str = "",
    party_phone: str = "",
    vehicle_plate: str = "",
    vessel_name: str = "",
    facts_for_tier: dict[str, Any] | None = None,
    serious_harm: bool = False,
    ip: str | None = None,
) -> Case:
    """Record a case source (案源登记). Filing (立案) is a leader's step after this. An act discovered after
    the limitation period (Art. 36: 2 years, 5 where life, health or financial security was harmed) is
    refused."""
    if actor.role not in ("officer", "squadron_leader") or actor.org_unit is None:
        raise JiafaError(ErrorCode.FORBIDDEN, "只有执法队员和中队长可以登记案源")
    if source not in Source.values:
        raise _refuse(f"案源“{source}”无效")
    if party_kind not in PartyKind.values:
        raise _refuse(f"当事人类型“{party_kind}”无效")
    required = {
        "违法地点": place,
        "违法事实": facts,
        "当事人": party_name,
        "证件号码": party_id_no,
        "违法行为": violation_code,
    }
    for what, value in required.items():
        if not value.strip():
            raise _refuse(f"请填写{what}")
    if occurred_at > timezone.now():
        raise _refuse("违法时间不能晚于当前时间")
    occurred_on = timezone.localtime(occurred_at).date()
    limitation = _due(
        DeadlineKind.LIMITATION_SERIOUS if serious_harm else DeadlineKind.LIMITATION, occurred_on
    )
    if timezone.localdate() > limitation:
        raise _refuse(
            f"违法行为发生于 {occurred_on:%Y-%m-%d}，追责时效已于 {limitation:%Y-%m-%d} 届满，"
            f"不再给予行政处罚（{LAW}第三十六条）"
        )
    row = catalogue.current(violation_code.strip(), on=occurred_on)
    if party_kind not in row.item.parties:
        raise _refuse(f"“{row.name}”的处罚对象不包括{PartyKind(party_kind).label}")
    team = list(officers) or [actor]
    for officer in team:
        if officer.org_unit is None:
            raise _refuse(f"执法人员{officer}未分配单位")
        jurisdiction.require_unit(actor, officer.org_unit)
    with transaction.atomic():
        case = Case.objects.create(
            org_unit=actor.org_unit,
            source=source,
            source_ref=source_ref,
            registered_by=actor,
            violation_code=row.code,
            violation_version=row.version,
            occurred_at=occurred_at,
            place=place.strip(),
            facts=facts.strip(),
            facts_for_tier=facts_for_tier or {},
            party_kind=party_kind,
            party_name=party_name.strip(),
            party_id_no=party_id_no.strip(),
            party_address=party_address.strip(),
            party_phone=party_phone.strip(),
            vehicle_plate=vehicle_plate.strip().upper(),
            vessel_name=vessel_name.strip(),
        )
        case.officers.set(team)
        events.record(case, "register", actor, note=Source(source).label)
        audit.record("case.register", actor=actor, obj=case, ip=ip, detail={"source": source})
    return case


def file(
    case_id: int, *, actor: User, filed_on: date, version: int | None = None, ip: str | None = None
) -> Case:
    """立案: the case gets its number and its 90-day decision deadline (Art. 60)."""
    with _step(case_id, "file", actor=actor, version=version, ip=ip) as s:
        case = s.case
        _check_day(
            filed_on, "立案日期", after=timezone.localtime(case.occurred_at).date(), after_what="违法日期"
        )
        if sum(1 for o in case.officers.all() if o.certificate_no) < 2:
            raise _refuse(
                f"执法人员不得少于两人且须持有执法证件（{LAW}第四十二条）", ErrorCode.STEP_NOT_READY
            )
        case.filed_on = filed_on
        case.decision_due = _due(DeadlineKind.DECISION, filed_on)
        case.number = documents.issue(
            case, DocumentKind.FILING_FORM, actor=actor, on=filed_on, content=_snapshot(case)
        ).number
        s.data = {"filed_on": filed_on.isoformat(), "decision_due": case.decision_due.isoformat()}
    return case


def decline(
    case_id: int, *, actor: User, reason: str, version: int | None = None, ip: str | None = None
) -> Case:
    with _step(case_id, "decline", actor=actor, version=version, ip=ip) as s:
        if not reason.strip():
            raise _refuse("请写明不予立案的理由")
        s.note = reason.strip()
    return s.case


# ── Investigation (调查取证) ────────────────────────────────────────────────────────────────────────────


def add_record(
    case_id: int,
    *,
    actor: User,
    kind: str,
    made_on: date,
    content: str,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """A record of the investigation (现场笔录、询问笔录、勘验笔录)."""
    with _step(case_id, "add_record", actor=actor, version=version, ip=ip) as s:
        if kind not in RECORD_KINDS:
            raise _refuse("笔录种类应为现场笔录、询问笔录或勘验笔录")
        if not content.strip():
            raise _refuse("笔录内容不能为空")
        _check_day(made_on, "笔录日期", after=s.case.filed_on, after_what="立案日期")
        documents.issue(
            s.case,
            DocumentKind(kind),
            actor=actor,
            on=made_on,
            content={**_snapshot(s.case), "text": content.strip()},
        )
        s.note = DocumentKind(kind).label
    return s.case


def _check_proposal(case: Case, outcome: str, kinds: list[str], fine_yuan: int) -> None:
    if outcome not in Outcome.values:
        raise _refuse(f"处理意见“{outcome}”无效")
    unknown = set(kinds) - set(PenaltyKind.values)
    if unknown:
        raise _refuse(f"处罚种类无效：{'、'.join(sorted(unknown))}")
    if fine_yuan < 0:
        raise _refuse("罚款金额不能为负数")
    if outcome == Outcome.PENALTY:
        if not kinds:
            raise _refuse("给予处罚时须写明处罚种类")
        if ("fine" in kinds) != (fine_yuan > 0):
            raise _refuse("处罚种类含罚款时须填写罚款金额，不含罚款时金额应为 0")
    elif kinds or fine_yuan:
        raise _refuse(f"“{Outcome(outcome).label}”不应写处罚种类或罚款")


def conclude(
    case_id: int,
    *,
    actor: User,
    outcome: str,
    kinds: list[str],
    fine_yuan: int = 0,
    facts_for_tier: dict[str, Any] | None = None,
    complex_case: bool = False,
    report: str = "",
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """调查终结: the investigation report (案件处理意见书) with the proposed outcome."""
    with _step(case_id, "conclude", actor=actor, version=version, ip=ip) as s:
        case = s.case
        _check_proposal(case, outcome, kinds, fine_yuan)
        today = timezone.localdate()
        case.facts_for_tier = {**case.facts_for_tier, **(facts_for_tier or {})}
        item = item_of(case)
        if outcome == Outcome.PENALTY:
            case.tier = _check_discretion(case, item, kinds, fine_yuan).name
        if outcome == Outcome.FIRST_VIOLATION_EXEMPTION and not first_violation_exemption_allowed(
            item, case.facts_for_tier
        ):
            exemption = item.first_violation_exemption
            raise _refuse(
                f"不符合首违不罚条件：{exemption.conditions_zh or '该违法行为不适用首违不罚'}"
                f"（{LAW}第三十三条第一款）"
            )
        case.proposed_outcome, case.proposed_kinds = outcome, sorted(kinds)
        case.proposed_fine_yuan = fine_yuan
        case.complex_case = complex_case
        case.hearing_right = outcome == Outcome.PENALTY and rules.has_hearing_right(
            case.party_kind, kinds, fine_yuan, rulebook(), today
        )
        documents.issue(
            case,
            DocumentKind.INVESTIGATION_REPORT,
            actor=actor,
            on=today,
            content={**_snapshot(case), "outcome": outcome, "kinds": sorted(kinds), "text": report},
        )
        s.data = {
            "outcome": outcome,
            "kinds": sorted(kinds),
            "fine_yuan": fine_yuan,
            "hearing_right": case.hearing_right,
        }
    return case


def reopen(
    case_id: int, *, actor: User, reason: str, version: int | None = None, ip: str | None = None
) -> Case:
    """补充调查: back to investigation, e.g. when the legal reviewer finds the evidence insufficient."""
    with _step(case_id, "reopen", actor=actor, version=version, ip=ip) as s:
        if not reason.strip():
            raise _refuse("请写明补充调查的理由")
        s.note = reason.strip()
    return s.case


# ── Notice, defence, hearing (告知、陈述申辩、听证) ─────────────────────────────────────────────────────


def notify(
    case_id: int, *, actor: User, served_on: date, version: int | None = None, ip: str | None = None
) -> Case:
    """告知 (Art. 44): facts, reasons, basis, proposed penalty and the party's rights, served on the party."""
    with _step(case_id, "notify", actor=actor, version=version, ip=ip) as s:
        case = s.case
        if case.proposed_outcome != Outcome.PENALTY:
            raise _refuse("拟不予处罚或移送的案件无需告知，请直接作出决定或移送", ErrorCode.STEP_NOT_READY)
        _check_day(served_on, "告知书送达日期", after=case.filed_on, after_what="立案日期")
        case.notice_served_on = served_on
        if case.hearing_right:
            case.defence_until = _due(DeadlineKind.HEARING_REQUEST, served_on)
        else:
            case.defence_until = _period("defence.window", served_on)
        documents.issue(
            case,
            DocumentKind.NOTICE,
            actor=actor,
            on=served_on,
            content={
                **_snapshot(case),
                "kinds": case.proposed_kinds,
                "hearing_right": case.hearing_right,
                "defence_until": case.defence_until.isoformat(),
            },
        )
        s.data = {"served_on": served_on.isoformat(), "defence_until": case.defence_until.isoformat()}
    return case


def record_defence(
    case_id: int,
    *,
    actor: User,
    made_on: date,
    statement: str,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """陈述申辩 (Art. 45): recorded and answered; it can never make the penalty heavier."""
    with _step(case_id, "record_defence", actor=actor, version=version, ip=ip) as s:
        if not statement.strip():
            raise _refuse("请记录当事人陈述申辩的内容")
        _check_day(made_on, "陈述申辩日期", after=s.case.notice_served_on, after_what="告知日期")
        documents.issue(
            s.case,
            DocumentKind.DEFENCE_RECORD,
            actor=actor,
            on=made_on,
            content={**_snapshot(s.case), "text": statement.strip()},
        )
        s.note = statement.strip()[:200]
    return s.case


def request_hearing(
    case_id: int, *, actor: User, requested_on: date, version: int | None = None, ip: str | None = None
) -> Case:
    """The party asks for a hearing (Art. 64(1): within 5 working days of the notice)."""
    with _step(case_id, "request_hearing", actor=actor, version=version, ip=ip) as s:
        case = s.case
        if not case.hearing_right:
            raise _refuse(f"本案拟作出的处罚不属于听证范围（{LAW}第六十三条）", ErrorCode.STEP_NOT_READY)
        _check_day(requested_on, "申请听证日期", after=case.notice_served_on, after_what="告知日期")
        if case.defence_until and requested_on > case.defence_until:
            raise _refuse(f"听证申请已超过期限 {case.defence_until:%Y-%m-%d}（{LAW}第六十四条第一项）")
        case.hearing_requested_on = requested_on
        s.data = {"requested_on": requested_on.isoformat()}
    return case


def schedule_hearing(
    case_id: int,
    *,
    actor: User,
    notice_on: date,
    hearing_on: date,
    chair: User,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """听证通知 (Art. 64(2),(4)): 7 working days' notice; chaired by someone who did not investigate."""
    with _step(case_id, "schedule_hearing", actor=actor, version=version, ip=ip) as s:
        case = s.case
        if case.officers.filter(pk=chair.pk).exists():
            raise _refuse(f"听证主持人不得由本案调查人员担任（{LAW}第六十四条第四项）")
        _check_day(notice_on, "听证通知日期", after=case.hearing_requested_on, after_what="申请听证日期")
        earliest = _due(DeadlineKind.HEARING_NOTICE, notice_on)
        if hearing_on < earliest:
            raise _refuse(
                f"应在举行听证的七个工作日前通知当事人：{notice_on:%Y-%m-%d} 通知的，"
                f"最早 {earliest:%Y-%m-%d} 举行（{LAW}第六十四条第二项）"
            )
        case.hearing_on, case.hearing_chair = hearing_on, chair
        documents.issue(
            case,
            DocumentKind.HEARING_NOTICE,
            actor=actor,
            on=notice_on,
            content={**_snapshot(case), "hearing_on": hearing_on.isoformat(), "chair": chair.full_name},
        )
        s.data = {"hearing_on": hearing_on.isoformat(), "chair": chair.username}
    return case


def record_hearing(
    case_id: int,
    *,
    actor: User,
    attended: bool,
    record: str,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """听证笔录; a party who does not attend without good reason waives the hearing (Art. 64(8))."""
    with _step(case_id, "record_hearing", actor=actor, version=version, ip=ip) as s:
        case = s.case
        if case.hearing_on is None:
            raise _refuse("尚未安排听证", ErrorCode.STEP_NOT_READY)
        if case.hearing_on > timezone.localdate():
            raise _refuse(f"听证定于 {case.hearing_on:%Y-%m-%d} 举行，尚未到期", ErrorCode.STEP_NOT_READY)
        if not record.strip():
            raise _refuse("请填写听证笔录或当事人未到场的情况")
        documents.issue(
            case,
            DocumentKind.HEARING_RECORD,
            actor=actor,
            on=case.hearing_on,
            content={**_snapshot(case), "attended": attended, "text": record.strip()},
        )
        case.legal_review_required = True  # Art. 58(2): after a hearing, legal review
        case.discussion_required = rules.discussion_required(
            hearing_right=case.hearing_right, complex_case=case.complex_case
        )
        s.note = "当事人到场" if attended else "当事人无正当理由未到场，视为放弃听证"
    return case


def proceed(
    case_id: int, *, actor: User, waived: bool = False, version: int | None = None, ip: str | None = None
) -> Case:
    """After the defence window (or the party's written waiver): on to review, discussion or decision."""
    with _step(case_id, "proceed", actor=actor, version=version, ip=ip) as s:
        case = s.case
        today = timezone.localdate()
        if not waived and case.defence_until and today <= case.defence_until:
            raise _refuse(
                f"陈述申辩/听证申请期限至 {case.defence_until:%Y-%m-%d}，期满前不能进入决定程序"
                f"（当事人书面放弃的除外）",
                ErrorCode.STEP_NOT_READY,
            )
        case.legal_review_required = rules.legal_review_required(
            hearing_right=case.hearing_right,
            hearing_held=False,
            complex_case=case.complex_case,
            book=rulebook(),
            on=today,
        )
        case.discussion_required = rules.discussion_required(
            hearing_right=case.hearing_right, complex_case=case.complex_case
        )
        s.to(rules.stage_after_defence(review=case.legal_review_required))
        s.note = "当事人书面放弃陈述申辩" if waived else ""
    return case


# ── Review, discussion, decision (审核、集体讨论、决定) ──────────────────────────────────────────────────


def legal_review(
    case_id: int, *, actor: User, opinion: str, version: int | None = None, ip: str | None = None
) -> Case:
    """法制审核 (Art. 58) passed; a reviewer who disagrees sends the case back with `reopen`."""
    with _step(case_id, "legal_review", actor=actor, version=version, ip=ip) as s:
        case = s.case
        if case.officers.filter(pk=actor.pk).exists():
            raise _refuse("法制审核人员不得审核本人承办的案件")
        if not opinion.strip():
            raise _refuse("请填写审核意见")
        documents.issue(
            case,
            DocumentKind.LEGAL_REVIEW,
            actor=actor,
            on=timezone.localdate(),
            content={**_snapshot(case), "text": opinion.strip()},
        )
        s.to(S.DISCUSSING if case.discussion_required else S.PENDING_DECISION)
        s.note = opinion.strip()[:200]
    return case


def collective_discussion(
    case_id: int,
    *,
    actor: User,
    held_on: date,
    participants: str,
    conclusion: str,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """集体讨论 (Art. 57(2)) by the bureau's leaders."""
    with _step(case_id, "collective_discussion", actor=actor, version=version, ip=ip) as s:
        if not participants.strip() or not conclusion.strip():
            raise _refuse("请填写参加人员和讨论结论")
        _check_day(held_on, "讨论日期", after=s.case.notice_served_on, after_what="告知日期")
        documents.issue(
            s.case,
            DocumentKind.DISCUSSION_RECORD,
            actor=actor,
            on=held_on,
            content={**_snapshot(s.case), "participants": participants, "text": conclusion},
        )
        s.note = conclusion.strip()[:200]
    return s.case


def decide(
    case_id: int,
    *,
    actor: User,
    decided_on: date,
    outcome: str,
    kinds: list[str],
    fine_yuan: int = 0,
    commitment_letter: bool = False,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """行政处罚决定 (or 不予处罚决定): within the decision deadline, never heavier than the notice."""
    with _step(case_id, "decide", actor=actor, version=version, ip=ip) as s:
        case = s.case
        _check_proposal(case, outcome, kinds, fine_yuan)
        if outcome in TRANSFERS:
            raise _refuse("移送请使用“移送”步骤")
        if case.status == S.PROPOSED and outcome == Outcome.PENALTY:
            raise _refuse(f"给予处罚前须先告知当事人（{LAW}第四十四条）", ErrorCode.STEP_NOT_READY)
        if outcome == Outcome.PENALTY:
            rules.check_not_heavier(case.proposed_kinds, case.proposed_fine_yuan or 0, kinds, fine_yuan)
            case.tier = _check_discretion(case, item_of(case), kinds, fine_yuan).name
        if outcome == Outcome.FIRST_VIOLATION_EXEMPTION and not commitment_letter:
            raise _refuse(
                f"首违免罚须有当事人签署的承诺书（{LAW}第三十三条第一款）", ErrorCode.STEP_NOT_READY
            )
        _check_day(
            decided_on, "决定日期", after=case.notice_served_on or case.filed_on, after_what="告知或立案日期"
        )
        if case.decision_due and decided_on > case.decision_due:
            raise _refuse(
                f"办案期限已于 {case.decision_due:%Y-%m-%d} 届满，须先经批准延长（{LAW}第六十条）",
                ErrorCode.STEP_NOT_READY,
            )
        case.outcome, case.penalty_kinds, case.fine_yuan = outcome, sorted(kinds), fine_yuan or None
        case.decided_on = decided_on
        case.service_due = _due(DeadlineKind.SERVICE, decided_on)
        kind = DocumentKind.DECISION if outcome == Outcome.PENALTY else DocumentKind.NO_PENALTY_DECISION
        document = documents.issue(
            case,
            kind,
            actor=actor,
            on=decided_on,
            content={
                **_snapshot(case),
                "outcome": outcome,
                "kinds": sorted(kinds),
                "commitment_letter": commitment_letter,
            },
        )
        s.data = {
            "outcome": outcome,
            "kinds": sorted(kinds),
            "fine_yuan": fine_yuan,
            "document": document.number,
        }
    return case


def transfer(
    case_id: int,
    *,
    actor: User,
    outcome: str,
    to: str,
    reason: str,
    transferred_on: date,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """移送: to the police and judicial organs (行刑衔接) or another administrative body (Art. 27, 57)."""
    with _step(case_id, "transfer", actor=actor, version=version, ip=ip) as s:
        case = s.case
        if outcome not in TRANSFERS:
            raise _refuse("移送类型应为移送司法机关或移送其他行政机关")
        if not to.strip() or not reason.strip():
            raise _refuse("请填写接收机关和移送理由")
        _check_day(transferred_on, "移送日期", after=case.filed_on, after_what="立案日期")
        case.outcome, case.transfer_to, case.decided_on = outcome, to.strip(), transferred_on
        documents.issue(
            case,
            DocumentKind.TRANSFER_LETTER,
            actor=actor,
            on=transferred_on,
            content={**_snapshot(case), "to": to.strip(), "text": reason.strip()},
        )
        s.note = f"移送{to.strip()}：{reason.strip()[:150]}"
    return case


# ── Service and execution (送达、执行) ─────────────────────────────────────────────────────────────────


def serve(
    case_id: int,
    *,
    actor: User,
    served_on: date,
    method: str,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """送达 (Art. 61); with it the 15 days to pay begin (Art. 67)."""
    with _step(case_id, "serve", actor=actor, version=version, ip=ip) as s:
        case = s.case
        if not method.strip():
            raise _refuse("请填写送达方式")
        _check_day(served_on, "送达日期", after=case.decided_on, after_what="决定日期")
        case.served_on = served_on
        if case.fine_outstanding_yuan:
            case.payment_due = _due(DeadlineKind.PAYMENT, served_on)
        documents.issue(
            case,
            DocumentKind.SERVICE_RECEIPT,
            actor=actor,
            on=served_on,
            content={**_snapshot(case), "method": method.strip()},
        )
        late = case.service_due is not None and served_on > case.service_due
        s.data = {"served_on": served_on.isoformat(), "late": late}
        s.note = f"{method.strip()}送达" + ("（超过七个工作日送达期限）" if late else "")
    return case


def approve_deferral(
    case_id: int,
    *,
    actor: User,
    new_due: date,
    reason: str,
    instalments: int = 1,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """暂缓或分期缴纳 (Art. 66): on the party's application, approved by the bureau. One instalment moves the
    payment date; several split the outstanding fine into monthly parts, the first due on `new_due`."""
    with _step(case_id, "approve_deferral", actor=actor, version=version, ip=ip) as s:
        case = s.case
        outstanding = case.fine_outstanding_yuan
        if not outstanding:
            raise _refuse("本案没有待缴罚款", ErrorCode.STEP_NOT_READY)
        if not reason.strip():
            raise _refuse("请写明当事人确有经济困难等理由")
        if case.payment_due and new_due <= case.payment_due:
            raise _refuse(f"新的缴款期限应晚于原期限 {case.payment_due:%Y-%m-%d}")
        most = rulebook().value("payment.max_instalments", on=new_due)
        if not 1 <= instalments <= min(most, outstanding):
            raise _refuse(f"分期期数应在 1 到 {most} 之间")
        share, rest = divmod(outstanding, instalments)
        case.instalments = (
            [
                {
                    "due": same_day_months_later(new_due, i).isoformat(),
                    "yuan": share + (rest if i == 0 else 0),
                }
                for i in range(instalments)
            ]
            if instalments > 1
            else []
        )
        s.data = {
            "from": case.payment_due.isoformat() if case.payment_due else None,
            "to": new_due.isoformat(),
            "instalments": case.instalments,
        }
        case.payment_due = new_due
        s.note = reason.strip()
    return case


def next_due(case: Case) -> tuple[int, date | None]:
    """What is owed next and by when: the whole outstanding fine, or what is left of the next instalment."""
    outstanding = case.fine_outstanding_yuan
    if not case.instalments:
        return outstanding, case.payment_due
    paid_under_plan = sum(i["yuan"] for i in case.instalments) - outstanding
    for instalment in case.instalments:
        if paid_under_plan < instalment["yuan"]:
            return instalment["yuan"] - paid_under_plan, date.fromisoformat(instalment["due"])
        paid_under_plan -= instalment["yuan"]
    return 0, None


def owed(case: Case, paid_on: date) -> tuple[int, int]:
    """(fine, late fee) due if the next payment is made on `paid_on` (Art. 72: 3% a day, capped)."""
    amount, due = next_due(case)
    if not amount or due is None:
        return amount, 0
    return amount, late_fee(amount, due, paid_on, rulebook()).late_fee_yuan


def pay(
    case_id: int,
    *,
    actor: User,
    paid_on: date,
    fine_yuan: int,
    late_fee_yuan: int,
    receipt_no: str,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """缴款: the outstanding fine (or next instalment) in full, with the late fee owed that day."""
    with _step(case_id, "pay", actor=actor, version=version, ip=ip) as s:
        case = s.case
        _check_day(paid_on, "缴款日期", after=case.served_on, after_what="送达日期")
        if not receipt_no.strip():
            raise _refuse("请填写缴款票据号")
        fine_owed, fee_owed = owed(case, paid_on)
        if not fine_owed:
            raise _refuse("本案没有待缴罚款", ErrorCode.STEP_NOT_READY)
        if (fine_yuan, late_fee_yuan) != (fine_owed, fee_owed):
            raise _refuse(
                f"{paid_on:%Y-%m-%d} 应缴罚款 {fine_owed} 元、加处罚款 {fee_owed} 元"
                f"（{LAW}第七十二条），与登记的 {fine_yuan} 元、{late_fee_yuan} 元不符"
            )
        case.payments.create(
            paid_on=paid_on,
            fine_yuan=fine_yuan,
            late_fee_yuan=late_fee_yuan,
            receipt_no=receipt_no.strip(),
            recorded_by=actor,
        )
        case.paid_yuan += fine_yuan
        case.late_fee_paid_yuan += late_fee_yuan
        case.payment_due = next_due(case)[1] or case.payment_due
        s.data = {"paid_on": paid_on.isoformat(), "fine_yuan": fine_yuan, "late_fee_yuan": late_fee_yuan}
    return case


def demand(
    case_id: int, *, actor: User, served_on: date, version: int | None = None, ip: str | None = None
) -> Case:
    """催告书 (行政强制法 Art. 54): only once the payment date has passed without payment."""
    with _step(case_id, "demand", actor=actor, version=version, ip=ip) as s:
        case = s.case
        if not case.fine_outstanding_yuan or case.payment_due is None:
            raise _refuse("本案没有逾期未缴的罚款", ErrorCode.STEP_NOT_READY)
        if served_on <= case.payment_due:
            raise _refuse(f"缴款期限 {case.payment_due:%Y-%m-%d} 届满后才能催告", ErrorCode.STEP_NOT_READY)
        _check_day(served_on, "催告书送达日期")
        case.demand_served_on = served_on
        _, fee = owed(case, served_on)
        documents.issue(
            case,
            DocumentKind.DEMAND_NOTICE,
            actor=actor,
            on=served_on,
            content={**_snapshot(case), "late_fee_yuan": fee, "payment_due": case.payment_due.isoformat()},
        )
        s.data = {"served_on": served_on.isoformat(), "late_fee_yuan": fee}
    return case


def remedies_expire(case: Case) -> date:
    """The day after which neither review (60 days) nor a lawsuit (6 months) can still be brought."""
    assert case.served_on is not None
    book, cal = rulebook(), schedules.calendar()
    return max(
        period_end(book.get(key, on=case.served_on), case.served_on, cal)
        for key in ("remedy.review", "remedy.lawsuit")
    )


def apply_court(
    case_id: int, *, actor: User, applied_on: date, version: int | None = None, ip: str | None = None
) -> Case:
    """申请法院强制执行 (行政强制法 Arts. 53, 54): 10 days after the demand, within 3 months after the periods
    for review and lawsuit have expired."""
    with _step(case_id, "apply_court", actor=actor, version=version, ip=ip) as s:
        case = s.case
        assert case.demand_served_on is not None
        _check_day(applied_on, "申请日期")
        earliest_after_demand = _due(DeadlineKind.DEMAND_NOTICE, case.demand_served_on)
        expire = remedies_expire(case)
        earliest = max(earliest_after_demand, expire + timedelta(days=1))
        latest = _due(DeadlineKind.COURT_APPLICATION, expire)
        if applied_on < earliest:
            raise _refuse(
                f"最早可于 {earliest:%Y-%m-%d} 申请：催告书送达满十日，且复议、诉讼期限已届满"
                f"（《行政强制法》第五十三条、第五十四条）",
                ErrorCode.STEP_NOT_READY,
            )
        if applied_on > latest:
            raise _refuse(f"申请期限已于 {latest:%Y-%m-%d} 届满（《行政强制法》第五十三条）")
        case.court_applied_on = applied_on
        fine, fee = owed(case, applied_on)
        documents.issue(
            case,
            DocumentKind.COURT_APPLICATION,
            actor=actor,
            on=applied_on,
            content={**_snapshot(case), "outstanding_yuan": fine, "late_fee_yuan": fee},
        )
        s.data = {"applied_on": applied_on.isoformat()}
    return case


# ── Suspension, extension, closing (中止、延期、结案、归档) ─────────────────────────────────────────────


def suspend(
    case_id: int,
    *,
    actor: User,
    suspended_on: date,
    reason: str,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """中止: the decision deadline stops running until the case is resumed."""
    with _step(case_id, "suspend", actor=actor, version=version, ip=ip) as s:
        case = s.case
        if not reason.strip():
            raise _refuse("请写明中止的理由")
        _check_day(suspended_on, "中止日期", after=case.filed_on, after_what="立案日期")
        case.suspended_on, case.status_before_suspension = suspended_on, case.status
        s.note = reason.strip()
    return case


def resume(
    case_id: int, *, actor: User, resumed_on: date, version: int | None = None, ip: str | None = None
) -> Case:
    """恢复: back where it stopped; the days suspended are added to the decision deadline."""
    with _step(case_id, "resume", actor=actor, version=version, ip=ip) as s:
        case = s.case
        assert case.suspended_on is not None
        _check_day(resumed_on, "恢复日期", after=case.suspended_on, after_what="中止日期")
        days = (resumed_on - case.suspended_on).days
        if case.decision_due:
            case.decision_due += timedelta(days=days)
        s.to(CaseStatus(case.status_before_suspension))
        s.data = {"days_suspended": days}
        case.suspended_on, case.status_before_suspension = None, ""
    return case


def extend(
    case_id: int, *, actor: User, days: int, reason: str, version: int | None = None, ip: str | None = None
) -> Case:
    """延长办案期限 (Art. 60), approved by the bureau's leader, within the rulebook's maximum."""
    with _step(case_id, "extend", actor=actor, version=version, ip=ip) as s:
        case = s.case
        limit = rulebook().get("decision.max_extension_days", on=timezone.localdate())
        if not 0 < days <= limit.value - case.extended_days:
            raise _refuse(
                f"办案期限累计最多延长 {limit.value} 日（{limit.law}{limit.article}），"
                f"已延长 {case.extended_days} 日"
            )
        if not reason.strip():
            raise _refuse("请写明延长的理由")
        assert case.decision_due is not None
        case.decision_due += timedelta(days=days)
        case.extended_days += days
        s.note, s.data = reason.strip(), {"days": days, "decision_due": case.decision_due.isoformat()}
    return case


def close(
    case_id: int,
    *,
    actor: User,
    closed_on: date,
    summary: str = "",
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """结案: once the decision is executed (paid or nothing to pay), with the court, or moved."""
    with _step(case_id, "close", actor=actor, version=version, ip=ip) as s:
        case = s.case
        if case.status == S.EXECUTING and case.fine_outstanding_yuan:
            raise _refuse(f"罚款尚有 {case.fine_outstanding_yuan} 元未缴，不能结案", ErrorCode.STEP_NOT_READY)
        _check_day(
            closed_on, "结案日期", after=case.served_on or case.decided_on, after_what="送达或决定日期"
        )
        case.closed_on = closed_on
        documents.issue(
            case,
            DocumentKind.CLOSING_REPORT,
            actor=actor,
            on=closed_on,
            content={
                **_snapshot(case),
                "paid_yuan": case.paid_yuan,
                "late_fee_paid_yuan": case.late_fee_paid_yuan,
                "text": summary,
            },
        )
        s.note = summary.strip()[:200]
    return case


def archive(case_id: int, *, actor: User, version: int | None = None, ip: str | None = None) -> Case:
    with _step(case_id, "archive", actor=actor, version=version, ip=ip) as s:
        s.case.archived_on = timezone.localdate()
    return s.case


# ── Summary procedure (简易程序) ───────────────────────────────────────────────────────────────────────


def summary_decide(
    case_id: int,
    *,
    actor: User,
    decided_on: date,
    kinds: list[str],
    fine_yuan: int = 0,
    facts_for_tier: dict[str, Any] | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Case:
    """当场处罚 (Art. 51): a warning or a small fine, decided and handed over on the spot."""
    with _step(case_id, "summary_decide", actor=actor, version=version, ip=ip) as s:
        case = s.case
        rules.check_summary(case.party_kind, kinds, fine_yuan, rulebook(), decided_on)
        case.facts_for_tier = {**case.facts_for_tier, **(facts_for_tier or {})}
        case.tier = _check_discretion(case, item_of(case), kinds, fine_yuan).name
        _check_day(
            decided_on, "决定日期", after=timezone.localtime(case.occurred_at).date(), after_what="违法日期"
        )
        case.procedure = Procedure.SUMMARY
        case.outcome, case.penalty_kinds, case.fine_yuan = Outcome.PENALTY, sorted(kinds), fine_yuan or None
        case.decided_on = case.served_on = decided_on
        if fine_yuan:
            case.payment_due = _due(DeadlineKind.PAYMENT, decided_on)
        document = documents.issue(
            case,
            DocumentKind.DECISION,
            actor=actor,
            on=decided_on,
            content={
                **_snapshot(case),
                "outcome": Outcome.PENALTY,
                "kinds": sorted(kinds),
                "procedure": Procedure.SUMMARY,
            },
        )
        case.number = document.number
        s.data = {"kinds": sorted(kinds), "fine_yuan": fine_yuan, "document": document.number}
    return case


# ── One door for the API and the case page ─────────────────────────────────────────────────────────────

STEPS: dict[str, Callable[..., Case]] = {
    "file": file,
    "decline": decline,
    "summary_decide": summary_decide,
    "add_record": add_record,
    "conclude": conclude,
    "reopen": reopen,
    "notify": notify,
    "record_defence": record_defence,
    "request_hearing": request_hearing,
    "schedule_hearing": schedule_hearing,
    "record_hearing": record_hearing,
    "proceed": proceed,
    "legal_review": legal_review,
    "collective_discussion": collective_discussion,
    "decide": decide,
    "transfer": transfer,
    "serve": serve,
    "approve_deferral": approve_deferral,
    "pay": pay,
    "demand": demand,
    "apply_court": apply_court,
    "suspend": suspend,
    "resume": resume,
    "extend": extend,
    "close": close,
    "archive": archive,
}


def perform(
    action: str, case_id: int, payload: dict[str, Any], *, actor: User, ip: str | None = None
) -> Case:
    """Validate `payload` against the step's schema and take the step; bad input is a 422 in Chinese."""
    if action not in STEPS:
        raise JiafaError(ErrorCode.NOT_FOUND, f"没有“{action}”这一办案步骤")
    try:
        data = STEP_INPUTS[action].model_validate(payload)
    except ValidationError as e:
        fields = STEP_INPUTS[action].model_fields
        names = [
            str(fields[str(err["loc"][0])].title) if err["loc"] and str(err["loc"][0]) in fields else "请求"
            for err in e.errors()
        ]
        raise _refuse("以下内容缺失或格式不对：" + "、".join(dict.fromkeys(names))) from e
    kwargs = data.model_dump()
    if action == "schedule_hearing":
        kwargs["chair"] = _colleague(actor, kwargs["chair"])
    return STEPS[action](case_id, actor=actor, ip=ip, **kwargs)


def _colleague(actor: User, username: str) -> User:
    """Someone of the actor's own bureau, e.g. a hearing chair from the legal department."""
    user = User.objects.filter(username=username, is_active=True).select_related("org_unit").first()
    if (
        user is None
        or user.org_unit is None
        or actor.org_unit is None
        or (user.org_unit.bureau() != actor.org_unit.bureau())
    ):
        raise _refuse(f"找不到本局用户“{username}”")
    return user


def offered(case: Case, role: str, today: date) -> list[Transition]:
    """The steps worth offering now: the table's steps for the role, less those whose own conditions the case
    plainly does not meet (taking a step still checks everything)."""
    hidden: set[str] = set()
    if not case.hearing_right:
        hidden.add("request_hearing")
    hidden.add("record_hearing" if case.hearing_on is None else "schedule_hearing")
    if case.status == S.PROPOSED:
        hidden.add("decide" if case.proposed_outcome == Outcome.PENALTY else "notify")
    if not case.fine_outstanding_yuan:
        hidden |= {"pay", "approve_deferral", "demand"}
    else:
        if case.status == S.EXECUTING:
            hidden.add("close")
        if case.payment_due is None or today <= case.payment_due:
            hidden.add("demand")
    return [t for t in available(case.status, role) if t.action not in hidden]


# ── Review and lawsuit (行政复议、行政诉讼) ───────────────────────────────────────────────────────────────


def record_remedy(
    case_id: int,
    *,
    actor: User,
    kind: str,
    filed_on: date,
    body: str,
    note: str = "",
    ip: str | None = None,
) -> Remedy:
    """The party applied for review or sued against the decision: recorded on the case, which keeps its
    status (the decision stands and is executed meanwhile, 行政复议法 / 行政诉讼法)."""
    require(actor, Perm.REMEDY_RECORD)
    if kind not in Remedy.Kind.values:
        raise _refuse("类型应为行政复议或行政诉讼")
    if not body.strip():
        raise _refuse("请填写复议机关或人民法院")
    with transaction.atomic():
        case = lock(case_id, actor)
        if case.decided_on is None or case.outcome in TRANSFERS:
            raise _refuse("案件尚未作出处罚或不予处罚决定，不能登记复议或诉讼", ErrorCode.STEP_NOT_READY)
        _check_day(filed_on, "申请或起诉日期", after=case.decided_on, after_what="决定日期")
        remedy = case.remedies.create(
            kind=kind, filed_on=filed_on, body=body.strip(), note=note.strip()[:300], recorded_by=actor
        )
        events.record(case, "remedy", actor, note=f"{remedy.get_kind_display()}：{remedy.body}")
        audit.record(
            "case.remedy",
            actor=actor,
            obj=case,
            ip=ip,
            detail={"remedy": remedy.pk, "kind": kind, "filed_on": filed_on.isoformat(), "body": remedy.body},
        )
    return remedy


def remedy_result(
    remedy_id: int,
    *,
    actor: User,
    result: str,
    decided_on: date,
    note: str = "",
    ip: str | None = None,
) -> Remedy:
    """How the review or lawsuit ended; recorded once."""
    require(actor, Perm.REMEDY_RECORD)
    if result not in Remedy.Result.values or result == Remedy.Result.PENDING:
        raise _refuse("结果应为维持或驳回、撤销、变更、确认违法或撤回终止")
    with transaction.atomic():
        remedy = Remedy.objects.select_for_update().select_related("case").filter(pk=remedy_id).first()
        if remedy is None or not jurisdiction.visible(Case.objects.filter(pk=remedy.case_id), actor).exists():
            raise JiafaError(ErrorCode.NOT_FOUND, "没有这条复议或诉讼记录")
        if remedy.result != Remedy.Result.PENDING:
            raise JiafaError(ErrorCode.CONFLICT, "该复议或诉讼已登记结果")
        _check_day(decided_on, "结果日期", after=remedy.filed_on, after_what="申请或起诉日期")
        remedy.result, remedy.decided_on, remedy.note = result, decided_on, note.strip()[:300] or remedy.note
        remedy.save()
        label = f"{remedy.get_kind_display()}：{remedy.get_result_display()}"
        events.record(remedy.case, "remedy_result", actor, note=label)
        audit.record(
            "case.remedy_result",
            actor=actor,
            obj=remedy.case,
            ip=ip,
            detail={"remedy": remedy.pk, "result": result, "decided_on": decided_on.isoformat()},
        )
    return remedy
