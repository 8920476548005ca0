from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand
from jiafa.waterway import actions, nmea, pipeline


class Command(JiafaCommand):
    help = (
        "水网睿控：ingest 导入 AIS（NMEA 0183 或 MarineCadastre CSV）与卡口抓拍记录；detect 生成疑似违法线索"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="waterway_command", required=True)
        ingest = sub.add_parser("ingest", help="导入 AIS 或卡口记录文件（可多个）")
        ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="文件")
        ingest.add_argument(
            "--received-at",
            help="接收时间（ISO 8601，含时区），用于没有标签块时间的 NMEA 语句；不给时这些语句不予导入",
        )
        self.add_json_flag(ingest)
        detect = sub.add_parser(
            "detect",
            help="对上次检测以来新导入的轨迹与卡口记录（及各规则所需的前后数据）运行检测规则，生成疑似违法线索",
        )
        detect.add_argument("--all", action="store_true", help="重新检查湖中全部数据，而不只是新导入的日期")
        self.add_json_flag(detect)

    def handle(self, *args: Any, **options: Any) -> None:
        {"ingest": self._ingest, "detect": self._detect}[options["waterway_command"]](options)

    def _detect(self, options: dict[str, Any]) -> None:
        result = actions.detect(everything=options["all"])
        if not result.days:
            self.emit(options, result.as_dict(), "上次检测以来没有新导入的数据")
            return
        text = (
            f"检查 {result.days[0]} 至 {result.days[-1]} 的新数据（{len(result.days)} 天）："
            f"AIS 位置 {result.positions} 条、卡口记录 {result.passages} 条；检出 {result.found} 条，"
            f"新增疑似违法线索 {result.created} 条，更新 {result.updated} 条"
        )
        self.emit(options, result.as_dict(), text)

    def _ingest(self, options: dict[str, Any]) -> None:
        default_time = _received_at(options["received_at"])
        results: list[pipeline.FileResult] = []
        for path in options["paths"]:
            try:
                results.append(pipeline.ingest_path(path, default_time=default_time))
            except JiafaError as e:
                if results:  # the files before this one are in: say so, or the user would load them again
                    e.message += f"（此前的文件已导入：{'、'.join(r.name for r in results)}）"
                raise
        rejected: dict[str, int] = {}
        for r in results:
            for reason, n in r.rejected.items():
                rejected[reason] = rejected.get(reason, 0) + n
        totals = {
            k: sum(getattr(r, k) for r in results) for k in ("messages", "positions", "static", "passages")
        }
        duplicates = sum(r.duplicates for r in results)
        data = {
            "files": [r.as_dict() for r in results],
            **totals,
            "duplicates": duplicates,
            "rejected": rejected,
        }
        self.emit(options, data, "\n".join(_line(r) for r in results))


def _line(r: pipeline.FileResult) -> str:
    line = (
        f"{r.name}：{r.messages} 条消息，新增位置 {r.positions} 条、静态信息 {r.static} 条、"
        f"卡口记录 {r.passages} 条，重复 {r.duplicates} 条，无效 {sum(r.rejected.values())} 条"
    )
    if r.rejected:
        line += "（" + "；".join(f"{_label(k)} {n}" for k, n in sorted(r.rejected.items())) + "）"
    return line


def _label(reason: str) -> str:
    try:
        return nmea.Reason(reason).label
    except ValueError:
        return reason


def _received_at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"接收时间应为 ISO 8601 格式（含时区），收到 {text}") from e
    if moment.tzinfo is None:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"接收时间须注明时区（如 +08:00），收到 {text}")
    return moment
