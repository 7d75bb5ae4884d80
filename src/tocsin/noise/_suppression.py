"""Suppression thresholds and debounce: wait for an alert to prove itself.

* :class:`SuppressionThreshold` suppresses an alert until it has occurred ``count`` times within
  ``window`` (PagerDuty's suppress with ``threshold_value`` per
  ``threshold_time_amount``); the occurrence that reaches the count pages.
* :class:`Debounce` holds an alert for ``min_duration`` after it starts firing; if it
  resolves sooner it never pages (PagerDuty's ``suspend``, Alertmanager's
  ``group_wait``, Prometheus's ``for:``).

Both apply to alerts matching ``when`` (every alert, if empty).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import duration, typed_tuple, whole_number
from tocsin.routing import Matcher, Target, labels_of
from tocsin.routing._matcher import as_matchers
from tocsin.time import require_aware

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["SuppressionThreshold", "Debounce"]


def _count(value: object) -> int:
    return whole_number(value, "count", minimum=1)


def _window(value: object) -> timedelta:
    return duration(value, "window")


def _min_duration(value: object) -> timedelta:
    return duration(value, "min_duration", allow_zero=True)


def _when(value: object) -> tuple[Matcher, ...]:
    return as_matchers(value, "when")


def _applies(matchers: tuple[Matcher, ...], target: Target) -> bool:
    labels, event = labels_of(target)
    return all(m.test(labels, event) for m in matchers)


@attrs.frozen
class SuppressionThreshold:
    """Suppress an alert until it occurs ``count`` times within ``window``.

    Occurrences count when ``now - window <= t <= now``.  The occurrence that brings
    the count to ``count`` is the one that pages (PagerDuty leaves this open; tocsin
    decides it so that ``count=1`` means "page at once").

    >>> rule = SuppressionThreshold(3, timedelta(minutes=5))
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    >>> times = [t0, t0 + timedelta(minutes=1), t0 + timedelta(minutes=2)]
    >>> [rule.reached(times[: i + 1], times[i]) for i in range(3)]
    [False, False, True]
    """

    count: int = attrs.field(converter=_count)
    window: timedelta = attrs.field(converter=_window)
    when: tuple[Matcher, ...] = attrs.field(default=(), kw_only=True, converter=_when)

    def applies_to(self, target: Target) -> bool:
        """Whether this threshold governs ``target``."""
        return _applies(self.when, target)

    def occurrences(self, times: Sequence[datetime], now: datetime) -> int:
        """How many of ``times`` fall within the window ending at ``now``."""
        end = require_aware(now, "now").astimezone(UTC)
        start = end - self.window
        moments = typed_tuple(times, datetime, "times")
        return sum(
            1
            for i, t in enumerate(moments)
            if start <= require_aware(t, f"times[{i}]").astimezone(UTC) <= end
        )

    def reached(self, times: Sequence[datetime], now: datetime) -> bool:
        """Whether the occurrences in ``times`` (the current one included) reach ``count``."""
        return self.occurrences(times, now) >= self.count

    def describe(self) -> str:
        """A short description for decisions."""
        return f"threshold {self.count} within {self.window}"


@attrs.frozen
class Debounce:
    """Hold an alert until it has fired for ``min_duration``; a quick resolve never pages.

    >>> rule = Debounce(timedelta(minutes=2))
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    >>> rule.releases_at(t0).isoformat(), rule.holds(t0, t0 + timedelta(minutes=1))
    ('2026-01-05T09:02:00+00:00', True)
    """

    min_duration: timedelta = attrs.field(converter=_min_duration)
    when: tuple[Matcher, ...] = attrs.field(default=(), kw_only=True, converter=_when)

    def applies_to(self, target: Target) -> bool:
        """Whether this debounce governs ``target``."""
        return _applies(self.when, target)

    def releases_at(self, firing_since: datetime) -> datetime:
        """When an alert firing since ``firing_since`` may page."""
        return require_aware(firing_since, "firing_since").astimezone(UTC) + self.min_duration

    def holds(self, firing_since: datetime, now: datetime) -> bool:
        """Whether the alert is still held at ``now``."""
        return require_aware(now, "now").astimezone(UTC) < self.releases_at(firing_since)

    def describe(self) -> str:
        """A short description for decisions."""
        return f"debounce {self.min_duration}"
