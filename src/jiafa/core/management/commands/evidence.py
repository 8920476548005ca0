import sys
from typing import Any

from django.core.management.base import CommandParser

from jiafa.core import evidence
from jiafa.core.management.base import JiafaCommand


class Command(JiafaCommand):
    help = "证据库：verify 重新计算每个证据文件的 SHA-256，发现缺失或被改动时以非零状态退出"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = evidence.verify()
        data = {
            "ok": not problems,
            "checked": checked,
            "problems": [{"sha256": p.sha256, "reason": p.reason} for p in problems],
        }
        lines = [f"证据文件共 {checked} 个，异常 {len(problems)} 个。"]
        lines += [f"  {p.sha256}：{p.reason}" for p in problems]
        self.emit(options, data, "\n".join(lines))
        if problems:
            sys.exit(1)
