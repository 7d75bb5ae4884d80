"""The final schedule: overrides, then layers from the last to the first, then nobody."""

from __future__ import annotations

import bisect
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from tocsin._zonetable import LAST_INSTANT, delta_micros, expressed, instant, zone_table
from tocsin.errors import InvalidInput
from tocsin.schedules._coverage import CoverageReport, Overlap
from tocsin.schedules._layer import Layer, aware_micros, check_window
from tocsin.schedules._override import Override, resolve_overrides
from tocsin.schedules._shift import Piece as _Piece
from tocsin.schedules._shift import Shift, build_shifts, check_user, ordered
from tocsin.time import Interval, zone

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Schedule"]

Source = Layer | Override
#: A piece of the final schedule: start, end, who (None = nobody), from what.
Piece = tuple[datetime, datetime, str | None, tuple[Source, ...]]


def _name(value: object) -> str:
    if not isinstance(value, str) or not value:
        msg = f"expected a non-empty name, got {value!r}"
        raise InvalidInput("name", msg)
    return value


def _layers(value: object) -> tuple[Layer, ...]:
    layers = ordered(value, "layers", "Layer")  # the order is the precedence
    seen: dict[str, int] = {}
    for index, layer in enumerate(layers):
        if not isinstance(layer, Layer):
            msg = f"expected a Layer, got {layer!r}"
            raise InvalidInput(f"layers[{index}]", msg)  # noqa: EM102 - a field path
        if layer.name in seen:
            msg = f"layer names must be unique; {layer.name!r} is also layers[{seen[layer.name]}]"
            raise InvalidInput(f"layers[{index}].name", msg)  # noqa: EM102
        seen[layer.name] = index
    return layers


def _overrides(value: object) -> tuple[Override, ...]:
    overrides = ordered(value, "overrides", "Override")  # the one listed last wins
    for index, override in enumerate(overrides):
        if not isinstance(override, Override):
            msg = f"expected an Override, got {override!r}"
            raise InvalidInput(f"overrides[{index}]", msg)  # noqa: EM102 - a field path
    return overrides


def _tz(value: str | tzinfo) -> tzinfo:
    return zone(value, "tz")


