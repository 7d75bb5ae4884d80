"""Every plug point tocsin offers, as ``typing.Protocol`` classes.

Implement these without inheriting from anything: any object with the right
methods fits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["Clock"]


class Clock(Protocol):
    """Where the shell reads the current time.

    The pure core never reads a clock; it takes ``now`` as a parameter.  The shell
    asks a ``Clock``: :class:`tocsin.time.SystemClock` in production,
    :class:`tocsin.testing.FakeClock` in tests.
    """

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...
