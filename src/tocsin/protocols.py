"""Every plug point tocsin offers, as ``typing.Protocol`` classes.

Implement these without inheriting from anything: any object with the right
methods fits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["Clock", "OnCallSchedule"]


class Clock(Protocol):
    """Where the shell reads the current time.

    The pure core never reads a clock; it takes ``now`` as a parameter.  The shell
    asks a ``Clock``: :class:`tocsin.time.SystemClock` in production,
    :class:`tocsin.testing.FakeClock` in tests.
    """

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class OnCallSchedule(Protocol):
    """Answers "who is on call at this instant?" for one schedule.

    Escalation levels name schedules (``ScheduleTarget("db-primary")``); the
    escalation machine takes a ``Mapping[str, OnCallSchedule]`` from those names to
    objects with this one method, so a :class:`tocsin.schedules.Schedule` plugs in
    as it is, and so does any object a caller writes (a database lookup, a fake).

    ``at`` is timezone-aware; ``None`` means nobody is on call at that instant.
    """

    def on_call_at(self, at: datetime) -> str | None:
        """The user on call at ``at``, or ``None`` if nobody is."""
        ...
