import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from jiafa.core.admin import ReadOnlyAdmin
from jiafa.core.errors import JiafaError
from jiafa.core.roles import Perm, can
from jiafa.law import catalogue, violations
from jiafa.law.models import HolidaySchedule, ViolationType


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(ReadOnlyAdmin):
    """Loaded with `jiafa law calendar load FILE`, which validates the whole year first."""

    list_display = ("year", "source", "loaded_at", "loaded_by")


class CatalogueImportForm(forms.Form):
    file = forms.FileField(label="违法行为库文件（JSON）")


@admin.register(ViolationType)
class ViolationTypeAdmin(ReadOnlyAdmin):
    """Versions are read-only here: a case or decision may have used one, and editing it in place would
    silently change what that decision cited. A change is made by importing a catalogue document (the 导入
    page below, or `jiafa law violations load FILE`), which adds a new version and leaves the old one."""

    change_list_template = "admin/law/violationtype/change_list.html"
    list_display = ("code", "version", "name", "domain", "effective_from", "non_site", "verified", "origin")
    list_filter = ("domain", "non_site", "verified", "origin")
    search_fields = ("code", "name")
    fields = (
        "code",
        "version",
        "name",
        "domain",
        "effective_from",
        "basis",
        "tiers",
        "non_site",
        "verified",
        "origin",
        "loaded_at",
        "loaded_by",
        "content",
    )
    readonly_fields = fields
    actions = ["export"]

    @admin.display(description="法律依据")
    def basis(self, obj: ViolationType) -> str:
        item = obj.item
        return f"违反：{violations.cite(item.violated)}\n处罚：{violations.cite(item.penalty_basis)}"

    @admin.display(description="裁量阶次")
    def tiers(self, obj: ViolationType) -> str:
        item = obj.item
        lines = []
        for tier in item.tiers:
            fines = "；".join(f"{violations.PARTY_LABELS[p]}{rule.describe()}" for p, rule in tier.fines)
            kinds = "、".join(violations.PENALTY_LABELS[k] for k in sorted(tier.penalties)) or "不予处罚种类"
            lines.append(f"{tier.name}：{tier.description} → {kinds}{'（' + fines + '）' if fines else ''}")
        return "\n".join(lines)

    @admin.display(description="事项内容（JSON）")
    def content(self, obj: ViolationType) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.document, ensure_ascii=False, indent=2))

    @admin.action(description="导出所选版本为违法行为库文件", permissions=["view"])
    def export(self, request: HttpRequest, queryset: QuerySet[ViolationType]) -> HttpResponse:
        latest: dict[tuple[str, Any], ViolationType] = {}
        # One version per code and effective date, or the file would not import again.
        for row in queryset.order_by("code", "effective_from", "version"):
            latest[(row.code, row.effective_from)] = row
        document = {"source": "本局导出", "items": [row.document for row in latest.values()]}
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="violations.json"'
        return response

    def get_urls(self) -> list[URLPattern]:
        page = path("import/", self.admin_site.admin_view(self.import_view), name="law_violationtype_import")
        return [page, *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, Perm.SYSTEM_ADMIN):
            raise PermissionDenied
        form = CatalogueImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                document = json.loads(upload.read().decode("utf-8"))
                result = catalogue.load(
                    document, actor=request.user, loaded_by=request.user.get_username(), source=upload.name
                )
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                form.add_error("file", f"无法读取：{e}")
            except JiafaError as e:
                form.add_error("file", e.message)
            else:
                created = "、".join(f"{code} 第{n}版" for code, n in result.created) or "无"
                messages.success(
                    request, f"已导入：新增版本 {created}；内容未变 {len(result.unchanged)} 项。"
                )
                return HttpResponseRedirect(reverse("admin:law_violationtype_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": "导入违法行为库",
        }
        return TemplateResponse(request, "admin/law/violationtype/import.html", context)
