"""The non-site overload pipeline end to end: `jiafa bench overload` on JIAFA_BENCH_OVERLOAD_RECORDS
generated weighing records (default 5,000,000), in a throw-away world (temporary lake and SQLite database).
Prints its one JSON line."""

import os
import shutil
import tempfile

N = int(os.environ.get("JIAFA_BENCH_OVERLOAD_RECORDS", "5000000"))


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="jiafa-bench-")
    os.environ["JIAFA_DATA_DIR"] = tmp  # this process writes nothing there but a secret key
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiafa.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("bench", "overload", "--records", str(N))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
