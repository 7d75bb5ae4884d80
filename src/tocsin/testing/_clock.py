"""A manually driven clock for tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tocsin.errors import InvalidInput
from tocsin.time import require_aware, to_utc

if TYPE_CHECKING:
    from datetime import datetime, timedelta


class FakeClock:
    """A :class:`~tocsin.protocols.Clock` that only moves when told, and only forwards.

    >>> from datetime import UTC, datetime, timedelta
    >>> clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
    >>> clock.advance(timedelta(minutes=5)).isoformat()
    '2026-01-01T00:05:00+00:00'
    >>> clock.advance(timedelta(seconds=-1))
    Traceback (most recent call last):
    ...
    tocsin.errors.InvalidInput: delta: a clock only moves forwards; got -1 day, 23:59:59
    """

    __slots__ = ("_now",)

    def __init__(self, start: datetime) -> None:
        self._now = require_aware(start, "start")

    def now(self) -> datetime:
        """The instant the clock reads."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forwards by ``delta`` (zero allowed) and return the new reading."""
        if delta.total_seconds() < 0:
            msg = f"a clock only moves forwards; got {delta}"
            raise InvalidInput("delta", msg)
        self._now = self._now + delta
        return self._now

    def set(self, to: datetime) -> datetime:
        """Jump to ``to``, which must not be earlier than the current reading."""
        target = require_aware(to, "to")
        if to_utc(target) < to_utc(self._now):
            msg = (
                f"a clock only moves forwards; {target.isoformat()} "
                f"is before {self._now.isoformat()}"
            )
            raise InvalidInput("to", msg)
        self._now = target
        return self._now

    def __repr__(self) -> str:
        return f"FakeClock({self._now.isoformat()})"
