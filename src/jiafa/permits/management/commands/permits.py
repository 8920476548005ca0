from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand
from jiafa.core.models import OrgUnit
from jiafa.law.book import rulebook
from jiafa.permits import actions, rules


def _numbers(text: str, what: str) -> list[float]:
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError as e:
        raise JiafaError(ErrorCode.AXLE_LAYOUT_INVALID, f"{what}应为以逗号分隔的数字，收到“{text}”") from e


class Command(JiafaCommand):
    help = (
        "大件运输许可：bridge-check 校核一辆车通过各简支跨（最大弯矩、剪力与公路-I/II级设计效应及荷载红线）；"
        "load-demo-bridges 将演示用的210座重点控制桥梁载入桥梁数据库"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="permits_command", required=True)
        check = sub.add_parser("bridge-check", help="一辆车对若干简支跨的荷载校核")
        check.add_argument(
            "--axles-kn", required=True, help="各轴轴荷（kN，自前轴起，逗号分隔），如 30,120,120"
        )
        check.add_argument("--spacings-m", default="", help="相邻轴距（米，逗号分隔，比轴数少一个）")
        check.add_argument(
            "--span", type=float, action="append", required=True, help="计算跨径（米），可重复"
        )
        check.add_argument("--design-load", default="I", help="设计荷载等级：I、II、公路-I级或旧规范等级")
        check.add_argument("--red-line", type=float, default=1.0, help="荷载红线比值（默认 1）")
        self.add_json_flag(check)
        load = sub.add_parser("load-demo-bridges", help="载入演示桥梁（已有编码的不变）")
        load.add_argument("--unit", help="管辖单位代码，默认最上级单位")
        self.add_json_flag(load)

    def handle(self, *args: Any, **options: Any) -> None:
        {"bridge-check": self._check, "load-demo-bridges": self._load}[options["permits_command"]](options)

    def _check(self, options: dict[str, Any]) -> None:
        today, book = timezone.localdate(), rulebook()
        vehicle = rules.Vehicle.of(
            _numbers(options["axles_kn"], "轴荷"), _numbers(options["spacings_m"], "轴距")
        )
        design_load, _ = rules.resolve_design_load(options["design_load"], book, today)
        spans = [rules.Span(length, design_load, options["red_line"]) for length in options["span"]]
        results = rules.check(vehicle, spans, rules.LaneLoad.in_force(book, today))
        data = {"passes": all(r.passes for r in results), "bridges": [r.as_dict() for r in results]}
        self.emit(options, data, "\n".join(r.explanation for r in results))

    def _load(self, options: dict[str, Any]) -> None:
        units = (
            OrgUnit.objects.filter(code=options["unit"])
            if options["unit"]
            else OrgUnit.objects.filter(parent=None)
        )
        unit = units.order_by("code").first()
        if unit is None:
            raise JiafaError(ErrorCode.NOT_FOUND, "没有该单位；请先载入组织机构（jiafa org load）")
        added = actions.load_demo_bridges(unit)
        self.emit(options, {"added": added, "unit": unit.code}, f"已载入 {added} 座桥梁（{unit.name}）")
