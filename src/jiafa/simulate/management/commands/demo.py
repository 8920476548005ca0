import gc
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import CommandParser
from django.db import transaction
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jiafa.core import orgdata
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand
from jiafa.core.models import OrgUnit, User
from jiafa.core.roles import Role
from jiafa.overload.pipeline import lake_root
from jiafa.simulate import world as world_model
from jiafa.simulate.models import DemoWorld
from jiafa.simulate.people import DEMO_PASSWORD, staff
from jiafa.simulate.year import Year, summary

DEFAULT_SCALE = 0.01
MAX_SCALE = 2.0
FIRST_YEAR = 2021  # the first year the rulebook covers whole
SUMMARY_LABELS = {
    "findings": "疑似超限线索",
    "confirmed": "初审确认",
    "dismissed": "初审排除",
    "cases_registered": "登记案件",
    "penalty": "行政处罚案件（作出处罚决定）",
    "non_site": "其中非现场执法",
    "non_site_share": "非现处罚占比",
    "large_fine": "罚款 1 万元以上",
    "suspension_order": "责令停业整顿",
    "court_application": "申请法院强制执行",
    "criminal_transfer": "移送公安机关（行刑衔接）",
    "first_violation_exemption": "首违免罚",
    "open_cases": "年末在办案件",
    "ais_positions": "AIS 船位（导入）",
    "checkpoint_passages": "水上卡口抓拍记录",
    "waterway_findings": "水网疑似违法线索",
    "waterway_checked": "核查疑似违法船舶",
    "waterway_confirmed": "其中核查属实（登记案源）",
    "waterway_handed_over": "其中移交其他部门",
    "waterway_dismissed": "其中核查排除",
    "waterway_cases": "水网监测立案",
    "permit_applications": "大件运输许可申请",
    "permits_granted": "准予许可",
    "permits_refused": "不予许可",
    "steps": "办案与初审操作",
}
ORG_FILE = Path(__file__).resolve().parents[3] / "core" / "data" / "org_units" / "jiaxing.json"


class Command(JiafaCommand):
    help = "构建演示环境（嘉兴市交通运输局的机构与人员），并列出演示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--seed", type=int, default=2023, help="随机种子：同一种子得到同一个演示世界")
        parser.add_argument(
            "--scale",
            type=float,
            default=DEFAULT_SCALE,
            help=f"规模：1 为嘉兴一年的真实量级，默认 {DEFAULT_SCALE}；0 只建机构与人员",
        )
        parser.add_argument("--year", type=int, default=2023, help="模拟的年份，默认 2023（报告所述年度）")
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
            if not 0 <= options["scale"] <= MAX_SCALE:
                raise JiafaError(ErrorCode.INVALID_INPUT, f"规模应在 0 到 {MAX_SCALE} 之间")
            if not FIRST_YEAR <= options["year"] < timezone.localdate().year:
                raise JiafaError(
                    ErrorCode.INVALID_INPUT, f"年份应在 {FIRST_YEAR} 年到去年之间（模拟的是已过完的一年）"
                )
            world = self._build(options["seed"])
            if options["scale"] > 0:
                self._simulate(world, options["scale"], options["year"], quiet=options["json"])
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
                {
                    "seed": world.seed if world else None,
                    "scale": world.scale if world else None,
                    "year": world.year if world else None,
                    "summary": world.summary if world else {},
                    "password": DEMO_PASSWORD,
                    "accounts": accounts,
                },
                "",
            )
        else:
            if world and world.summary:
                self._print_summary(world)
            self._print_accounts(accounts)

    def _reset(self, world: DemoWorld | None) -> None:
        if world is None and OrgUnit.objects.exists():
            raise JiafaError(ErrorCode.CONFLICT, "数据库不是演示环境，拒绝清空")
        call_command("flush", interactive=False, verbosity=0)
        shutil.rmtree(settings.EVIDENCE_DIR, ignore_errors=True)
        shutil.rmtree(lake_root(), ignore_errors=True)
        shutil.rmtree(Path(settings.DATA_DIR) / "demo", ignore_errors=True)

    @transaction.atomic
    def _build(self, seed: int) -> DemoWorld:
        import json

        orgdata.load(json.loads(ORG_FILE.read_text(encoding="utf-8")))
        units = {u.code: u for u in OrgUnit.objects.all()}
        password = make_password(DEMO_PASSWORD)
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
            user.password = password  # one hash for all: the same password, and hashing is slow on purpose
            user.save()
        return DemoWorld.objects.create(seed=seed)

    def _simulate(self, world: DemoWorld, scale: float, year: int, *, quiet: bool) -> None:
        """The world and a year of it, through the real pipelines and case actions (simulate/year.py)."""
        console = Console(stderr=True, quiet=quiet)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("构建演示世界", total=None)
            built = world_model.build(world.seed, scale)
            simulation = Year(built, year)
            simulation.register_world()
            progress.update(task, total=1, completed=1)
            days = progress.add_task(
                f"模拟 {year} 年（称重与 AIS 数据导入、线索初审与核查、案件办理）", total=365
            )
            simulation.progress = lambda _what, done, total: progress.update(
                days, completed=done, total=total
            )
            gc.freeze()  # the world's millions of objects live through the year: out of the collector's way
            try:
                tally = simulation.run()
            finally:
                gc.unfreeze()
        world.scale, world.year = scale, year
        world.summary = {
            **summary(year),
            "wim_files": tally.files,
            "steps": tally.steps,
            "refused": dict(tally.refused.most_common(20)),
            "seconds": {part: round(t, 1) for part, t in sorted(tally.seconds.items(), key=lambda p: -p[1])},
        }
        world.save()

    def _print_summary(self, world: DemoWorld) -> None:
        table = Table(title=f"演示世界：{world.year} 年，规模 {world.scale:g}，种子 {world.seed}")
        table.add_column("项目")
        table.add_column("数量", justify="right")
        for key, label in SUMMARY_LABELS.items():
            value = world.summary.get(key)
            table.add_row(label, f"{value:.2%}" if isinstance(value, float) else str(value))
        Console().print(table)

    def _print_accounts(self, accounts: list[dict[str, str]]) -> None:
        console = Console()
        table = Table(title=f"演示账号（密码均为 {DEMO_PASSWORD}）", show_lines=False)
        for col in ("用户名", "姓名", "单位", "角色"):
            table.add_column(col)
        for a in accounts:
            table.add_row(a["username"], a["name"], a["unit"], a["role"])
        console.print(table)
