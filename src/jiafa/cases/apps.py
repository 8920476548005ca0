from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jiafa.cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from jiafa.cases.states import TRANSITIONS
        from jiafa.core import audit

        audit.LABELS.update(
            {f"case.{t.action}": t.label for t in TRANSITIONS}
            | {
                "case.register": "登记案源",
                "case.party_lookup": "当事人在线查询案件",
                "case.defence_submitted": "当事人在线陈述申辩",
                "lookup_failed": "案件查询失败",
                "case.remedy": "登记行政复议或诉讼",
                "case.remedy_result": "登记复议或诉讼结果",
            }
        )
        audit.OBJECT_LABELS["cases.case"] = "案件"
