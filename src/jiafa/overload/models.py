"""Tables of non-site overload enforcement. Raw weighing records stay in the Parquet lake
($JIAFA_DATA_DIR/lake/wim/date=YYYY-MM-DD/); the database holds stations, vehicles, batches and findings."""

from __future__ import annotations

from django.db import models

from jiafa.cases.models import Case, PartyKind
from jiafa.core.models import EvidenceBlob, OrgUnit, User


class WimStation(models.Model):
    """A weigh-in-motion station (治超非现场检测点)."""

    class Kind(models.TextChoices):
        BORDER = "border", "省市县交界"
        TRUNK = "trunk", "主干道"
        HUB = "hub", "货运枢纽"
        BRIDGE = "bridge", "桥梁"

    class Status(models.TextChoices):
        ACTIVE = "active", "运行"
        MAINTENANCE = "maintenance", "维护"
        RETIRED = "retired", "停用"

    code = models.CharField("站点编号", max_length=30, unique=True)  # the `station_id` of records
    name = models.CharField("站点名称", max_length=100)
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="管辖单位")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.TRUNK)
    road = models.CharField("道路", max_length=30)  # e.g. G60
    direction = models.CharField("方向", max_length=30)
    stake = models.CharField("桩号", max_length=30, blank=True)
    lat = models.FloatField("纬度")
    lon = models.FloatField("经度")
    lanes = models.PositiveSmallIntegerField("车道数", default=2)
    speed_min_kmh = models.PositiveSmallIntegerField("检定速度下限（km/h）", default=5)
    speed_max_kmh = models.PositiveSmallIntegerField("检定速度上限（km/h）", default=100)
    accuracy_class = models.CharField("准确度等级", max_length=10, default="5")
    published_on = models.DateField("位置公布日期", null=True, blank=True)  # Art. 41: locations published
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "治超站点"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Calibration(models.Model):
    """A calibration certificate (检定证书): records of a day outside every certificate are not evidence."""

    station = models.ForeignKey(WimStation, models.CASCADE, related_name="calibrations")
    certificate_no = models.CharField("证书编号", max_length=60)
    issued_by = models.CharField("检定机构", max_length=100)
    valid_from = models.DateField("有效期自")
    valid_to = models.DateField("有效期至")
    certificate = models.ForeignKey(
        EvidenceBlob, models.PROTECT, null=True, blank=True, verbose_name="证书扫描件"
    )

    class Meta:
        ordering = ["station", "-valid_to"]
        verbose_name = verbose_name_plural = "检定证书"

    def __str__(self) -> str:
        return f"{self.certificate_no}（{self.valid_from}—{self.valid_to}）"


class Vehicle(models.Model):
    """A goods vehicle and its owner (车辆所有人), from the road-transport register: who a notice goes to."""

    plate = models.CharField("车牌号", max_length=20)
    plate_color = models.CharField("号牌颜色", max_length=10, default="黄")
    owner_kind = models.CharField("所有人类型", max_length=20, choices=PartyKind.choices)
    owner_name = models.CharField("所有人", max_length=200)
    owner_id_no = models.CharField("身份证件号/统一社会信用代码", max_length=40)
    owner_address = models.CharField("住所", max_length=200, blank=True)
    owner_phone = models.CharField("联系电话", max_length=30, blank=True)
    axles = models.PositiveSmallIntegerField("轴数", default=2)
    combination = models.BooleanField("汽车列车", default=False)
    registered_region = models.CharField("登记地行政区划代码", max_length=6, blank=True)  # Art. 44 report

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plate", "plate_color"], name="one_vehicle_per_plate")]
        # A company's fleet (一超四罚 counts it against the vehicles over the limit) among the register's
        # hundreds of thousands of vehicles.
        indexes = [models.Index(fields=["owner_id_no"], name="vehicle_owner_idx")]
        verbose_name = verbose_name_plural = "车辆"

    def __str__(self) -> str:
        return f"{self.plate}（{self.owner_name}）"


class IngestBatch(models.Model):
    """One file or pushed batch of weighing records, with what became of its records."""

    class Source(models.TextChoices):
        FILE = "file", "文件导入"
        STREAM = "stream", "站点推送"

    source = models.CharField(max_length=10, choices=Source.choices)
    name = models.CharField("名称", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)
    received_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    records = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.JSONField("无效记录（按原因）", default=dict)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.name


