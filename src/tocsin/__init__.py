"""tocsin: incident-management primitives as a pure, typed Python library.

Schedules, event intake, escalation and SLO math live in their own subpackages
(``tocsin.schedules``, ``tocsin.events``, ...); this top-level module re-exports the
error hierarchy and the shared time vocabulary.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from tocsin.errors import (
    InvalidEvent,
    InvalidInput,
    InvalidTransition,
    NaiveDatetimeError,
    NotFoundError,
    TocsinError,
    UnknownZoneError,
)
from tocsin.time import Interval, SystemClock

try:
    __version__ = version("tocsin")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "__version__",
    "TocsinError",
    "InvalidInput",
    "NaiveDatetimeError",
    "UnknownZoneError",
    "InvalidEvent",
    "InvalidTransition",
    "NotFoundError",
    "Interval",
    "SystemClock",
]
