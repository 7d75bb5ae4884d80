"""Commands: everything that can happen to an incident, as plain data.

Inbound events become :class:`Trigger`, :class:`Acknowledge` and :class:`Resolve`
(:func:`from_event` does it); people and APIs send the others; the shell turns due
timers into :class:`TimerFired`.  Every command validates itself on construction.
"""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - attrs resolves field types at run time
from typing import Any, TypeAlias

import attrs

from tocsin._checks import enum_member, utc_instant
from tocsin.errors import InvalidInput
from tocsin.escalation._checks import items_of, names_of
from tocsin.escalation._effects import Timer
from tocsin.escalation._incident import AlertKey, Incident
from tocsin.escalation._policy import EscalationPolicy, ScheduleTarget, UserTarget
from tocsin.events import Action, Event
from tocsin.services import Urgency


def _optional_name(field: str) -> Any:  # noqa: ANN401 - an attrs validator
    def check(_inst: object, _attr: object, value: object) -> None:
        if value is not None and (not isinstance(value, str) or not value):
            msg = f"expected a non-empty string or None, got {value!r}"
            raise InvalidInput(field, msg)

    return check


def _scope_pair(service: str | None, dedup_key: str | None) -> None:
    if (service is None) != (dedup_key is None):
        missing = "dedup_key" if dedup_key is None else "service"
        msg = "an event-driven command names both its service and its dedup key"
        raise InvalidInput(missing, msg)


def _urgency(value: object) -> Urgency:
    return enum_member(Urgency, value, "urgency")


def _optional_urgency(value: object) -> Urgency | None:
    return None if value is None else _urgency(value)


@attrs.frozen
class Trigger:
    """An alert fired: open an incident, or fold into the open one it is given.

    Stepped with no incident, or with a resolved one, it opens a new incident.  Stepped
    with an open incident of the same scope, it folds in: a duplicate if the dedup key
    matches (decision 1), otherwise a grouped alert that the incident now also waits
    for (the caller's grouping decided it belongs there).  An open incident of another
    scope is never joined (decision 12): a new incident opens.  A scope whose alerts a
    merge moved into the incident counts as the incident's own.

    ``service`` is the dedup scope (decision 12); it defaults to the event's
    ``routing_key``.  ``policy`` is needed only when a new incident opens (the incident
    snapshots it, decision 8).  ``incident_id`` names a new incident; by default it is
    ``"<service>/<dedup key>/<UTC instant>"``, deterministic so replays agree.
    ``urgency`` overrides the policy's support hours (default high).
    """

    event: Event = attrs.field()
    policy: EscalationPolicy | None = attrs.field(default=None, kw_only=True)
    service: str | None = attrs.field(default=None, kw_only=True)
    incident_id: str | None = attrs.field(
        default=None, kw_only=True, validator=_optional_name("incident_id")
    )
    urgency: Urgency | None = attrs.field(
        default=None,
        kw_only=True,
        converter=_optional_urgency,
    )

    #: The alert this trigger is about: ``(service, event.dedup_key)``.
    key: AlertKey = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        event: object = self.event
        if not isinstance(event, Event):
            msg = f"expected a tocsin.events.Event, got {event!r}"
            raise InvalidInput("event", msg)
        if self.event.action is not Action.TRIGGER:
            msg = f"a Trigger needs a trigger event, got {self.event.action.value!r}"
            raise InvalidInput("event.event_action", msg)
        policy: object = self.policy
        if policy is not None and not isinstance(policy, EscalationPolicy):
            msg = f"expected an EscalationPolicy or None, got {policy!r}"
            raise InvalidInput("policy", msg)
        service: object = self.service
        if service is None:
            service = self.event.routing_key
        if not isinstance(service, str) or not service:
            msg = "name the dedup scope: pass service=... or send the event with a routing_key"
            raise InvalidInput("service", msg)
        object.__setattr__(self, "service", service)
        object.__setattr__(self, "key", AlertKey(service, self.event.dedup_key))


