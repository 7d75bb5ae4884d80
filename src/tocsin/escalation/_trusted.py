"""Trusted constructors: the machine's own values, built without attrs' ``__init__``.

A frozen attrs class sets each field through a bound ``object.__setattr__`` (it must
get past its own ``__setattr__``, which refuses); calling the slot descriptors
directly does the same work in about half the time, and a step builds half a dozen
of these values.  What is built this way equals what the public constructor returns
for the same arguments (property tests hold the builder and these functions to it).
It is for data the machine itself produced, so it skips the checks the public
constructors make (a timer's parts, a log entry's instant in UTC and its kind, a
``TimerFired``'s timer): the machine's instants are UTC already and its kinds are
members.  Callers outside the machine (a shell rebuilding values from storage) use the
public constructors, which check everything.  Each value is set up field by field on
purpose: a loop over the setters costs twice as much as the constructor it replaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from tocsin.escalation._commands import TimerFired, Trigger
from tocsin.escalation._effects import AppendLog, Notify, ScheduleTimer, Timer, Transition
from tocsin.escalation._incident import LogEntry

if TYPE_CHECKING:
    from collections.abc import Callable

    from tocsin.escalation._effects import Effect
    from tocsin.escalation._incident import Incident

_new = object.__new__


def slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The bound ``__set__`` of ``cls``'s slot ``name``: sets it, frozen or not."""
    descriptor = cls.__dict__[name]
    setter: Callable[[Any, Any], None] = descriptor.__set__
    return setter


# The Builder builds log entries, notifications and timers with these inline.
entry_at = slot_setter(LogEntry, "at")
entry_kind = slot_setter(LogEntry, "kind")
entry_message = slot_setter(LogEntry, "message")
entry_by = slot_setter(LogEntry, "by")
entry_level = slot_setter(LogEntry, "level")
append_incident = slot_setter(AppendLog, "incident")
append_entry = slot_setter(AppendLog, "entry")
notify_user = slot_setter(Notify, "user")
notify_incident = slot_setter(Notify, "incident")
notify_level = slot_setter(Notify, "level")
notify_reason = slot_setter(Notify, "reason")
notify_key = slot_setter(Notify, "idempotency_key")
notify_urgency = slot_setter(Notify, "urgency")
timer_incident = slot_setter(Timer, "incident")
timer_kind = slot_setter(Timer, "kind")
timer_seq = slot_setter(Timer, "seq")
# Timer caches its hash (cache_hash=True) in a slot attrs' __init__ sets to None.
timer_hash = slot_setter(Timer, "_attrs_cached_hash")
schedule_timer = slot_setter(ScheduleTimer, "timer")
schedule_at = slot_setter(ScheduleTimer, "at")

# simulate builds TimerFired commands for the timers the machine set.
fired_timer = slot_setter(TimerFired, "timer")

_TRIGGER_FIELDS = tuple(
    (field.name, slot_setter(Trigger, field.name)) for field in attrs.fields(Trigger)
)


def trigger_with(trigger: Trigger, changes: dict[str, Any]) -> Trigger:
    """``attrs.evolve(trigger, **changes)`` for a valid trigger and valid changes.

    ``simulate`` gives a trigger its policy and, rarely, an incident id; re-validating
    the event each time would cost more than the step the trigger opens.
    """
    new = _new(Trigger)
    for name, setter in _TRIGGER_FIELDS:
        setter(new, changes[name] if name in changes else getattr(trigger, name))
    return new


_transition_incident = slot_setter(Transition, "incident")
_transition_effects = slot_setter(Transition, "effects")


def transition(incident: Incident | None, effects: tuple[Effect, ...]) -> Transition:
    """``Transition(incident, effects)``."""
    result = _new(Transition)
    _transition_incident(result, incident)
    _transition_effects(result, effects)
    return result
