import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from jiafa.core import audit, orgdata
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand


class Command(JiafaCommand):
    help = "组织机构：load FILE 按机构代码导入或更新机构树（不删除已有机构）"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("subcommand", choices=["load"])
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise JiafaError(ErrorCode.ORG_DATA_INVALID, f"无法读取 {path}：{e}") from e
        count = orgdata.load(data)
        audit.record("org.load", object_type="file", object_id=path.name, detail={"units": count})
        self.emit(options, {"units": count}, f"已导入 {count} 个机构。")
