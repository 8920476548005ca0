from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from jiafa.core.models import EvidenceItem


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label="文件")
    title = forms.CharField(label="证据名称", max_length=200)
    kind = forms.ChoiceField(label="类别", choices=EvidenceItem.Kind.choices)
    collected_at = forms.DateTimeField(
        label="取证时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def upload(self) -> dict[str, Any]:
        """The file and its fields as the evidence actions take them (after is_valid())."""
        f = self.cleaned_data["file"]
        fields = ("title", "kind", "description", "collected_at")
        return {
            "f": f,
            **{name: self.cleaned_data[name] for name in fields},
            "original_name": f.name,
            "content_type": f.content_type or "",
        }

    def clean_collected_at(self) -> datetime | None:
        value: datetime | None = self.cleaned_data["collected_at"]
        if value and value > timezone.now():
            raise forms.ValidationError("取证时间不能晚于当前时间。")
        return value


class EvidenceEditForm(forms.Form):
    title = forms.CharField(label="证据名称", max_length=200)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)
