"""Service level indicators: event counts, the four SLI kinds and the no-data policy.

Counts are whole, non-negative events.  An empty window has no SLI: tocsin returns
``None``, never NaN (0/0 in PromQL is NaN, and a NaN in a 30-day aggregate poisons
Sloth's budget for 30 days).  What an empty window or slice *means* is the caller's
choice, spelled out by :class:`NoData`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, TypeGuard

import attrs

from tocsin._checks import enum_member, instance, typed_tuple, whole_number
from tocsin.errors import InvalidInput
from tocsin.slo._numbers import require_duration, to_fraction

if TYPE_CHECKING:
    from datetime import timedelta


class NoData(enum.StrEnum):
    """What a window or slice without a single event counts as.

    * ``skip`` (the default): it does not count.  A wholly empty window has no SLI
      (``None``); an empty time slice is left out of the slice count.
    * ``undefined``: it has no value, and neither has anything built from it: one
      empty slice makes a time-slice SLI ``None`` (the strict reading, like NaN
      propagation but explicit).
    * ``good``: it counts as fully good (Datadog time-slice SLOs: missing data is
      uptime; Nobl9 ``CountAsGood``).
    * ``bad``: it counts as fully bad (Nobl9 ``CountAsBad``; a dead service sends
      nothing).
    """

    SKIP = "skip"
    UNDEFINED = "undefined"
    GOOD = "good"
    BAD = "bad"


class GoodOverTotal(enum.StrEnum):
    """What to do when a source reports more good events than events in total.

    ``error`` (the default, as slo-generator rejects an SLI above 1) or ``clamp``
    (``good = total``, as Kibana does).  Scrape skew and ``increase()``
    extrapolation are the usual causes.
    """

    ERROR = "error"
    CLAMP = "clamp"


def no_data_policy(value: object, field: str = "no_data") -> NoData:
    """Convert a string or :class:`NoData` into a :class:`NoData`, naming ``field``."""
    return enum_member(NoData, value, field)


def good_over_total_policy(value: object, field: str = "good_over_total") -> GoodOverTotal:
    """Convert a string or :class:`GoodOverTotal`, naming ``field``."""
    return enum_member(GoodOverTotal, value, field)


def event_count(value: object, field: str) -> int:
    """Check one event count: a non-negative whole number.

    Negative counts are errors (slo-generator reads -1 as "no data"; tocsin uses no
    sentinels).  Fractional counts are errors too: they come from ``increase()``
    extrapolation, which is how slo-generator ends up with an SLI above 1; feed raw
    counter samples to :func:`~tocsin.slo.counter_increase` instead.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer() and value >= 0:
            return int(value)
        msg = f"expected a whole, non-negative number of events, got {value!r}"
        raise InvalidInput(field, msg)
    if value < 0:
        msg = f"event counts cannot be negative, got {value}"
        raise InvalidInput(field, msg)
    return value


@attrs.frozen
class Counts:
    """Good and total events over some span of time.

    ``Counts(good, total)`` insists on ``0 <= good <= total``; use
    :meth:`of` with ``good_over_total="clamp"`` to clamp instead, or
    :meth:`from_bad` when the source counts errors.

    >>> c = Counts(999, 1000) + Counts(0, 0)
    >>> c.bad, c.ratio()
    (1, Fraction(999, 1000))
    >>> Counts(0, 0).ratio() is None
    True
    """

    good: int
    total: int

    def __attrs_post_init__(self) -> None:
        good, total = event_count(self.good, "good"), event_count(self.total, "total")
        object.__setattr__(self, "good", good)
        object.__setattr__(self, "total", total)
        if good > total:
            msg = (
                f"{good} good events is more than the {total} in total; pass "
                "good_over_total='clamp' to clamp instead"
            )
            raise InvalidInput("good", msg)

    @classmethod
    def of(
        cls, good: object, total: object, *, good_over_total: GoodOverTotal | str = "error"
    ) -> Counts:
        """Build counts, clamping ``good`` to ``total`` if the policy says ``clamp``."""
        policy = good_over_total_policy(good_over_total)
        g, t = event_count(good, "good"), event_count(total, "total")
        if policy is GoodOverTotal.CLAMP:
            g = min(g, t)
        return cls(g, t)

    @classmethod
    def from_bad(cls, bad: object, total: object) -> Counts:
        """Build counts from bad (error) and total events."""
        b, t = event_count(bad, "bad"), event_count(total, "total")
        if b > t:
            msg = f"{b} bad events is more than the {t} in total"
            raise InvalidInput("bad", msg)
        return cls(t - b, t)

    @property
    def bad(self) -> int:
        """Events that were not good."""
        return self.total - self.good

    def __add__(self, other: Counts) -> Counts:
        if not isinstance(other, Counts):
            return NotImplemented
        return Counts(self.good + other.good, self.total + other.total)

    def ratio(self, *, no_data: NoData | str = NoData.SKIP) -> Fraction | None:
        """``good / total`` exactly; an empty span follows ``no_data``."""
        if self.total:
            return Fraction(self.good, self.total)
        return _empty_value(no_data_policy(no_data))