@attrs.frozen
class _PersonOrEvent:
    """The fields acknowledge and resolve share: who, or which alert of which scope."""

    by: str | None = attrs.field(default=None, validator=_optional_name("by"))
    service: str | None = attrs.field(
        default=None, kw_only=True, validator=_optional_name("service")
    )
    dedup_key: str | None = attrs.field(
        default=None, kw_only=True, validator=_optional_name("dedup_key")
    )

    def __attrs_post_init__(self) -> None:
        _scope_pair(self.service, self.dedup_key)


@attrs.frozen
class Acknowledge(_PersonOrEvent):
    """Someone is on it: stop escalating.

    From a person or an API, give ``by``.  From an inbound event, give ``service`` and
    ``dedup_key`` too: an acknowledgement from another dedup scope, or for an alert
    that is not open, is dropped (decisions 2 and 12).  Acknowledging an acknowledged
    incident restarts its ack timeout and ends a snooze (PagerDuty).
    """


@attrs.frozen
class Resolve(_PersonOrEvent):
    """It is fixed.

    From a person or an API (``by``), the whole incident resolves.  From an inbound
    event (``service`` and ``dedup_key``), that alert resolves, and the incident with it
    once no alert of it is still open; from another scope, or for an alert that is not
    open, it is dropped (decisions 2 and 12).
    """


def _aware_until(value: object) -> datetime:
    return utc_instant(value, "until")


@attrs.frozen
class Snooze:
    """Quiet an acknowledged incident until ``until``, then trigger it again.

    Only acknowledged incidents can be snoozed (PagerDuty); ``until`` must be after
    the step's ``now``.  Another acknowledgement or a reassignment ends the snooze.
    """

    until: datetime = attrs.field(converter=_aware_until)
    by: str | None = attrs.field(default=None, kw_only=True, validator=_optional_name("by"))


