from django.apps import AppConfig


class OverloadConfig(AppConfig):
    name = "jiafa.overload"
    verbose_name = "非现场治超"

    def ready(self) -> None:
        from jiafa.core import audit

        audit.LABELS.update(
            {
                "followup.open": "生成后续处理事项",
                "followup.done": "办结后续处理事项",
                "followup.refresh": "更新一超四罚计数",
                "finding.confirm": "初审确认线索",
                "finding.dismiss": "初审排除线索",
                "vehicle.add": "登记车辆",
                "overload.ingest": "导入称重记录",
                "overload.detect": "检测疑似超限",
            }
        )
        audit.OBJECT_LABELS.update(
            {
                "overload.followup": "后续处理事项",
                "overload.wimstation": "治超站点",
                "overload.calibration": "检定证书",
                "overload.finding": "疑似超限线索",
                "overload.vehicle": "车辆",
                "overload.ingestbatch": "称重记录批次",
            }
        )
