"""Flapping: an alert that keeps changing state, measured two ways.

* :class:`PercentStateChange`, the Nagios/Naemon/Sensu method: over the last 21
  samples, each state change is weighted (older changes count less), the weights are
  summed and turned into a percentage; flapping starts at ``high`` and stops only when
  the percentage falls to ``low`` or below (hysteresis).  The weights are Sensu Go's
  (``totalStateChange``): 0.80 for the change into the second-oldest sample, rising
  by 0.02 to 1.18 for the change into the newest, and ``percent = sum / 20 * 100``,
  truncated.  tocsin sums exactly; Sensu sums floats and truncates a ``float32``, which
  now and then reports one less (98 for 21 alternating samples, whose exact sum 19.8
  gives 99).
* :class:`ChangeCount`, Alerta's method: flapping when more than ``count`` state
  changes fall within the last ``window``.

Both produce a :class:`FlapAssessment`, an annotation a policy acts on (hold, lower
the urgency, or just mark); neither drops anything.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import duration, flag, text, whole_number
from tocsin._trusted import unchecked
from tocsin.errors import InvalidInput
from tocsin.time import require_aware

if TYPE_CHECKING:
    from collections.abc import Hashable

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

# Weights in hundredths, so the sum is exact: 80, 82, ..., 118 for the 20 changes
# (Sensu Go starts at 0.80 for the first change and adds 0.02 after each sample).
_WEIGHTS = tuple(80 + 2 * i for i in range(FLAP_SAMPLES - 1))


def _states(value: object) -> Sequence[Hashable]:
    # A string is a sequence too, but of characters, not of states.
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        msg = f"expected a list of states, oldest first, got {type(value).__name__}"
        raise InvalidInput("states", msg)
    return value


def percent_state_change(states: Sequence[Hashable]) -> int:
    """The weighted percent state change of the last 21 samples, from 0 to 100.

    ``states`` are oldest first; any hashable values (``True``/``False``, status
    codes, severities).  Fewer than 21 samples give 0, as in Sensu: there is not yet
    enough history to call anything flapping.  The weights sum to 19.8, so 21
    alternating samples give 99, the most there is.

    >>> percent_state_change([i % 2 == 0 for i in range(21)])
    99
    >>> percent_state_change([True] * 20 + [False])
    5
    >>> percent_state_change([True, False] * 5)
    0
    """
    if len(_states(states)) < FLAP_SAMPLES:
        return 0
    window = states[-FLAP_SAMPLES:]
    total = sum(
        weight
        for weight, before, after in zip(_WEIGHTS, window[:-1], window[1:], strict=True)
        if before != after
    )
    # sum / 20 * 100 with the sum in hundredths is total / 20; truncate like Sensu.
    return total // (FLAP_SAMPLES - 1)


class FlapAction(enum.StrEnum):
    """What a policy does with a flapping alert (never a silent drop)."""

    ANNOTATE = "annotate"  # page as usual, marked as flapping
    HOLD = "hold"  # do not page while flapping; the alert is kept and marked
    LOWER_URGENCY = "lower_urgency"  # page at low urgency


def _flapping(value: object) -> bool:
    return flag(value, "flapping")


def _measure(value: object) -> int:
    return whole_number(value, "measure", minimum=0)


def _method(value: object) -> str:
    if value not in {"percent", "count"}:
        msg = f"expected 'percent' or 'count', got {value!r}"
        raise InvalidInput("method", msg)
    return str(value)


def _reason(value: object) -> str:
    return text(value, "reason")


@attrs.frozen
class FlapAssessment:
    """The verdict of a flap detector: flapping or not, the measure, and why."""

    flapping: bool = attrs.field(converter=_flapping)
    measure: int = attrs.field(converter=_measure)
    method: str = attrs.field(converter=_method)
    reason: str = attrs.field(converter=_reason)


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
        flag(was_flapping, "was_flapping")
        percent = percent_state_change(states)
        if len(states) < FLAP_SAMPLES:
            reason = f"{len(states)} of {FLAP_SAMPLES} samples: not enough history"
            return make_assessment(flapping=False, measure=0, method="percent", reason=reason)
        if was_flapping:
            flapping = percent > self.low
            verb = "still flapping" if flapping else "stopped flapping"
            reason = f"{verb}: {percent}% state change, low threshold {self.low}%"
        else:
            flapping = percent >= self.high
            verb = "started flapping" if flapping else "not flapping"
            reason = f"{verb}: {percent}% state change, high threshold {self.high}%"
        return make_assessment(flapping=flapping, measure=percent, method="percent", reason=reason)


def _window(value: object) -> timedelta:
    return duration(value, "window")


def _count(value: object) -> int:
    return whole_number(value, "count", minimum=0)


def _pairs(value: object) -> Sequence[tuple[datetime, Hashable]]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        msg = f"expected a list of (time, state) samples, got {type(value).__name__}"
        raise InvalidInput("samples", msg)
    for i, sample in enumerate(value):
        if not isinstance(sample, tuple) or len(sample) != 2:  # noqa: PLR2004
            where = f"samples[{i}]"
            msg = f"expected a (time, state) pair, got {sample!r}"
            raise InvalidInput(where, msg)
        require_aware(sample[0], f"samples[{i}][0]")
    return value


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
        for (_, before), (at, after) in itertools.pairwise(_pairs(samples)):
            when = at.astimezone(UTC)
            if before != after and start <= when <= end:
                changes += 1
        return changes

    def settles_at(self, samples: Sequence[tuple[datetime, Hashable]], now: datetime) -> datetime:
        """The first instant from ``now`` at which ``samples`` no longer flap, in UTC.

        With no new sample, changes only leave the window: the alert calms down once
        its ``count``-th newest change is more than ``window`` old (a microsecond after
        exactly ``window``, since the window includes both ends).  ``now`` itself when
        it is not flapping.

        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
        >>> samples = [(t0 + timedelta(minutes=i), i % 2 == 0) for i in range(5)]
        >>> ChangeCount(timedelta(minutes=30), 2).settles_at(samples, t0).isoformat()
        '2026-01-05T09:32:00.000001+00:00'
        """
        end = require_aware(now, "now").astimezone(UTC)
        changes = sorted(
            at.astimezone(UTC)
            for (_, before), (at, after) in itertools.pairwise(_pairs(samples))
            if before != after
        )
        if len(changes) <= self.count:
            return end
        calm = changes[len(changes) - self.count - 1] + self.window + timedelta.resolution
        return max(calm, end)

    def assess(self, samples: Sequence[tuple[datetime, Hashable]], now: datetime) -> FlapAssessment:
        """Whether the alert is flapping at ``now``."""
        changes = self.changes(samples, now)
        flapping = changes > self.count
        verb = "flapping" if flapping else "not flapping"
        reason = f"{verb}: {changes} state changes in {self.window}, limit {self.count}"
        return make_assessment(flapping=flapping, measure=changes, method="count", reason=reason)


#: A builder for the detectors' own, already-checked verdicts (see :mod:`tocsin._trusted`).
make_assessment = unchecked(FlapAssessment)
