"""The tocsin error hierarchy.

Every error tocsin raises on purpose derives from :class:`TocsinError`, and each leaf
also subclasses the builtin it resembles, so ``except ValueError`` keeps working for
callers who do not know tocsin (as Hypothesis does).  Errors about input carry
``field``, a dotted path to the offending value (``layer.users[2]``,
``payload.severity``), and a message that says what would have been right.
"""

from __future__ import annotations

__all__ = [
    "TocsinError",
    "InvalidInput",
    "NaiveDatetimeError",
    "UnknownZoneError",
    "InvalidEvent",
    "InvalidTransition",
    "NotFoundError",
]


class TocsinError(Exception):
    """The root of every error tocsin raises on purpose."""


class InvalidInput(TocsinError, ValueError):
    """A value handed to tocsin is not acceptable.

    ``field`` is a dotted path to the offending value, relative to what the caller
    passed (``"end"``, ``"layers[0].users"``, ``"payload.severity"``).

    >>> err = InvalidInput("turn.hours", "must be positive, got 0")
    >>> str(err)
    'turn.hours: must be positive, got 0'
    >>> err.field, err.reason
    ('turn.hours', 'must be positive, got 0')
    """

    field: str
    reason: str

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    def __reduce__(self) -> tuple[type[InvalidInput], tuple[str, str]]:
        # Keep the two-argument constructor picklable (multiprocessing, caches).
        return (type(self), (self.field, self.reason))

    def within(self, prefix: str) -> InvalidInput:
        """Return the same error with ``prefix`` prepended to its field path.

        Lets a container re-raise a member's error with the member's position:
        ``err.within("layers[2]")`` turns ``turn`` into ``layers[2].turn``.
        """
        joined = prefix if not self.field else f"{prefix}.{self.field}"
        if self.field.startswith("["):
            joined = f"{prefix}{self.field}"
        clone = type(self)(joined, self.reason)
        clone.__cause__ = self.__cause__
        return clone


class NaiveDatetimeError(InvalidInput):
    """A ``datetime`` without a time zone crossed the public API.

    tocsin never guesses a zone: pass an aware datetime, for example
    ``datetime(2026, 3, 8, 9, tzinfo=ZoneInfo("America/New_York"))``.
    """


class UnknownZoneError(InvalidInput, LookupError):
    """A time-zone name is not in the IANA database tocsin can see."""


class InvalidEvent(InvalidInput):
    """An event or a monitoring tool's payload is not what its source sends."""


class InvalidTransition(TocsinError, RuntimeError):
    """A command is not allowed in the state it was given (snoozing a triggered incident)."""


class NotFoundError(TocsinError, LookupError):
    """Something looked up by name or id does not exist."""
