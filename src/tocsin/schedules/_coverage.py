"""Coverage reports: every gap and every overlap in a window, exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import instance, typed_tuple
from tocsin.errors import InvalidInput
from tocsin.time import Interval, require_aware

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["CoverageReport", "Overlap"]

ONE_MICROSECOND = timedelta(microseconds=1)


def _utc_key(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _aware_start(value: object) -> datetime:
    return require_aware(value, "start")


def _aware_end(value: object) -> datetime:
    return require_aware(value, "end")


def _names(value: object) -> tuple[str, ...]:
    names = tuple(value) if isinstance(value, list | tuple) else ()
    if len(names) < 2 or not all(isinstance(name, str) and name for name in names):  # noqa: PLR2004
        msg = f"an overlap names two or more layers, got {value!r}"
        raise InvalidInput("layers", msg)
    return names


@attrs.frozen
class Overlap:
    """``[start, end)`` during which the named layers all have someone on call.

    Only the last of them (in schedule order) is on call in the final schedule.
    """

    start: datetime = attrs.field(converter=_aware_start, eq=_utc_key, order=_utc_key)
    end: datetime = attrs.field(converter=_aware_end, eq=_utc_key, order=_utc_key)
    layers: tuple[str, ...] = attrs.field(converter=_names)

    def __attrs_post_init__(self) -> None:
        if _utc_key(self.end) <= _utc_key(self.start):
            msg = "an overlap ends after it starts"
            raise InvalidInput("end", msg)

    @property
    def duration(self) -> timedelta:
        """Exact elapsed length, counted in UTC."""
        return _utc_key(self.end) - _utc_key(self.start)


def _total(spans: tuple[Interval, ...] | tuple[Overlap, ...]) -> timedelta:
    return sum((span.duration for span in spans), timedelta(0))


def _intervals(value: Iterable[Interval]) -> tuple[Interval, ...]:
    return typed_tuple(value, Interval, "gaps")


def _overlaps(value: Iterable[Overlap]) -> tuple[Overlap, ...]:
    return typed_tuple(value, Overlap, "overlaps")


def _window(value: object) -> Interval:
    return instance(value, Interval, "window")


@attrs.frozen
class CoverageReport:
    """Gaps (nobody on call) and overlaps (several layers at once) over ``window``.

    Every gap and overlap is listed exactly, to the microsecond; ``gap_time`` and
    ``overlap_time`` add them up, and ``gap_minutes`` and ``overlap_minutes`` give the
    same totals as exact minute counts.
    """

    window: Interval = attrs.field(converter=_window)
    gaps: tuple[Interval, ...] = attrs.field(kw_only=True, converter=_intervals)
    overlaps: tuple[Overlap, ...] = attrs.field(kw_only=True, converter=_overlaps)

    @property
    def gap_time(self) -> timedelta:
        """Total time with nobody on call."""
        return _total(self.gaps)

    @property
    def overlap_time(self) -> timedelta:
        """Total time with two or more layers on call at once."""
        return _total(self.overlaps)

    @property
    def gap_minutes(self) -> Fraction:
        """:attr:`gap_time` in minutes, exactly (``Fraction(60)`` for an hour)."""
        return Fraction(self.gap_time // ONE_MICROSECOND, 60_000_000)

    @property
    def overlap_minutes(self) -> Fraction:
        """:attr:`overlap_time` in minutes, exactly."""
        return Fraction(self.overlap_time // ONE_MICROSECOND, 60_000_000)

    @property
    def coverage(self) -> Fraction:
        """The fraction of the window with someone on call (1 for an empty window)."""
        total = self.window.duration // ONE_MICROSECOND
        if total == 0:
            return Fraction(1)
        return 1 - Fraction(self.gap_time // ONE_MICROSECOND, total)
