"""The demo world's clock. A simulated year is lived day by day: while it runs, the platform's clock
(django.utils.timezone.now, which every action, deadline and audit entry reads) shows the simulated moment,
so each step is taken, checked and recorded as if on that day."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone


class Clock:
    def __init__(self, start: datetime) -> None:
        self.moment = start

    def now(self) -> datetime:
        return self.moment

    def at(self, day: date, hour: int = 9, minute: int = 0) -> None:
        """Local (China) time of `day`."""
        local = datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())
        self.moment = local

    def tick(self) -> None:
        """A few seconds pass: steps taken one after another get distinct, ordered times."""
        self.moment += timedelta(seconds=7)


@contextmanager
def simulated(clock: Clock) -> Iterator[Clock]:
    real: Callable[[], datetime] = timezone.now
    timezone.now = clock.now
    try:
        yield clock
    finally:
        timezone.now = real
