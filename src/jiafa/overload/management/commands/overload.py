from datetime import date
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand
from jiafa.law import overload
from jiafa.law.book import rulebook


class Command(JiafaCommand):
    help = "非现场治超：assess 对一次称重作出超限认定（限值、超限量、处罚与依据）"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="overload_command", required=True)
        assess = sub.add_parser("assess", help="单车超限认定")
        assess.add_argument("--axles", type=int, required=True, help="轴数（轴组按其轴数计）")
        assess.add_argument("--combination", action="store_true", help="汽车列车（牵引车加挂车）")
        assess.add_argument(
            "--single-drive-axle", action="store_true", help="牵引车驱动轴为单轴（六轴及以上汽车列车）"
        )
        assess.add_argument("--gross-kg", type=int, required=True, help="车货总质量（千克）")
        assess.add_argument(
            "--measurement",
            choices=[str(m) for m in overload.Measurement],
            default=str(overload.Measurement.STATIC),
            help="static 静态称重（默认）；wim 动态称重，扣除计量误差后认定",
        )
        assess.add_argument("--date", help="称重日期 YYYY-MM-DD，默认今天")
        self.add_json_flag(assess)

    def handle(self, *args: Any, **options: Any) -> None:
        self._assess(options)

    def _assess(self, options: dict[str, Any]) -> None:
        measured_on = _measured_on(options["date"])
        vehicle = overload.Vehicle(options["axles"], options["combination"], options["single_drive_axle"])
        measurement = overload.Measurement(options["measurement"])
        result = overload.assess(vehicle, options["gross_kg"], measurement, rulebook(), measured_on)
        self.emit(options, result.as_dict(), _summary(result))


def _measured_on(text: str | None) -> date:
    today = timezone.localdate()
    if text is None:
        return today
    try:
        day = date.fromisoformat(text)
    except ValueError as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"称重日期应为 YYYY-MM-DD，收到 {text}") from e
    if day > today:
        raise JiafaError(ErrorCode.MEASURED_IN_FUTURE)
    return day


def _summary(result: overload.Assessment) -> str:
    verdict = {
        overload.Outcome.NONE: "未超限",
        overload.Outcome.WARNING: "超限，予以警告",
        overload.Outcome.FINE: f"超限，罚款 {result.fine_yuan} 元",
    }[result.outcome]
    basis = "；".join(f"《{b['law']}》{b['article']}" for b in result.basis)
    return f"结论：{verdict}\n{result.explanation}\n依据：{basis}"
