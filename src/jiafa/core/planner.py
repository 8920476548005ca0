"""The query planner's statistics after a bulk load. PostgreSQL gathers them itself (autovacuum); SQLite has
none until asked, and without them it answers "how often was this plate over the limit this year" by reading
every confirmed finding of the year rather than the plate's few."""

from django.db import connection

ANALYSIS_LIMIT = 1000  # rows SQLite samples per index: enough for the planner, a few milliseconds a table


def refresh_statistics() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            cursor.execute("PRAGMA optimize")  # the tables this connection queried whose statistics are stale
