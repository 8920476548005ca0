"""Case forms for the web pages: step forms drawn from the same schemas the API validates with, and the
registration form for a new case source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast, get_origin

from django import forms
from django.http import QueryDict
from django.utils import timezone

from jiafa.cases.models import PartyKind, Source
from jiafa.cases.schemas import StepIn
from jiafa.core.models import User
from jiafa.law.violations import Fact, FactType


@dataclass(frozen=True)
class StepField:
    name: str
    label: str
    widget: str  # date, number, checkbox, select, checkboxes, textarea, text, user, facts
    required: bool
    value: Any
    choices: list[tuple[str, str]]
    facts: tuple[Fact, ...] = ()  # the facts widget: the catalogue item's facts (裁量情节), one input each


def _widget(annotation: Any, extra: dict[str, Any]) -> str:
    if "widget" in extra:
        return str(extra["widget"])
    if "choices" in extra:
        return "select"
    if annotation is date:
        return "date"
    if annotation is bool:
        return "checkbox"
    if annotation is int:
        return "number"
    return "text"


FACT_PREFIX = "facts_for_tier."


def step_fields(
    schema: type[StepIn], data: QueryDict | None, defaults: dict[str, Any], facts: tuple[Fact, ...]
) -> list[StepField]:
    """The fields of a step's form, filled from what the user sent or from sensible defaults."""
    fields = []
    for name, info in schema.model_fields.items():
        if name == "version":
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        widget = _widget(info.annotation, extra)
        if widget == "facts":
            given = {FACT_PREFIX + k: v for k, v in defaults.get(name, {}).items()} if data is None else data
            value: Any = {f.key: given.get(FACT_PREFIX + f.key, "") for f in facts}
        elif data is not None:
            value = data.getlist(name) if widget == "checkboxes" else data.get(name, "")
        elif name in defaults:
            value = defaults[name]
        elif widget == "date":
            value = timezone.localdate().isoformat()
        else:
            value = [] if widget == "checkboxes" else ("" if info.default in (None, ...) else info.default)
        choices = [(str(v), str(label)) for v, label in cast(list[list[str]], extra.get("choices", []))]
        fields.append(
            StepField(name, str(info.title or name), widget, info.is_required(), value, choices, facts)
        )
    return fields


def _fact_values(data: QueryDict, facts: tuple[Fact, ...]) -> dict[str, Any]:
    """The facts entered, typed as the catalogue declares them; a blank number is left out, not zero."""
    values: dict[str, Any] = {}
    for fact in facts:
        raw = data.get(FACT_PREFIX + fact.key, "").strip()
        if fact.type is FactType.BOOL:
            values[fact.key] = bool(raw)
        elif raw and fact.type is FactType.INT:
            # A non-number is passed on as text for the catalogue check to refuse with the fact's name.
            values[fact.key] = int(raw) if raw.lstrip("-").isdigit() else raw
        elif raw:
            values[fact.key] = raw
    return values


def payload(schema: type[StepIn], data: QueryDict, facts: tuple[Fact, ...]) -> dict[str, Any]:
    """A form post as the API would receive it; the schema then validates it exactly as for the API."""
    out: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        if name == "facts_for_tier":
            out[name] = _fact_values(data, facts)
        elif name == "version":
            out[name] = data.get("version") or None
        elif info.annotation is bool:
            out[name] = name in data
        elif get_origin(info.annotation) is list:
            out[name] = data.getlist(name)
        elif data.get(name, "") != "" or info.is_required():
            out[name] = data.get(name, "")
    return out


class OfficerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}（{obj.org_unit.short_name}，执法证 {obj.certificate_no}）"


class RegisterForm(forms.Form):
    """案源登记: what an officer fills in at the roadside or the desk, in about a minute."""

    source = forms.ChoiceField(label="案源", choices=Source.choices, initial=Source.INSPECTION)
    violation_code = forms.ChoiceField(label="违法行为")
    occurred_at = forms.DateTimeField(
        label="违法时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label="违法地点", max_length=200)
    vehicle_plate = forms.CharField(label="车牌号", max_length=20, required=False)
    vessel_name = forms.CharField(label="船名", max_length=60, required=False)
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    party_name = forms.CharField(label="当事人", max_length=200)
    party_id_no = forms.CharField(label="身份证件号/统一社会信用代码", max_length=40)
    party_address = forms.CharField(label="住所", max_length=200, required=False)
    party_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 4}))
    officers = OfficerChoice(
        label="承办执法人员", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, officers: Any, violations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["officers"]).queryset = officers
        cast(forms.ChoiceField, self.fields["violation_code"]).choices = violations

    def clean_occurred_at(self) -> Any:
        value = self.cleaned_data["occurred_at"]
        if value and value > timezone.now():
            raise forms.ValidationError("违法时间不能晚于当前时间。")
        return value
