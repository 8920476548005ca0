from django.apps import AppConfig


class WaterwayConfig(AppConfig):
    name = "jiafa.waterway"
    verbose_name = "水网睿控"

    def ready(self) -> None:
        from jiafa.core import audit

        audit.LABELS.update(
            {
                "waterway.ingest": "导入 AIS 与卡口记录",
                "waterway.detect": "水网线索检测",
                "finding.waterway.confirm": "核查确认水网线索",
                "finding.waterway.hand_over": "核查移交水网线索",
                "finding.waterway.dismiss": "核查排除水网线索",
            }
        )
        audit.OBJECT_LABELS.update(
            {
                "waterway.vessel": "船舶",
                "waterway.vesselcertificate": "船舶证书",
                "waterway.zone": "码头泊位与禁停区",
                "waterway.muckpermit": "渣土运输许可",
                "waterway.checkpoint": "水上卡口",
                "waterway.finding": "水网疑似违法线索",
            }
        )
