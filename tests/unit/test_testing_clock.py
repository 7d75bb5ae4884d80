from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from tocsin.errors import InvalidInput, NaiveDatetimeError
from tocsin.testing import FakeClock

if TYPE_CHECKING:
    from tocsin.protocols import Clock

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def read(clock: Clock) -> datetime:
    return clock.now()


def test_fake_clock_is_a_clock_and_moves_forward_only() -> None:
    clock = FakeClock(T0)
    assert read(clock) == T0
    assert clock.advance(timedelta(0)) == T0
    assert clock.advance(timedelta(hours=1)) == T0 + timedelta(hours=1)
    with pytest.raises(InvalidInput):
        clock.advance(timedelta(microseconds=-1))
    with pytest.raises(InvalidInput) as info:
        clock.set(T0)
    assert info.value.field == "to"
    assert clock.set(T0 + timedelta(days=1)) == T0 + timedelta(days=1)
    assert "2026-01-02" in repr(clock)


def test_fake_clock_rejects_naive_start() -> None:
    with pytest.raises(NaiveDatetimeError):
        FakeClock(datetime(2026, 1, 1))
