"""Turns: how long each participant holds a layer, on the wall clock or in elapsed time.

The handoff grid is pure arithmetic.  Turn ``k`` of a layer begins at handoff ``k``:

* wall-clock units (hours, days, weeks, months) add ``k`` units to the anchor's
  *wall-clock reading* in the layer's zone and resolve the result by the rule of
  :func:`tocsin.time.from_wall_clock` (a gap moves to the first instant after it, a
  fold takes the earlier occurrence), as GoAlert's clock arithmetic does, on integer
  clocks with the zone's transition table (``tocsin._zonetable``);
* ``elapsed`` turns add ``k`` exact lengths to the anchor instant, in UTC, which is
  what PagerDuty's ``rotation_turn_length_seconds`` says on its face.

Finding the turn that holds an instant is a floor division on the wall-clock (or
elapsed) distance from the anchor; only within a fold does it take a step or two among
the real instants, so an anchor in 2000 queried in 2026 costs the same as one set
yesterday.

A turn lasts at most as long as ``datetime``'s whole range (3,652,058 days, 9,999 years
less a month): a longer one could never hand off twice within it, so it is refused at
construction.  Handoffs are integers and never overflow; asking for one that no
``datetime`` can hold (``layer.handoff(10**9)``) raises
:class:`~tocsin.errors.InvalidInput` naming ``k``.
"""

from __future__ import annotations

import calendar
import enum
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

import attrs

from tocsin._zonetable import DAY, EPOCH_ORDINAL, HOUR, WEEK, delta_micros, micros, zone_table
from tocsin.errors import InvalidInput

__all__ = ["Turn", "TurnUnit"]


class TurnUnit(enum.StrEnum):
    """The unit a :class:`Turn` counts in."""

    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    ELAPSED = "elapsed"


#: The longest turn: datetime's whole range, 0001-01-01 to 9999-12-31.
LONGEST_DAYS: Final = date.max.toordinal() - date.min.toordinal()
LONGEST: Final = timedelta(days=LONGEST_DAYS + 1) - timedelta(microseconds=1)
#: The most units a turn may count, per unit (months: January of year 1 to December
#: of year 9999).
MOST: Final = {
    TurnUnit.HOURS: LONGEST_DAYS * 24,
    TurnUnit.DAYS: LONGEST_DAYS,
    TurnUnit.WEEKS: LONGEST_DAYS // 7,
    TurnUnit.MONTHS: 9999 * 12 - 1,
}


def _positive_count(value: object, unit: TurnUnit) -> int:
    field = f"turn.{unit.value}"
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected a positive whole number of units, got {value!r}"
        raise InvalidInput(field, msg)
    if value <= 0:
        msg = f"must be positive, got {value}"
        raise InvalidInput(field, msg)
    most = MOST[unit]
    if value > most:
        msg = (
            f"at most {most} (a turn longer than datetime's range of years 1-9999 "
            f"never hands off twice), got {value}"
        )
        raise InvalidInput(field, msg)
    return value


def _check_length(value: object, field: str) -> timedelta:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        msg = f"must be a positive timedelta, got {value!r}"
        raise InvalidInput(field, msg)
    if value > LONGEST:
        msg = (
            f"at most {LONGEST} (a turn longer than datetime's range of years 1-9999 "
            f"never hands off twice), got {value}"
        )
        raise InvalidInput(field, msg)
    return value


