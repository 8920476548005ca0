"""Audit trail: appends per second (each in its own transaction, as actions do) and verification rate.
Runs on a throw-away SQLite database, or on JIAFA_DATABASE_URL when set. One JSON line per figure."""

import json
import os
import sys
import tempfile
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="jiafa-bench-")
    os.environ["JIAFA_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiafa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from jiafa.core import audit

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    for i in range(N):
        audit.record("bench.step", object_type="thing", object_id=str(i), ip="127.0.0.1", detail={"i": i})
    append_s = time.perf_counter() - start
    start = time.perf_counter()
    result = audit.verify()
    verify_s = time.perf_counter() - start
    assert result.ok and result.checked == N
    for figure, value in (("audit_append_per_s", N / append_s), ("audit_verify_per_s", N / verify_s)):
        print(json.dumps({"figure": figure, "value": round(value), "entries": N}))


if __name__ == "__main__":
    main()
