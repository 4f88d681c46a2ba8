"""Business-hours arithmetic, free of Tryton so it is easy to test.

Datetimes are naive and local to the calendar. A calendar is a working
day from ``day_start`` to ``day_end`` on the ``workdays`` (0 is Monday).
"""
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc


@dataclass(frozen=True)
class Calendar:
    day_start: dt.time = dt.time(9)
    day_end: dt.time = dt.time(18)
    workdays: frozenset = frozenset(range(5))

    def is_workday(self, date):
        return date.weekday() in self.workdays

    def next_open(self, moment):
        "The first business moment at or after moment."
        if not self.workdays or self.day_end <= self.day_start:
            raise ValueError("calendar has no working time")
        if self.is_workday(moment) and moment.time() < self.day_end:
            return max(moment, dt.datetime.combine(moment, self.day_start))
        date = moment.date() + dt.timedelta(days=1)
        while not self.is_workday(date):
            date += dt.timedelta(days=1)
        return dt.datetime.combine(date, self.day_start)

    def add(self, start, hours):
        "The moment when hours of business time have passed since start."
        remaining = dt.timedelta(hours=hours)
        current = self.next_open(start)
        while True:
            available = dt.datetime.combine(current, self.day_end) - current
            if remaining <= available:
                return current + remaining
            remaining -= available
            current = self.next_open(
                dt.datetime.combine(current, self.day_end))

    def between(self, start, end):
        "The business time from start to end, as a timedelta."
        total = dt.timedelta()
        current = self.next_open(start)
        while current < end:
            day_end = dt.datetime.combine(current, self.day_end)
            total += min(day_end, end) - current
            current = self.next_open(day_end)
        return total


def to_local(moment, timezone):
    "Convert a naive UTC datetime to naive local time of timezone."
    if not timezone:
        return moment
    return moment.replace(tzinfo=UTC).astimezone(
        ZoneInfo(timezone)).replace(tzinfo=None)


def to_utc(moment, timezone):
    "Convert a naive local datetime of timezone to naive UTC."
    if not timezone:
        return moment
    return moment.replace(tzinfo=ZoneInfo(timezone)).astimezone(
        UTC).replace(tzinfo=None)