def _empty_value(policy: NoData) -> Fraction | None:
    if policy is NoData.GOOD:
        return Fraction(1)
    if policy is NoData.BAD:
        return Fraction(0)
    return None


def ratio(
    good: object,
    total: object,
    *,
    no_data: NoData | str = NoData.SKIP,
    good_over_total: GoodOverTotal | str = GoodOverTotal.ERROR,
) -> Fraction | None:
    """The ratio (occurrences) SLI, ``good / total``, exact; ``None`` if empty.

    >>> ratio(111, 118)
    Fraction(111, 118)
    >>> ratio(0, 0), ratio(0, 0, no_data="good")
    (None, Fraction(1, 1))
    >>> ratio(12, 10, good_over_total="clamp")
    Fraction(1, 1)
    """
    return Counts.of(good, total, good_over_total=good_over_total).ratio(no_data=no_data)


def _measured_sli(value: object) -> Fraction | None:
    if value is not None and (not isinstance(value, Fraction) or not 0 <= value <= 1):
        msg = f"expected None or a Fraction between 0 and 1, got {value!r}"
        raise InvalidInput("sli", msg)
    return value


def _units(value: object) -> int:
    return whole_number(value, "units", minimum=0)


@attrs.frozen
class Measurement:
    """An SLI value with the size of what it was measured over.

    ``units`` is events for ratio and threshold SLIs and slices for the time-slice
    kinds; it is what "allowed bad events" is a share of.  ``sli`` is ``None`` when
    the window held no data and the policy gave it no value.
    """

    sli: Fraction | None = attrs.field(converter=_measured_sli)
    units: int = attrs.field(converter=_units)


def _window(value: object) -> Counts:
    return instance(value, Counts, "window")


def _slices(slices: Iterable[Counts]) -> tuple[Counts, ...]:
    """Each slice, checked to be :class:`Counts` (errors name ``slices[i]``)."""
    return typed_tuple(slices, Counts, "slices")


@attrs.frozen
class Ratio:
    """The ratio (occurrences) SLI: good events over all events in the window.

    Every event weighs the same, so a busy hour counts more than a quiet one.  This
    is OpenSLO's ``Occurrences``, Pyrra's ``ratio`` and slo-generator's
    ``good_bad_ratio``.
    """

    def measure(self, window: Counts, *, no_data: NoData | str) -> Measurement:
        """The SLI over a window's total counts."""
        counts = _window(window)
        return Measurement(counts.ratio(no_data=no_data_policy(no_data)), counts.total)


def _is_number(value: object) -> TypeGuard[int | float]:
    """An int or a float that is not NaN (``math.isnan`` would overflow on a huge int)."""
    if isinstance(value, float):
        return not math.isnan(value)
    return isinstance(value, int) and not isinstance(value, bool)


def _threshold(value: object) -> float:
    if not _is_number(value):
        msg = f"expected a number (for example 0.3 for 300 ms), got {value!r}"
        raise InvalidInput("le", msg)
    try:
        return float(value)
    except OverflowError:
        # An int past 1.8e308: no histogram bucket bound is that large.
        msg = f"{value} is too large for a float histogram bound"
        raise InvalidInput("le", msg) from None


