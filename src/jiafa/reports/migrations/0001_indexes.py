"""Indexes the figures' period filters use on the case table: the decision date (every case figure) and the
court-application date. Created from this app (docs/decisions/0003-reports.md); IF NOT EXISTS keeps it
harmless next to an index of the same name the case module might add."""

from django.db import migrations

INDEXES = {
    "reports_case_decided_on": "decided_on",
    "reports_case_court_applied_on": "court_applied_on",
}


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON cases_case ({column})",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, column in INDEXES.items()
    ]