def _users(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    users = names_of(value, "users", empty="reassign to at least one user")
    return tuple(dict.fromkeys(users))


@attrs.frozen
class Reassign:
    """Hand the incident to named users, or to another escalation policy.

    To users: PagerDuty's direct assignment, after which the incident does not
    escalate.  To a policy: the incident snapshots the new policy and starts at its
    level 1 with a fresh loop count (GoAlert's reset; the explicit re-escalation of
    decision 8); its levels, loops and ack timeout apply from then on, while what was
    settled when the incident opened stays: its urgency, and its auto-resolve timer
    (PagerDuty keeps both on the service, which a reassignment does not change).
    Either way it is triggered again and any snooze ends.
    """

    users: tuple[str, ...] | None = attrs.field(default=None, converter=_users)
    policy: EscalationPolicy | None = attrs.field(default=None, kw_only=True)
    by: str | None = attrs.field(default=None, kw_only=True, validator=_optional_name("by"))

    def __attrs_post_init__(self) -> None:
        if (self.users is None) == (self.policy is None):
            msg = "reassign to users or to a policy, exactly one of them"
            raise InvalidInput("users", msg)
        policy: object = self.policy
        if policy is not None and not isinstance(policy, EscalationPolicy):
            msg = f"expected an EscalationPolicy, got {policy!r}"
            raise InvalidInput("policy", msg)


def _level(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"expected a level number >= 1 (levels count from 1), got {value!r}"
        raise InvalidInput("to_level", msg)
    return value


@attrs.frozen
class Escalate:
    """Page a level by hand: ``to_level`` (1-based), or the next one if ``None``.

    The next level after the last is level 1 again (GoAlert loops a manual escalation
    even with no repeats left); a manual escalation never counts as a loop.  An
    acknowledged incident is triggered again (GoAlert).
    """

    to_level: int | None = attrs.field(default=None, converter=_level)
    by: str | None = attrs.field(default=None, kw_only=True, validator=_optional_name("by"))


def _into(value: object) -> Incident | str:
    if isinstance(value, Incident) or (isinstance(value, str) and value):
        return value
    msg = f"expected the target Incident (or, for simulate, its id), got {value!r}"
    raise InvalidInput("into", msg)


@attrs.frozen
class Merge:
    """Merge this incident into ``into``: this one resolves, its alerts move over.

    The target must be open and another incident (PagerDuty).  :func:`step` needs the
    target's state; :func:`simulate` also takes its id or dedup key.
    """

    into: Incident | str = attrs.field(converter=_into)
    by: str | None = attrs.field(default=None, kw_only=True, validator=_optional_name("by"))


#: What a responder request can name: a user, a schedule's on-call user, or another
#: team's escalation policy (its first level is paged, as PagerDuty does).
ResponderTarget: TypeAlias = UserTarget | ScheduleTarget | EscalationPolicy


def _responders(value: object) -> tuple[ResponderTarget, ...]:
    return items_of(
        value,
        (UserTarget, ScheduleTarget, EscalationPolicy),
        "targets",
        noun="a UserTarget, ScheduleTarget or EscalationPolicy",
        empty="ask at least one responder",
    )


@attrs.frozen
class AddResponders:
    """Ask more people (other teams) to help: each is notified once and listed.

    Responders are notified but do not take over the escalation (PagerDuty's responder
    requests).  A team is named by its schedule or its escalation policy.
    """

    targets: tuple[ResponderTarget, ...] = attrs.field(converter=_responders)
    by: str | None = attrs.field(default=None, kw_only=True, validator=_optional_name("by"))


@attrs.frozen
class SetUrgency:
    """Change the urgency.

    Raising a triggered incident to high pages its current level again and starts
    escalating; lowering it stops escalation (low urgency never escalates).
    """

    urgency: Urgency = attrs.field(converter=_urgency)
    by: str | None = attrs.field(default=None, kw_only=True, validator=_optional_name("by"))


def _timer(value: object) -> Timer:
    if isinstance(value, Timer):
        return value
    msg = f"expected a Timer from a ScheduleTimer effect, got {value!r}"
    raise InvalidInput("timer", msg)


@attrs.frozen
class TimerFired:
    """A timer the machine scheduled is due: the shell hands it back at or after its time.

    A timer the incident no longer waits for (cancelled by an acknowledgement, replaced,
    or the incident resolved) is stale: it is logged and never acted on.
    """

    timer: Timer = attrs.field(converter=_timer)


#: Every command :func:`~tocsin.escalation.step` accepts.
Command: TypeAlias = (
    Trigger
    | Acknowledge
    | Resolve
    | Snooze
    | Reassign
    | Escalate
    | Merge
    | AddResponders
    | SetUrgency
    | TimerFired
)

#: The command classes, for ``isinstance`` checks of what callers hand over.
COMMAND_TYPES = (
    Trigger,
    Acknowledge,
    Resolve,
    Snooze,
    Reassign,
    Escalate,
    Merge,
    AddResponders,
    SetUrgency,
    TimerFired,
)


def from_event(
    event: Event,
    *,
    service: str | None = None,
    policy: EscalationPolicy | None = None,
) -> Trigger | Acknowledge | Resolve:
    """Turn an inbound Events v2 event into the command it asks for.

    ``service`` (default: the event's ``routing_key``) is the dedup scope.

    >>> from tocsin.events import Event
    >>> from_event(Event(action="resolve", dedup_key="db1/disk", routing_key="checkout"))
    Resolve(by=None, service='checkout', dedup_key='db1/disk')
    """
    given: object = event
    if not isinstance(given, Event):
        msg = f"expected a tocsin.events.Event, got {given!r}"
        raise InvalidInput("event", msg)
    if event.action is Action.TRIGGER:
        return Trigger(event, policy=policy, service=service)
    scope = service if service is not None else event.routing_key
    if scope is None:
        msg = "name the dedup scope: pass service=... or send the event with a routing_key"
        raise InvalidInput("service", msg)
    if event.action is Action.ACKNOWLEDGE:
        return Acknowledge(service=scope, dedup_key=event.dedup_key)
    return Resolve(service=scope, dedup_key=event.dedup_key)
