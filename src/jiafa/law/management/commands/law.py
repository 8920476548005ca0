import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand
from jiafa.law import catalogue, deadlines, schedules, violations
from jiafa.law.book import rulebook
from jiafa.law.calendar import NoScheduleError
from jiafa.law.models import ViolationType


class Command(JiafaCommand):
    help = (
        "法规库：calendar load FILE 导入某年节假日安排；calendar show YEAR 显示该年的调休与节假日；"
        "deadline KIND START 计算法定期限；late-fee --fine 元 --due 日期 --paid 日期 计算加处罚款；"
        "violations load FILE 导入违法行为库；violations list 列出施行中的违法行为库"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="topic", required=True)
        cal = sub.add_parser("calendar", help="工作日历")
        cal_sub = cal.add_subparsers(dest="calendar_command", required=True)
        load = cal_sub.add_parser("load", help="导入国务院公布的某年节假日安排（JSON）")
        load.add_argument("path", type=Path)
        show = cal_sub.add_parser("show", help="显示某年的节假日与调休上班日")
        show.add_argument("year", type=int)
        deadline = sub.add_parser("deadline", help="计算法定期限")
        deadline.add_argument(
            "kind", help="期限类型：" + "；".join(f"{k.value}：{k.label}" for k in deadlines.DeadlineKind)
        )
        deadline.add_argument("start", help="起算日 YYYY-MM-DD（当日不计入）")
        fee = sub.add_parser("late-fee", help="计算加处罚款")
        fee.add_argument("--fine", required=True, help="罚款数额（元，整数）")
        fee.add_argument("--due", required=True, help="缴款期限的最后一日 YYYY-MM-DD")
        fee.add_argument("--paid", required=True, help="实际缴纳之日 YYYY-MM-DD")
        fee.add_argument(
            "--paused",
            action="append",
            default=[],
            metavar="起始日/结束日",
            help="行政复议或诉讼期间（起止日均含），不计加处罚款；可重复",
        )
        for leaf in (load, show, deadline, fee):
            self.add_json_flag(leaf)
        self._add_violations_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["topic"] == "violations":
            self._violations(options)
        elif options["topic"] == "deadline":
            self._deadline(options)
        elif options["topic"] == "late-fee":
            self._late_fee(options)
        elif options["calendar_command"] == "load":
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

    def _deadline(self, options: dict[str, Any]) -> None:
        kind = deadlines.parse_kind(options["kind"])
        start = deadlines.parse_day(options["start"], "起算日")
        result = deadlines.deadline(kind, start, schedules.calendar(), rulebook())
        text = (
            f"{result.label_zh}：{result.due.isoformat()}（{result.due_label_zh}）\n"
            f"起算日：{start.isoformat()}，即{result.start_label_zh}；期间：{result.period_zh}\n"
            f"{result.explanation_zh}\n依据：{_cite(result.basis)}"
        )
        self.emit(options, result.as_json(), text)

    def _late_fee(self, options: dict[str, Any]) -> None:
        result = deadlines.late_fee(
            deadlines.parse_fine(options["fine"]),
            deadlines.parse_day(options["due"], "缴款期限"),
            deadlines.parse_day(options["paid"], "缴纳日"),
            rulebook(),
            paused=[deadlines.parse_paused(p) for p in options["paused"]],
        )
        text = f"加处罚款 {result.late_fee_yuan} 元\n{result.explanation_zh}\n依据：{_cite(result.basis)}"
        self.emit(options, result.as_json(), text)

    # --- violations: the violation catalogue (违法行为库), see law/catalogue.py ---------------------------

    def _add_violations_arguments(self, sub: Any) -> None:
        topic = sub.add_parser("violations", help="违法行为库、裁量基准与非现场执法事项库")
        commands = topic.add_subparsers(dest="violations_command", required=True)
        load = commands.add_parser("load", help="导入违法行为库文件（JSON）；内容有变化的事项成为新版本")
        load.add_argument("path", type=Path)
        listing = commands.add_parser("list", help="列出某日施行的违法行为库")
        listing.add_argument("--on", help="日期 YYYY-MM-DD，默认今天")
        listing.add_argument("--domain", choices=[d.value for d in violations.Domain], help="只列出某一领域")
        listing.add_argument("--non-site", action="store_true", help="只列出非现场执法事项库")
        for leaf in (load, listing):
            self.add_json_flag(leaf)

    def _violations(self, options: dict[str, Any]) -> None:
        if options["violations_command"] == "load":
            path: Path = options["path"]
            result = catalogue.load(catalogue.read_file(path), loaded_by="命令行", source=path.name)
            created = "、".join(f"{code} 第{number}版" for code, number in result.created) or "无"
            text = f"已导入 {path.name}：新增版本 {created}；内容未变 {len(result.unchanged)} 项。"
            self.emit(options, result.as_json(), text)
            return
        on = _day(options["on"]) if options["on"] else timezone.localdate()
        non_site = True if options["non_site"] else None
        rows = catalogue.in_force(on=on, domain=options["domain"], non_site=non_site)
        pending = set(catalogue.pending_packaged_updates())
        data = {"on": on.isoformat(), "items": [_violation_json(r, r.code in pending) for r in rows]}
        lines = [f"{on.isoformat()} 施行的违法行为库（{len(rows)} 项）："]
        for r in rows:
            flags = "，".join(
                f
                for f in (
                    violations.DOMAINS[violations.Domain(r.domain)][0],
                    "非现场" if r.non_site else "",
                    "条文已核对" if r.verified else "条文待核对",
                    "有内置新版本未采用" if r.code in pending else "",
                )
                if f
            )
            lines.append(f"{r.code} 第{r.version}版（{r.effective_from.isoformat()}起）{r.name}［{flags}］")
            lines.append(f"    依据：{violations.cite(r.item.penalty_basis)}")
        if pending:
            lines.append(f"内置新版本文件位于 {catalogue.PACKAGED}，如需采用请用 violations load 导入。")
        self.emit(options, data, "\n".join(lines))


# --- violations helpers ----------------------------------------------------------------------------------


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"日期“{text}”应为 YYYY-MM-DD") from e


def _violation_json(row: ViolationType, pending: bool) -> dict[str, Any]:
    return {
        "code": row.code,
        "version": row.version,
        "name": row.name,
        "domain": row.domain,
        "effective_from": row.effective_from.isoformat(),
        "non_site": row.non_site,
        "verified": row.verified,
        "origin": row.origin,
        "basis": row.item.basis,
        "packaged_update_pending": pending,
    }


# --- end of violations -----------------------------------------------------------------------------------


def _cite(basis: list[dict[str, str]]) -> str:
    return "；".join(f"《{b['law']}》{b['article']}" for b in basis)
