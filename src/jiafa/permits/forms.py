"""The application form of the web page; refusals of its content come from actions (same as the API)."""

from __future__ import annotations

from django import forms

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.permits.actions import ApplicationInput
from jiafa.simulate.world import roads


def _places() -> list[tuple[str, str]]:
    """The road network's points, named by road: where an application may start or end."""
    return [
        (f"{lat},{lon}", f"{road.code} {road.name} 第{i + 1}点（{lat:.3f}, {lon:.3f}）")
        for road in roads().values()
        for i, (lat, lon) in enumerate(road.points)
    ]


def _numbers(text: str, what: str) -> list[float]:
    try:
        return [float(part) for part in text.replace("，", ",").split(",") if part.strip()]
    except ValueError as e:
        raise JiafaError(ErrorCode.AXLE_LAYOUT_INVALID, f"{what}应为以逗号分隔的数字") from e


class ApplicationForm(forms.Form):
    applicant_name = forms.CharField(label="申请人", max_length=200)
    applicant_credit_code = forms.CharField(label="统一社会信用代码", max_length=18)
    contact_phone = forms.CharField(label="联系电话", max_length=30)
    tractor_plate = forms.CharField(label="牵引车（货车）号牌", max_length=20)
    trailer_plate = forms.CharField(label="挂车号牌", max_length=20, required=False)
    combination = forms.BooleanField(label="汽车列车（牵引车加挂车）", required=False, initial=True)
    axle_loads_kn = forms.CharField(
        label="各轴轴荷（kN，自前轴起，逗号分隔）", help_text="如 60,110,110,110,110,110"
    )
    axle_spacings_m = forms.CharField(label="相邻轴距（米，逗号分隔，比轴数少一个）", required=False)
    gross_kg = forms.IntegerField(label="车货总质量（千克）")
    height_m = forms.FloatField(label="车货总高（米）")
    width_m = forms.FloatField(label="车货总宽（米）")
    length_m = forms.FloatField(label="车货总长（米）")
    cargo = forms.CharField(label="货物名称", max_length=200)
    origin = forms.ChoiceField(label="起点", choices=_places)
    destination = forms.ChoiceField(label="终点", choices=_places)
    travel_from = forms.DateField(label="通行起始日", widget=forms.DateInput(attrs={"type": "date"}))
    travel_to = forms.DateField(label="通行截止日", widget=forms.DateInput(attrs={"type": "date"}))
    cross_province = forms.BooleanField(label="跨省运输", required=False)

    def application(self) -> ApplicationInput:
        d = self.cleaned_data
        labels = dict(_places())

        def place(value: str) -> tuple[float, float]:
            lat, lon = value.split(",")
            return float(lat), float(lon)

        return ApplicationInput(
            applicant_name=d["applicant_name"],
            applicant_credit_code=d["applicant_credit_code"],
            contact_phone=d["contact_phone"],
            tractor_plate=d["tractor_plate"],
            trailer_plate=d["trailer_plate"],
            combination=d["combination"],
            axle_loads_kn=_numbers(d["axle_loads_kn"], "轴荷"),
            axle_spacings_m=_numbers(d["axle_spacings_m"], "轴距"),
            gross_kg=d["gross_kg"],
            height_m=d["height_m"],
            width_m=d["width_m"],
            length_m=d["length_m"],
            cargo=d["cargo"],
            origin_name=labels[d["origin"]],
            origin=place(d["origin"]),
            destination_name=labels[d["destination"]],
            destination=place(d["destination"]),
            travel_from=d["travel_from"],
            travel_to=d["travel_to"],
            cross_province=d["cross_province"],
        )
