"""Shared time vocabulary: aware datetimes, half-open intervals, zones and clocks.

Rules every tocsin module follows:

* Only aware datetimes cross the public API; a naive one raises
  :class:`~tocsin.errors.NaiveDatetimeError` naming the field.
* Intervals are half-open, ``[start, end)``.
* Elapsed time is computed in UTC.  (Subtracting two datetimes that share a
  ``ZoneInfo`` gives *wall-clock* difference, which is wrong across a DST change.)
* Calendar arithmetic is done on the wall clock of an IANA zone and turned back
  into an instant with :func:`from_wall_clock`, which resolves DST gaps and folds
  the same way everywhere.
"""

from __future__ import annotations

import datetime as _dt
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from tocsin._zonetable import out_of_range, zone_table
from tocsin.errors import InvalidInput, NaiveDatetimeError, UnknownZoneError

__all__ = [
    "UTC",
    "Interval",
    "SystemClock",
    "require_aware",
    "to_utc",
    "elapsed",
    "zone",
    "from_wall_clock",
    "wall_clock_exists",
]


def require_aware(value: object, field: str) -> datetime:
    """Return ``value`` if it is an aware ``datetime``; raise a tocsin error otherwise.

    >>> require_aware(datetime(2026, 1, 1, tzinfo=UTC), "at").year
    2026
    >>> require_aware(datetime(2026, 1, 1), "at")
    Traceback (most recent call last):
    ...
    tocsin.errors.NaiveDatetimeError: at: naive datetime 2026-01-01T00:00:00; pass a timezone-aware datetime (for example tzinfo=ZoneInfo('UTC'))
    """  # noqa: E501
    if not isinstance(value, datetime):
        msg = f"expected an aware datetime, got {type(value).__name__}"
        raise InvalidInput(field, msg)
    if value.tzinfo is None or value.utcoffset() is None:
        msg = (
            f"naive datetime {value.isoformat()}; pass a timezone-aware datetime "
            "(for example tzinfo=ZoneInfo('UTC'))"
        )
        raise NaiveDatetimeError(field, msg)
    return value


