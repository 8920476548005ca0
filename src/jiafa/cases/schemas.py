"""What each step of a case takes, as typed schemas: the API validates requests with them and the case page
draws its step forms from them, so the two can never disagree."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from ninja import Field, Schema
from pydantic.json_schema import JsonDict

from jiafa.cases.models import DocumentKind, Outcome, PenaltyKind
from jiafa.core.schemas import EvidenceOut


def _extra(choices: Iterable[tuple[str, object]] = (), widget: str = "") -> JsonDict:
    """How the case page draws a field: its choices ([value, label]) and widget."""
    extra: JsonDict = {}
    pairs = [[str(value), str(label)] for value, label in choices]
    if pairs:
        extra["choices"] = pairs  # type: ignore[assignment]
    if widget:
        extra["widget"] = widget
    return extra


class StepIn(Schema):
    version: int | None = Field(None, description="页面加载时的案件版本号；他人已更新时返回 409")


class FileIn(StepIn):
    filed_on: date = Field(..., title="立案日期")


class DeclineIn(StepIn):
    reason: str = Field(..., title="不予立案理由", json_schema_extra=_extra(widget="textarea"))


class AddRecordIn(StepIn):
    kind: str = Field(
        ...,
        title="笔录种类",
        json_schema_extra=_extra(
            (k.value, k.label)
            for k in (
                DocumentKind.ON_SITE_RECORD,
                DocumentKind.INQUIRY_RECORD,
                DocumentKind.INSPECTION_RECORD,
            )
        ),
    )
    made_on: date = Field(..., title="制作日期")
    content: str = Field(..., title="笔录内容", json_schema_extra=_extra(widget="textarea"))


_OUTCOMES = _extra(Outcome.choices)
_KINDS = _extra(PenaltyKind.choices, widget="checkboxes")


class ConcludeIn(StepIn):
    outcome: str = Field(..., title="拟处理意见", json_schema_extra=_OUTCOMES)
    kinds: list[str] = Field(default_factory=list, title="拟处罚种类", json_schema_extra=_KINDS)
    fine_yuan: int = Field(0, title="拟罚款（元）", ge=0)
    facts_for_tier: dict[str, int | bool | str] = Field(
        default_factory=dict, title="裁量情节", json_schema_extra=_extra(widget="facts")
    )
    complex_case: bool = Field(False, title="情节复杂或重大违法")
    report: str = Field("", title="调查终结报告", json_schema_extra=_extra(widget="textarea"))


class ReasonIn(StepIn):
    reason: str = Field(..., title="理由", json_schema_extra=_extra(widget="textarea"))


class NotifyIn(StepIn):
    served_on: date = Field(..., title="告知书送达日期")


class DefenceIn(StepIn):
    made_on: date = Field(..., title="陈述申辩日期")
    statement: str = Field(..., title="陈述申辩内容", json_schema_extra=_extra(widget="textarea"))


class RequestHearingIn(StepIn):
    requested_on: date = Field(..., title="申请听证日期")


class ScheduleHearingIn(StepIn):
    notice_on: date = Field(..., title="听证通知送达日期")
    hearing_on: date = Field(..., title="听证日期")
    chair: str = Field(..., title="听证主持人（用户名）", json_schema_extra=_extra(widget="user"))


class RecordHearingIn(StepIn):
    attended: bool = Field(True, title="当事人到场")
    record: str = Field(..., title="听证笔录", json_schema_extra=_extra(widget="textarea"))


class ProceedIn(StepIn):
    waived: bool = Field(False, title="当事人已书面放弃陈述申辩")


class LegalReviewIn(StepIn):
    opinion: str = Field(..., title="审核意见", json_schema_extra=_extra(widget="textarea"))


class DiscussionIn(StepIn):
    held_on: date = Field(..., title="讨论日期")
    participants: str = Field(..., title="参加人员")
    conclusion: str = Field(..., title="讨论结论", json_schema_extra=_extra(widget="textarea"))


class DecideIn(StepIn):
    decided_on: date = Field(..., title="决定日期")
    outcome: str = Field(..., title="处理结果", json_schema_extra=_OUTCOMES)
    kinds: list[str] = Field(default_factory=list, title="处罚种类", json_schema_extra=_KINDS)
    fine_yuan: int = Field(0, title="罚款（元）", ge=0)
    commitment_letter: bool = Field(False, title="当事人已签署首违免罚承诺书")


class TransferIn(StepIn):
    outcome: str = Field(
        ...,
        title="移送类型",
        json_schema_extra=_extra([(o.value, o.label) for o in (Outcome.CRIMINAL_TRANSFER, Outcome.HANDOVER)]),
    )
    to: str = Field(..., title="接收机关")
    reason: str = Field(..., title="移送理由", json_schema_extra=_extra(widget="textarea"))
    transferred_on: date = Field(..., title="移送日期")


class ServeIn(StepIn):
    served_on: date = Field(..., title="送达日期")
    method: str = Field(
        "直接",
        title="送达方式",
        json_schema_extra=_extra((m, f"{m}送达") for m in ("直接", "留置", "邮寄", "电子", "公告")),
    )


class DeferralIn(StepIn):
    new_due: date = Field(..., title="新的缴款期限（分期时为第一期）")
    instalments: int = Field(1, title="分期期数（1 为暂缓缴纳）", ge=1)
    reason: str = Field(..., title="理由", json_schema_extra=_extra(widget="textarea"))


class PayIn(StepIn):
    paid_on: date = Field(..., title="缴款日期")
    fine_yuan: int = Field(..., title="罚款（元）", ge=0)
    late_fee_yuan: int = Field(0, title="加处罚款（元）", ge=0)
    receipt_no: str = Field(..., title="票据号")


class DemandIn(StepIn):
    served_on: date = Field(..., title="催告书送达日期")


class ApplyCourtIn(StepIn):
    applied_on: date = Field(..., title="申请日期")


class SuspendIn(StepIn):
    suspended_on: date = Field(..., title="中止日期")
    reason: str = Field(..., title="中止理由", json_schema_extra=_extra(widget="textarea"))


class ResumeIn(StepIn):
    resumed_on: date = Field(..., title="恢复日期")


class ExtendIn(StepIn):
    days: int = Field(..., title="延长天数", gt=0)
    reason: str = Field(..., title="延长理由", json_schema_extra=_extra(widget="textarea"))


class CloseIn(StepIn):
    closed_on: date = Field(..., title="结案日期")
    summary: str = Field("", title="结案报告", json_schema_extra=_extra(widget="textarea"))


class SummaryDecideIn(StepIn):
    decided_on: date = Field(..., title="决定日期")
    kinds: list[str] = Field(
        ...,
        title="处罚种类",
        json_schema_extra=_extra(
            [(k.value, k.label) for k in (PenaltyKind.WARNING, PenaltyKind.FINE)], widget="checkboxes"
        ),
    )
    fine_yuan: int = Field(0, title="罚款（元）", ge=0)
    facts_for_tier: dict[str, int | bool | str] = Field(
        default_factory=dict, title="裁量情节", json_schema_extra=_extra(widget="facts")
    )


STEP_INPUTS: dict[str, type[StepIn]] = {
    "file": FileIn,
    "decline": DeclineIn,
    "summary_decide": SummaryDecideIn,
    "add_record": AddRecordIn,
    "conclude": ConcludeIn,
    "reopen": ReasonIn,
    "notify": NotifyIn,
    "record_defence": DefenceIn,
    "request_hearing": RequestHearingIn,
    "schedule_hearing": ScheduleHearingIn,
    "record_hearing": RecordHearingIn,
    "proceed": ProceedIn,
    "legal_review": LegalReviewIn,
    "collective_discussion": DiscussionIn,
    "decide": DecideIn,
    "transfer": TransferIn,
    "serve": ServeIn,
    "approve_deferral": DeferralIn,
    "pay": PayIn,
    "demand": DemandIn,
    "apply_court": ApplyCourtIn,
    "suspend": SuspendIn,
    "resume": ResumeIn,
    "extend": ExtendIn,
    "close": CloseIn,
    "archive": StepIn,
}


class CaseIn(Schema):
    """A new case source (案源登记)."""

    source: str
    violation_code: str
    occurred_at: datetime
    place: str
    facts: str
    party_kind: str
    party_name: str
    party_id_no: str
    party_address: str = ""
    party_phone: str = ""
    vehicle_plate: str = ""
    vessel_name: str = ""
    source_ref: str = ""
    facts_for_tier: dict[str, int | bool | str] = Field(
        default_factory=dict, description='裁量情节，如 {"overload_kg": 4200}；也可在调查终结时填写'
    )
    serious_harm: bool = Field(False, description="危及生命健康安全、金融安全且有危害后果（追责时效五年）")
    officers: list[str] = Field(
        default_factory=list, description="承办执法人员用户名，至少两名持证人员方可立案"
    )


class DeadlineOut(Schema):
    label: str
    due: date
    days_left: int
    overdue: bool


class EventOut(Schema):
    kind: str
    label: str
    at: datetime
    actor: str
    status_from: str
    status_to: str
    note: str


class DocumentOut(Schema):
    id: int
    kind: str
    label: str
    number: str
    created_at: datetime


class CaseOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    version: int
    org_unit: str
    source: str
    procedure: str
    violation_code: str
    party_name: str
    party_kind: str
    vehicle_plate: str
    occurred_at: datetime
    place: str
    filed_on: date | None
    decision_due: date | None
    outcome: str
    fine_yuan: int | None
    paid_yuan: int
    payment_due: date | None
    next_deadline: DeadlineOut | None


class RemedyIn(Schema):
    kind: str = Field(..., title="类型", description="review（行政复议）或 lawsuit（行政诉讼）")
    filed_on: date = Field(..., title="申请或起诉日期")
    body: str = Field(..., title="复议机关或人民法院")
    note: str = Field("", title="说明")


class RemedyResultIn(Schema):
    result: str = Field(..., title="结果", description="upheld、revoked、changed、confirmed_illegal 或 ended")
    decided_on: date = Field(..., title="结果日期")
    note: str = Field("", title="说明")


class RemedyOut(Schema):
    id: int
    kind: str
    kind_label: str
    filed_on: date
    body: str
    result: str
    result_label: str
    decided_on: date | None
    note: str


class CaseDetailOut(CaseOut):
    facts: str
    officers: list[str]
    deadlines: list[DeadlineOut]
    timeline: list[EventOut]
    documents: list[DocumentOut]
    evidence: list[EvidenceOut]
    remedies: list[RemedyOut]
    allowed_actions: list[str]
