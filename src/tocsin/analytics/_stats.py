"""Summary statistics that say how many values they summarise.

Incident durations are heavy-tailed: a mean alone is too noisy to show a trend
(Davidovič, "Incident Metrics in SRE", Google 2021), so every statistic tocsin
reports comes with its count, median and 90th percentile.
"""

from __future__ import annotations

import math
from datetime import timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from tocsin._checks import instance, listed, typed_tuple, whole_number
from tocsin.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

T = TypeVar("T", timedelta, Fraction)

_P90 = Fraction(9, 10)
_MICROSECOND = timedelta(microseconds=1)


def _count(value: object) -> int:
    return whole_number(value, "count", minimum=0)


@attrs.frozen
class Stats(Generic[T]):
    """Count, mean, median and 90th percentile of some values (``None`` when empty).

    The median of an even count is the mean of the two middle values.  The 90th
    percentile is the nearest-rank one: the smallest value with at least 90 % of the
    values at or below it, so it is always a value that was observed (no
    interpolation between two incidents).  Durations are exact to the microsecond.
    """

    count: int = attrs.field(converter=_count)
    mean: T | None
    median: T | None
    p90: T | None

    def __attrs_post_init__(self) -> None:
        empty = self.count == 0
        for name in ("mean", "median", "p90"):
            value: object = getattr(self, name)
            if value is not None and not isinstance(value, timedelta | Fraction):
                msg = f"expected None, a timedelta or a Fraction, got {value!r}"
                raise InvalidInput(name, msg)
            if (value is None) is not empty:
                msg = "must be None exactly when count is 0"
                raise InvalidInput(name, msg)


def _summarise(values: Sequence[Fraction]) -> Stats[Fraction]:
    """Count, mean, median and p90 of exact amounts (the sum never overflows)."""
    n = len(values)
    if n == 0:
        return Stats(0, None, None, None)
    ordered = sorted(values)
    mid = n // 2
    median = ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    rank = math.ceil(_P90 * n)
    return Stats(n, sum(ordered, Fraction(0)) / n, median, ordered[rank - 1])


def _duration(micros: Fraction | None) -> timedelta | None:
    # Rounded half-even to the microsecond, as timedelta / int does.
    return None if micros is None else timedelta(microseconds=round(micros))


def duration_stats(values: Iterable[timedelta]) -> Stats[timedelta]:
    """Summarise non-negative durations (mean and median rounded half-even to 1 µs).

    Summed as integer microseconds, so a few hundred incidents of a thousand years
    each (the sum past ``timedelta.max``) still have a mean.

    >>> m = timedelta(minutes=1)
    >>> s = duration_stats([2 * m, 5 * m, 11 * m])
    >>> s.count, s.mean, s.median
    (3, datetime.timedelta(seconds=360), datetime.timedelta(seconds=300))
    """
    items = typed_tuple(values, timedelta, "values")
    for i, d in enumerate(items):
        if d < timedelta(0):
            msg = f"durations cannot be negative, got {d}"
            where = f"values[{i}]"
            raise InvalidInput(where, msg)
    s = _summarise([Fraction(d // _MICROSECOND) for d in items])
    return Stats(s.count, _duration(s.mean), _duration(s.median), _duration(s.p90))


def _amounts(values: Iterable[int | Fraction]) -> list[Fraction]:
    """Non-negative whole numbers or fractions; errors name ``values[i]``."""
    found = []
    for i, v in enumerate(listed(values, "values", "counts")):
        if isinstance(v, bool) or not isinstance(v, int | Fraction) or v < 0:
            msg = f"expected a non-negative int or Fraction, got {v!r}"
            where = f"values[{i}]"
            raise InvalidInput(where, msg)
        found.append(Fraction(v))
    return found


def count_stats(values: Iterable[int | Fraction]) -> Stats[Fraction]:
    """Summarise non-negative counts exactly (the mean of 1, 2 and 2 is 5/3).

    >>> count_stats([1, 2, 2]).mean
    Fraction(5, 3)
    """
    return _summarise(_amounts(values))


def gini(values: Iterable[int | Fraction]) -> Fraction | None:
    """The Gini coefficient of non-negative amounts, exact.

    0 when everyone carries the same, approaching 1 when one person carries
    everything; ``None`` when all are zero.

    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 4])
    (Fraction(0, 1), Fraction(3, 4))
    """
    ordered = sorted(_amounts(values))
    n, total = len(ordered), sum(ordered, Fraction(0))
    if total == 0:
        return None
    weighted = sum((i * v for i, v in enumerate(ordered, start=1)), Fraction(0))
    return 2 * weighted / (n * total) - Fraction(n + 1, n)


def stats_field(_owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: the field holds a :class:`Stats`."""
    instance(value, Stats, attribute.name)
