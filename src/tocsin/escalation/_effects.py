"""Effects: what the escalation machine asks the shell to do, as plain data.

The machine never sends, stores or sleeps.  It returns these values and the shell
carries them out: deliver a :class:`Notify` (at most once, thanks to its idempotency
key), store a :class:`ScheduleTimer` and fire it back as a ``TimerFired`` command,
drop a cancelled timer, append a log entry.
"""

from __future__ import annotations

import enum
from datetime import datetime  # noqa: TC003 - attrs resolves field types at run time
from typing import TYPE_CHECKING, TypeAlias

import attrs

from tocsin._checks import (
    enum_member,
    identifier,
    instance,
    listed,
    text,
    typed_tuple,
    utc_instant,
    whole_number,
)
from tocsin.errors import InvalidInput
from tocsin.services import Urgency

if TYPE_CHECKING:
    from tocsin.escalation._incident import Incident, LogEntry


class TimerKind(enum.StrEnum):
    """What a timer is for."""

    #: A level's delay ran out without an acknowledgement: climb one level.
    LEVEL = "level"
    #: An acknowledgement ran out (``EscalationPolicy.ack_timeout``).
    ACK_TIMEOUT = "ack_timeout"
    #: A snooze ended.
    SNOOZE = "snooze"
    #: The incident was left open for ``EscalationPolicy.auto_resolve``.
    AUTO_RESOLVE = "auto_resolve"
    #: Support hours began: raise a low-urgency incident to high.
    URGENCY = "urgency"


def _incident(value: object) -> str:
    return identifier(value, "incident")


def _timer_kind(value: object) -> TimerKind:
    return enum_member(TimerKind, value, "kind")


def _timer_seq(value: object) -> int:
    return whole_number(value, "seq", minimum=0)


# The hash is cached: a shell (and simulate) keys its pending timers by Timer.
@attrs.frozen(cache_hash=True)
class Timer:
    """The identity of one timer: the incident, what it is for, and a sequence number.

    The sequence number is the incident's revision when the timer was set, so every
    timer an incident ever sets is distinct, and a timer that fires after it was
    cancelled or replaced is recognised as stale.

    ``str(timer)`` is a stable key for a storage row, and :meth:`parse` reads it back
    into an equal ``Timer``.  Building one from its parts checks them as well: ``kind``
    may be given by its value (``"level"``, as read from a column) and becomes the
    :class:`TimerKind` member, so a timer rebuilt from storage is the very timer the
    machine set, and one that fired already is recognised as stale.

    >>> timer = Timer("checkout/db1-disk", "level", 3)
    >>> str(timer)
    'checkout/db1-disk/level/3'
    >>> Timer.parse(str(timer)) == timer == Timer("checkout/db1-disk", TimerKind.LEVEL, 3)
    True
    """

    incident: str = attrs.field(converter=_incident)
    kind: TimerKind = attrs.field(converter=_timer_kind)
    seq: int = attrs.field(converter=_timer_seq)

    def __str__(self) -> str:
        return f"{self.incident}/{self.kind.value}/{self.seq}"

    @classmethod
    def parse(cls, text: str) -> Timer:
        """The timer whose ``str()`` is ``text``: ``"<incident>/<kind>/<seq>"``.

        The incident id may itself contain ``/`` (tocsin's default ids do); the kind
        and the sequence number are the last two parts.  Errors name the part
        (``timer.kind``, ``timer.seq``), or ``timer`` when the shape is wrong.

        >>> Timer.parse("checkout/db1/disk/2025-03-10T09:00:00Z/ack_timeout/7")
        Timer(incident='checkout/db1/disk/2025-03-10T09:00:00Z', kind=<TimerKind.ACK_TIMEOUT: 'ack_timeout'>, seq=7)
        """  # noqa: E501
        given: object = text
        if not isinstance(given, str) or given.count("/") < 2:  # noqa: PLR2004 - two separators
            msg = f"expected '<incident>/<kind>/<seq>' as str(timer) writes it, got {given!r}"
            raise InvalidInput("timer", msg)
        incident, kind, seq = given.rsplit("/", 2)
        # str(int) writes plain ASCII digits with no sign, spaces, underscores or
        # leading zeros; anything else was not written by str(timer).
        if not (seq.isascii() and seq.isdigit()) or (len(seq) > 1 and seq[0] == "0"):
            msg = f"expected the sequence number in decimal digits, got {seq!r}"
            raise InvalidInput("timer.seq", msg)
        try:
            return cls(incident, kind, int(seq))
        except InvalidInput as err:
            raise err.within("timer") from None


class NotifyReason(enum.StrEnum):
    """Why a user is being notified."""

    #: The incident triggered and this level is the first one with someone on call.
    TRIGGERED = "triggered"
    #: The previous level's delay ran out.
    ESCALATED = "escalated"
    #: The path repeated from level 1 (a loop).
    REPEATED = "repeated"
    #: Someone escalated by hand.
    MANUAL_ESCALATION = "manual_escalation"
    #: Someone reassigned the incident (to users or to another policy).
    REASSIGNED = "reassigned"
    #: Someone asked for more responders.
    RESPONDER_REQUEST = "responder_request"
    #: An acknowledgement timed out and the incident is triggered again.
    ACK_TIMEOUT = "ack_timeout"
    #: A snooze ended and the incident is triggered again.
    SNOOZE_ENDED = "snooze_ended"
    #: The urgency was raised from low to high.
    URGENCY_RAISED = "urgency_raised"


class DropReason(enum.StrEnum):
    """Why a command was dropped instead of applied (decisions 2 and 12)."""

    #: No open incident matches (never triggered, or already resolved).
    NO_OPEN_INCIDENT = "no_open_incident"
    #: The command came from another dedup scope (service or integration).
    OTHER_SCOPE = "other_scope"
    #: The incident is open but this alert of it is not (already resolved).
    ALERT_NOT_OPEN = "alert_not_open"


