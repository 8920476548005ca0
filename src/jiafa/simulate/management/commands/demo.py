import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser
from django.db import transaction
from rich.console import Console
from rich.table import Table

from jiafa.core import orgdata
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand
from jiafa.core.models import OrgUnit, User
from jiafa.core.roles import Role
from jiafa.simulate.models import DemoWorld
from jiafa.simulate.people import DEMO_PASSWORD, staff

ORG_FILE = Path(__file__).resolve().parents[3] / "core" / "data" / "org_units" / "jiaxing.json"


class Command(JiafaCommand):
    help = "构建演示环境（嘉兴市交通运输局的机构与人员），并列出演示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--seed", type=int, default=2023, help="随机种子：同一种子得到同一个演示世界")
        parser.add_argument("--reset", action="store_true", help="清空演示数据库后重建")
        parser.add_argument("--if-empty", action="store_true", help="数据库已有数据时只列出账号")

    def handle(self, *args: Any, **options: Any) -> None:
        world = DemoWorld.objects.first()
        if options["reset"]:
            self._reset(world)
            world = None
        if world is None and OrgUnit.objects.exists():
            if not options["if_empty"]:
                raise JiafaError(ErrorCode.CONFLICT, "数据库中已有非演示数据，拒绝在其上构建演示环境")
        elif world is None:
            world = self._build(options["seed"])
        accounts = (
            [
                {
                    "username": u.username,
                    "name": u.full_name,
                    "unit": u.org_unit.short_name if u.org_unit else "",
                    "role": Role(u.role).label,
                }
                for u in User.objects.filter(username__in=[p.username for p in staff(world.seed)])
                .select_related("org_unit")
                .order_by("id")
            ]
            if world
            else []
        )
        if options["json"]:
            self.emit(
                options,
                {"seed": world.seed if world else None, "password": DEMO_PASSWORD, "accounts": accounts},
                "",
            )
        else:
            self._print_accounts(accounts)

    def _reset(self, world: DemoWorld | None) -> None:
        if world is None and OrgUnit.objects.exists():
            raise JiafaError(ErrorCode.CONFLICT, "数据库不是演示环境，拒绝清空")
        call_command("flush", interactive=False, verbosity=0)
        shutil.rmtree(settings.EVIDENCE_DIR, ignore_errors=True)

    @transaction.atomic
    def _build(self, seed: int) -> DemoWorld:
        import json

        orgdata.load(json.loads(ORG_FILE.read_text(encoding="utf-8")))
        units = {u.code: u for u in OrgUnit.objects.all()}
        for p in staff(seed):
            user = User(
                username=p.username,
                full_name=p.full_name,
                org_unit=units[p.unit_code],
                role=p.role,
                certificate_no=p.certificate_no,
                is_staff=p.role == Role.ADMIN,
                is_superuser=p.role == Role.ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        return DemoWorld.objects.create(seed=seed)

    def _print_accounts(self, accounts: list[dict[str, str]]) -> None:
        console = Console()
        table = Table(title=f"演示账号（密码均为 {DEMO_PASSWORD}）", show_lines=False)
        for col in ("用户名", "姓名", "单位", "角色"):
            table.add_column(col)
        for a in accounts:
            table.add_row(a["username"], a["name"], a["unit"], a["role"])
        console.print(table)
