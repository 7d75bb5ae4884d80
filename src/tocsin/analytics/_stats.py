"""Summary statistics that say how many values they summarise.

Incident durations are heavy-tailed: a mean alone is too noisy to show a trend
(Davidovič, "Incident Metrics in SRE", Google 2021), so every statistic tocsin
reports comes with its count, median and 90th percentile.
"""

from __future__ import annotations

import math
from datetime import timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Generic, TypeVar

import attrs

from tocsin._checks import instances
from tocsin.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

T = TypeVar("T", timedelta, Fraction)

_P90 = Fraction(9, 10)


@attrs.frozen
class Stats(Generic[T]):
    """Count, mean, median and 90th percentile of some values (``None`` when empty).

    The median of an even count is the mean of the two middle values.  The 90th
    percentile is the nearest-rank one: the smallest value with at least 90 % of the
    values at or below it, so it is always a value that was observed (no
    interpolation between two incidents).  Durations are exact to the microsecond.
    """

    count: int
    mean: T | None
    median: T | None
    p90: T | None


def _summarise(
    values: Sequence[T], halve: Callable[[T], T], divide: Callable[[T, int], T]
) -> Stats[T]:
    n = len(values)
    if n == 0:
        return Stats(0, None, None, None)
    ordered = sorted(values)
    total = ordered[0]
    for value in ordered[1:]:
        total += value
    mid = n // 2
    median = ordered[mid] if n % 2 else halve(ordered[mid - 1] + ordered[mid])
    rank = math.ceil(_P90 * n)
    return Stats(n, divide(total, n), median, ordered[rank - 1])


def duration_stats(values: Iterable[timedelta]) -> Stats[timedelta]:
    """Summarise durations (mean and median rounded half-even to 1 µs).

    >>> m = timedelta(minutes=1)
    >>> s = duration_stats([2 * m, 5 * m, 11 * m])
    >>> s.count, s.mean, s.median
    (3, datetime.timedelta(seconds=360), datetime.timedelta(seconds=300))
    """
    items = instances(values, timedelta, "values")
    return _summarise(items, lambda d: d / 2, lambda d, n: d / n)


def count_stats(values: Iterable[int | Fraction]) -> Stats[Fraction]:
    """Summarise counts exactly (the mean of 1, 2 and 2 is 5/3).

    >>> count_stats([1, 2, 2]).mean
    Fraction(5, 3)
    """
    items = tuple(Fraction(v) for v in values)
    return _summarise(items, lambda x: x / 2, lambda x, n: x / n)


def gini(values: Iterable[int | Fraction]) -> Fraction | None:
    """The Gini coefficient of non-negative amounts, exact.

    0 when everyone carries the same, approaching 1 when one person carries
    everything; ``None`` when all are zero.

    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 4])
    (Fraction(0, 1), Fraction(3, 4))
    """
    ordered = sorted(Fraction(v) for v in values)
    if any(v < 0 for v in ordered):
        msg = "amounts must not be negative"
        raise InvalidInput("values", msg)
    n, total = len(ordered), sum(ordered, Fraction(0))
    if total == 0:
        return None
    weighted = sum((i * v for i, v in enumerate(ordered, start=1)), Fraction(0))
    return 2 * weighted / (n * total) - Fraction(n + 1, n)