def _user(value: object) -> str:
    return identifier(value, "user")


def _level(value: object) -> int | None:
    return None if value is None else whole_number(value, "level", minimum=1)


def _reason(value: object) -> NotifyReason:
    return enum_member(NotifyReason, value, "reason")


def _idempotency_key(value: object) -> str:
    return identifier(value, "idempotency_key")


def _urgency(value: object) -> Urgency:
    return enum_member(Urgency, value, "urgency")


@attrs.frozen
class Notify:
    """Notify ``user`` about ``incident``; deliver at most once per ``idempotency_key``.

    ``level`` is the escalation level (1-based) that caused it, or ``None`` for a
    direct assignment or a responder request.  The key is unique across an incident's
    life and deterministic: replaying the same commands gives the same keys, so a
    shell that crashes between storing and sending can resend without double-paging.
    """

    user: str = attrs.field(converter=_user)
    incident: str = attrs.field(converter=_incident)
    level: int | None = attrs.field(converter=_level)
    reason: NotifyReason = attrs.field(converter=_reason)
    idempotency_key: str = attrs.field(converter=_idempotency_key)
    urgency: Urgency = attrs.field(default=Urgency.HIGH, converter=_urgency)


def _timer(value: object) -> Timer:
    return instance(value, Timer, "timer")


def _at(value: object) -> datetime:
    return utc_instant(value, "at")


@attrs.frozen
class ScheduleTimer:
    """Fire ``TimerFired(timer)`` at ``at`` (stored in UTC); store it durably."""

    timer: Timer = attrs.field(converter=_timer)
    at: datetime = attrs.field(converter=_at)


@attrs.frozen
class CancelTimer:
    """Forget ``timer``; if it fires anyway, the machine ignores it as stale."""

    timer: Timer = attrs.field(converter=_timer)


def _entry(value: object) -> LogEntry:
    from tocsin.escalation._incident import LogEntry  # noqa: PLC0415 - it imports this module

    return instance(value, LogEntry, "entry")


@attrs.frozen
class AppendLog:
    """Append ``entry`` to the timeline of ``incident`` (also kept on the incident)."""

    incident: str = attrs.field(converter=_incident)
    entry: LogEntry = attrs.field(converter=_entry)


def _drop_reason(value: object) -> DropReason:
    return enum_member(DropReason, value, "reason")


def _detail(value: object) -> str:
    return text(value, "detail")


@attrs.frozen
class Dropped:
    """The command was not applied, and why (it is never silently lost)."""

    reason: DropReason = attrs.field(converter=_drop_reason)
    detail: str = attrs.field(converter=_detail)


def _schedules(value: object) -> tuple[str, ...]:
    names = typed_tuple(value, str, "schedules")
    for i, item in enumerate(names):
        identifier(item, f"schedules[{i}]")
    return names


@attrs.frozen
class NobodyOnCall:
    """A level (or a responder request, ``level=None``) found nobody to page.

    ``schedules`` names the schedules that had nobody on call (or that the
    ``on_call`` mapping did not know).
    """

    incident: str = attrs.field(converter=_incident)
    level: int | None = attrs.field(converter=_level)
    schedules: tuple[str, ...] = attrs.field(default=(), converter=_schedules)


@attrs.frozen
class Unassigned:
    """The open incident has nobody assigned: no level had anyone on call (decision 6).

    PagerDuty drops the triggering event in this case; tocsin keeps the incident and
    says so, so the shell can raise it somewhere humans look.
    """

    incident: str = attrs.field(converter=_incident)


def _an_incident(value: object, field: str) -> Incident:
    from tocsin.escalation._incident import Incident  # noqa: PLC0415 - it imports this module

    return instance(value, Incident, field)


def _into(value: object) -> Incident:
    return _an_incident(value, "into")


@attrs.frozen
class Merged:
    """A merge updated the target incident: store ``into`` as its new state."""

    into: Incident = attrs.field(converter=_into)


#: Every effect the machine can return.
Effect: TypeAlias = (
    Notify | ScheduleTimer | CancelTimer | AppendLog | Dropped | NobodyOnCall | Unassigned | Merged
)


_EFFECT_TYPES = (
    Notify,
    ScheduleTimer,
    CancelTimer,
    AppendLog,
    Dropped,
    NobodyOnCall,
    Unassigned,
    Merged,
)


def _optional_incident(value: object) -> Incident | None:
    return None if value is None else _an_incident(value, "incident")


def effects_of(value: object) -> tuple[Effect, ...]:
    """``value`` as a tuple of effects; an error naming ``effects[i]`` otherwise."""
    items = listed(value, "effects", "effects")
    for i, item in enumerate(items):
        if not isinstance(item, _EFFECT_TYPES):
            msg = f"expected an effect (Notify, ScheduleTimer, ...), got {item!r}"
            where = f"effects[{i}]"
            raise InvalidInput(where, msg)
    return items  # type: ignore[return-value]  # every item was checked above


@attrs.frozen
class Transition:
    """The result of one step: the incident's new state and what the shell must do.

    ``incident`` is ``None`` only when there was no incident and none was opened (an
    acknowledgement for an unknown key, dropped).  A trigger that opens a new incident
    returns the new one, even when a resolved incident was passed in.
    """

    incident: Incident | None = attrs.field(converter=_optional_incident)
    effects: tuple[Effect, ...] = attrs.field(converter=effects_of)

    @property
    def notifications(self) -> tuple[Notify, ...]:
        """Just the :class:`Notify` effects, in order."""
        return tuple(e for e in self.effects if isinstance(e, Notify))
