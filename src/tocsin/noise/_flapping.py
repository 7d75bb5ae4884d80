"""Flapping: an alert that keeps changing state, measured two ways.

* :class:`PercentStateChange`, the Nagios/Naemon/Sensu method: over the last 21
  samples, each state change is weighted (older changes count less), the weights are
  summed and turned into a percentage; flapping starts at ``high`` and stops only when
  the percentage falls to ``low`` or below (hysteresis).  The weights are Sensu Go's:
  0.82 for the change into the second-oldest sample, rising by 0.02 to 1.20 for the
  change into the newest, and ``percent = sum / 20 * 100``, truncated.
* :class:`ChangeCount`, Alerta's method: flapping when more than ``count`` state
  changes fall within the last ``window``.

Both produce a :class:`FlapAssessment`, an annotation a policy acts on (hold, lower
the urgency, or just mark); neither drops anything.
"""

from __future__ import annotations

import enum
import itertools
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import duration, whole_number
from tocsin.errors import InvalidInput
from tocsin.time import require_aware

if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence

__all__ = [
    "FLAP_SAMPLES",
    "percent_state_change",
    "PercentStateChange",
    "ChangeCount",
    "FlapAssessment",
    "FlapAction",
]

#: How many samples the weighted method needs (Nagios, Naemon, Sensu).
FLAP_SAMPLES = 21

# Weights in hundredths, so the sum is exact: 82, 84, ..., 120 for the 20 changes.
_WEIGHTS = tuple(80 + 2 * i for i in range(1, FLAP_SAMPLES))


def percent_state_change(states: Sequence[Hashable]) -> int:
    """The weighted percent state change of the last 21 samples, from 0 to 100.

    ``states`` are oldest first; any hashable values (``True``/``False``, status
    codes, severities).  Fewer than 21 samples give 0, as in Sensu: there is not yet
    enough history to call anything flapping.

    The exact sum can exceed 100 (every sample a change gives 101), and Sensu reports
    101; tocsin caps the result at 100 so it is always a percentage.

    >>> percent_state_change([i % 2 == 0 for i in range(21)])
    100
    >>> percent_state_change([True] * 20 + [False])
    6
    >>> percent_state_change([True, False] * 5)
    0
    """
    if len(states) < FLAP_SAMPLES:
        return 0
    window = states[-FLAP_SAMPLES:]
    total = sum(
        weight
        for weight, before, after in zip(_WEIGHTS, window[:-1], window[1:], strict=True)
        if before != after
    )
    # sum / 20 * 100 with the sum in hundredths is total / 20; truncate like Sensu.
    return min(100, total // (FLAP_SAMPLES - 1))


class FlapAction(enum.StrEnum):
    """What a policy does with a flapping alert (never a silent drop)."""

    ANNOTATE = "annotate"  # page as usual, marked as flapping
    HOLD = "hold"  # do not page while flapping; the alert is kept and marked
    LOWER_URGENCY = "lower_urgency"  # page at low urgency


@attrs.frozen
class FlapAssessment:
    """The verdict of a flap detector: flapping or not, the measure, and why."""

    flapping: bool
    measure: int
    method: str
    reason: str


def _percent(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:  # noqa: PLR2004
        msg = f"expected a whole percentage from 0 to 100, got {value!r}"
        raise InvalidInput(field, msg)
    return value


def _high(value: object) -> int:
    return _percent("high", value)


def _low(value: object) -> int:
    return _percent("low", value)


@attrs.frozen
class PercentStateChange:
    """Weighted percent-state-change flap detection with hysteresis.

    Flapping starts when the percentage reaches ``high`` and, once flapping, stays
    until it falls to ``low`` or below (Sensu: ``>= high`` to start, ``> low`` to
    stay).  Defaults are the common Nagios-style 50 and 25.

    >>> detector = PercentStateChange(high=50, low=25)
    >>> states = [i % 2 == 0 for i in range(21)]
    >>> detector.assess(states, was_flapping=False).flapping
    True
    """

    high: int = attrs.field(default=50, converter=_high)
    low: int = attrs.field(default=25, converter=_low)

    def __attrs_post_init__(self) -> None:
        if self.low > self.high:
            msg = f"low ({self.low}) must not exceed high ({self.high})"
            raise InvalidInput("low", msg)

    def assess(self, states: Sequence[Hashable], *, was_flapping: bool) -> FlapAssessment:
        """Whether the alert is flapping now, given its samples and its previous verdict."""
        percent = percent_state_change(states)
        if len(states) < FLAP_SAMPLES:
            reason = f"{len(states)} of {FLAP_SAMPLES} samples: not enough history"
            return FlapAssessment(flapping=False, measure=0, method="percent", reason=reason)
        if was_flapping:
            flapping = percent > self.low
            verb = "still flapping" if flapping else "stopped flapping"
            reason = f"{verb}: {percent}% state change, low threshold {self.low}%"
        else:
            flapping = percent >= self.high
            verb = "started flapping" if flapping else "not flapping"
            reason = f"{verb}: {percent}% state change, high threshold {self.high}%"
        return FlapAssessment(flapping=flapping, measure=percent, method="percent", reason=reason)


def _window(value: object) -> timedelta:
    return duration(value, "window")


def _count(value: object) -> int:
    return whole_number(value, "count", minimum=0)


@attrs.frozen
class ChangeCount:
    """Alerta-style flap detection: more than ``count`` changes within ``window``.

    A change is a sample whose state differs from the previous sample's; it counts
    when its time is within ``window`` of ``now`` (``now - window <= t <= now``; tocsin's
    lookback windows include both ends).  Alerta's defaults: 30 minutes, 2 changes.

    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    >>> samples = [(t0 - timedelta(minutes=1), "ok")] + [
    ...     (t0 + timedelta(minutes=5 * i), s) for i, s in enumerate(["crit", "ok", "crit"])
    ... ]
    >>> ChangeCount().assess(samples, t0 + timedelta(minutes=10)).flapping
    True
    """

    window: timedelta = attrs.field(default=timedelta(minutes=30), converter=_window)
    count: int = attrs.field(default=2, converter=_count)

    def changes(self, samples: Sequence[tuple[datetime, Hashable]], now: datetime) -> int:
        """How many state changes in ``samples`` (oldest first) fall within the window."""
        end = require_aware(now, "now").astimezone(UTC)
        start = end - self.window
        changes = 0
        for (_, before), (at, after) in itertools.pairwise(samples):
            when = require_aware(at, "samples.at").astimezone(UTC)
            if before != after and start <= when <= end:
                changes += 1
        return changes

    def assess(self, samples: Sequence[tuple[datetime, Hashable]], now: datetime) -> FlapAssessment:
        """Whether the alert is flapping at ``now``."""
        changes = self.changes(samples, now)
        flapping = changes > self.count
        verb = "flapping" if flapping else "not flapping"
        reason = f"{verb}: {changes} state changes in {self.window}, limit {self.count}"
        return FlapAssessment(flapping=flapping, measure=changes, method="count", reason=reason)
