"""Working-day arithmetic: deadlines per second over random start dates (pure code, no database)."""

import datetime as dt
import json
import random
import time

from jiafa.law.calendar import from_chinese_calendar

N = 20000


def main() -> None:
    cal = from_chinese_calendar()
    rng = random.Random(1)
    starts = [dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900)) for _ in range(N)]
    start = time.perf_counter()
    for d in starts:
        cal.add_working_days(d, 7)
    wd = time.perf_counter() - start
    start = time.perf_counter()
    for d in starts:
        cal.add_days(d, 90)
    cd = time.perf_counter() - start
    print(json.dumps({"figure": "deadline_7_working_days_per_s", "value": round(N / wd)}))
    print(json.dumps({"figure": "deadline_90_days_per_s", "value": round(N / cd)}))


if __name__ == "__main__":
    main()
