"""UTC offsets of a time zone as integer microseconds, for the hot paths of tocsin.

Private.  Instants are microseconds since 1970-01-01T00:00Z and wall-clock readings
are microseconds since a naive 1970-01-01T00:00 ("wall" below), so calendar and DST
arithmetic is integer arithmetic.  Building an aware ``datetime`` costs about a
microsecond and resolving a wall time with ``datetime.replace`` and ``utcoffset``
several; a lookup here is a bisection in a list of a few integers.

A zone's transitions are discovered lazily, one chunk (about 13 months) at a time: the
offset is sampled every 24 hours of wall clock and each change is bisected to the exact
microsecond.  That finds every transition as long as no two lie within a day of each
other: in the pinned tzdata no two transitions of any zone since 1900 are closer than
166 hours, and a test checks every zone against the standard library.  Tables are used
for ``ZoneInfo`` zones loaded by key and for fixed offsets; any other ``tzinfo`` (or
an instant within days of ``datetime.min`` or ``max``, or a zone found irregular) takes
the slow, generic path of :class:`Zone`, which is :func:`resolve_slow`, the definition
the fast path reproduces:

* a wall time that occurs once maps to that instant;
* one in a fold (it occurs twice) maps to the earlier instant, or the later one when
  asked (restriction window ends);
* one in a gap (it never occurs) maps to the first instant after the gap, the moment
  of the transition (GoAlert's rule).

The integer clocks extend past ``datetime``'s years 1-9999, so arithmetic on them
(a handoff ten thousand years out) never fails; only turning an integer back into a
``datetime`` can, with ``OverflowError``, which the public API reports as
:class:`~tocsin.errors.InvalidInput` naming the field (:func:`out_of_range`).  Within
two days of either end of the range and beyond it, a zone's offset is taken to be the
one two days in: no zone changes its offset there (a test checks every zone), so the
answer is exact wherever ``datetime`` can express it.
"""

from __future__ import annotations

import bisect
import itertools
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from tocsin.errors import InvalidInput

__all__ = [
    "DAY",
    "EPOCH_ORDINAL",
    "HOUR",
    "LAST_INSTANT",
    "MINUTE",
    "SECOND",
    "WEEK",
    "Zone",
    "delta_micros",
    "expressed",
    "ZoneTable",
    "instant",
    "micros",
    "out_of_range",
    "resolve_slow",
    "wall_datetime",
    "wall_micros",
    "zone_table",
]

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY
#: ``date(1970, 1, 1).toordinal()``: day 0 of the integer clocks.
EPOCH_ORDINAL = 719_163

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_WALL = datetime(1970, 1, 1)  # noqa: DTZ001 - the origin of naive wall readings
_ONE_DAY = timedelta(days=1)
_ONE_MICROSECOND = timedelta(microseconds=1)
_fromtimestamp = datetime.fromtimestamp

#: Chunks are ``2**_CHUNK_BITS`` microseconds (about 13 months) of instants or walls.
_CHUNK_BITS = 45
_CHUNK = 1 << _CHUNK_BITS
#: Each chunk also knows this much either side of itself, so a wall time in the chunk
#: resolves from the chunk alone (a UTC offset is always less than a day).
_MARGIN = 3 * DAY
#: Integer instants for which a chunk may be built: the datetime range, a margin in.
_FIRST = (date(1, 1, 10).toordinal() - EPOCH_ORDINAL) * DAY
_LAST = (date(9999, 12, 20).toordinal() - EPOCH_ORDINAL) * DAY
#: The last instant a datetime can hold (9999-12-31T23:59:59.999999Z).
LAST_INSTANT = (date.max.toordinal() + 1 - EPOCH_ORDINAL) * DAY - 1
#: Bounds of "everywhere" for fixed offsets.
_FAR = 1 << 62
#: The generic path converts only instants and walls in this range, two days inside
#: datetime's (a UTC offset is less than a day, so no conversion can leave it).
_EDGE_LO = (date.min.toordinal() + 2 - EPOCH_ORDINAL) * DAY
_EDGE_HI = (date.max.toordinal() - 1 - EPOCH_ORDINAL) * DAY


