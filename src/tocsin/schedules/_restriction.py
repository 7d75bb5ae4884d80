"""Restrictions: the wall-clock windows in which a layer may put someone on call.

A restriction masks its layer; it never pauses the rotation (PagerDuty's model: the
turns keep counting outside the windows).  Windows are wall-clock in the layer's zone:

* a window starts at ``start`` on its local date, resolved like a handoff (a gap moves
  to the first instant after it, a fold takes the earlier occurrence);
* it ends at ``start + duration`` *on the wall clock* (Fri 18:00 + 64 h ends Monday
  10:00 local, 63 or 65 real hours on DST weekends), resolved with the fold's *later*
  occurrence, so a window covers every wall-clock minute it names (GoAlert's rule for
  rule ends).
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import time_of_day
from tocsin._zonetable import (
    DAY,
    HOUR,
    MINUTE,
    SECOND,
    WEEK,
    delta_micros,
    expressed,
    micros,
    zone_table,
)
from tocsin.errors import InvalidInput
from tocsin.time import Interval, require_aware, zone

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["Restriction", "Windows", "parse_weekday"]

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(weeks=1)
#: ISO weekday of day 0 of the integer wall clock, 1970-01-01.
_THURSDAY = 4

_DAY_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ),
        start=1,
    )
    for name in names
}


def parse_weekday(value: object, field: str = "day") -> int:
    """An ISO weekday number (1 = Monday ... 7 = Sunday) from a number or an English name.

    >>> parse_weekday("Friday"), parse_weekday("sun"), parse_weekday(3)
    (5, 7, 3)
    """
    if isinstance(value, str):
        number = _DAY_NAMES.get(value.strip().lower())
        if number is None:
            msg = f"expected a weekday name such as 'monday' or 'mon', got {value!r}"
            raise InvalidInput(field, msg)
        return number
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected an ISO weekday 1-7 (1 = Monday) or a name, got {value!r}"
        raise InvalidInput(field, msg)
    if not 1 <= value <= 7:  # noqa: PLR2004 - ISO 8601 weekdays
        msg = f"expected an ISO weekday 1-7 (1 = Monday), got {value}"
        raise InvalidInput(field, msg)
    return value


def _check_start(value: object) -> time:
    # Naive: the layer's zone gives it meaning; a window starts at the first occurrence.
    return time_of_day(value, "start", fold=False)


def _day_or_none(value: int | str | None) -> int | None:
    return None if value is None else parse_weekday(value)


@attrs.frozen(repr=False)
class Restriction:
    """A recurring wall-clock window: every day, or every week from a given weekday.

    ``duration`` is wall-clock time and may cross midnight (``daily(time(22),
    timedelta(hours=10))`` runs 22:00 to 08:00); it is at most 24 hours for a daily
    window and 7 days for a weekly one.  Windows are half-open.

    >>> Restriction.weekly("friday", time(18), timedelta(hours=64))
    Restriction.weekly(5, datetime.time(18, 0), datetime.timedelta(days=2, seconds=57600))
    >>> Restriction.daily(time(9), timedelta(hours=25))
    Traceback (most recent call last):
    ...
    tocsin.errors.InvalidInput: duration: a daily restriction lasts at most 24 hours, got 1 day, 1:00:00
    """  # noqa: E501

    start: time = attrs.field(converter=_check_start)
    duration: timedelta
    #: ISO weekday (1 = Monday) the window starts on, or ``None`` for every day.
    day: int | None = attrs.field(default=None, kw_only=True, converter=_day_or_none)

    def __attrs_post_init__(self) -> None:
        duration: object = self.duration  # callers without type checking may pass anything
        if not isinstance(duration, timedelta) or duration <= timedelta(0):
            msg = f"must be a positive timedelta, got {duration!r}"
            raise InvalidInput("duration", msg)
        limit, what = (ONE_DAY, "a daily restriction lasts at most 24 hours")
        if self.day is not None:
            limit, what = (ONE_WEEK, "a weekly restriction lasts at most 7 days")
        if self.duration > limit:
            # PagerDuty leaves longer windows undefined; tocsin refuses to guess.
            msg = f"{what}, got {self.duration}"
            raise InvalidInput("duration", msg)

    @classmethod
    def daily(cls, start: time, duration: timedelta) -> Restriction:
        """Every day from ``start`` for ``duration`` (at most 24 h) of wall-clock time."""
        return cls(start, duration)

    @classmethod
    def weekly(cls, day: int | str, start: time, duration: timedelta) -> Restriction:
        """Every week from ``day`` (ISO 1-7 or a name) at ``start``, for up to 7 days."""
        return cls(start, duration, day=parse_weekday(day))

    @property
    def span_days(self) -> int:
        """How many calendar days a window can reach past its start date."""
        return math.ceil(self.duration / ONE_DAY)

    def applies_on(self, local_date: date) -> bool:
        """Whether a window starts on ``local_date``."""
        return self.day is None or local_date.isoweekday() == self.day

    def windows(self, start: datetime, end: datetime, tz: str | tzinfo) -> Iterator[Interval]:
        """Each window in ``tz`` that overlaps ``[start, end)``, unclipped, in order.

        Lazy.  The intervals are expressed in ``tz``.

        >>> from zoneinfo import ZoneInfo
        >>> ny = ZoneInfo("America/New_York")
        >>> weekend = Restriction.weekly("fri", time(18), timedelta(hours=64))
        >>> [w] = weekend.windows(
        ...     datetime(2026, 3, 7, tzinfo=ny), datetime(2026, 3, 8, tzinfo=ny), ny
        ... )
        >>> w.start.isoformat(), w.end.isoformat(), w.duration
        ('2026-03-06T18:00:00-05:00', '2026-03-09T10:00:00-04:00', datetime.timedelta(days=2, seconds=54000))
        """  # noqa: E501
        lo = micros(require_aware(start, "start"))
        hi = micros(require_aware(end, "end"))
        if hi < lo:
            msg = f"the window ends before it starts ({end} < {start})"
            raise InvalidInput("end", msg)
        where = zone(tz)
        return (
            Interval(expressed(s, where, "start"), expressed(e, where, "end"))
            for s, e in Windows((self,), where).union(lo, hi, merge=False)
        )

    def __repr__(self) -> str:
        if self.day is None:
            return f"Restriction.daily({self.start!r}, {self.duration!r})"
        return f"Restriction.weekly({self.day}, {self.start!r}, {self.duration!r})"


class Windows:
    """The windows of one layer's restrictions in its zone, on integer clocks.

    Internal.  Instants are integer microseconds since the epoch (UTC), wall readings
    integer microseconds of the zone (``tocsin._zonetable``).  Every restriction is a
    *phase* within a day or a week (the wall clock's day 0, 1970-01-01, is a Thursday)
    and a wall-clock duration, so the window holding a wall reading is one modulo away.
    """

    __slots__ = ("_checks", "_longest", "_phases", "_zone")

    def __init__(self, restrictions: Sequence[Restriction], tz: tzinfo) -> None:
        self._zone = zone_table(tz)
        # (phase, period, duration) per restriction, for point queries.
        self._checks: list[tuple[int, int, int]] = []
        phases: list[tuple[int, int, int]] = []
        for index, restriction in enumerate(restrictions):
            start = restriction.start
            clock = start.hour * HOUR + start.minute * MINUTE + start.second * SECOND
            clock += start.microsecond
            length = delta_micros(restriction.duration)
            if restriction.day is None:
                self._checks.append((clock, DAY, length))
                days = range(7)  # renders step a week at a time: a daily window 7 times
            else:
                weekday = (restriction.day - _THURSDAY) % 7
                days = range(weekday, weekday + 1)
                self._checks.append((weekday * DAY + clock, WEEK, length))
            phases.extend((day * DAY + clock, index, length) for day in days)
        # Wall-clock start order (ties in restriction order) is instant order: resolving
        # wall times never reorders them.
        phases.sort()
        self._phases = [(phase, length) for phase, _, length in phases]
        self._longest = max((length for _, length in self._phases), default=0)

    def contains_wall(self, wall: int) -> bool:
        """Whether the wall reading ``wall`` is inside a window, on the wall clock.

        This *is* the answer for an instant whose wall reading occurs exactly once:
        resolving keeps order, so the instant is inside a window exactly when its
        reading is.  Only a reading in a fold needs :meth:`contains`.
        """
        for phase, period, length in self._checks:  # noqa: SIM110 - any() on a generator is slower
            if (wall - phase) % period < length:
                return True
        return False

    def contains(self, at: int) -> bool:
        """Whether the instant ``at`` falls inside any window, exactly.  Constant time.

        For each restriction only the latest window starting at or before ``at`` can
        hold it: a later occurrence of the same window ends later on the wall clock.
        """
        zone = self._zone
        wall = at + zone.offset(at)
        for phase, period, length in self._checks:
            # In a fold, a window starting up to an hour or so after ``wall`` may start
            # before ``at`` (at its first occurrence): begin one period ahead.
            begin = wall - (wall - phase) % period + period
            while zone.resolve(begin) > at:
                begin -= period
            if at < zone.resolve(begin + length, later=True):
                return True
        return False

    def union(  # noqa: C901, PLR0912 - one hot loop, kept flat for speed
        self, lo: int, hi: int, *, merge: bool = True
    ) -> Iterator[tuple[int, int]]:
        """The windows overlapping the instants ``[lo, hi)``, in order.

        With ``merge`` the union comes out: overlapping or touching windows become one.
        """
        if not self._phases or hi <= lo:
            return
        zone = self._zone
        # Wall readings are within a day of their instants: start early enough for the
        # longest window that could still reach ``lo``, stop past ``hi``.
        first = lo + zone.offset(lo) - self._longest - 2 * DAY
        last = hi + zone.offset(hi) + 2 * DAY
        phases = self._phases
        base = first - first % WEEK
        # Walls in [safe_lo, safe_hi) each occur once and resolve as ``wall - off``:
        # outside DST changes, resolving an edge is a subtraction.
        off = safe_lo = safe_hi = 0
        pending = False
        pending_start = pending_end = 0
        while base <= last:
            for phase, length in phases:
                wall = base + phase
                if wall < first:
                    continue
                if safe_lo <= wall < safe_hi:
                    start = wall - off
                else:
                    start, off, safe_lo, safe_hi = zone.resolve_span(wall)
                if start >= hi:
                    base = last  # every later window starts later still
                    break
                wall += length
                end = wall - off if safe_lo <= wall < safe_hi else zone.resolve(wall, later=True)
                if end <= lo or start >= end:
                    continue
                if not merge:
                    yield start, end
                elif not pending:
                    pending, pending_start, pending_end = True, start, end
                elif start <= pending_end:
                    if end > pending_end:  # noqa: PLR1730 - no max() call in the hot loop
                        pending_end = end
                else:
                    yield pending_start, pending_end
                    pending_start, pending_end = start, end
            base += WEEK
        if pending:
            yield pending_start, pending_end
