"""`jiafa report annual --year Y --format json|docx [--unit CODE] [--output PATH]`: the annual report."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils import timezone

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand
from jiafa.reports import annual, document
from jiafa.reports.figures import scope_of


def write_atomically(path: Path, data: bytes) -> None:
    """The whole file or nothing: a hidden temporary file in the same folder, renamed into place."""
    if not path.parent.is_dir():
        raise JiafaError(ErrorCode.INVALID_INPUT, f"输出目录“{path.parent}”不存在")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Command(JiafaCommand):
    help = (
        "统计与年报：annual --year 年度 --format json|docx [--unit 机构代码] [--output 文件] "
        "生成年度法治政府建设报告"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="topic", required=True)
        report = sub.add_parser("annual", help="年度法治政府建设报告的数据与开篇段落")
        report.add_argument("--year", required=True, help="年度，如 2026（当年为截至今日）")
        report.add_argument("--format", default="json", help="json（默认）或 docx（可编辑的 Word 文档）")
        report.add_argument("--unit", default="", help="机构代码：只统计该单位及其下级；默认全局")
        report.add_argument(
            "--output", "--out", dest="output", default="", help="输出文件；json 默认输出到屏幕"
        )
        self.add_json_flag(report)

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = annual.check_format(options["format"])
        scope = scope_of(options["unit"] or None)
        report = annual.build(scope, options["year"], today=timezone.localdate())
        if fmt == "json" and not options["output"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=None if options["json"] else 2))
            return
        data = (
            json.dumps(report, ensure_ascii=False, indent=2).encode()
            if fmt == "json"
            else document.render(report)
        )
        default = Path(settings.DATA_DIR) / "exports" / f"annual-{report['year']}-{scope.unit.code}.{fmt}"
        if not options["output"]:
            default.parent.mkdir(parents=True, exist_ok=True)
        path = Path(options["output"]) if options["output"] else default
        write_atomically(path, data)
        self.emit(
            options,
            {
                "path": str(path),
                "format": fmt,
                "year": report["year"],
                "unit": scope.unit.code,
                "bytes": len(data),
            },
            f"已生成{report['year']}年度报告（{scope.unit.name}）：{path}",
        )
