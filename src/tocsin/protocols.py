"""Every plug point tocsin offers, as ``typing.Protocol`` classes.

Implement these without inheriting from anything: any object with the right
methods fits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

__all__ = ["Clock", "DedupKeyFactory"]


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
