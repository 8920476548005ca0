"""Registers of waterway enforcement (水网睿控). AIS positions, static reports and checkpoint passages
stay in the Parquet lake ($JIAFA_DATA_DIR/lake/ais_positions/ …); the database holds vessels, zones,
permits and checkpoints."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from jiafa.cases.models import PartyKind
from jiafa.core.models import EvidenceBlob, OrgUnit
from jiafa.waterway.geometry import GeometryError, parse_line, parse_polygon


class Waterway(models.Model):
    """A navigable waterway (航道) drawn as its centre line, e.g. 京杭运河, 杭申线; checkpoints name it."""

    code = models.CharField("航道编号", max_length=30, unique=True)
    name = models.CharField("航道名称", max_length=60)
    grade = models.CharField("航道等级", max_length=20, blank=True)
    geometry = models.TextField("线形（WKT 或 GeoJSON，经度在前）")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "航道"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            parse_line(self.geometry or "")
        except GeometryError as e:
            raise ValidationError({"geometry": str(e)}) from e


class Vessel(models.Model):
    """A vessel of the register (船舶), keyed by its AIS identity (MMSI, 水上移动通信业务标识码)."""

    class Kind(models.TextChoices):
        MUCK = "muck", "渣土运输船"
        CARGO = "cargo", "货船"
        PASSENGER = "passenger", "客船"
        WORK = "work", "工程船"
        OTHER = "other", "其他"

    mmsi = models.PositiveIntegerField(
        "MMSI", unique=True, validators=[MinValueValidator(1), MaxValueValidator(999_999_999)]
    )
    name = models.CharField("船名", max_length=60)
    kind = models.CharField("船舶类型", max_length=20, choices=Kind.choices, default=Kind.CARGO)
    owner_kind = models.CharField(
        "所有人类型", max_length=20, choices=PartyKind.choices, default=PartyKind.ORGANISATION
    )
    owner_name = models.CharField("船舶所有人", max_length=200)
    owner_id_no = models.CharField("身份证件号/统一社会信用代码", max_length=40, blank=True)
    owner_phone = models.CharField("联系电话", max_length=30, blank=True)
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="管辖单位")

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "船舶"

    def __str__(self) -> str:
        return f"{self.name}（{self.mmsi}）"


class VesselCertificate(models.Model):
    """A certificate of a vessel (船舶证书: 国籍证书, 检验证书, 营运证…) and its validity."""

    class Kind(models.TextChoices):
        NATIONALITY = "nationality", "船舶国籍证书"
        INSPECTION = "inspection", "船舶检验证书"
        OPERATION = "operation", "船舶营业运输证"
        CREW = "crew", "船舶最低安全配员证书"

    vessel = models.ForeignKey(Vessel, models.CASCADE, related_name="certificates")
    kind = models.CharField("证书类型", max_length=20, choices=Kind.choices)
    number = models.CharField("证书编号", max_length=60)
    valid_from = models.DateField("有效期自")
    valid_to = models.DateField("有效期至")

    class Meta:
        ordering = ["vessel", "kind", "-valid_to"]
        verbose_name = verbose_name_plural = "船舶证书"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "有效期至不能早于有效期自"})


class Zone(models.Model):
    """A watched area on the water: a dock or berth (码头、泊位, licensed or not), a no-berthing zone
    (禁停区), or a muck loading or dumping site (渣土装卸点、消纳点). The outline is WKT or
    GeoJSON in WGS 84."""

    class Kind(models.TextChoices):
        DOCK = "dock", "码头"
        BERTH = "berth", "泊位"
        NO_BERTHING = "no_berthing", "禁止停泊区"
        LOADING = "loading", "渣土装载点"
        DUMPING = "dumping", "渣土消纳点"

    code = models.CharField("编号", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    licensed = models.BooleanField("已取得许可", default=False)  # 码头是否依法取得经营许可
    geometry = models.TextField("范围（WKT 或 GeoJSON）")
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="管辖单位")
    # Vessels allowed to berth here even where the zone is not licensed for the public (its own fleet).
    allowed_vessels = models.ManyToManyField(Vessel, blank=True, verbose_name="准许停靠的船舶")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "码头泊位与禁停区"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        try:
            parse_polygon(self.geometry or "")
        except GeometryError as e:
            raise ValidationError({"geometry": str(e)}) from e


class MuckPermit(models.Model):
    """A muck-transport permit (渣土运输许可): the vessel may load at one zone and must unload at another."""

    number = models.CharField("许可证号", max_length=60, unique=True)
    vessel = models.ForeignKey(Vessel, models.PROTECT, related_name="muck_permits", verbose_name="船舶")
    loading_zone = models.ForeignKey(
        Zone, models.PROTECT, related_name="+", verbose_name="装载点", limit_choices_to={"kind": "loading"}
    )
    dumping_zone = models.ForeignKey(
        Zone, models.PROTECT, related_name="+", verbose_name="消纳点", limit_choices_to={"kind": "dumping"}
    )
    valid_from = models.DateField("有效期自")
    valid_to = models.DateField("有效期至")
    issued_by = models.CharField("核发单位", max_length=100, blank=True)

    class Meta:
        ordering = ["vessel", "-valid_to"]
        verbose_name = verbose_name_plural = "渣土运输许可"

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "有效期至不能早于有效期自"})


class Checkpoint(models.Model):
    """A camera gate on a waterway (水上卡口): it reads ship names from photos of passing vessels."""

    code = models.CharField("卡口编号", max_length=30, unique=True)  # the `checkpoint` of camera records
    name = models.CharField("卡口名称", max_length=100)
    waterway = models.CharField("所在航道", max_length=60)
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="管辖单位")
    lat = models.FloatField("纬度", validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lon = models.FloatField("经度", validators=[MinValueValidator(-180), MaxValueValidator(180)])

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "水上卡口"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Finding(models.Model):
    """A suspect vessel (疑似违法线索) found by a detection rule, waiting for an on-water check (核查).
    Keyed by rule, vessel and start, so detection run again adds nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", "待核查"
        CONFIRMED = "confirmed", "已确认立案"
        HANDED_OVER = "handed_over", "已移交"
        DISMISSED = "dismissed", "已排除"

    key = models.CharField(max_length=120, unique=True)  # rule|mmsi|start (UTC ISO)
    rule = models.CharField("规则", max_length=40)
    mmsi = models.PositiveIntegerField("MMSI", db_index=True)
    vessel = models.ForeignKey(
        Vessel, models.PROTECT, null=True, blank=True, related_name="findings", verbose_name="船舶"
    )
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="管辖单位")
    start = models.DateTimeField("开始时间", db_index=True)
    end = models.DateTimeField("结束时间")
    lat = models.FloatField("纬度", null=True, blank=True)
    lon = models.FloatField("经度", null=True, blank=True)
    zone = models.ForeignKey(
        Zone, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="区域"
    )
    checkpoint = models.ForeignKey(
        Checkpoint, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="卡口"
    )
    value = models.FloatField("测得值", null=True, blank=True)  # minutes, knots… (the rule says which)
    threshold = models.FloatField("阈值", null=True, blank=True)
    ais_name = models.CharField("AIS 船名", max_length=60, blank=True)
    seen_name = models.CharField("卡口识别船名", max_length=60, blank=True)
    record_id = models.CharField("卡口记录", max_length=64, blank=True)
    photo = models.CharField("卡口照片 SHA-256", max_length=64, blank=True)
    basis = models.JSONField("依据", default=list)
    # The track segment behind the finding: [[UTC ISO time, lat, lon, speed in knots], …].
    track = models.JSONField("轨迹片段", default=list, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    check_note = models.TextField("核查情况", blank=True)
    reviewed_by = models.ForeignKey("core.User", models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.CharField("排除理由", max_length=200, blank=True)
    handed_over_to = models.CharField("移交单位", max_length=100, blank=True)
    # The hand-over letter (移交函): issued with the hand-over, its DOCX kept in the evidence store.
    letter_number = models.CharField("移交函文号", max_length=60, blank=True)
    letter = models.ForeignKey(
        EvidenceBlob, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="移交函"
    )
    case = models.ForeignKey(
        "cases.Case", models.PROTECT, null=True, blank=True, related_name="waterway_findings"
    )
    # The evidence pack (证据包, waterway/packs.py), stored when the finding is confirmed or handed over.
    evidence = models.ForeignKey(
        "core.EvidenceBlob", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="证据包"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start"]
        indexes = [models.Index(fields=["status", "org_unit"])]
        verbose_name = verbose_name_plural = "水网疑似违法线索"

    def __str__(self) -> str:
        return f"{self.mmsi} {self.rule} {self.start:%Y-%m-%d %H:%M}"


class Examined(models.Model):
    """Detection's bookmark: per area of the lake and day, the number of the last part it has read. A day's
    part numbers only ever grow (the overload lake's helpers), so a larger one is news."""

    area = models.CharField(max_length=30)
    day = models.DateField()
    part = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="waterway_examined_area_day")]
        verbose_name = verbose_name_plural = "水网检测进度"

    def __str__(self) -> str:
        return f"{self.area} {self.day} {self.part}"
