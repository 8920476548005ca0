import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand
from jiafa.law import schedules
from jiafa.law.calendar import NoScheduleError


class Command(JiafaCommand):
    help = "法规库：calendar load FILE 导入某年节假日安排；calendar show YEAR 显示该年的调休与节假日"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="topic", required=True)
        cal = sub.add_parser("calendar", help="工作日历")
        cal_sub = cal.add_subparsers(dest="calendar_command", required=True)
        load = cal_sub.add_parser("load", help="导入国务院公布的某年节假日安排（JSON）")
        load.add_argument("path", type=Path)
        show = cal_sub.add_parser("show", help="显示某年的节假日与调休上班日")
        show.add_argument("year", type=int)
        for leaf in (load, show):
            self.add_json_flag(leaf)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["calendar_command"] == "load":
            self._load(options)
        else:
            self._show(options)

    def _load(self, options: dict[str, Any]) -> None:
        path: Path = options["path"]
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise JiafaError(ErrorCode.SCHEDULE_INVALID, f"无法读取 {path}：{e}") from e
        row = schedules.load(document, loaded_by="命令行")
        self.emit(
            options,
            {"year": row.year, "source": row.source},
            f"已导入 {row.year} 年节假日安排（{row.source}）。",
        )

    def _show(self, options: dict[str, Any]) -> None:
        year: int = options["year"]
        cal = schedules.calendar()
        if year not in cal.years:
            raise JiafaError(ErrorCode.NO_SCHEDULE, str(NoScheduleError(year)))
        holidays = sorted(d for d in cal.holidays if d.year == year)
        workdays = sorted(d for d in cal.workdays if d.year == year)
        data = {
            "year": year,
            "holidays": [d.isoformat() for d in holidays],
            "workdays": [d.isoformat() for d in workdays],
        }
        text = (
            f"{year} 年：放假 {len(holidays)} 天，调休上班 {len(workdays)} 天\n"
            f"调休上班日：{'、'.join(d.strftime('%m-%d') for d in workdays) or '无'}"
        )
        self.emit(options, data, text)
