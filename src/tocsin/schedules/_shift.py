"""Shifts: a person on call over a half-open span, and what put them there."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

import attrs

from tocsin._zonetable import Zone, instant, out_of_range, zone_table
from tocsin.errors import InvalidInput
from tocsin.time import Interval, _aware_end, _aware_start, _utc_key, require_aware

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tocsin.schedules._layer import Layer
    from tocsin.schedules._override import Override

__all__ = ["USER_IDS", "Piece", "Shift", "build_shifts", "check_user", "ordered"]

#: How errors describe a list of participants.
USER_IDS = "user ids such as ['alice', 'bob']"


def ordered(value: object, field: str, noun: str) -> tuple[Any, ...]:
    """``value`` as a tuple, if it is an ordered sequence of ``noun`` (unchecked items).

    A string (a sequence of letters) is refused, and so is a ``set``: where order means
    something (rotation, precedence) it has none.  A set's iteration order depends on
    string hashing, which changes from one process to the next, so two workers would
    disagree about who is on call.
    """
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = f"expected a sequence of {noun}, got {value!r}"
        raise InvalidInput(field, msg)
    if isinstance(value, set | frozenset):
        msg = (
            f"expected an ordered sequence (a list or tuple), got a {type(value).__name__}; "
            "its order changes between runs, and here order decides who is on call"
        )
        raise InvalidInput(field, msg)
    return tuple(value)


def check_user(value: object, field: str = "user") -> str:
    """A participant is a non-empty string (a user id, an email, a name)."""
    if not isinstance(value, str) or not value:
        msg = f"expected a non-empty user id string, got {value!r}"
        raise InvalidInput(field, msg)
    return value


def _sources_repr(sources: tuple[Layer | Override, ...]) -> str:
    parts = [
        f"layer {source.name!r}" if hasattr(source, "name") else repr(source) for source in sources
    ]
    return "(" + ", ".join(parts) + ")"


def _sources(value: object) -> tuple[Layer | Override, ...]:
    from tocsin.schedules._layer import Layer  # noqa: PLC0415 - it imports this module
    from tocsin.schedules._override import Override  # noqa: PLC0415 - it imports this module

    # The order is the order of first appearance.
    sources = ordered(value, "sources", "the layers and overrides behind the shift")
    for index, source in enumerate(sources):
        if not isinstance(source, Layer | Override):
            msg = f"expected a Layer or an Override, got {source!r}"
            raise InvalidInput(f"sources[{index}]", msg)  # noqa: EM102 - a field path
    return sources


@attrs.frozen
class Shift:
    """``user`` is on call over ``[start, end)``.

    ``sources`` says what put them there: the :class:`~tocsin.schedules.Layer` or
    :class:`~tocsin.schedules.Override` objects, in order of first appearance (a merged
    shift of the final schedule can span an override and a layer).  Equality uses
    instants, never wall-clock fields, like :class:`tocsin.time.Interval`.
    """

    user: str = attrs.field(converter=check_user)
    start: datetime = attrs.field(converter=_aware_start, eq=_utc_key, order=_utc_key)
    end: datetime = attrs.field(converter=_aware_end, eq=_utc_key, order=_utc_key)
    sources: tuple[Layer | Override, ...] = attrs.field(
        default=(), kw_only=True, converter=_sources, repr=_sources_repr
    )

    def __attrs_post_init__(self) -> None:
        if _utc_key(self.end) <= _utc_key(self.start):
            msg = (
                f"a shift ends after it starts; got {self.start.isoformat()} "
                f"to {self.end.isoformat()}"
            )
            raise InvalidInput("end", msg)

    @property
    def interval(self) -> Interval:
        """The span as an :class:`~tocsin.time.Interval`."""
        return Interval(self.start, self.end)

    @property
    def duration(self) -> timedelta:
        """Exact elapsed length, counted in UTC (a 09:00-to-09:00 day can be 23 h)."""
        return _utc_key(self.end) - _utc_key(self.start)

    def __contains__(self, at: object) -> bool:
        when = require_aware(at, "at").astimezone(UTC)
        return _utc_key(self.start) <= when < _utc_key(self.end)

    def astimezone(self, tz: tzinfo) -> Shift:
        """The same shift with both ends expressed in ``tz``."""
        return attrs.evolve(self, start=self.start.astimezone(tz), end=self.end.astimezone(tz))


#: A piece of a render on integer instants: start, end, who (None: nobody), from what.
Piece = tuple[int, int, "str | None", "tuple[Layer | Override, ...]"]

# Renders make one shift per piece, already valid: they skip the validators and write
# the slots directly (half the cost of ``object.__setattr__`` by name).
_set_user = Shift.__dict__["user"].__set__
_set_start = Shift.__dict__["start"].__set__
_set_end = Shift.__dict__["end"].__set__
_set_sources = Shift.__dict__["sources"].__set__
_new = object.__new__
#: Distinct gaps between consecutive instants remembered per render.
_DELTAS_LIMIT = 4096


def _remember(deltas: dict[int, timedelta], gap: int) -> timedelta:
    if len(deltas) >= _DELTAS_LIMIT:
        deltas.clear()
    delta = deltas[gap] = timedelta(microseconds=gap)
    return delta


def _afresh(zone: Zone, moment: int) -> tuple[datetime, int, int]:
    """``moment`` as a datetime, and the instants of its safe span (empty in a fold)."""
    off, safe_lo, safe_hi = zone.instant_span(moment)
    if safe_lo <= moment + off < safe_hi:
        return instant(moment, zone.tz), safe_lo - off, safe_hi - off
    return instant(moment, zone.tz), 0, 0


def build_shifts(
    pieces: Iterable[Piece], lo: int, tz: tzinfo, fields: tuple[str, str] = ("start", "end")
) -> Iterator[Shift]:
    """Shifts for the pieces with someone on call, their ends as datetimes in ``tz``.

    The renderers' output boundary, and most of a render's cost.  Within a span of the
    zone where every wall reading occurs once, wall-clock and elapsed time agree, so
    each datetime is the previous one plus the gap between them (a cached timedelta;
    adding it costs a tenth of building a datetime); elsewhere it is built afresh.
    ``lo`` is at or before the first piece.  A shift end no ``datetime`` in ``tz`` can
    hold (the window reaches past the year 9999 there) raises
    :class:`~tocsin.errors.InvalidInput` naming ``fields[0]`` (before the year 1) or
    ``fields[1]`` (after 9999), the window's ends.
    """
    try:
        yield from _build_shifts(pieces, lo, tz)
    except OverflowError as err:
        # Renders run forwards from ``lo``: if ``lo`` itself is expressible, it was the
        # far end that was not.
        try:
            instant(lo, tz)
        except OverflowError:
            raise out_of_range(fields[0], tz, late=False) from err
        raise out_of_range(fields[1], tz, late=True) from err


def _build_shifts(pieces: Iterable[Piece], lo: int, tz: tzinfo) -> Iterator[Shift]:
    zone = zone_table(tz)
    deltas: dict[int, timedelta] = {}
    # ``last`` is always inside [span_lo, span_hi) (or the span is empty), so a moment
    # inside the span shares it with ``last``.  A gap is never 0, so its timedelta is
    # true.
    last = lo
    last_time, span_lo, span_hi = _afresh(zone, lo)
    for begin, finish, user, sources in pieces:
        if user is None:
            continue
        if begin != last:
            if span_lo <= begin < span_hi:
                last_time += deltas.get(begin - last) or _remember(deltas, begin - last)
            else:
                last_time, span_lo, span_hi = _afresh(zone, begin)
        shift: Shift = _new(Shift)
        _set_user(shift, user)
        _set_start(shift, last_time)
        if span_lo <= finish < span_hi:
            last_time += deltas.get(finish - begin) or _remember(deltas, finish - begin)
        else:
            last_time, span_lo, span_hi = _afresh(zone, finish)
        last = finish
        _set_end(shift, last_time)
        _set_sources(shift, sources)
        yield shift