def to_utc(value: datetime, field: str = "datetime") -> datetime:
    """Return the same instant in UTC, rejecting naive input.

    An instant that UTC cannot show is refused naming ``field``: in the first hours of
    the year 1 east of Greenwich, or the last hours of 9999 west of it, the same
    instant in UTC would fall outside the years a ``datetime`` holds.

    >>> to_utc(datetime(1, 1, 1, tzinfo=_dt.timezone(timedelta(hours=5))), "at")
    Traceback (most recent call last):
    ...
    tocsin.errors.InvalidInput: at: 0001-01-01T00:00:00+05:00 is not an instant UTC can show: it falls outside the years 1-9999
    """  # noqa: E501
    aware = require_aware(value, field)
    try:
        return aware.astimezone(UTC)
    except OverflowError:
        reading = aware.isoformat()
        msg = f"{reading} is not an instant UTC can show: it falls outside the years 1-9999"
        raise InvalidInput(field, msg) from None


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Exact elapsed time from ``start`` to ``end`` (negative if ``end`` is earlier).

    Unlike ``end - start`` on two datetimes sharing a ``ZoneInfo``, this counts the
    hour a DST change adds or removes:

    >>> ny = ZoneInfo("America/New_York")
    >>> a = datetime(2026, 3, 7, 12, tzinfo=ny)
    >>> b = datetime(2026, 3, 8, 12, tzinfo=ny)
    >>> b - a, elapsed(a, b)
    (datetime.timedelta(days=1), datetime.timedelta(seconds=82800))
    """
    return to_utc(end, "end") - to_utc(start, "start")


def zone(value: str | tzinfo, field: str = "tz") -> tzinfo:
    """Return a ``tzinfo`` for an IANA zone name (or pass a ``tzinfo`` through).

    Unknown names raise :class:`~tocsin.errors.UnknownZoneError` naming ``field``; a
    pytz zone is refused (its offsets are only right through ``localize``).

    >>> zone("Europe/London")
    zoneinfo.ZoneInfo(key='Europe/London')
    """
    if isinstance(value, tzinfo):
        if callable(getattr(value, "localize", None)) and callable(
            getattr(value, "normalize", None)
        ):
            # pytz zones: attached with ``tzinfo=`` or ``replace`` they keep the zone's
            # first offset (LMT, -04:56 in New York), so every wall reading would be wrong.
            msg = (
                f"{value!r} is a pytz zone, which gives wrong offsets unless localized; "
                "pass the zone name or a zoneinfo.ZoneInfo"
            )
            raise InvalidInput(field, msg)
        return value
    name: object = value  # callers without type checking may pass anything
    if not isinstance(name, str) or not name:
        msg = f"expected an IANA zone name such as 'Europe/London', got {name!r}"
        raise InvalidInput(field, msg)
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        msg = f"unknown time zone {value!r}; expected an IANA name such as 'America/New_York'"
        raise UnknownZoneError(field, msg) from exc


def wall_clock_exists(wall: datetime, tz: tzinfo) -> bool:
    """Whether the naive wall time ``wall`` occurs at least once in ``tz``.

    False inside a DST gap (02:30 on the spring-forward night in New York).
    """
    local = wall.replace(tzinfo=tz, fold=0)
    try:
        return local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall.replace(fold=0)
    except OverflowError:
        # Within hours of the years 1 or 9999 the round trip leaves datetime's range.
        # PEP 495: in a gap, fold=0 takes the offset before the transition, which is
        # the smaller one; in a fold, the larger one; elsewhere both are the same.
        later = wall.replace(tzinfo=tz, fold=1)
        before, after = local.utcoffset(), later.utcoffset()
        return before is None or after is None or before >= after


def from_wall_clock(
    wall: datetime,
    tz: tzinfo,
    *,
    fold: Literal["earlier", "later"] = "earlier",
) -> datetime:
    """Turn a naive wall-clock time in ``tz`` into an aware instant.

    * A wall time that occurs once maps to that instant.
    * A wall time in a fold (it occurs twice) takes the ``earlier`` occurrence by
      default, or the ``later`` one.
    * A wall time in a gap (it never occurs) moves to the first instant after the
      gap, i.e. the moment of the transition.  This is GoAlert's rule; a handoff
      at 02:30 on the spring-forward night happens at 03:00 local.

    The result carries ``tz`` and the right ``fold``, so it round-trips.

    >>> ny = ZoneInfo("America/New_York")
    >>> from_wall_clock(datetime(2026, 3, 8, 2, 30), ny).isoformat()
    '2026-03-08T03:00:00-04:00'
    >>> from_wall_clock(datetime(2026, 11, 1, 1, 30), ny).isoformat()
    '2026-11-01T01:30:00-04:00'
    >>> from_wall_clock(datetime(2026, 11, 1, 1, 30), ny, fold="later").isoformat()
    '2026-11-01T01:30:00-05:00'
    """
    if wall.tzinfo is not None:
        msg = "expected a naive wall-clock time; the zone is given separately"
        raise InvalidInput("wall", msg)
    # The rule is implemented once, on integers, in ``tocsin._zonetable`` (a transition
    # table per zone; any other tzinfo takes the same rule through ``replace`` and
    # ``utcoffset``), so schedules and this function cannot disagree.
    try:
        return zone_table(tz).resolve_datetime(wall, later=fold == "later")
    except OverflowError as err:
        # Within hours of datetime's ends: the instant would be outside its range.
        raise out_of_range("wall", tz, late=wall.year > 1) from err


# The converters and comparison key below are shared by every value type that holds
# an instant pair (schedules import them): one definition of "aware" and of "compare in UTC".
def _aware_start(value: object) -> datetime:
    return _instant(value, "start")


def _aware_end(value: object) -> datetime:
    return _instant(value, "end")


def _instant(value: object, field: str) -> datetime:
    """``value`` as given, once it is known to be aware and to have a UTC reading."""
    aware = require_aware(value, field)
    to_utc(aware, field)
    return aware


def _utc_key(value: datetime) -> datetime:
    return value.astimezone(UTC)


@attrs.frozen
class Interval:
    """A half-open span of time ``[start, end)`` between two aware instants.

    ``start == end`` is the empty interval; ``end < start`` is an error.  Equality,
    ordering and hashing use the instants (two intervals in different zones that
    cover the same time are equal), never the wall-clock fields.

    >>> day = Interval(
    ...     datetime(2026, 3, 8, tzinfo=ZoneInfo("America/New_York")),
    ...     datetime(2026, 3, 9, tzinfo=ZoneInfo("America/New_York")),
    ... )
    >>> day.duration
    datetime.timedelta(seconds=82800)
    >>> day.start in day, day.end in day
    (True, False)
    """

    start: datetime = attrs.field(converter=_aware_start, eq=_utc_key, order=_utc_key)
    end: datetime = attrs.field(converter=_aware_end, eq=_utc_key, order=_utc_key)

    def __attrs_post_init__(self) -> None:
        if _utc_key(self.end) < _utc_key(self.start):
            msg = f"end {self.end.isoformat()} is before start {self.start.isoformat()}"
            raise InvalidInput("end", msg)

    # Comparisons go through UTC: Python compares two datetimes sharing a tzinfo by
    # their wall fields and ignores ``fold``, so 01:30 EDT == 01:30 EST would hold.

    @property
    def duration(self) -> timedelta:
        """Exact elapsed length (computed in UTC)."""
        return elapsed(self.start, self.end)

    @property
    def empty(self) -> bool:
        """True when the interval contains no instant."""
        return _utc_key(self.start) == _utc_key(self.end)

    def __contains__(self, at: object) -> bool:
        when = to_utc(at, "at")  # type: ignore[arg-type]  # to_utc checks it is a datetime
        return _utc_key(self.start) <= when < _utc_key(self.end)

    def overlaps(self, other: Interval) -> bool:
        """Whether the two intervals share at least one instant."""
        return _utc_key(self.start) < _utc_key(other.end) and _utc_key(other.start) < _utc_key(
            self.end
        )

    def intersection(self, other: Interval) -> Interval | None:
        """The common part of two intervals, or ``None`` if they share no instant."""
        start = max(self.start, other.start, key=_utc_key)
        end = min(self.end, other.end, key=_utc_key)
        if _utc_key(start) >= _utc_key(end):
            return None
        return Interval(start, end)

    def astimezone(self, tz: tzinfo) -> Interval:
        """The same interval with both ends expressed in ``tz``.

        Within hours of the years 1 or 9999 an end may have no reading in ``tz``: that
        is an error naming ``tz``.
        """
        try:
            return Interval(self.start.astimezone(tz), self.end.astimezone(tz))
        except OverflowError:
            span = f"[{self.start.isoformat()}, {self.end.isoformat()})"
            msg = f"{span} has no reading in {tz}: it would fall outside the years 1-9999"
            raise InvalidInput("tz", msg) from None


@attrs.frozen
class SystemClock:
    """The real clock, for the shell only: ``now()`` is an aware UTC datetime.

    The pure core never calls it; pass ``now`` explicitly there.
    """

    def now(self) -> datetime:
        """The current instant, in UTC."""
        return _dt.datetime.now(UTC)  # noqa: TID251 - the one sanctioned clock read
