from django.apps import AppConfig


class WaterwayConfig(AppConfig):
    name = "jiafa.waterway"
    verbose_name = "水网睿控"

    def ready(self) -> None:
        from jiafa.core import audit

        audit.OBJECT_LABELS.update(
            {
                "waterway.vessel": "船舶",
                "waterway.vesselcertificate": "船舶证书",
                "waterway.zone": "码头泊位与禁停区",
                "waterway.muckpermit": "渣土运输许可",
                "waterway.checkpoint": "水上卡口",
            }
        )
