"""Tables of the case module. No workflow here: every change of status is an action in actions.py."""

from __future__ import annotations

from django.db import models

from jiafa.cases.states import COLOURS, CaseStatus
from jiafa.core.models import EvidenceBlob, OrgUnit, User


class Source(models.TextChoices):  # 案源
    INSPECTION = "inspection", "现场检查"
    NON_SITE = "non_site", "非现场执法"
    COMPLAINT = "complaint", "投诉举报"
    REFERRAL = "referral", "移送交办"
    PARTNER_REGION = "partner_region", "异地协查（长三角）"
    WATERWAY = "waterway", "水网监测"


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", "普通程序"
    SUMMARY = "summary", "简易程序"


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class Outcome(models.TextChoices):
    PENALTY = "penalty", "给予行政处罚"
    MINOR_EXEMPTION = "minor_exemption", "不予处罚（违法行为轻微）"
    FIRST_VIOLATION_EXEMPTION = "first_violation_exemption", "不予处罚（首违免罚）"
    NOT_ESTABLISHED = "not_established", "不予处罚（违法事实不能成立）"
    CRIMINAL_TRANSFER = "criminal_transfer", "移送司法机关"
    HANDOVER = "handover", "移送其他行政机关"


class PenaltyKind(models.TextChoices):
    WARNING = "warning", "警告"
    FINE = "fine", "罚款"
    CONFISCATION = "confiscation_of_illegal_gains", "没收违法所得"
    SUSPENSION_ORDER = "suspension_order", "责令停业整顿"
    LICENCE_REVOCATION = "licence_revocation", "吊销许可证件"


class Case(models.Model):
    """An administrative penalty case (行政处罚案件), from its source (案源) to the archive."""

    number = models.CharField("案号", max_length=60, blank=True, db_index=True)
    status = models.CharField(
        "状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    version = models.PositiveIntegerField(default=1)
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="承办单位")
    source = models.CharField("案源", max_length=20, choices=Source.choices)
    source_ref = models.CharField("案源编号", max_length=100, blank=True)
    procedure = models.CharField("程序", max_length=10, choices=Procedure.choices, default=Procedure.ORDINARY)
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)
    registered_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name="登记人")
    officers = models.ManyToManyField(User, related_name="cases", verbose_name="承办执法人员")

    # The act (违法事实)
    violation_code = models.CharField("违法行为编码", max_length=30)
    violation_version = models.PositiveIntegerField("违法行为库版本", default=1)
    occurred_at = models.DateTimeField("违法时间")
    place = models.CharField("违法地点", max_length=200)
    facts = models.TextField("违法事实")
    facts_for_tier = models.JSONField("裁量情节", default=dict, blank=True)
    complex_case = models.BooleanField("情节复杂或重大", default=False)

    # The party (当事人)
    party_kind = models.CharField("当事人类型", max_length=20, choices=PartyKind.choices)
    party_name = models.CharField("当事人", max_length=200)
    party_id_no = models.CharField("身份证件号/统一社会信用代码", max_length=40)
    party_address = models.CharField("住所", max_length=200, blank=True)
    party_phone = models.CharField("联系电话", max_length=30, blank=True)
    vehicle_plate = models.CharField("车牌号", max_length=20, blank=True)
    vessel_name = models.CharField("船名", max_length=60, blank=True)

    # Filing and the decision deadline (Art. 60)
    filed_on = models.DateField("立案日期", null=True, blank=True)  # 立案时间
    decision_due = models.DateField("办案期限", null=True, blank=True)
    extended_days = models.PositiveIntegerField("延长天数", default=0)
    suspended_on = models.DateField("中止日期", null=True, blank=True)
    status_before_suspension = models.CharField(max_length=20, blank=True)

    # Proposal after investigation (案件处理意见)
    proposed_outcome = models.CharField("拟处理意见", max_length=30, choices=Outcome.choices, blank=True)
    proposed_kinds = models.JSONField("拟处罚种类", default=list, blank=True)
    proposed_fine_yuan = models.PositiveIntegerField("拟罚款（元）", null=True, blank=True)
    tier = models.CharField("裁量阶次", max_length=30, blank=True)

    # Notice, defence and hearing (Arts. 44, 45, 63, 64)
    notice_served_on = models.DateField("告知书送达日期", null=True, blank=True)
    hearing_right = models.BooleanField("享有听证权利", default=False)
    defence_until = models.DateField("陈述申辩/听证申请期限", null=True, blank=True)
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_chair = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="听证主持人"
    )

    # Review (Arts. 57, 58)
    legal_review_required = models.BooleanField("须法制审核", default=False)
    discussion_required = models.BooleanField("须集体讨论", default=False)

    # Decision (决定)
    outcome = models.CharField("处理结果", max_length=30, choices=Outcome.choices, blank=True)
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine_yuan = models.PositiveIntegerField("罚款（元）", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    service_due = models.DateField("送达期限", null=True, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)

    # Execution (执行)
    payment_due = models.DateField("缴款期限", null=True, blank=True)  # of the next instalment, if any
    instalments = models.JSONField("分期缴纳计划", default=list, blank=True)  # [{"due": ISO date, "yuan": N}]
    paid_yuan = models.PositiveIntegerField("已缴罚款（元）", default=0)
    late_fee_paid_yuan = models.PositiveIntegerField("已缴加处罚款（元）", default=0)
    demand_served_on = models.DateField("催告书送达日期", null=True, blank=True)
    court_applied_on = models.DateField("申请强制执行日期", null=True, blank=True)
    transfer_to = models.CharField("移送机关", max_length=100, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)

    class Meta:
        ordering = ["-registered_at", "-id"]
        indexes = [models.Index(fields=["status", "org_unit"]), models.Index(fields=["filed_on"])]
        verbose_name = verbose_name_plural = "案件"

    def __str__(self) -> str:
        return self.number or f"案源 #{self.pk}"

    @property
    def status_colour(self) -> str:
        return COLOURS[CaseStatus(self.status)]

    @property
    def fine_outstanding_yuan(self) -> int:
        return max(0, (self.fine_yuan or 0) - self.paid_yuan)


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when, why. Written only by events.py."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=40)
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name="操作人")
    status_from = models.CharField(max_length=20, blank=True)
    status_to = models.CharField(max_length=20, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class Payment(models.Model):
    case = models.ForeignKey(Case, models.PROTECT, related_name="payments")
    paid_on = models.DateField("缴款日期")
    fine_yuan = models.PositiveIntegerField("罚款（元）")
    late_fee_yuan = models.PositiveIntegerField("加处罚款（元）", default=0)
    receipt_no = models.CharField("票据号", max_length=60)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} ¥{self.fine_yuan}+{self.late_fee_yuan}"


