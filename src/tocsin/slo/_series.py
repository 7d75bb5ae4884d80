"""Time-bucketed good/total counts, with prefix sums for O(1) window queries.

A :class:`CountSeries` is what a metrics store hands back for an SLO: one bucket of
counts per minute (or any fixed step) from a start instant.  Windows are answered
from prefix sums of the counts, so a 30-day window costs two subtractions, and sums
of counts (never averages of ratios) are what every SLI is built from.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from itertools import accumulate, repeat
from operator import gt
from typing import TYPE_CHECKING, cast

import attrs

from tocsin._checks import (
    in_zone,
    instance,
    listed,
    shifted,
    typed_tuple,
    utc_instant,
    whole_number,
)
from tocsin.errors import InvalidInput
from tocsin.slo._numbers import microseconds, require_duration, to_target
from tocsin.slo._sli import Counts, GoodOverTotal, event_count, good_over_total_policy
from tocsin.time import Interval, require_aware, to_utc

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from datetime import datetime, timedelta, tzinfo


#: The largest finite float, as an exact integer.
_LARGEST_FLOAT = int(sys.float_info.max)


def _start(value: object) -> datetime:
    utc_instant(value, "start")  # refuses an instant UTC cannot show
    return require_aware(value, "start")


def _step(value: object) -> timedelta:
    return require_duration(value, "step")


def _counts(values: Iterable[object], field: str) -> tuple[int, ...]:
    items = listed(values, field, "counts")
    # Fast path for the common case (plain non-negative ints); the slow path names
    # the first offending bucket.
    if all(type(v) is int for v in items):
        ints = cast("tuple[int, ...]", items)
        if not ints or min(ints) >= 0:
            return ints
    return tuple(event_count(v, f"{field}[{i}]") for i, v in enumerate(items))


def _span(value: object) -> Interval:
    return instance(value, Interval, "span")


def _good(value: Iterable[object]) -> tuple[int, ...]:
    return _counts(value, "good")


def _total(value: Iterable[object]) -> tuple[int, ...]:
    return _counts(value, "total")


@attrs.frozen
class CountSeries:
    """Good and total event counts in consecutive buckets of ``step`` from ``start``.

    Bucket ``i`` covers ``[start + i·step, start + (i+1)·step)`` in elapsed time.  A
    window takes every bucket whose *start* lies inside it, so windows and calendar
    periods aligned to the step partition the buckets exactly.

    >>> from datetime import UTC, datetime, timedelta
    >>> s = CountSeries(
    ...     datetime(2026, 3, 1, tzinfo=UTC),
    ...     timedelta(minutes=1),
    ...     good=[100, 90, 100],
    ...     total=[100, 100, 100],
    ... )
    >>> s.counts(Interval(s.start, s.end))
    Counts(good=290, total=300)
    >>> s.burn_rates(timedelta(minutes=2), "99%")
    [0.0, 5.0, 5.0]
    """

    start: datetime = attrs.field(converter=_start)
    step: timedelta = attrs.field(converter=_step)
    good: tuple[int, ...] = attrs.field(converter=_good)
    total: tuple[int, ...] = attrs.field(converter=_total)
    good_over_total: GoodOverTotal = attrs.field(
        default=GoodOverTotal.ERROR,
        converter=good_over_total_policy,
        kw_only=True,
        eq=False,
        repr=False,
    )
    _cum_bad: list[int] = attrs.field(init=False, eq=False, repr=False)
    _cum_total: list[int] = attrs.field(init=False, eq=False, repr=False)
    _end: datetime = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if len(self.good) != len(self.total):
            msg = f"{len(self.good)} good buckets but {len(self.total)} total buckets"
            raise InvalidInput("good", msg)
        if any(map(gt, self.good, self.total)):
            if self.good_over_total is GoodOverTotal.CLAMP:
                object.__setattr__(self, "good", tuple(map(min, self.good, self.total)))
            else:
                i = next(
                    i for i, (g, t) in enumerate(zip(self.good, self.total, strict=True)) if g > t
                )
                msg = (
                    f"{self.good[i]} good events is more than the {self.total[i]} in total; "
                    "pass good_over_total='clamp' to clamp instead"
                )
                where = f"good[{i}]"
                raise InvalidInput(where, msg)
        object.__setattr__(self, "_end", self._last_end())
        bad = map(int.__sub__, self.total, self.good)
        object.__setattr__(self, "_cum_bad", list(accumulate(bad, initial=0)))
        object.__setattr__(self, "_cum_total", list(accumulate(self.total, initial=0)))

    @classmethod
    def from_counts(cls, start: datetime, step: timedelta, counts: Iterable[Counts]) -> CountSeries:
        """Build a series from one :class:`Counts` per bucket."""
        items = typed_tuple(counts, Counts, "counts")
        return cls(start, step, good=[c.good for c in items], total=[c.total for c in items])

    def __len__(self) -> int:
        return len(self.total)

    def _last_end(self) -> datetime:
        # Every bucket must end inside the years 1-9999, or windows over the series
        # would fail far from the cause.
        msg = (
            f"{len(self)} buckets of {self.step} from {self.start.isoformat()} end "
            "after the year 9999, the last that Python's datetime can hold"
        )
        try:
            span = self.step * len(self)
        except OverflowError:
            raise InvalidInput("step", msg) from None
        end = shifted(to_utc(self.start), span, "step")
        return in_zone(end, cast("tzinfo", self.start.tzinfo), "step")

    @property
    def end(self) -> datetime:
        """The end of the last bucket (exclusive), in ``start``'s zone."""
        return self._end

    def bucket(self, i: int) -> Interval:
        """Bucket ``i``'s span."""
        whole_number(i, "i", minimum=0)
        if not 0 <= i < len(self):
            msg = f"expected 0 <= i < {len(self)}, got {i}"
            raise InvalidInput("i", msg)
        begin = to_utc(self.start) + self.step * i
        tz = self.start.tzinfo
        return Interval(begin.astimezone(tz), (begin + self.step).astimezone(tz))

    def _index(self, at: datetime) -> int:
        """How many buckets start before ``at`` (clamped to the series)."""
        offset = microseconds(to_utc(at) - to_utc(self.start))
        step = microseconds(self.step)
        return min(max(-(-offset // step), 0), len(self))

    def counts(self, span: Interval) -> Counts:
        """The summed counts of every bucket that starts inside ``span``."""
        _span(span)
        i, j = self._index(span.start), self._index(span.end)
        total = self._cum_total[j] - self._cum_total[i]
        return Counts(total - (self._cum_bad[j] - self._cum_bad[i]), total)

    def slices(self, span: Interval, size: timedelta) -> Iterator[Counts]:
        """Counts for consecutive slices of ``size`` from ``span.start``.

        The last slice ends at ``span.end`` and may be shorter.  Slices past the data
        come out empty, and the objective's no-data policy decides what they mean.
        """
        length = require_duration(size, "size")
        begin, stop = to_utc(_span(span).start), to_utc(span.end)
        while begin < stop:
            # Compared before adding: a slice longer than what is left of the span
            # may reach past the year 9999.
            after = begin + length if length < stop - begin else stop
            yield self.counts(Interval(begin, after))
            begin = after

    def buckets_in(self, window: timedelta) -> int:
        """``window`` as a whole number of buckets; an error if it is not one."""
        length = require_duration(window, "window")
        n, rest = divmod(microseconds(length), microseconds(self.step))
        if rest:
            msg = f"{length} is not a whole number of {self.step} buckets"
            raise InvalidInput("window", msg)
        return n

    def burn_rates(self, window: timedelta, target: object) -> list[float | None]:
        """The burn rate over the trailing ``window`` at the end of every bucket.

        Entry ``i`` covers the ``window`` ending at bucket ``i``'s end (fewer buckets
        near the start of the series).  ``None`` where the window holds no events.
        Each value is the exact ratio of integers ``bad · q / (total · p)`` for
        ``1 - target = p/q``, rounded once to the nearest float: no error accumulates
        from floating-point prefix sums.
        """
        w = self.buckets_in(window)
        beta = 1 - to_target(target)
        p, q = beta.numerator, beta.denominator
        if q > p * _LARGEST_FLOAT:
            # No burn rate exceeds 1/beta (a total outage), so checking it once keeps
            # every division below from overflowing a float.
            msg = (
                f"burn rates at this target reach {q // p}, beyond what a float holds; "
                "use exact_burn_rate for exact values"
            )
            raise InvalidInput("target", msg)
        n = len(self)
        cb, ct = self._cum_bad, self._cum_total
        # Window i spans prefix entries (max(i + 1 - w, 0), i + 1].
        head = list(repeat(0, min(w, n)))
        stop = max(n - w + 1, 1)
        lo_b, lo_t = head + cb[1:stop], head + ct[1:stop]
        if p == 1:
            return [
                (b1 - b0) * q / d if (d := t1 - t0) else None
                for b1, b0, t1, t0 in zip(cb[1:], lo_b, ct[1:], lo_t, strict=True)
            ]
        return [
            (b1 - b0) * q / (d * p) if (d := t1 - t0) else None
            for b1, b0, t1, t0 in zip(cb[1:], lo_b, ct[1:], lo_t, strict=True)
        ]

    def exact_burn_rate(self, window: timedelta, target: object, i: int) -> Fraction | None:
        """The exact burn rate behind ``burn_rates(window, target)[i]``."""
        w = self.buckets_in(window)
        whole_number(i, "i", minimum=0)
        if not 0 <= i < len(self):
            msg = f"expected 0 <= i < {len(self)}, got {i}"
            raise InvalidInput("i", msg)
        beta = 1 - to_target(target)
        lo = max(i + 1 - w, 0)
        total = self._cum_total[i + 1] - self._cum_total[lo]
        bad = self._cum_bad[i + 1] - self._cum_bad[lo]
        return Fraction(bad, total) / beta if total else None
