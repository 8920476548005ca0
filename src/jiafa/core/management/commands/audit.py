import sys
from typing import Any

from django.core.management.base import CommandParser

from jiafa.core import audit
from jiafa.core.management.base import JiafaCommand


class Command(JiafaCommand):
    help = "审计日志：verify 重算哈希链，发现被改动或删除的记录时以非零状态退出"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit.verify()
        data = {
            "ok": result.ok,
            "checked": result.checked,
            "broken_seq": result.broken_seq,
            "reason": result.reason,
        }
        text = (
            f"审计日志完整：共校验 {result.checked} 条。"
            if result.ok
            else f"审计日志被破坏：{result.reason}。此前 {result.checked} 条完好。"
        )
        self.emit(options, data, text)
        if not result.ok:
            sys.exit(1)