@attrs.frozen
class Schedule:
    """Layers and overrides composed into one answer to "who is on call?".

    Composition follows PagerDuty: an override wins over every layer (the one added
    last, i.e. later in ``overrides``, wins where overrides overlap); otherwise the
    *last* layer with someone on call wins, and a gap in a layer falls through to the
    layers before it; otherwise nobody is on call.  Unlike Opsgenie and GoAlert, where
    everyone active is on call at once, exactly one person (or nobody) is on call.

    ``tz`` is the zone rendered shifts are expressed in; each layer computes its
    turns and windows in its own zone.  Every query is half-open and exact to the
    microsecond.  Any object with ``on_call_at(at) -> str | None`` can stand in for a
    schedule elsewhere in tocsin (the escalation engine takes one).

    >>> from datetime import time
    >>> from zoneinfo import ZoneInfo
    >>> from tocsin.schedules import Restriction, Turn
    >>> ny = ZoneInfo("America/New_York")
    >>> day = Layer(
    ...     "day",
    ...     ["alice"],
    ...     datetime(2026, 1, 5, 9, tzinfo=ny),
    ...     Turn.weeks(1),
    ...     ny,
    ...     restrictions=[Restriction.daily(time(9), timedelta(hours=8))],
    ... )
    >>> sched = Schedule("ops", [day], tz=ny)
    >>> (
    ...     sched.on_call_at(datetime(2026, 1, 6, 10, tzinfo=ny)),
    ...     sched.on_call_at(datetime(2026, 1, 6, 18, tzinfo=ny)),
    ... )
    ('alice', None)
    """

    name: str = attrs.field(converter=_name)
    layers: tuple[Layer, ...] = attrs.field(converter=_layers)
    overrides: tuple[Override, ...] = attrs.field(default=(), converter=_overrides)
    tz: tzinfo = attrs.field(default=UTC, kw_only=True, converter=_tz)
    _timeline: tuple[tuple[int, int, Override], ...] = attrs.field(init=False, eq=False, repr=False)
    _timeline_starts: tuple[int, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        timeline = tuple(
            (start, end, self.overrides[index])
            for start, end, index in resolve_overrides(self.overrides)
        )
        object.__setattr__(self, "_timeline", timeline)
        object.__setattr__(self, "_timeline_starts", tuple(piece[0] for piece in timeline))

    # -- point queries -----------------------------------------------------------

    def on_call_at(self, at: datetime) -> str | None:
        """Who is on call at ``at``, or ``None`` if nobody is.

        O(log overrides + layers): overrides by bisection, each layer by arithmetic.
        """
        when = aware_micros(at, "at")
        if self._timeline:
            override = self._override_at(when)
            if override is not None:
                return override.user
        for layer in reversed(self.layers):
            user = layer._on_call(when)  # noqa: SLF001 - same package, instant already checked
            if user is not None:
                return user
        return None

    def _override_at(self, when: int) -> Override | None:
        index = bisect.bisect_right(self._timeline_starts, when) - 1
        if index >= 0:
            start, end, override = self._timeline[index]
            if start <= when < end:
                return override
        return None

    # -- renders -----------------------------------------------------------------

    def shifts(self, start: datetime, end: datetime) -> Iterator[Shift]:
        """The final schedule over ``[start, end)``, lazily, clipped to the window.

        Adjacent pieces for the same user are merged into one shift whose ``sources``
        lists every layer or override that contributed.  Times are in :attr:`tz`.
        """
        lo, hi = check_window(start, end)
        return self._shifts(lo, hi)

    def _shifts(
        self, lo: int, hi: int, fields: tuple[str, str] = ("start", "end")
    ) -> Iterator[Shift]:
        if len(self.layers) == 1 and not self._timeline:
            # One layer and no override: the final schedule is the layer's merged
            # coverage, and the sweep would only copy it.
            pieces = self.layers[0]._segments(lo, hi)  # noqa: SLF001
            return build_shifts(pieces, lo, self.tz, fields)
        return build_shifts(self._pieces(lo, hi), lo, self.tz, fields)

    def gaps(self, start: datetime, end: datetime) -> Iterator[Interval]:
        """Every span of ``[start, end)`` with nobody on call, exactly, lazily.

        No gap is too small to report (Grafana merges gaps under a minute away); filter
        by :attr:`~tocsin.time.Interval.duration` if you want a threshold.
        """
        lo, hi = check_window(start, end)
        return self._gaps(lo, hi)

    def _gaps(self, lo: int, hi: int) -> Iterator[Interval]:
        tz = self.tz
        for begin, finish, user, _ in self._pieces(lo, hi):
            if user is None:
                yield Interval(expressed(begin, tz, "start"), expressed(finish, tz, "end"))

    def coverage(self, start: datetime, end: datetime) -> Fraction:
        """The exact fraction of ``[start, end)`` with someone on call (0 to 1).

        The window must not be empty.  ``float(...)`` it for display.
        """
        lo, hi = check_window(start, end)
        if hi == lo:
            msg = "coverage of an empty window is undefined; pass end > start"
            raise InvalidInput("end", msg)
        covered = 0
        for begin, finish, user, _ in self._pieces(lo, hi):
            if user is not None:
                covered += finish - begin
        return Fraction(covered, hi - lo)

    def next_shifts(
        self,
        user: str,
        after: datetime,
        n: int,
        *,
        within: timedelta = timedelta(days=366),
    ) -> tuple[Shift, ...]:
        """``user``'s first ``n`` shifts of the final schedule from ``after`` on.

        The same shifts as ``shifts(after, after + within)`` filtered to ``user``: one
        in progress at ``after`` comes first, clipped to start at ``after``.  Fewer than
        ``n`` come back if the search reaches ``within`` (or the end of the year 9999 in
        :attr:`tz`, where ``datetime`` ends) first.
        """
        check_user(user)
        lo = aware_micros(after, "after")
        count: object = n  # callers without type checking may pass anything
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            msg = f"expected a count >= 0, got {n!r}"
            raise InvalidInput("n", msg)
        horizon: object = within
        if not isinstance(horizon, timedelta) or horizon <= timedelta(0):
            msg = f"expected a positive timedelta, got {within!r}"
            raise InvalidInput("within", msg)
        found: list[Shift] = []
        if n == 0:
            return ()
        # The search stops at the end of datetime's range too, in the zone shifts are
        # expressed in: 9999-12-31T15:00Z is already the year 10000 in Tokyo.
        last = LAST_INSTANT - max(zone_table(self.tz).offset(LAST_INSTANT), 0)
        hi = min(lo + delta_micros(within), last)
        if hi <= lo:
            return ()
        for shift in self._shifts(lo, hi, ("after", "within")):
            if shift.user == user:
                found.append(shift)
                if len(found) == n:
                    break
        return tuple(found)

    def coverage_report(self, start: datetime, end: datetime) -> CoverageReport:
        """Every gap of the final schedule and every overlap between layers in a window.

        An overlap is time when two or more layers have someone on call at once; only
        the last of them pages (the others' time is silently taken), which is how
        follow-the-sun windows that drift with DST lose coverage without anyone seeing.
        """
        lo, hi = check_window(start, end)
        tz = self.tz
        gaps = tuple(self._gaps(lo, hi))
        edges: list[tuple[int, int, int]] = []
        for index, layer in enumerate(self.layers):
            for begin, finish, _, _ in layer._segments(lo, hi):  # noqa: SLF001 - same package
                edges.append((begin, 1, index))
                edges.append((finish, -1, index))
        edges.sort()
        # Integer instants throughout: two datetimes sharing ``tz`` compare by their
        # wall fields and ignore ``fold``, so 01:30 EDT would "touch" 01:30 EST.
        spans: list[tuple[int, int, tuple[str, ...]]] = []
        active: set[int] = set()
        position = 0
        while position < len(edges):
            moment = edges[position][0]
            while position < len(edges) and edges[position][0] == moment:
                _, change, index = edges[position]
                if change > 0:
                    active.add(index)
                else:
                    active.discard(index)
                position += 1
            if len(active) >= 2 and position < len(edges):  # noqa: PLR2004 - "two or more"
                names = tuple(self.layers[i].name for i in sorted(active))
                following = edges[position][0]
                if spans and spans[-1][2] == names and spans[-1][1] == moment:
                    spans[-1] = (spans[-1][0], following, names)
                else:
                    spans.append((moment, following, names))
        overlaps = tuple(
            Overlap(expressed(begin, tz, "start"), expressed(finish, tz, "end"), names)
            for begin, finish, names in spans
        )
        window = Interval(expressed(lo, tz, "start"), expressed(hi, tz, "end"))
        return CoverageReport(window, gaps=gaps, overlaps=overlaps)

    def pieces(self, lo: datetime, hi: datetime) -> Iterator[Piece]:
        """The final schedule over the span ``[lo, hi)``, gaps included, in UTC.

        Sorted, disjoint and covering the span exactly; adjacent pieces with the same
        user (or both nobody) are merged.  The sweep looks at each source's current
        segment only, so it runs in O(segments x sources) and stays lazy.
        """
        first, last = check_window(lo, hi, ("lo", "hi"))
        return (
            (instant(begin, UTC), instant(finish, UTC), user, sources)
            for begin, finish, user, sources in self._pieces(first, last)
        )

    def _pieces(self, lo: int, hi: int) -> Iterator[_Piece]:  # noqa: C901, PLR0912 - one hot loop
        """:meth:`pieces` on integer instants."""
        if hi <= lo:
            return
        # One stream of (start, end, user, (source,)) per source, in precedence order:
        # overrides first, then the layers from the last.
        streams: list[Iterator[_Piece]] = []
        if self._timeline:
            streams.append(self._override_items(lo, hi))
        streams.extend(layer._segments(lo, hi) for layer in reversed(self.layers))  # noqa: SLF001
        heads = [next(stream, None) for stream in streams]
        count = len(streams)
        cursor = lo
        pending_start = lo
        pending_user: str | None = None
        pending_sources: tuple[Source, ...] = ()
        while cursor < hi:
            # The first source (in precedence order) covering the cursor wins until its
            # segment ends or a source before it starts one.
            winner: _Piece | None = None
            change = hi
            for i in range(count):
                item = heads[i]
                if item is None:
                    continue
                if item[1] <= cursor:
                    stream = streams[i]
                    item = next(stream, None)
                    while item is not None and item[1] <= cursor:
                        item = next(stream, None)
                    heads[i] = item
                    if item is None:
                        continue
                if item[0] <= cursor:
                    winner = item
                    if item[1] < change:  # noqa: PLR1730 - no min() call in the hot loop
                        change = item[1]
                    break
                if item[0] < change:  # noqa: PLR1730
                    change = item[0]
            if winner is None:
                if pending_user is not None:
                    yield pending_start, cursor, pending_user, pending_sources
                    pending_start, pending_user, pending_sources = cursor, None, ()
            elif winner[2] != pending_user:
                if cursor > pending_start:
                    yield pending_start, cursor, pending_user, pending_sources
                pending_start, pending_user, pending_sources = cursor, winner[2], winner[3]
            else:
                # Identity, not equality: comparing whole layers field by field is slow.
                source = winner[3][0]
                if all(seen is not source for seen in pending_sources):
                    pending_sources = (*pending_sources, source)
            cursor = change
        yield pending_start, hi, pending_user, pending_sources

    def _override_items(self, lo: int, hi: int) -> Iterator[_Piece]:
        index = max(bisect.bisect_right(self._timeline_starts, lo) - 1, 0)
        timeline = self._timeline
        while index < len(timeline):
            start, end, override = timeline[index]
            if start >= hi:
                return
            if end > lo:
                yield start, end, override.user, (override,)
            index += 1