def micros(value: datetime) -> int:
    """The instant of the aware ``value`` as microseconds since the Unix epoch.

    A ``TypeError`` for a naive value (Python refuses to subtract it from an aware one).
    """
    # Subtracting an aware UTC datetime from another with the same tzinfo skips both
    # utcoffset calls: the cheapest exact conversion there is.
    return (value - _EPOCH) // _ONE_MICROSECOND


def wall_micros(value: datetime) -> int:
    """The wall-clock reading of the naive ``value`` (its fold ignored) as microseconds."""
    return (value - _EPOCH_WALL) // _ONE_MICROSECOND


def wall_datetime(wall: int) -> datetime:
    """The naive datetime of a wall reading in microseconds."""
    return _EPOCH_WALL + timedelta(microseconds=wall)


def instant(u: int, tz: tzinfo) -> datetime:
    """The instant ``u`` (microseconds since the epoch) as an aware datetime in ``tz``.

    Exactly ``datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=u)`` converted
    with ``astimezone(tz)`` (so ``fold`` is right), but whole seconds take the faster
    ``datetime.fromtimestamp`` with an integer, which is exact.
    """
    seconds, rest = divmod(u, SECOND)
    if not rest:
        try:
            return _fromtimestamp(seconds, tz)
        except (OverflowError, OSError, ValueError):  # pragma: no cover - the year 1 or 9999
            pass
    return (_EPOCH + timedelta(microseconds=u)).astimezone(tz)


def out_of_range(field: str, tz: tzinfo, *, late: bool) -> InvalidInput:
    """The error for an instant that no ``datetime`` in ``tz`` can hold.

    ``datetime`` covers the years 1-9999 of the wall clock; a result outside them (a
    handoff far out, a render reaching past 9999-12-31 in a zone ahead of UTC) is
    reported against the input ``field`` that led there.
    """
    side = "after the year 9999" if late else "before the year 1"
    msg = f"the result falls {side} in {tz}, outside what a datetime can hold"
    return InvalidInput(field, msg)


def expressed(u: int, tz: tzinfo, field: str) -> datetime:
    """:func:`instant`, or :func:`out_of_range` naming ``field`` if no datetime holds it."""
    try:
        return instant(u, tz)
    except OverflowError as err:
        raise out_of_range(field, tz, late=u >= 0) from err


def delta_micros(off: timedelta | None) -> int:
    """A ``timedelta`` (a UTC offset, a duration) as integer microseconds."""
    if off is None:
        msg = "the time zone gave no UTC offset"
        raise ValueError(msg)
    return off.days * DAY + off.seconds * SECOND + off.microseconds


def resolve_slow(wall: datetime, tz: tzinfo, *, later: bool = False) -> datetime:
    """The instant of the naive ``wall`` in ``tz`` by the rules above, for any ``tzinfo``.

    Uses only ``replace``, ``utcoffset`` and ``astimezone`` (PEP 495 ``fold``).  The
    result carries ``tz`` and the right ``fold``.
    """
    first = wall.replace(tzinfo=tz, fold=0)
    second = wall.replace(tzinfo=tz, fold=1)
    off_first, off_second = first.utcoffset(), second.utcoffset()
    exists = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall.replace(fold=0)
    if off_first == off_second:
        if exists:
            return first
        # A gap in a tzinfo that ignores ``fold`` there (python-dateutil 2.x gives the
        # offset after the change for both): the instant it names lies on the other
        # side of the change, whose offset is the other one.
        off_second = first.astimezone(UTC).astimezone(tz).utcoffset()
    if exists:
        # A fold: both readings exist; fold=0 is the earlier instant.
        return second if later else first
    # A gap: the transition instant T lies between wall - off_after and
    # wall - off_before (fold=0 gives one offset and fold=1, or the round trip, the other).
    if off_first is None or off_second is None:  # pragma: no cover - guarded above
        msg = f"time zone {tz!r} gave no UTC offset"
        raise ValueError(msg)
    naive_utc_before = wall - off_first
    naive_utc_after = wall - off_second
    lo = min(naive_utc_before, naive_utc_after).replace(tzinfo=UTC)
    hi = max(naive_utc_before, naive_utc_after).replace(tzinfo=UTC)
    after = hi.astimezone(tz).utcoffset()
    # Binary search for the first UTC instant (microsecond resolution) whose offset
    # is the post-transition one.  Gaps are at most a few hours: about 35 steps.
    while hi - lo > _ONE_MICROSECOND:
        mid = lo + (hi - lo) // 2
        if mid.astimezone(tz).utcoffset() == after:
            hi = mid
        else:
            lo = mid
    return hi.astimezone(tz)