@attrs.frozen
class Threshold:
    """The threshold (latency) SLI: an event is good when its value is ``<= le``.

    Same arithmetic as :class:`Ratio` once the events are counted; :meth:`counts` and
    :meth:`from_histogram` do the counting.  ``le`` follows Prometheus histogram
    buckets (less than or equal), as Pyrra's ``latency`` and slo-generator's
    ``distribution_cut`` do.
    """

    le: float = attrs.field(converter=_threshold)

    def measure(self, window: Counts, *, no_data: NoData | str) -> Measurement:
        """The SLI over a window's total counts."""
        counts = _window(window)
        return Measurement(counts.ratio(no_data=no_data_policy(no_data)), counts.total)

    def counts(self, values: Iterable[float]) -> Counts:
        """Count raw observations: good when ``value <= le``.

        >>> Threshold(0.3).counts([0.1, 0.3, 0.31, 2.0])
        Counts(good=2, total=4)
        """
        good = total = 0
        given: object = values  # callers without type checking may pass anything
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            msg = f"expected an iterable of numbers, got {type(given).__name__}"
            raise InvalidInput("values", msg)
        for i, value in enumerate(given):
            item: object = value  # callers without type checking may pass anything
            if not _is_number(item):
                msg = f"expected a number, got {item!r}"
                where = f"values[{i}]"
                raise InvalidInput(where, msg)
            total += 1
            good += item <= self.le
        return Counts(good, total)

    def from_histogram(self, buckets: Mapping[float, int], *, count: int | None = None) -> Counts:
        """Counts from cumulative histogram buckets keyed by upper bound (``le``).

        ``le`` must be one of the bucket bounds (a histogram cannot say how many
        events fell below a value between two bounds; Pyrra requires the same).
        The total is ``count`` (the ``_count`` series) or the ``+Inf`` bucket.

        >>> Threshold(0.5).from_histogram({0.1: 900, 0.5: 990, math.inf: 1000})
        Counts(good=990, total=1000)
        """
        given: object = buckets  # callers without type checking may pass anything
        if not isinstance(given, Mapping):
            msg = f"expected a mapping of bucket bound (le) to cumulative count, got {given!r}"
            raise InvalidInput("buckets", msg)
        for le in given:
            if not _is_number(le):
                msg = f"expected a number as a bucket bound, got {le!r}"
                where = f"buckets[{le!r}]"
                raise InvalidInput(where, msg)
        ordered = sorted(buckets.items())
        previous = 0
        for le, value in ordered:
            n = event_count(value, f"buckets[{le!r}]")
            if n < previous:
                msg = f"cumulative buckets must not decrease, got {n} after {previous}"
                where = f"buckets[{le!r}]"
                raise InvalidInput(where, msg)
            previous = n
        if self.le not in buckets:
            bounds = ", ".join(repr(le) for le, _ in ordered)
            msg = f"no bucket with le={self.le!r}; the histogram has {bounds}"
            raise InvalidInput("buckets", msg)
        good = event_count(buckets[self.le], f"buckets[{self.le!r}]")
        if count is not None:
            total = event_count(count, "count")
        elif math.inf in buckets:
            total = event_count(buckets[math.inf], "buckets[inf]")
        else:
            msg = "pass count (the _count series) or include the +Inf bucket"
            raise InvalidInput("count", msg)
        if good > total:
            msg = f"the le={self.le!r} bucket holds {good} events, more than the {total} total"
            raise InvalidInput("count", msg)
        return Counts(good, total)


def _slice_target(value: object) -> Fraction:
    number = to_fraction(value, "slice_target")
    if not 0 < number <= 1:
        msg = f"must be in (0, 1], got {value!r}"
        raise InvalidInput("slice_target", msg)
    return number


def _slice(value: object) -> timedelta:
    return require_duration(value, "slice")


@attrs.frozen
class TimeSlices:
    """The time-slices SLI: the share of slices whose own ratio meets ``slice_target``.

    Each slice (say one minute) is good when ``good/total >= slice_target``; the SLI
    is good slices over counted slices, so a quiet minute weighs as much as a busy
    one.  OpenSLO and Nobl9 ``Timeslices``, Datadog time-slice SLOs.  Empty slices
    follow the objective's :class:`NoData` policy.
    """

    slice: timedelta = attrs.field(converter=_slice)
    slice_target: Fraction = attrs.field(converter=_slice_target)

    def measure(self, slices: Iterable[Counts], *, no_data: NoData | str) -> Measurement:
        """The SLI over per-slice counts, in order."""
        policy = no_data_policy(no_data)
        num, den = self.slice_target.numerator, self.slice_target.denominator
        good = units = 0
        for c in _slices(slices):
            if c.total == 0:
                if policy is NoData.UNDEFINED:
                    return Measurement(None, 0)
                if policy is NoData.SKIP:
                    continue
                good += policy is NoData.GOOD
            else:
                good += c.good * den >= c.total * num
            units += 1
        return Measurement(Fraction(good, units) if units else None, units)


@attrs.frozen
class RatioTimeSlices:
    """The ratio-time-slices SLI: the unweighted mean of each slice's ratio.

    OpenSLO ``RatioTimeslices``; Sloth's default 30-day SLI behaves like this (a mean
    of 5-minute ratios), which is why it undercounts errors when traffic is uneven.
    Choose it on purpose, never by accident.
    """

    slice: timedelta = attrs.field(converter=_slice)

    def measure(self, slices: Iterable[Counts], *, no_data: NoData | str) -> Measurement:
        """The SLI over per-slice counts, in order."""
        policy = no_data_policy(no_data)
        total = Fraction(0)
        units = 0
        for c in _slices(slices):
            value = c.ratio(no_data=policy)
            if value is None:
                if policy is NoData.UNDEFINED:
                    return Measurement(None, 0)
                continue
            total += value
            units += 1
        return Measurement(total / units if units else None, units)


#: Any of the four SLI kinds.
SLI = Ratio | Threshold | TimeSlices | RatioTimeSlices
