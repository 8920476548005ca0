from datetime import date
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand
from jiafa.overload import followups
from jiafa.overload.models import FollowUp


class Command(JiafaCommand):
    help = "一超四罚与抄告：refresh 按最近一年已确认的超限线索和已结案件生成后续处理事项（可重复运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="followups_command", required=True)
        refresh = sub.add_parser("refresh", help="更新计数，生成吊销营运证、停业整顿、抄告登记地事项")
        refresh.add_argument("--date", help="统计截止日 YYYY-MM-DD，默认今天")
        self.add_json_flag(refresh)

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        on = _day(options["date"]) if options["date"] else today
        if on > today:
            raise JiafaError(ErrorCode.INVALID_INPUT, "统计截止日不能晚于今天")
        result = followups.refresh_counters(on)
        data = result.as_json()
        lines = [f"统计期间 {result.window.first} 至 {result.window.last}"]
        lines += [f"新增{FollowUp.Kind(k).label}：{n} 项" for k, n in data["opened"].items() if n]
        if not result.opened:
            lines.append("没有新增事项")
        if result.unknown_region:
            lines.append(
                "车辆登记地不明、无法判断是否需要抄告的已结案件：" + "、".join(result.unknown_region)
            )
        self.emit(options, data, "\n".join(lines))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"日期应为 YYYY-MM-DD，收到 {text}") from e