class Zone:
    """The integer view of a ``tzinfo``: offsets of instants, instants of wall times.

    This base class answers through ``datetime`` for any ``tzinfo`` (slow, exact);
    :class:`ZoneTable` answers from a transition table and falls back on it.  The
    ``*_span`` methods also return a *safe span* ``[lo, hi)`` of wall readings that each
    occur exactly once and all resolve with the same offset, so a caller scanning
    forward can resolve the next walls as ``wall - offset`` without asking again; here
    the span is empty.  Any integer is accepted, inside ``datetime``'s range or not.

    The methods call each other as ``Zone.method(self, ...)``, never ``self.method``:
    a :class:`ZoneTable` falling back here must not be dispatched back into its table.
    """

    __slots__ = ("tz",)

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz

    def offset(self, u: int) -> int:
        """The UTC offset at the instant ``u``, in microseconds."""
        # Near and past the ends of datetime's range: the offset two days in (see the
        # module docstring).
        u = _EDGE_LO if u < _EDGE_LO else min(u, _EDGE_HI)
        return delta_micros(instant(u, self.tz).utcoffset())

    def resolve(self, wall: int, *, later: bool = False) -> int:
        """The instant of the wall reading ``wall`` (gap: the transition; fold: earlier)."""
        if _EDGE_LO <= wall <= _EDGE_HI:
            return micros(resolve_slow(wall_datetime(wall), self.tz, later=later))
        return wall - Zone.offset(self, wall)

    def resolve_datetime(self, wall: datetime, *, later: bool = False) -> datetime:
        """:meth:`resolve` for a naive datetime, as an aware datetime in the zone.

        ``OverflowError`` when the instant has no ``datetime`` in the zone.
        """
        w = wall_micros(wall)
        if _EDGE_LO <= w <= _EDGE_HI:
            return resolve_slow(wall, self.tz, later=later)
        return instant(Zone.resolve(self, w, later=later), self.tz)

    def resolve_span(self, wall: int, *, later: bool = False) -> tuple[int, int, int, int]:
        """``(instant, offset, lo, hi)``: :meth:`resolve`, with a safe span and its offset.

        The span holds ``wall`` or, for a wall in a gap or fold, begins right after it.
        """
        return Zone.resolve(self, wall, later=later), 0, 0, 0

    def instant_span(self, u: int) -> tuple[int, int, int]:
        """``(offset, lo, hi)``: the offset at ``u`` and the safe span of its period.

        When ``lo <= u + offset < hi`` the wall reading of ``u`` occurs exactly once
        (``u`` is not in a fold), so wall-clock comparisons decide everything about it.
        """
        return Zone.offset(self, u), 0, 0


