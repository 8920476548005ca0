"""Tables of the platform's spine: org units, users, API tokens, the audit trail and the evidence store."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from jiafa.core.roles import Role


class OrgUnit(models.Model):
    """A node of the bureau's tree (局 → 执法队 → 中队). `path` lists the codes from the root, so a
    jurisdiction (辖区) — the subtree of a unit — is one `path__startswith` query."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", "交通运输局"
        DETACHMENT = "detachment", "执法队"
        SQUADRON = "squadron", "中队"

    code = models.CharField("机构代码", max_length=32, unique=True)
    name = models.CharField("机构名称", max_length=100)
    short_name = models.CharField("简称", max_length=30)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    region_code = models.CharField("行政区划代码", max_length=6, blank=True)
    document_prefix = models.CharField("文书字号", max_length=10, blank=True)  # e.g. 嘉交执 (bureau only)
    path = models.CharField(max_length=400, unique=True, editable=False)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = "组织机构"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path = (self.parent.path if self.parent else "/") + self.code + "/"
        super().save(*args, **kwargs)

    def subtree(self) -> models.QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(path__startswith=self.path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    @classmethod
    def lineage(cls, unit_id: int) -> OrgUnit:
        """The unit with its ancestors linked as its parents, read in one plain statement: every case step
        asks for its unit's place in the tree (the jurisdiction) and for its bureau."""
        quote, fields = connection.ops.quote_name, cls._meta.concrete_fields
        columns, names = ", ".join(f"a.{quote(str(f.column))}" for f in fields), [f.attname for f in fields]
        table = quote(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {table} a, {table} u WHERE u.id = %s"
                " AND substr(u.path, 1, length(a.path)) = a.path ORDER BY length(a.path)",
                [unit_id],
            )
            units = [cls.from_db(connection.alias, names, row) for row in cursor]
        by_id = {u.pk: u for u in units}
        for u in units:
            if u.parent_id in by_id:
                cls.parent.field.set_cached_value(u, by_id[u.parent_id])
        if unit_id not in by_id:
            raise cls.DoesNotExist(f"no org unit {unit_id}")
        return by_id[unit_id]

    def bureau(self) -> OrgUnit:
        """The unit whose documents share one numbering: the nearest ancestor with a document prefix (looked
        up once for this instance: a document's frame and its number both ask; found among the ancestors read
        with it, where they were)."""
        unit = self
        while not unit.document_prefix and unit.parent_id is not None and OrgUnit.parent.is_cached(unit):
            unit = unit.parent  # type: ignore[assignment]
        if unit.document_prefix or unit.parent_id is None:
            return unit
        found: OrgUnit | None = self.__dict__.get("_bureau")
        if found is None:
            steps = self.path.strip("/").split("/")[:-1]  # the ancestors' codes, from the root down
            paths = ["/" + "/".join(steps[: k + 1]) + "/" for k in range(len(steps))]
            ancestors = sorted(OrgUnit.objects.filter(path__in=paths), key=lambda u: -len(u.path))
            found = next((u for u in ancestors if u.document_prefix), ancestors[-1] if ancestors else self)
            self.__dict__["_bureau"] = found
        return found


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50)
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, null=True, verbose_name="所属单位")
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.OFFICER)
    certificate_no = models.CharField("执法证号", max_length=30, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("过期时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class AppendOnlyError(Exception):
    pass


class AuditEntry(models.Model):
    """One append-only, hash-chained line of the audit trail (审计日志). `seq` is gapless and `entry_hash`
    covers every field and the previous entry's hash, so an edited or deleted row breaks the chain."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, verbose_name="操作人")
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=60)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象", max_length=100, blank=True)
    org_unit = models.ForeignKey(OrgUnit, models.SET_NULL, null=True, blank=True, verbose_name="单位")
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    detail = models.JSONField("详情", default=dict)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["action", "object_id", "at"]), models.Index(fields=["ip", "at"])]
        verbose_name = verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit entries are append-only")


class AuditHead(models.Model):
    """The chain's tip, one row. Appending locks it, so concurrent writers queue instead of forking."""

    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.seq}"


class EvidenceBlob(models.Model):
    """A stored file, named by its SHA-256; the same content is stored once."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField(max_length=100)
    stored_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256

    @property
    def path(self) -> Any:
        return settings.EVIDENCE_DIR / self.sha256[:2] / self.sha256[2:4] / self.sha256


class EvidenceItem(models.Model):
    """A piece of evidence (证据) as attached by someone, at some time, in a unit, optionally to a record."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        VIDEO = "video", "视频"
        DOCUMENT = "document", "书证/文书"
        RECORD = "record", "电子数据"
        OTHER = "other", "其他"

    blob = models.ForeignKey(EvidenceBlob, models.PROTECT, related_name="items")
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="所属单位")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    original_name = models.CharField("原文件名", max_length=255)
    collected_at = models.DateTimeField("取证时间", null=True, blank=True)
    uploaded_by = models.ForeignKey(User, models.PROTECT, verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    linked_type = models.ForeignKey(ContentType, models.PROTECT, null=True, blank=True)
    linked_id = models.CharField(max_length=64, blank=True)
    linked = GenericForeignKey("linked_type", "linked_id")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["linked_type", "linked_id"])]
        verbose_name = verbose_name_plural = "证据"

    def __str__(self) -> str:
        return self.title


class DocumentSequence(models.Model):
    """The last number issued per bureau, document kind and year; taken under a row lock so that numbers
    are gapless and never issued twice."""

    bureau = models.ForeignKey(OrgUnit, models.PROTECT)
    kind = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bureau", "kind", "year"], name="one_sequence_per_kind_year")
        ]

    def __str__(self) -> str:
        return f"{self.bureau.code} {self.kind} {self.year}: {self.last}"
