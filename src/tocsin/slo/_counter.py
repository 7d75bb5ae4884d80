"""Counter deltas with Prometheus reset semantics, and no extrapolation.

Monitoring systems export monotonic counters (``http_requests_total``).  The events in
an interval are the counter's increase over it; a process restart resets the counter
to zero.  Prometheus treats any decrease between two samples as a reset and counts
the new value as the increase since it.  tocsin does the same, and stops there:
unlike ``increase()`` it does not extrapolate to the edges of a range, which is how
slo-generator ends up with fractional counts and SLIs above 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tocsin._checks import listed
from tocsin.slo._sli import event_count

if TYPE_CHECKING:
    from collections.abc import Iterable


def counter_deltas(samples: Iterable[object]) -> tuple[int, ...]:
    """The increase between each pair of consecutive counter samples.

    A sample lower than the one before is a counter reset: the increase is the new
    value (the counter restarted from zero).  ``n`` samples give ``n - 1`` deltas; the
    first sample is only a baseline.

    >>> counter_deltas([10, 15, 15, 3, 8])
    (5, 0, 3, 5)
    """
    deltas: list[int] = []
    previous: int | None = None
    for i, sample in enumerate(listed(samples, "samples", "counter samples")):
        value = event_count(sample, f"samples[{i}]")
        if previous is not None:
            deltas.append(value - previous if value >= previous else value)
        previous = value
    return tuple(deltas)


def counter_increase(samples: Iterable[object]) -> int:
    """The counter's total increase over the samples, resets included.

    >>> counter_increase([100, 250, 40, 90])
    240
    """
    return sum(counter_deltas(samples))