class _Chunk:
    """The transitions within (and a margin around) one chunk of the time line.

    ``offsets[i]`` holds from ``transitions[i - 1]`` to ``transitions[i]``; period
    ``i``'s safe span of wall readings is ``[safe_lo[i], safe_hi[i])``, clamped to what
    the chunk knows; between ``safe_hi[i]`` and ``safe_lo[i + 1]`` lie the walls of
    transition ``i``'s gap or fold.
    """

    __slots__ = ("offsets", "safe_hi", "safe_lo", "transitions")

    def __init__(self, start: int, end: int, transitions: list[int], offsets: list[int]) -> None:
        # ``transitions`` are those in [start, end); ``offsets`` the offset at ``start``
        # and after each transition.
        self.transitions = transitions
        self.offsets = offsets
        self.safe_lo: list[int] = []
        self.safe_hi: list[int] = []
        known_lo, known_hi = start + 2 * DAY, end - 2 * DAY
        count = len(transitions)
        for i in range(count + 1):
            lo = known_lo
            if i:
                lo = max(lo, transitions[i - 1] + max(offsets[i - 1], offsets[i]))
            hi = known_hi
            if i < count:
                hi = min(hi, transitions[i] + min(offsets[i], offsets[i + 1]))
            self.safe_lo.append(lo)
            self.safe_hi.append(hi)


class _IrregularZoneError(Exception):
    """Transitions too close together for the 24-hour sampling to be trusted."""