@attrs.frozen(repr=False)
class Turn:
    """How far the rotation moves at each handoff.

    Build one with :meth:`hours`, :meth:`days`, :meth:`weeks`, :meth:`months` (wall
    clock of the layer's zone: a daily 09:00 handoff stays at 09:00 local, so the turn
    across a DST change lasts 23 or 25 hours) or :meth:`elapsed` (exact elapsed time,
    PagerDuty's ``rotation_turn_length_seconds`` taken literally).

    >>> Turn.weeks(1)
    Turn.weeks(1)
    >>> Turn.elapsed(timedelta(hours=12)).length
    datetime.timedelta(seconds=43200)
    >>> Turn.days(0)
    Traceback (most recent call last):
    ...
    tocsin.errors.InvalidInput: turn.days: must be positive, got 0
    """

    unit: TurnUnit = attrs.field()
    #: How many units a turn lasts (1 for ``elapsed`` turns, whose size is ``length``).
    count: int = 1
    #: The exact length of an ``elapsed`` turn; ``None`` for wall-clock units.
    length: timedelta | None = None

    @unit.validator
    def _check_unit(self, _attribute: object, value: object) -> None:
        if not isinstance(value, TurnUnit):
            msg = f"expected a TurnUnit, got {value!r}"
            raise InvalidInput("turn.unit", msg)

    def __attrs_post_init__(self) -> None:
        if self.unit is TurnUnit.ELAPSED:
            length: object = self.length
            if not isinstance(length, timedelta) or length <= timedelta(0):
                msg = f"an elapsed turn needs a positive timedelta length, got {self.length!r}"
                raise InvalidInput("turn.length", msg)
            _check_length(length, "turn.length")
            if self.count != 1:
                msg = f"an elapsed turn has count 1 (its size is `length`), got {self.count!r}"
                raise InvalidInput("turn.count", msg)
        else:
            _positive_count(self.count, self.unit)
            if self.length is not None:
                msg = f"only elapsed turns take a length; a {self.unit.value} turn counts units"
                raise InvalidInput("turn.length", msg)

    @classmethod
    def hours(cls, n: int = 1) -> Turn:
        """``n`` hours on the wall clock (handoffs stay on the same local minute)."""
        return cls(TurnUnit.HOURS, _positive_count(n, TurnUnit.HOURS))

    @classmethod
    def days(cls, n: int = 1) -> Turn:
        """``n`` days on the wall clock (same local time of day at each handoff)."""
        return cls(TurnUnit.DAYS, _positive_count(n, TurnUnit.DAYS))

    @classmethod
    def weeks(cls, n: int = 1) -> Turn:
        """``n`` weeks on the wall clock (same weekday and local time at each handoff)."""
        return cls(TurnUnit.WEEKS, _positive_count(n, TurnUnit.WEEKS))

    @classmethod
    def months(cls, n: int = 1) -> Turn:
        """``n`` calendar months; an anchor day the month lacks clamps to its last day.

        A rotation anchored on January 31 hands off on Feb 28 (29), Mar 31, Apr 30, ...
        """
        return cls(TurnUnit.MONTHS, _positive_count(n, TurnUnit.MONTHS))

    @classmethod
    def elapsed(cls, length: timedelta) -> Turn:
        """Exactly ``length`` of elapsed time per turn, whatever the wall clock does."""
        value: object = length  # callers without type checking may pass anything
        return cls(TurnUnit.ELAPSED, length=_check_length(value, "turn.elapsed"))

    @property
    def wall_clock(self) -> bool:
        """True for hours/days/weeks/months, False for ``elapsed`` turns."""
        return self.unit is not TurnUnit.ELAPSED

    def __repr__(self) -> str:
        if self.length is not None:
            return f"Turn.elapsed({self.length!r})"
        return f"Turn.{self.unit.value}({self.count})"


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_LAST_ORDINAL = date.max.toordinal()


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date, for any year at all.

    ``date(year, month, day).toordinal() - EPOCH_ORDINAL`` where ``date`` can say it;
    the integer clocks run past the years 1-9999 (Howard Hinnant's algorithm).
    """
    shifted = year - (month <= 2)  # noqa: PLR2004 - years start in March here
    era, year_of_era = divmod(shifted, 400)
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1  # noqa: PLR2004
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """``(year, month, day)`` of day ``days`` since 1970-01-01, for any integer."""
    era, day_of_era = divmod(days + 719_468, 146_097)
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + 3 if shifted_month < 10 else shifted_month - 9  # noqa: PLR2004
    return year_of_era + era * 400 + (month <= 2), month, day  # noqa: PLR2004


def _month_day(year: int, month: int, day: int) -> int:
    """Day number (since 1970-01-01) of ``day`` of a month, clamped to its last day."""
    last = _MONTH_DAYS[month - 1] + (month == 2 and calendar.isleap(year))  # noqa: PLR2004
    if 1 <= year <= 9999:  # noqa: PLR2004 - date's range: its C constructor is faster
        return date(year, month, min(day, last)).toordinal() - EPOCH_ORDINAL
    return days_from_civil(year, month, min(day, last))


def _year_month(days: int) -> tuple[int, int]:
    """Year and month of day ``days`` since 1970-01-01."""
    ordinal = days + EPOCH_ORDINAL
    if 1 <= ordinal <= _LAST_ORDINAL:
        local = date.fromordinal(ordinal)
        return local.year, local.month
    year, month, _ = civil_from_days(days)
    return year, month


class Grid:
    """The handoff instants of one layer: turn ``k`` starts at :meth:`handoff` ``(k)``.

    Internal.  Instants are integer microseconds since the epoch (UTC) and wall-clock
    readings integer microseconds of the layer's zone (see ``tocsin._zonetable``), so
    a handoff is an addition and one table lookup.
    """

    __slots__ = (
        "_anchor",
        "_day0",
        "_late_anchor",
        "_length",
        "_month0",
        "_months",
        "_step",
        "_time0",
        "_wall0",
        "_year0",
        "_zone",
        "wall_clock",
    )

    def __init__(self, turn: Turn, anchor: datetime, tz: tzinfo) -> None:
        self._zone = zone_table(tz)
        self._anchor = micros(anchor)
        # The grid is defined by the anchor's wall-clock reading in the layer's zone.
        self._wall0 = self._anchor + self._zone.offset(self._anchor)
        day, self._time0 = divmod(self._wall0, DAY)
        # Integers, not a date: the anchor's wall reading may lie just outside the
        # years 1-9999 (0001-01-01T00:30Z is still year 0 in New York).
        self._year0, self._month0, self._day0 = civil_from_days(day)
        # Turn 0 begins at the anchor, even one at the *second* occurrence of a fold,
        # which resolving its wall reading (the first occurrence) would move earlier.
        self._late_anchor = turn.wall_clock and self._zone.resolve(self._wall0) != self._anchor
        self._months = 0
        self._step = 0
        self._length = 0
        #: Whether handoffs follow the wall clock (all but ``elapsed`` turns).
        self.wall_clock = turn.wall_clock
        if turn.unit is TurnUnit.ELAPSED:
            self._length = delta_micros(turn.length)
        elif turn.unit is TurnUnit.MONTHS:
            self._months = turn.count
        else:
            self._step = turn.count * {TurnUnit.HOURS: HOUR, TurnUnit.DAYS: DAY}.get(
                turn.unit, WEEK
            )

    def _month_wall(self, k: int) -> int:
        """The wall reading of handoff ``k`` of a monthly grid (day clamped)."""
        total = self._year0 * 12 + (self._month0 - 1) + self._months * k
        year, month0 = divmod(total, 12)
        return _month_day(year, month0 + 1, self._day0) * DAY + self._time0

    def handoff(self, k: int) -> int:
        """The instant at which turn ``k`` begins (``k`` may be negative)."""
        if self._length:
            return self._anchor + self._length * k
        if self._late_anchor and not k:
            return self._anchor
        if self._step:
            return self._zone.resolve(self._wall0 + self._step * k)
        return self._zone.resolve(self._month_wall(k))

    def floor(self, wall: int) -> int:
        """The last turn whose handoff *wall reading* is at or before ``wall``.

        For a wall-clock grid and an instant whose wall reading occurs exactly once,
        that is the turn holding the instant: resolving wall times keeps their order,
        and only a fold makes one reading name two instants.
        """
        if self._step:
            return (wall - self._wall0) // self._step
        year, month = _year_month(wall // DAY)
        k = ((year - self._year0) * 12 + (month - self._month0)) // self._months
        while self._month_wall(k + 1) <= wall:
            k += 1
        while self._month_wall(k) > wall:
            k -= 1
        return k

    def index(self, at: int) -> int:
        """The turn index holding the instant ``at``.  O(1)."""
        if self._length:
            return (at - self._anchor) // self._length
        off, lo, hi = self._zone.instant_span(at)
        if lo <= at + off < hi:
            return self.floor(at + off)
        return self.locate(at)[0]

    def locate(self, at: int) -> tuple[int, int, int]:
        """``(k, start, end)`` of the turn holding the instant ``at``.

        ``start <= at < end``.  Zero-length turns (two handoffs resolving to the same
        instant, as at a spring-forward gap) never hold an instant, so they are passed
        over and the index still advances.
        """
        if self._length:
            k = (at - self._anchor) // self._length
            start = self._anchor + self._length * k
            return k, start, start + self._length
        # Wall-clock arithmetic first; within a fold or a gap it may be off by one or
        # two, which the real instants settle.
        k = self.floor(at + self._zone.offset(at))
        start = self.handoff(k)
        while at < start:
            k -= 1
            start = self.handoff(k)
        end = self.handoff(k + 1)
        while end <= at:
            k += 1
            start = end
            end = self.handoff(k + 1)
        return k, start, end
