"""``tocsin.testing.silences`` checks its arguments and counts ``span`` in elapsed time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings

from tocsin.errors import InvalidInput, NaiveDatetimeError
from tocsin.testing import silences

if TYPE_CHECKING:
    from tocsin.noise import Silence

NY = ZoneInfo("America/New_York")
# 2026-03-08 01:30 EST: New York springs forward half an hour later, at 02:00.
BEFORE_SPRING = datetime(2026, 3, 8, 1, 30, tzinfo=NY)
SPAN = timedelta(hours=2)


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"base": datetime(2026, 3, 8, 1, 30)}, NaiveDatetimeError, "base"),
        ({"span": timedelta(seconds=59)}, InvalidInput, "span"),
        ({"span": 120}, InvalidInput, "span"),
        ({"base": datetime(9999, 12, 31, 23, tzinfo=UTC)}, InvalidInput, "span"),
    ],
)
def test_bad_arguments_are_refused_when_the_strategy_is_made(
    kwargs: dict[str, object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as err:
        silences(**kwargs)  # type: ignore[arg-type]
    assert getattr(err.value, "field", None) == field


@settings(max_examples=60)
@given(silences(base=BEFORE_SPRING, span=SPAN))
def test_span_is_elapsed_time_across_a_spring_forward(silence: Silence) -> None:
    # Wall-clock arithmetic would land starts in the missing hour 02:00-03:00 and make
    # some silences an hour shorter than their wall readings say.
    start_utc = silence.start.astimezone(UTC)
    end_utc = silence.end.astimezone(UTC)
    base_utc = BEFORE_SPRING.astimezone(UTC)
    assert timedelta(0) <= start_utc - base_utc <= SPAN
    assert timedelta(minutes=1) <= end_utc - start_utc <= SPAN
    assert silence.start.tzinfo is NY
    # Every instant shown reads back to itself: none lies in the gap.
    for instant in (silence.start, silence.end):
        assert instant.astimezone(UTC).astimezone(NY) == instant
        assert instant.replace(tzinfo=None) != datetime(2026, 3, 8, 2, 30)