class ZoneTable(Zone):
    """A ``ZoneInfo`` zone (or a fixed offset) as a lazily built transition table.

    Answers exactly what :class:`Zone` answers, from integers.  Chunks are built on
    first use and never change; building one samples ~420 wall times and bisects each
    change (about 0.2 ms).  A zone whose transitions turn out closer than two days
    apart (none in tzdata) falls back to the generic path for good.
    """

    __slots__ = ("_chunks", "_fixed", "_irregular")

    def __init__(self, tz: tzinfo) -> None:
        super().__init__(tz)
        self._chunks: dict[int, _Chunk] = {}
        self._fixed: int | None = None
        self._irregular = False
        if isinstance(tz, timezone):
            self._fixed = delta_micros(tz.utcoffset(None))

    # -- building ----------------------------------------------------------------

    def _offset_at(self, u: int) -> int:
        return delta_micros(instant(u, self.tz).utcoffset())

    def _bisect(self, lo: int, hi: int) -> int:
        """The first instant in ``(lo, hi]`` with ``hi``'s offset (one change inside)."""
        target = self._offset_at(hi)
        if self._offset_at(lo) == target:
            raise _IrregularZoneError
        # Whole seconds first (the cheap conversion; tzdata transitions fall on whole
        # seconds), then the microseconds within the second found.
        first, last = lo // SECOND + 1, hi // SECOND
        if first <= last:
            if self._offset_at(last * SECOND) == target:
                below, above = first - 1, last
                while above - below > 1:
                    mid = (below + above) // 2
                    if self._offset_at(mid * SECOND) == target:
                        above = mid
                    else:
                        below = mid
                hi = above * SECOND
                lo = max(lo, hi - SECOND)
            else:
                lo = last * SECOND
        if hi - lo > 1 and self._offset_at(hi - 1) != target:
            return hi
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._offset_at(mid) == target:
                hi = mid
            else:
                lo = mid
        return hi

    def _build(self, key: int) -> _Chunk | None:
        start = (key << _CHUNK_BITS) - _MARGIN
        end = ((key + 1) << _CHUNK_BITS) + _MARGIN
        if start < _FIRST or end > _LAST:
            return None
        # Sample the offset of wall readings (fold=0) once a day: it changes once per
        # transition T, at wall T + max(offset before, offset after), which lies within
        # a day of T; bisect each change among the instants around it.
        utcoffset = self.tz.utcoffset
        wall = wall_datetime(start - 2 * DAY)
        stop = wall_datetime(end + 2 * DAY)
        previous = utcoffset(wall)
        changes: list[int] = []
        while wall < stop:
            following = wall + _ONE_DAY
            current = utcoffset(following)
            if current != previous:
                before = wall_micros(wall) - DAY
                after = wall_micros(following) + DAY
                moment = self._bisect(before, after)
                if start <= moment < end:
                    changes.append(moment)
            previous, wall = current, following
        for earlier, later in itertools.pairwise(changes):
            if later - earlier < 2 * DAY:
                raise _IrregularZoneError
        offsets = [self._offset_at(start), *(self._offset_at(moment) for moment in changes)]
        return _Chunk(start, end, changes, offsets)

    def _chunk(self, x: int) -> _Chunk | None:
        key = x >> _CHUNK_BITS
        found = self._chunks.get(key)
        if found is None and not self._irregular:
            try:
                found = self._build(key)
            except _IrregularZoneError:
                self._irregular = True
                self._chunks.clear()
                return None
            if found is not None:
                self._chunks[key] = found
        return found

    # -- answering ---------------------------------------------------------------

    def offset(self, u: int) -> int:
        return self.instant_span(u)[0]

    def resolve(self, wall: int, *, later: bool = False) -> int:
        return self.resolve_span(wall, later=later)[0]

    def resolve_datetime(self, wall: datetime, *, later: bool = False) -> datetime:
        w = wall_micros(wall)
        if self._fixed is None and self._chunk(w) is None:
            return super().resolve_datetime(wall, later=later)
        return instant(self.resolve(w, later=later), self.tz)

    def resolve_span(self, wall: int, *, later: bool = False) -> tuple[int, int, int, int]:
        fixed = self._fixed
        if fixed is not None:
            return wall - fixed, fixed, -_FAR, _FAR
        chunk = self._chunks.get(wall >> _CHUNK_BITS) or self._chunk(wall)
        if chunk is None:
            return super().resolve_span(wall, later=later)
        safe_lo = chunk.safe_lo
        i = bisect.bisect_right(safe_lo, wall) - 1
        offsets = chunk.offsets
        off = offsets[i]
        hi = chunk.safe_hi[i]
        if wall < hi:
            return wall - off, off, safe_lo[i], hi
        # Between two safe spans: transition i's gap or fold.
        after = offsets[i + 1]
        if after > off:  # a gap: the first instant after it
            return chunk.transitions[i], after, safe_lo[i + 1], chunk.safe_hi[i + 1]
        u = wall - after if later else wall - off
        return u, after, safe_lo[i + 1], chunk.safe_hi[i + 1]

    def instant_span(self, u: int) -> tuple[int, int, int]:
        fixed = self._fixed
        if fixed is not None:
            return fixed, -_FAR, _FAR
        chunk = self._chunks.get(u >> _CHUNK_BITS) or self._chunk(u)
        if chunk is None:
            return super().instant_span(u)
        i = bisect.bisect_right(chunk.transitions, u)
        return chunk.offsets[i], chunk.safe_lo[i], chunk.safe_hi[i]

    def transitions(self, start: int, end: int) -> list[tuple[int, int]]:
        """``(instant, offset after)`` of every offset change in ``[start, end)``.

        For tests and diagnostics: the table's view of the zone.
        """
        found: dict[int, int] = {}
        key = start >> _CHUNK_BITS
        while key << _CHUNK_BITS < end:
            chunk = self._chunk(key << _CHUNK_BITS)
            if chunk is None:
                msg = f"no table for {self.tz!r} around {key << _CHUNK_BITS}"
                raise ValueError(msg)
            for index, moment in enumerate(chunk.transitions):
                if start <= moment < end:
                    found[moment] = chunk.offsets[index + 1]
            key += 1
        return sorted(found.items())


_TABLES: dict[tzinfo, Zone] = {}
#: Zones kept before the cache starts afresh (``ZoneInfo.no_cache`` makes new objects).
_TABLES_LIMIT = 1024


def zone_table(tz: tzinfo) -> Zone:
    """The shared integer view of ``tz`` (a :class:`ZoneTable` where one applies)."""
    try:
        found = _TABLES.get(tz)
    except TypeError:  # an unhashable tzinfo
        return Zone(tz)
    if found is None:
        usable = isinstance(tz, timezone) or (isinstance(tz, ZoneInfo) and tz.key is not None)
        found = ZoneTable(tz) if usable else Zone(tz)
        if len(_TABLES) >= _TABLES_LIMIT:
            _TABLES.clear()
        _TABLES[tz] = found
    return found
