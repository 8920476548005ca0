"""The demo world's year at a small scale (default 0.05; `python benchmarks/bench_demo.py 1` for the issue's
target at scale 1): the wall time, the time of each part of the days, and what a case step costs, as the
platform's own pipelines and case actions run it. Runs on a throw-away SQLite database, or on
JIAFA_DATABASE_URL when set. One JSON line per figure."""

import io
import json
import os
import sys
import tempfile
import time

SCALE = sys.argv[1] if len(sys.argv) > 1 else "0.05"


def main() -> None:
    os.environ["JIAFA_DATA_DIR"] = tempfile.mkdtemp(prefix="jiafa-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiafa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    out = io.StringIO()
    start = time.perf_counter()
    call_command("demo", "--scale", SCALE, "--json", stdout=out, stderr=io.StringIO())
    wall = time.perf_counter() - start
    summary = json.loads(out.getvalue())["summary"]
    seconds, steps = summary["seconds"], summary["steps"]
    common = {"scale": float(SCALE), "steps": steps, "refused": sum(summary["refused"].values())}
    print(json.dumps({"figure": "demo_year_s", "value": round(wall, 1), **common, "parts_s": seconds}))
    # The case parts: the officers' steps, and the review and filing of non-site cases (also steps, mostly).
    per_step = (seconds["cases"] + seconds["review"]) / steps * 1000
    print(json.dumps({"figure": "demo_case_step_ms", "value": round(per_step, 2), **common}))


if __name__ == "__main__":
    main()
