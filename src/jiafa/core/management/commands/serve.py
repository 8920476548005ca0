import os
from typing import Any

from django.core.management.base import CommandParser

from jiafa.core.management.base import JiafaCommand


class Command(JiafaCommand):
    help = "启动网页界面和 API 服务（waitress）"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--host", default=os.environ.get("JIAFA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("JIAFA_PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from jiafa.wsgi import application

        self.stdout.write(f"嘉法已启动：http://{options['host']}:{options['port']}/  （Ctrl+C 停止）")
        serve(
            application, host=options["host"], port=options["port"], threads=options["threads"], ident="jiafa"
        )
