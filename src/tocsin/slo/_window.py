"""SLO windows: rolling (the last N of elapsed time) and calendar (this month in a zone).

A rolling window is elapsed time, counted in UTC.  A calendar window is wall-clock
time in an IANA zone: a New York day lasts 23 or 25 hours on the DST nights, March
2024 in New York lasts 743 hours, and a monthly period anchored on the 31st clamps
to the last day of shorter months and returns to the 31st when it exists (the
Python/``dateutil`` rule, not Go's overflow into the next month that Nobl9 inherits).
Period boundaries go through :func:`tocsin.time.from_wall_clock`, so a boundary in a
DST gap moves to the first instant after it and one in a fold takes the earlier
occurrence, as everywhere else in tocsin.
"""

from __future__ import annotations

import calendar
import enum
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, cast

import attrs

from tocsin._checks import enum_member, in_zone, shifted, utc_instant
from tocsin.errors import InvalidInput
from tocsin.slo._numbers import require_duration
from tocsin.time import Interval, from_wall_clock, require_aware, zone

if TYPE_CHECKING:
    from collections.abc import Iterator

_DAYS_PER_WEEK = 7
_MONTHS_PER_YEAR = 12


class CalendarUnit(enum.StrEnum):
    """The length of a calendar period."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


#: Months per period for the month-based units.
_MONTHS = {CalendarUnit.MONTH: 1, CalendarUnit.QUARTER: 3, CalendarUnit.YEAR: 12}
#: Days per period for the day-based units.
_DAYS = {CalendarUnit.DAY: 1, CalendarUnit.WEEK: _DAYS_PER_WEEK}
#: The fewest calendar days a period of each unit can have (an anchored quarter
#: starting on 1 February has 89 days).
_SHORTEST_DAYS = {
    CalendarUnit.DAY: 1,
    CalendarUnit.WEEK: 7,
    CalendarUnit.MONTH: 28,
    CalendarUnit.QUARTER: 89,
    CalendarUnit.YEAR: 365,
}


#: The whole span Python's datetimes cover; a longer window fits nowhere.
_ALL_TIME = datetime.max.replace(tzinfo=UTC) - datetime.min.replace(tzinfo=UTC)


def _length(value: object) -> timedelta:
    length = require_duration(value, "length")
    if length > _ALL_TIME:
        msg = f"{length} is longer than the years 1-9999 that Python's datetime can hold"
        raise InvalidInput("length", msg)
    return length


@attrs.frozen
class RollingWindow:
    """The last ``length`` of elapsed time before an instant: ``[at - length, at)``.

    >>> from datetime import UTC, datetime
    >>> w = RollingWindow(timedelta(days=30))
    >>> w.bounds(datetime(2026, 4, 1, tzinfo=UTC)).start.isoformat()
    '2026-03-02T00:00:00+00:00'
    """

    length: timedelta = attrs.field(converter=_length)

    def bounds(self, at: datetime) -> Interval:
        """The window that ends at ``at`` (exclusive), counted in elapsed time.

        The start keeps ``at``'s zone.  It is computed in UTC: subtracting a
        ``timedelta`` from a zoned datetime would move the wall clock instead.  A
        window reaching back before the year 1 is an error naming ``at``.
        """
        end = require_aware(at, "at")
        start = shifted(utc_instant(end, "at"), -self.length, "at")
        return Interval(in_zone(start, cast("tzinfo", end.tzinfo), "at"), end)

    @property
    def nominal_length(self) -> timedelta:
        """The window's length (the same at every instant)."""
        return self.length


def _unit(value: object) -> CalendarUnit:
    return enum_member(CalendarUnit, value, "unit")


def _tz(value: object) -> tzinfo:
    if not isinstance(value, str | tzinfo):
        msg = f"expected an IANA zone name or a tzinfo, got {type(value).__name__}"
        raise InvalidInput("tz", msg)
    return zone(value, "tz")


