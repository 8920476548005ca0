"""Findings locate their evidence pack in their detection run's archive (overload.packs). Findings stored
before keep their pack as a blob of their own (`evidence`); their `pack_sha256` is that blob's hash. The
`evidence` and `reviewed_by` columns lose their indexes: nothing looks findings up by them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def pack_hashes(apps, schema_editor):
    Finding = apps.get_model("overload", "Finding")
    Finding.objects.filter(evidence__isnull=False).update(pack_sha256=F("evidence_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_station_role"),
        ("overload", "0002_followup"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="pack_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="证据包 SHA-256"),
        ),
        migrations.AddField(
            model_name="finding",
            name="pack_archive",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.evidenceblob",
                verbose_name="证据包归档",
            ),
        ),
        migrations.AddField(
            model_name="finding",
            name="pack_offset",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="归档内偏移（字节）"),
        ),
        migrations.AddField(
            model_name="finding",
            name="pack_length",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="证据包大小（字节）"),
        ),
        migrations.RunPython(pack_hashes, migrations.RunPython.noop),
        # Two indexes fewer to keep up on each finding detection inserts: never used to look findings up.
        migrations.AlterField(
            model_name="finding",
            name="evidence",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="core.evidenceblob",
                verbose_name="证据包",
            ),
        ),
        migrations.AlterField(
            model_name="finding",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
