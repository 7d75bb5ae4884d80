"""Hypothesis strategies for instants and zones."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

#: Zones with the DST rules that break schedules: US and EU transitions, the southern
#: hemisphere, a 30-minute DST shift, a 45-minute offset, a half-hour offset with no
#: DST, and UTC.
DST_ZONES: tuple[str, ...] = (
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "UTC",
)


def zones(names: tuple[str, ...] = DST_ZONES) -> st.SearchStrategy[tzinfo]:
    """Draw a ``ZoneInfo`` from ``names`` (by default, zones with awkward DST rules)."""
    return st.sampled_from([ZoneInfo(name) for name in names])


def aware_datetimes(
    min_value: datetime = datetime(2000, 1, 1),  # noqa: DTZ001 - naive bounds, as Hypothesis takes
    max_value: datetime = datetime(2040, 1, 1),  # noqa: DTZ001
    *,
    timezones: st.SearchStrategy[tzinfo] | None = None,
) -> st.SearchStrategy[datetime]:
    """Draw timezone-aware datetimes, folds and DST edges included.

    ``min_value`` and ``max_value`` are naive wall-clock bounds, as in
    ``hypothesis.strategies.datetimes``.  Times in a DST gap never come out: every
    drawn value is a real instant that round-trips through UTC.
    """
    tzs = timezones if timezones is not None else zones()
    return st.datetimes(
        min_value=min_value,
        max_value=max_value,
        timezones=tzs,
        allow_imaginary=False,
    )
