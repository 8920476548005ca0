"""The bridge register (桥梁承载能力数据库) and oversize transport permit applications (大件运输许可).
Tables and field validation only; every change of an application goes through actions.py."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from jiafa.core.models import OrgUnit, User
from jiafa.permits.rules import MAX_SPAN_M, MIN_SPAN_M, PermitClass
from jiafa.permits.states import PermitStatus
from jiafa.simulate.world import roads


class StructureType(models.TextChoices):
    SLAB = "slab", "钢筋混凝土板"
    HOLLOW_SLAB = "hollow_slab", "空心板梁"
    T_BEAM = "t_beam", "T梁"
    BOX_GIRDER = "box_girder", "小箱梁"


class Reinforcement(models.TextChoices):
    NONE = "none", "无"
    PLANNED = "planned", "拟加固"
    IN_PROGRESS = "in_progress", "加固中"
    DONE = "done", "已加固"


class Bridge(models.Model):
    """A key control bridge (重点控制桥梁) with its load capacity red line (荷载红线)."""

    code = models.CharField("桥梁编码", max_length=30, unique=True)
    name = models.CharField("桥名", max_length=100)
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="管辖单位")
    road_code = models.CharField("路线编号", max_length=20)
    road_leg = models.PositiveSmallIntegerField("所在路段（路线第几段）")
    road_position = models.FloatField(
        "在路线上的位置（0–1）", validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    lat = models.FloatField("纬度")
    lon = models.FloatField("经度")
    structure = models.CharField("结构形式", max_length=20, choices=StructureType.choices)
    spans_m = models.JSONField("各孔计算跨径（米，简支）")
    design_load = models.CharField("设计荷载等级", max_length=20, help_text="公路-I级、公路-II级或旧规范等级")
    condition_grade = models.PositiveSmallIntegerField(
        "技术状况等级", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    red_line_ratio = models.DecimalField(
        "荷载红线（车辆效应/设计效应）", max_digits=4, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    max_width_m = models.DecimalField("限宽（米）", max_digits=4, decimal_places=2, null=True, blank=True)
    max_height_m = models.DecimalField("限高（米）", max_digits=4, decimal_places=2, null=True, blank=True)
    speed_limit_kmh = models.PositiveSmallIntegerField("限速（公里/小时）", null=True, blank=True)
    escort_required = models.BooleanField("须护送通行", default=False)
    single_vehicle = models.BooleanField("须单车过桥", default=False)
    reinforcement = models.CharField(
        "加固状况", max_length=20, choices=Reinforcement.choices, default=Reinforcement.NONE
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "桥梁"
        ordering = ["code"]
        indexes = [models.Index(fields=["road_code", "road_leg"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """A bridge must stand on a segment of a known road and have spans the check accepts."""
        road = roads().get(self.road_code)
        if road is None:
            raise ValidationError({"road_code": f"路网中没有路线 {self.road_code}"})
        if self.road_leg is not None and not 0 <= self.road_leg < len(road.points) - 1:
            raise ValidationError({"road_leg": f"路线 {self.road_code} 只有 {len(road.points) - 1} 段"})
        spans = self.spans_m if isinstance(self.spans_m, list) else []
        if not spans or not all(
            isinstance(s, int | float) and not isinstance(s, bool) and MIN_SPAN_M <= s <= MAX_SPAN_M
            for s in spans
        ):
            message = f"各孔计算跨径应为 {MIN_SPAN_M:g} 至 {MAX_SPAN_M:g} 米之间的数字列表，如 [20, 20]"
            raise ValidationError({"spans_m": message})


class Inspection(models.Model):
    """One inspection or load test (桥梁检测) and the grade and red line it gave."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", "定期检查"
        SPECIAL = "special", "特殊检查"
        LOAD_TEST = "load_test", "荷载试验"

    bridge = models.ForeignKey(Bridge, models.CASCADE, related_name="inspections", verbose_name="桥梁")
    inspected_on = models.DateField("检测日期")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    condition_grade = models.PositiveSmallIntegerField(
        "技术状况等级", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    red_line_ratio = models.DecimalField(
        "评定荷载红线", max_digits=4, decimal_places=2, null=True, blank=True
    )
    findings = models.TextField("主要病害与结论", blank=True)
    inspector = models.CharField("检测单位", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "桥梁检测记录"
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.bridge.code} {self.inspected_on}"


class PermitApplication(models.Model):
    """An application for an oversize transport permit (超限运输车辆行驶公路许可申请)."""

    number = models.CharField("许可证号", max_length=60, blank=True, db_index=True)
    # The unguessable part of the public verification address printed as a QR code on the permit.
    verify_code = models.CharField("核验码", max_length=32, blank=True, db_index=True)
    status = models.CharField("状态", max_length=20, choices=PermitStatus.choices)
    version = models.PositiveIntegerField(default=1)
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="受理单位")
    applicant_name = models.CharField("申请人", max_length=200)
    applicant_credit_code = models.CharField("统一社会信用代码", max_length=18)
    contact_phone = models.CharField("联系电话", max_length=30)
    tractor_plate = models.CharField("牵引车（货车）号牌", max_length=20)
    trailer_plate = models.CharField("挂车号牌", max_length=20, blank=True)
    axles = models.PositiveSmallIntegerField("轴数")
    combination = models.BooleanField("汽车列车", default=True)
    axle_loads_kn = models.JSONField("各轴轴荷（kN，自前轴起）")
    axle_spacings_m = models.JSONField("轴距（米）")
    gross_kg = models.PositiveIntegerField("车货总质量（千克）")
    height_m = models.DecimalField("车货总高（米）", max_digits=5, decimal_places=2)
    width_m = models.DecimalField("车货总宽（米）", max_digits=5, decimal_places=2)
    length_m = models.DecimalField("车货总长（米）", max_digits=6, decimal_places=2)
    cargo = models.CharField("货物名称", max_length=200)
    origin_name = models.CharField("起点", max_length=200)
    origin_lat = models.FloatField("起点纬度")
    origin_lon = models.FloatField("起点经度")
    destination_name = models.CharField("终点", max_length=200)
    destination_lat = models.FloatField("终点纬度")
    destination_lon = models.FloatField("终点经度")
    cross_province = models.BooleanField("跨省运输", default=False)
    travel_from = models.DateField("通行起始日")
    travel_to = models.DateField("通行截止日")
    accepted_on = models.DateField("受理日期")
    permit_class = models.CharField("许可类别", max_length=10)
    due_on = models.DateField("法定办结期限")
    reinforcement_from = models.DateField("加固改造开始日", null=True, blank=True)
    excluded_working_days = models.PositiveIntegerField("加固改造不计入的工作日", default=0)
    check_result = models.JSONField("自动校核结果", default=dict)
    proposal = models.CharField("自动校核建议", max_length=30, blank=True)
    conditions = models.JSONField("通行条件", default=dict, blank=True)
    reasons = models.TextField("不予许可理由", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name="受理人")
    created_at = models.DateTimeField("受理时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "大件运输许可申请"
        ordering = ["-accepted_on", "-id"]
        indexes = [models.Index(fields=["status", "org_unit"]), models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.number or self.pk} {self.applicant_name} {self.tractor_plate}"

    @property
    def class_label(self) -> str:
        """第一类 / 第二类 / 第三类 (Art. 15)."""
        return PermitClass(self.permit_class).label.split("（")[0] if self.permit_class else ""

    @property
    def axle_loads_text(self) -> str:
        return "、".join(f"{v:g}" for v in (round(x, 1) for x in self.axle_loads_kn))

    @property
    def axle_spacings_text(self) -> str:
        return "、".join(f"{v:g}" for v in (round(x, 2) for x in self.axle_spacings_m))


class PermitEvent(models.Model):
    """One line of an application's history: who did what, when, why."""

    application = models.ForeignKey(PermitApplication, models.CASCADE, related_name="events")
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
        return f"{self.application_id} {self.kind}"
