"""Trusted constructors: the machine's own values, built without attrs' ``__init__``.

A frozen attrs class sets each field through a bound ``object.__setattr__`` (it must
get past its own ``__setattr__``, which refuses); calling the slot descriptors
directly does the same work in about half the time, and a step builds half a dozen
of these values.  Each function here returns exactly what the public constructor
returns for the same arguments (a property test holds them to it); they are for data
the machine itself produced, so they skip the one check any of these classes has
(``TimerFired``'s, that its timer is a :class:`Timer`).  Callers outside the machine
use the public constructors.  Each is written out field by field on purpose: a loop over
the setters costs twice as much as the constructor it replaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tocsin.escalation._commands import TimerFired
from tocsin.escalation._effects import (
    AppendLog,
    Notify,
    NotifyReason,
    ScheduleTimer,
    Timer,
    TimerKind,
    Transition,
)
from tocsin.escalation._incident import LogEntry, LogKind

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from tocsin.escalation._effects import Effect
    from tocsin.escalation._incident import Incident
    from tocsin.services import Urgency

_new = object.__new__


def slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The bound ``__set__`` of ``cls``'s slot ``name``: sets it, frozen or not."""
    descriptor = cls.__dict__[name]
    setter: Callable[[Any, Any], None] = descriptor.__set__
    return setter


_entry_at = slot_setter(LogEntry, "at")
_entry_kind = slot_setter(LogEntry, "kind")
_entry_message = slot_setter(LogEntry, "message")
_entry_by = slot_setter(LogEntry, "by")
_entry_level = slot_setter(LogEntry, "level")


def log_entry(
    at: datetime, kind: LogKind, message: str, by: str | None, level: int | None
) -> LogEntry:
    """``LogEntry(at, kind, message, by=by, level=level)``."""
    entry = _new(LogEntry)
    _entry_at(entry, at)
    _entry_kind(entry, kind)
    _entry_message(entry, message)
    _entry_by(entry, by)
    _entry_level(entry, level)
    return entry


_append_incident = slot_setter(AppendLog, "incident")
_append_entry = slot_setter(AppendLog, "entry")


def append_log(incident: str, entry: LogEntry) -> AppendLog:
    """``AppendLog(incident, entry)``."""
    effect = _new(AppendLog)
    _append_incident(effect, incident)
    _append_entry(effect, entry)
    return effect


_notify_user = slot_setter(Notify, "user")
_notify_incident = slot_setter(Notify, "incident")
_notify_level = slot_setter(Notify, "level")
_notify_reason = slot_setter(Notify, "reason")
_notify_key = slot_setter(Notify, "idempotency_key")
_notify_urgency = slot_setter(Notify, "urgency")


def notify(  # noqa: PLR0917 - the fields of Notify, in order
    user: str,
    incident: str,
    level: int | None,
    reason: NotifyReason,
    idempotency_key: str,
    urgency: Urgency,
) -> Notify:
    """``Notify(user, incident, level, reason, idempotency_key, urgency)``."""
    effect = _new(Notify)
    _notify_user(effect, user)
    _notify_incident(effect, incident)
    _notify_level(effect, level)
    _notify_reason(effect, reason)
    _notify_key(effect, idempotency_key)
    _notify_urgency(effect, urgency)
    return effect


_timer_incident = slot_setter(Timer, "incident")
_timer_kind = slot_setter(Timer, "kind")
_timer_seq = slot_setter(Timer, "seq")
# Timer caches its hash (cache_hash=True) in a slot attrs' __init__ sets to None.
_timer_hash = slot_setter(Timer, "_attrs_cached_hash")


def timer(incident: str, kind: TimerKind, seq: int) -> Timer:
    """``Timer(incident, kind, seq)``."""
    new = _new(Timer)
    _timer_incident(new, incident)
    _timer_kind(new, kind)
    _timer_seq(new, seq)
    _timer_hash(new, None)
    return new


_schedule_timer = slot_setter(ScheduleTimer, "timer")
_schedule_at = slot_setter(ScheduleTimer, "at")


def schedule_timer(timer: Timer, at: datetime) -> ScheduleTimer:
    """``ScheduleTimer(timer, at)``."""
    effect = _new(ScheduleTimer)
    _schedule_timer(effect, timer)
    _schedule_at(effect, at)
    return effect


_fired_timer = slot_setter(TimerFired, "timer")


def timer_fired(timer: Timer) -> TimerFired:
    """``TimerFired(timer)`` for a timer the machine set."""
    command = _new(TimerFired)
    _fired_timer(command, timer)
    return command


_transition_incident = slot_setter(Transition, "incident")
_transition_effects = slot_setter(Transition, "effects")


def transition(incident: Incident | None, effects: tuple[Effect, ...]) -> Transition:
    """``Transition(incident, effects)``."""
    result = _new(Transition)
    _transition_incident(result, incident)
    _transition_effects(result, effects)
    return result
