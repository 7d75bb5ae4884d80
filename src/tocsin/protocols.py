"""Every plug point tocsin offers, as ``typing.Protocol`` classes.

Implement these without inheriting from anything: any object with the right
methods fits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

__all__ = ["Clock", "DedupKeyFactory", "OnCallSpan", "OnCallSchedule"]


class Clock(Protocol):
    """Where the shell reads the current time.

    The pure core never reads a clock; it takes ``now`` as a parameter.  The shell
    asks a ``Clock``: :class:`tocsin.time.SystemClock` in production,
    :class:`tocsin.testing.FakeClock` in tests.
    """

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class DedupKeyFactory(Protocol):
    """Makes the dedup key for a trigger that arrived without one.

    Called with the event body as received (a JSON object, ``dedup_key`` absent);
    returns a non-empty key of at most 255 characters.  tocsin's default,
    :func:`tocsin.events.content_dedup_key`, derives the key from the body, so a
    retried request dedups onto the same alert.  For PagerDuty's behaviour (every
    keyless trigger opens a new alert) pass a factory that ignores the body and
    returns a fresh UUID: the shell may be random, the core is not.
    """

    def __call__(self, body: Mapping[str, object], /) -> str:
        """A dedup key for ``body``."""
        ...


class OnCallSpan(Protocol):
    """A stretch of time one person was on call, ``[start, end)``.

    :func:`tocsin.analytics.burden` takes any object with these three attributes, so
    the :class:`tocsin.schedules.Shift` values a schedule renders feed it directly;
    :class:`tocsin.analytics.OnCallEntry` is the plain-data version (with the
    person's zone).
    """

    @property
    def user(self) -> str:
        """Who was on call."""
        ...

    @property
    def start(self) -> datetime:
        """When the span began (aware)."""
        ...

    @property
    def end(self) -> datetime:
        """When it ended (aware, exclusive)."""
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
