import datetime as dt
import unittest

from trytond.modules.callcenter_ticket.business_hours import (
    Calendar, to_local, to_utc)

CALENDAR = Calendar(day_start=dt.time(9), day_end=dt.time(18))
# 2026-11-20 is a Friday.
FRIDAY = dt.date(2026, 11, 20)


def at(date, hour, minute=0, days=0):
    return dt.datetime.combine(
        date + dt.timedelta(days=days), dt.time(hour, minute))


class BusinessHoursTestCase(unittest.TestCase):
    "Test the business-hours calendar"

    def test_add_within_day(self):
        "Hours added inside the working day stay on that day"
        self.assertEqual(
            CALENDAR.add(at(FRIDAY, 10), 4), at(FRIDAY, 14))

    def test_add_rolls_over_evening(self):
        "Hours beyond the end of the day continue the next working day"
        thursday = FRIDAY - dt.timedelta(days=1)
        self.assertEqual(
            CALENDAR.add(at(thursday, 16), 4), at(FRIDAY, 11))

    def test_add_skips_weekend(self):
        "Friday afternoon plus a few hours lands on Monday"
        self.assertEqual(
            CALENDAR.add(at(FRIDAY, 17), 2), at(FRIDAY, 10, days=3))

    def test_add_from_weekend_starts_monday(self):
        "A ticket opened on Saturday starts its clock on Monday morning"
        self.assertEqual(
            CALENDAR.add(at(FRIDAY, 12, days=1), 1), at(FRIDAY, 10, days=3))

    def test_add_before_opening(self):
        "A ticket opened before opening time starts at opening time"
        self.assertEqual(CALENDAR.add(at(FRIDAY, 7), 1), at(FRIDAY, 10))

    def test_between_excludes_nights_and_weekends(self):
        "Business time from Friday 17:00 to Monday 10:00 is two hours"
        self.assertEqual(
            CALENDAR.between(at(FRIDAY, 17), at(FRIDAY, 10, days=3)),
            dt.timedelta(hours=2))

    def test_between_outside_hours_is_zero(self):
        "Time spent entirely on a weekend counts for nothing"
        self.assertEqual(
            CALENDAR.between(at(FRIDAY, 9, days=1), at(FRIDAY, 20, days=2)),
            dt.timedelta())

    def test_calendar_without_workdays_fails(self):
        "A calendar with no working day cannot place a due date"
        with self.assertRaises(ValueError):
            Calendar(workdays=frozenset()).add(at(FRIDAY, 10), 1)

    def test_timezone_round_trip(self):
        "Local and UTC conversions are inverse"
        utc = at(FRIDAY, 1)
        local = to_local(utc, 'Asia/Shanghai')
        self.assertEqual(local, at(FRIDAY, 9))
        self.assertEqual(to_utc(local, 'Asia/Shanghai'), utc)