class Remedy(models.Model):
    """A review (行政复议) or lawsuit (行政诉讼) the party brought against the case's decision, and how it
    ended: what the bureau reports each year and what tells it which decisions did not hold."""

    class Kind(models.TextChoices):
        REVIEW = "review", "行政复议"
        LAWSUIT = "lawsuit", "行政诉讼"

    class Result(models.TextChoices):
        PENDING = "pending", "审理中"
        UPHELD = "upheld", "维持或驳回"
        REVOKED = "revoked", "撤销"
        CHANGED = "changed", "变更"
        ILLEGAL = "confirmed_illegal", "确认违法"
        ENDED = "ended", "撤回或终止"

    case = models.ForeignKey(Case, models.PROTECT, related_name="remedies")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    filed_on = models.DateField("申请或起诉日期", db_index=True)
    body = models.CharField("复议机关或人民法院", max_length=100)
    result = models.CharField("结果", max_length=20, choices=Result.choices, default=Result.PENDING)
    decided_on = models.DateField("结果日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["filed_on", "id"]
        verbose_name = verbose_name_plural = "行政复议与行政诉讼"

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.filed_on}"

    @property
    def corrected(self) -> bool:
        """The decision did not hold (纠错)."""
        return self.result in (self.Result.REVOKED, self.Result.CHANGED, self.Result.ILLEGAL)


class DocumentKind(models.TextChoices):
    """The documents of a case file (文书), in file order (law.md §2)."""

    FILING_FORM = "filing_form", "立案登记表"
    ON_SITE_RECORD = "on_site_record", "现场笔录"
    INQUIRY_RECORD = "inquiry_record", "询问笔录"
    INSPECTION_RECORD = "inspection_record", "勘验笔录"
    EVIDENCE_LIST = "evidence_list", "证据登记保存清单"
    INVESTIGATION_REPORT = "investigation_report", "案件处理意见书"
    LEGAL_REVIEW = "legal_review", "法制审核意见书"
    DISCUSSION_RECORD = "discussion_record", "集体讨论记录"
    NOTICE = "notice", "违法行为通知书"
    DEFENCE_RECORD = "defence_record", "陈述申辩笔录"
    HEARING_NOTICE = "hearing_notice", "听证通知书"
    HEARING_RECORD = "hearing_record", "听证笔录"
    DECISION = "decision", "行政处罚决定书"
    NO_PENALTY_DECISION = "no_penalty_decision", "不予行政处罚决定书"
    SERVICE_RECEIPT = "service_receipt", "送达回证"
    DEMAND_NOTICE = "demand_notice", "催告书"
    COURT_APPLICATION = "court_application", "强制执行申请书"
    TRANSFER_LETTER = "transfer_letter", "移送书"
    CLOSING_REPORT = "closing_report", "结案报告"


class CaseDocument(models.Model):
    """A document of the case file, numbered gaplessly and frozen: its content and file hash never change."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="documents")
    kind = models.CharField("文书", max_length=30, choices=DocumentKind.choices)
    number = models.CharField("文号", max_length=60, blank=True)
    content = models.JSONField("内容")
    blob = models.ForeignKey(EvidenceBlob, models.PROTECT, null=True, blank=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class DefenceSubmission(models.Model):
    """A statement of defence (陈述申辩) — with a hearing request where the case has that right — sent by the
    party through the public lookup page. It never changes the case: an officer reads it and takes the
    record_defence or request_hearing step, which puts it on the file and the timeline."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="defence_submissions")
    text = models.TextField("陈述申辩内容")
    wants_hearing = models.BooleanField("要求听证", default=False)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = verbose_name_plural = "当事人在线陈述申辩"

    def __str__(self) -> str:
        return f"{self.case} {self.submitted_at:%Y-%m-%d %H:%M}"
