"""Base of every `jiafa` command: `--json` output, and refusals printed to stderr with exit code 2."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jiafa.core.errors import JiafaError


class JiafaCommand(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出结果")

    @staticmethod
    def add_json_flag(subparser: argparse.ArgumentParser) -> None:
        """`--json` also after a subcommand (`jiafa law calendar show 2026 --json`)."""
        subparser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="以 JSON 输出")

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except JiafaError as e:
            if options.get("json"):
                self.stderr.write(json.dumps(e.as_dict(), ensure_ascii=False))
            else:
                self.stderr.write(f"错误：{e.message}（{e.code}）")
            sys.exit(2)

    def emit(self, options: dict[str, Any], data: dict[str, Any], text: str) -> None:
        """Print `data` as one JSON object under --json, else the human-readable `text`."""
        self.stdout.write(json.dumps(data, ensure_ascii=False) if options["json"] else text)
