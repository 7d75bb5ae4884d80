from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from hypothesis import given
from hypothesis import strategies as st

from tocsin.testing import aware_datetimes, zones
from tocsin.time import Interval, elapsed, from_wall_clock, wall_clock_exists

ONE_US = timedelta(microseconds=1)
walls = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1))


@given(walls, zones())
def test_existing_wall_times_round_trip(wall: datetime, tz: tzinfo) -> None:
    for result in (from_wall_clock(wall, tz), from_wall_clock(wall, tz, fold="later")):
        if wall_clock_exists(wall, tz):
            assert result.replace(tzinfo=None, fold=0) == wall
        # The result is a real instant: it survives a trip through UTC unchanged.
        back = result.astimezone(UTC).astimezone(tz)
        assert back.replace(tzinfo=None) == result.replace(tzinfo=None)
        assert back.fold == result.fold


@given(walls, zones())
def test_earlier_never_after_later(wall: datetime, tz: tzinfo) -> None:
    assert from_wall_clock(wall, tz) <= from_wall_clock(wall, tz, fold="later")


@given(walls, zones())
def test_gap_result_is_the_first_instant_whose_wall_time_passes_the_gap(
    wall: datetime, tz: tzinfo
) -> None:
    if wall_clock_exists(wall, tz):
        return
    result = from_wall_clock(wall, tz)
    before = (result.astimezone(UTC) - ONE_US).astimezone(tz)
    assert result.replace(tzinfo=None) > wall
    assert before.replace(tzinfo=None) < wall


@given(aware_datetimes(), aware_datetimes())
def test_interval_duration_is_elapsed_time(a: datetime, b: datetime) -> None:
    start, end = sorted((a, b), key=lambda d: d.astimezone(UTC))
    interval = Interval(start, end)
    assert interval.duration == elapsed(start, end)
    assert interval.duration >= timedelta(0)
    assert (start in interval) == (start.astimezone(UTC) != end.astimezone(UTC))