def _week_start(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _DAYS_PER_WEEK:
        msg = f"expected a weekday 0-6 (0 = Monday, as calendar.MONDAY), got {value!r}"
        raise InvalidInput("week_start", msg)
    return value


def _anchor(value: object) -> datetime | None:
    if value is None:
        return None
    return require_aware(value, "anchor")


@attrs.frozen
class CalendarWindow:
    """Calendar periods (day, week, month, quarter, year) on the wall clock of a zone.

    Without an ``anchor``, periods are the natural ones: days from midnight, weeks from
    midnight on ``week_start`` (Monday by default, ISO 8601 and Sloth's UI), months from
    the 1st, quarters from 1 January/April/July/October, years from 1 January.

    With an ``anchor`` (an aware instant), periods start at the anchor's wall-clock time
    in ``tz`` and step by whole units from it, as Nobl9's calendar windows do: a
    quarter anchored at 2 January 12:00 runs 2 January 12:00 to 2 April 12:00.  A
    weekly anchor must fall on ``week_start``, so neither setting is silently ignored.

    >>> from datetime import UTC, datetime
    >>> ny = CalendarWindow("day", "America/New_York")
    >>> ny.bounds(datetime(2024, 3, 10, 12, tzinfo=UTC)).duration
    datetime.timedelta(seconds=82800)
    """

    unit: CalendarUnit = attrs.field(converter=_unit)
    tz: tzinfo = attrs.field(converter=_tz)
    week_start: int = attrs.field(default=calendar.MONDAY, converter=_week_start, kw_only=True)
    anchor: datetime | None = attrs.field(default=None, converter=_anchor, kw_only=True)
    _wall_anchor: datetime = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.anchor is None:
            # 1 January 2001 was a Monday: midnight on it starts a natural day, week,
            # month, quarter and year at once.
            wall = datetime(2001, 1, 1)  # noqa: DTZ001 - a wall-clock time
            if self.unit is CalendarUnit.WEEK:
                wall += timedelta(days=self.week_start)
        else:
            local = in_zone(utc_instant(self.anchor, "anchor"), self.tz, "anchor")
            wall = local.replace(tzinfo=None, fold=0)
            if self.unit is CalendarUnit.WEEK and wall.weekday() != self.week_start:
                msg = (
                    f"a weekly anchor on {calendar.day_name[wall.weekday()]} does not match "
                    f"week_start {calendar.day_name[self.week_start]}; set week_start="
                    f"{wall.weekday()} or move the anchor"
                )
                raise InvalidInput("week_start", msg)
        object.__setattr__(self, "_wall_anchor", wall)

    def _wall_start(self, k: int) -> datetime:
        """The naive wall-clock start of period ``k`` (period 0 starts at the anchor)."""
        a = self._wall_anchor
        if self.unit in _DAYS:
            return a + timedelta(days=k * _DAYS[self.unit])
        months = a.month - 1 + k * _MONTHS[self.unit]
        year, month = a.year + months // _MONTHS_PER_YEAR, months % _MONTHS_PER_YEAR + 1
        # Clamp to the month's last day; the next period returns to the anchor day.
        day = min(a.day, calendar.monthrange(year, month)[1])
        return a.replace(year=year, month=month, day=day)

    def _start(self, k: int, field: str) -> tuple[datetime, datetime]:
        """Period ``k``'s start in ``tz`` and in UTC; an error past the datetime range."""
        try:
            start = from_wall_clock(self._wall_start(k), self.tz)
            return start, start.astimezone(UTC)
        except (OverflowError, ValueError):
            # Only the years 1-9999 exist for datetime: the period before the first
            # or after the last one that fits cannot be named.
            msg = (
                f"a {self.unit} period in {self.tz} next to {field} would start outside "
                "the years 1-9999 that Python's datetime can hold"
            )
            raise InvalidInput(field, msg) from None

    def _index(self, at: datetime, field: str) -> int:
        instant = utc_instant(at, field)
        local = in_zone(instant, self.tz, field).replace(tzinfo=None)
        a = self._wall_anchor
        if self.unit in _DAYS:
            k = (local.date() - a.date()).days // _DAYS[self.unit]
        else:
            months = (local.year - a.year) * _MONTHS_PER_YEAR + local.month - a.month
            k = months // _MONTHS[self.unit]
        # The estimate is off by at most one period (time of day, DST); settle it on
        # instants, never on wall fields.
        while self._start(k, field)[1] > instant:
            k -= 1
        while self._start(k + 1, field)[1] <= instant:
            k += 1
        return k

    def bounds(self, at: datetime) -> Interval:
        """The period that contains ``at``, as a half-open interval in ``tz``.

        A period reaching past the years 1-9999 is an error naming ``at``.
        """
        k = self._index(at, "at")
        return Interval(self._start(k, "at")[0], self._start(k + 1, "at")[0])

    def periods(self, start: datetime, end: datetime) -> Iterator[Interval]:
        """Every period that overlaps ``[start, end)``, in order, whole (not clipped)."""
        stop = utc_instant(end, "end")
        k = self._index(start, "start")
        begin, begin_utc = self._start(k, "start")
        while begin_utc < stop:
            after, after_utc = self._start(k + 1, "end")
            yield Interval(begin, after)
            k, begin, begin_utc = k + 1, after, after_utc

    @property
    def nominal_length(self) -> timedelta:
        """The fewest calendar days a period can span, as 24-hour days.

        Used to check that an alert window fits in the period; a DST day is an hour
        shorter on the wall clock than this.
        """
        return timedelta(days=_SHORTEST_DAYS[self.unit])


#: Either kind of SLO window.
Window = RollingWindow | CalendarWindow
