from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand
from jiafa.law import overload
from jiafa.law.book import rulebook
from jiafa.overload import pipeline, records
from jiafa.overload.models import IngestBatch


class Command(JiafaCommand):
    help = (
        "非现场治超：assess 对一次称重作出超限认定（限值、超限量、处罚与依据）；ingest 导入动态称重记录；"
        "detect 将新的有效记录生成疑似超限线索"
    )

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
        ingest = sub.add_parser("ingest", help="导入动态称重记录文件（CSV 或 Parquet，可多个）")
        ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="记录文件")
        self.add_json_flag(ingest)
        detect = sub.add_parser("detect", help="将尚未检查的有效记录生成疑似超限线索（每个行程一条）")
        self.add_json_flag(detect)

    def handle(self, *args: Any, **options: Any) -> None:
        {"assess": self._assess, "ingest": self._ingest, "detect": self._detect}[options["overload_command"]](
            options
        )

    def _assess(self, options: dict[str, Any]) -> None:
        measured_on = _measured_on(options["date"])
        vehicle = overload.Vehicle(options["axles"], options["combination"], options["single_drive_axle"])
        measurement = overload.Measurement(options["measurement"])
        result = overload.assess(vehicle, options["gross_kg"], measurement, rulebook(), measured_on)
        self.emit(options, result.as_dict(), _summary(result))

    def _ingest(self, options: dict[str, Any]) -> None:
        batches: list[IngestBatch] = []
        for path in options["paths"]:
            try:
                batches.append(pipeline.ingest_path(path))
            except JiafaError as e:
                if batches:  # the files before this one are in: say so, or the user would load them again
                    e.message += f"（此前的文件已导入：{'、'.join(b.name for b in batches)}）"
                raise
        rejected: dict[str, int] = {}
        for b in batches:
            for reason, n in b.rejected.items():
                rejected[reason] = rejected.get(reason, 0) + n
        total = sum(b.records for b in batches)
        accepted = sum(b.accepted for b in batches)
        duplicates = sum(b.duplicates for b in batches)
        data = {
            "files": [_batch_json(b) for b in batches],
            "records": total,
            "accepted": accepted,
            "duplicates": duplicates,
            "rejected": rejected,
        }
        lines = [_batch_line(b.name, b.records, b.accepted, b.duplicates, b.rejected) for b in batches]
        if len(batches) > 1:
            lines.append(_batch_line("合计", total, accepted, duplicates, rejected))
        self.emit(options, data, "\n".join(lines))

    def _detect(self, options: dict[str, Any]) -> None:
        result = pipeline.detect()
        text = (
            f"检查新记录 {result.examined} 条（{result.files} 个文件），其中超限 {result.violations} 条；"
            f"新增疑似超限线索 {result.findings_created} 条，更新已有线索 {result.findings_updated} 条"
        )
        self.emit(options, result.as_dict(), text)


def _batch_json(b: IngestBatch) -> dict[str, Any]:
    return {
        "batch": b.pk,
        "name": b.name,
        "sha256": b.sha256,
        "records": b.records,
        "accepted": b.accepted,
        "duplicates": b.duplicates,
        "rejected": b.rejected,
    }


def _batch_line(name: str, total: int, accepted: int, duplicates: int, rejected: dict[str, int]) -> str:
    line = (
        f"{name}：共 {total} 条，接收 {accepted} 条，重复 {duplicates} 条，无效 {sum(rejected.values())} 条"
    )
    if rejected:
        reasons = "；".join(f"{records.Reason(r).label} {n}" for r, n in sorted(rejected.items()))
        line += f"（{reasons}）"
    return line


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