class Finding(models.Model):
    """A suspected overload (疑似违法) found in valid records: one per vehicle trip, with the numbers, the
    articles and the evidence pack, waiting for an officer's review (初审)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待初审"
        CONFIRMED = "confirmed", "已确认"
        DISMISSED = "dismissed", "已排除"

    record_id = models.CharField("认定记录", max_length=64, unique=True)  # the worst record of the trip
    record_ids = models.JSONField("同一行程的记录", default=list)
    station = models.ForeignKey(WimStation, models.PROTECT, verbose_name="站点")
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="管辖单位")
    passed_at = models.DateTimeField("通过时间", db_index=True)
    plate = models.CharField("车牌号", max_length=20, db_index=True)
    plate_color = models.CharField("号牌颜色", max_length=10)
    axles = models.PositiveSmallIntegerField("轴数")
    gross_kg = models.PositiveIntegerField("车货总质量（千克）")
    limit_kg = models.PositiveIntegerField("限值（千克）")
    tolerance_kg = models.PositiveIntegerField("计量误差扣除（千克）")
    overload_kg = models.PositiveIntegerField("超限（千克）")
    overload_rate = models.DecimalField("超限率", max_digits=7, decimal_places=4)
    outcome = models.CharField("处理", max_length=10)  # warning / fine
    fine_yuan = models.PositiveIntegerField("罚款（元）")
    hundred_tonne = models.BooleanField("百吨王", default=False)
    serious = models.BooleanField("严重超限", default=False)
    basis = models.JSONField("依据")
    # The evidence pack (证据包): its SHA-256, and where it lies — a slice of its detection run's archive
    # (overload.packs), and once confirmed a blob of its own (`evidence`, also all a finding detected before
    # archives existed has).
    pack_sha256 = models.CharField("证据包 SHA-256", max_length=64, blank=True)
    pack_archive = models.ForeignKey(  # not indexed: nothing looks findings up by archive
        EvidenceBlob,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name="证据包归档",
    )
    pack_offset = models.PositiveBigIntegerField("归档内偏移（字节）", null=True, blank=True)
    pack_length = models.PositiveIntegerField("证据包大小（字节）", null=True, blank=True)
    evidence = (
        models.ForeignKey(  # not indexed, as `reviewed_by`: empty when detection inserts, never a filter
            EvidenceBlob, models.PROTECT, null=True, blank=True, db_index=False, verbose_name="证据包"
        )
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.CharField("排除理由", max_length=200, blank=True)
    case = models.ForeignKey(Case, models.PROTECT, null=True, blank=True, related_name="findings")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-passed_at"]
        indexes = [models.Index(fields=["status", "org_unit"])]
        verbose_name = verbose_name_plural = "疑似超限线索"

    def __str__(self) -> str:
        return f"{self.plate} {self.passed_at:%Y-%m-%d %H:%M} 超限{self.overload_kg}千克"


class FollowUp(models.Model):
    """A measure the law asks of the bureau after the penalty itself: the 一超四罚 of 公路安全保护条例
    Art. 66 (revoke a vehicle's operating certificate, bar a driver, suspend a company) and the report to the
    vehicle's home authority (超限运输车辆行驶公路管理规定 Art. 44). Opened by `followups.refresh_counters`,
    closed by a leader with a note; both audited."""

    class Kind(models.TextChoices):
        VEHICLE_REVOCATION = "vehicle_revocation", "吊销车辆营运证"
        DRIVER_BAN = "driver_ban", "责令驾驶人停止从事营业性运输"
        COMPANY_SUSPENSION = "company_suspension", "责令运输企业停业整顿"
        REGISTRATION_REPORT = "registration_report", "抄告车辆登记地"

    class Status(models.TextChoices):
        OPEN = "open", "待办"
        DONE = "done", "已办结"

    kind = models.CharField("事项", max_length=30, choices=Kind.choices)
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="承办单位")
    subject = models.CharField("对象", max_length=200)  # plate, company name and credit code, case number
    subject_key = models.CharField(max_length=100)  # what "the same subject" means for counting, e.g. v:12
    vehicle = models.ForeignKey(Vehicle, models.PROTECT, null=True, blank=True, verbose_name="车辆")
    case = models.ForeignKey(Case, models.PROTECT, null=True, blank=True, verbose_name="案件")
    count = models.PositiveIntegerField("次数/车辆数", default=0)
    detail = models.JSONField("计数明细", default=dict, blank=True)  # finding ids, fleet size, region codes
    basis = models.JSONField("依据", default=list)  # [{"law", "article"}]
    window_from = models.DateField("统计期间自", null=True, blank=True)
    window_to = models.DateField("统计期间至", null=True, blank=True)
    due = models.DateField("办理期限", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    done_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    done_at = models.DateTimeField("办结时间", null=True, blank=True)
    note = models.TextField("办理情况", blank=True)

    class Meta:
        ordering = ["status", "due", "-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "subject_key"]), models.Index(fields=["status", "org_unit"])]
        verbose_name = verbose_name_plural = "后续处理事项"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"
