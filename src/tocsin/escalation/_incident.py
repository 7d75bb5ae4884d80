"""The incident: the unit that is paged, acknowledged, escalated and resolved."""

from __future__ import annotations

import enum
from datetime import datetime  # noqa: TC003 - attrs resolves field types at run time
from typing import Any

import attrs

from tocsin._checks import (
    enum_member,
    identifier,
    optional_name,
    text,
    utc_instant,
    whole_number,
)
from tocsin.errors import InvalidInput
from tocsin.escalation._checks import items_of, names_of
from tocsin.escalation._effects import ScheduleTimer, TimerKind
from tocsin.escalation._policy import EscalationPolicy
from tocsin.services import Urgency


class Status(enum.StrEnum):
    """The three statuses every reference shares.

    Snoozed is acknowledged with ``snoozed_until`` set, and merged is resolved with
    ``merged_into`` set, as in PagerDuty.
    """

    TRIGGERED = "triggered"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class AssignedVia(enum.StrEnum):
    """How the current assignees were chosen (PagerDuty's ``assigned_via``)."""

    #: By the escalation policy: the incident escalates while it is triggered.
    ESCALATION_POLICY = "escalation_policy"
    #: By hand, to named users: the incident does not escalate (PagerDuty).
    DIRECT_ASSIGNMENT = "direct_assignment"


class LogKind(enum.StrEnum):
    """What a log entry records (after PagerDuty's log-entry types where one exists)."""

    TRIGGERED = "trigger"
    DUPLICATE = "duplicate"
    GROUPED = "alert_grouped"
    ESCALATED = "escalate"
    REPEATED = "repeat_escalation_path"
    EXHAUSTED = "exhaust_escalation_path"
    NOBODY_ON_CALL = "nobody_on_call"
    UNASSIGNED = "unassigned"
    ACKNOWLEDGED = "acknowledge"
    UNACKNOWLEDGED = "unacknowledge"
    SNOOZED = "snooze"
    SNOOZE_ENDED = "snooze_ended"
    ALERT_RESOLVED = "alert_resolved"
    RESOLVED = "resolve"
    REASSIGNED = "assign"
    MERGED = "merge"
    MERGED_FROM = "merged_from"
    RESPONDERS = "responder_request"
    URGENCY = "urgency_change"
    DROPPED = "dropped"
    STALE_TIMER = "stale_timer"


def _entry_at(value: object) -> datetime:
    return utc_instant(value, "at")


def _entry_kind(value: object) -> LogKind:
    return enum_member(LogKind, value, "kind")


def _message(value: object) -> str:
    return text(value, "message")


def _by(value: object) -> str | None:
    return optional_name(value, "by")


def _entry_level(value: object) -> int | None:
    return None if value is None else whole_number(value, "level", minimum=1)


@attrs.frozen
class LogEntry:
    """One line of an incident's timeline.

    ``at`` is stored in UTC.  ``level`` is set on entries about an escalation level;
    ``by`` names the person or system behind a human command when the caller said who
    it was.
    """

    at: datetime = attrs.field(converter=_entry_at)
    kind: LogKind = attrs.field(converter=_entry_kind)
    message: str = attrs.field(converter=_message)
    by: str | None = attrs.field(default=None, kw_only=True, converter=_by)
    level: int | None = attrs.field(default=None, kw_only=True, converter=_entry_level)


def _service(value: object) -> str:
    return identifier(value, "service")


def _dedup_key(value: object) -> str:
    return identifier(value, "dedup_key")


@attrs.frozen
class AlertKey:
    """An alert's identity: its dedup scope (service or integration) and dedup key.

    Decision 12: the same dedup key on two services is two alerts.
    """

    service: str = attrs.field(converter=_service)
    dedup_key: str = attrs.field(converter=_dedup_key)


def _utc(value: object, field: str) -> datetime:
    return utc_instant(value, field)


def _count(value: object, field: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        msg = f"expected an integer >= {minimum}, got {value!r}"
        raise InvalidInput(field, msg)
    return value


# Not slotted, unlike tocsin's other values: the machine copies an incident on every
# step, and copying a 21-field instance dict in two C calls is about three times faster
# than setting 21 slots one by one (measured; see benchmarks/bench_escalation.py).
@attrs.frozen(kw_only=True, slots=False)
class Incident:
    """An incident's whole state, as one immutable value.

    Build incidents by stepping a :class:`~tocsin.escalation.Trigger` through
    :func:`~tocsin.escalation.step`; the constructor is public (for storage layers
    and tests) and checks each field and that they agree with each other: instants
    become UTC and enum values members, the log is in time order, and the pending
    timers are ones the machine could be waiting for (this incident's, one of each
    kind, a level timer only while triggered, ...).  A stored incident rebuilt through
    it (timers by :meth:`Timer.parse <tocsin.escalation.Timer.parse>`) equals the
    original and steps the same.

    * ``policy`` is the snapshot taken when the incident triggered (decision 8).
    * ``level`` is 1-based (PagerDuty's ``escalation_level``); ``loop`` counts the
      completed passes, so it never exceeds ``policy.loops``.
    * ``alert_count`` counts every trigger folded into the incident, duplicates
      included (unlike Opsgenie, it does not stop at 100); ``open_alerts`` are the
      alerts still firing: the incident resolves when the last one does.
    * ``timers`` are the timers the incident is waiting for; a ``TimerFired`` for any
      other timer is stale and only logged.
    * ``revision`` counts the steps applied; it makes timer ids and idempotency keys
      unique and deterministic.
    """

    id: str
    service: str
    dedup_key: str
    policy: EscalationPolicy
    status: Status
    opened_at: datetime
    level: int = 1
    loop: int = 0
    urgency: Urgency = Urgency.HIGH
    assigned_via: AssignedVia = AssignedVia.ESCALATION_POLICY
    assignees: tuple[str, ...] = ()
    acknowledged_by: tuple[str, ...] = ()
    snoozed_until: datetime | None = None
    merged_into: str | None = None
    alert_count: int = 1
    open_alerts: tuple[AlertKey, ...] = ()
    responders: tuple[str, ...] = ()
    timers: tuple[ScheduleTimer, ...] = ()
    log: tuple[LogEntry, ...] = ()
    revision: int = 0

    def __attrs_post_init__(self) -> None:
        # Normalise in place (lists become tuples, instants UTC), then check that the
        # fields agree with each other.  The machine itself bypasses this (``replace``).
        state = self.__dict__
        state["status"] = enum_member(Status, self.status, "status")
        state["urgency"] = enum_member(Urgency, self.urgency, "urgency")
        state["assigned_via"] = enum_member(AssignedVia, self.assigned_via, "assigned_via")
        state["opened_at"] = _utc(self.opened_at, "opened_at")
        if self.snoozed_until is not None:
            state["snoozed_until"] = _utc(self.snoozed_until, "snoozed_until")
        for field in ("assignees", "acknowledged_by", "responders"):
            state[field] = names_of(state[field], field)
        state["open_alerts"] = items_of(
            self.open_alerts, AlertKey, "open_alerts", noun="a AlertKey"
        )
        state["timers"] = items_of(self.timers, ScheduleTimer, "timers", noun="a ScheduleTimer")
        state["log"] = items_of(self.log, LogEntry, "log", noun="a LogEntry")
        self._check()

    def _check(self) -> None:
        identifier(self.id, "id")
        identifier(self.service, "service")
        identifier(self.dedup_key, "dedup_key")
        policy: object = self.policy
        if not isinstance(policy, EscalationPolicy):
            msg = f"expected an EscalationPolicy, got {policy!r}"
            raise InvalidInput("policy", msg)
        levels = len(policy.levels)
        if _count(self.level, "level", 1) > levels:
            msg = f"the policy has {levels} levels, got level {self.level}"
            raise InvalidInput("level", msg)
        if _count(self.loop, "loop", 0) > policy.loops:
            msg = f"the policy repeats {policy.loops} times, got loop {self.loop}"
            raise InvalidInput("loop", msg)
        _count(self.alert_count, "alert_count", 1)
        _count(self.revision, "revision", 0)
        if self.merged_into is not None:
            identifier(self.merged_into, "merged_into")
        resolved = self.status is Status.RESOLVED
        if self.snoozed_until is not None and self.status is not Status.ACKNOWLEDGED:
            msg = "only an acknowledged incident can be snoozed"
            raise InvalidInput("snoozed_until", msg)
        if self.merged_into is not None and not resolved:
            msg = "a merged incident is resolved"
            raise InvalidInput("merged_into", msg)
        if resolved and self.timers:
            msg = "a resolved incident waits for no timer"
            raise InvalidInput("timers", msg)
        if resolved == bool(self.open_alerts):
            msg = "an open incident has open alerts and a resolved one has none"
            raise InvalidInput("open_alerts", msg)
        self._check_lists()
        self._check_timers()

    def _check_lists(self) -> None:
        for i, key in enumerate(self.open_alerts):
            if key in self.open_alerts[:i]:
                msg = f"{key} is listed twice"
                where = f"open_alerts[{i}]"
                raise InvalidInput(where, msg)
        # step() refuses an instant before the last entry's: the log is in time order.
        for i in range(1, len(self.log)):
            if self.log[i].at < self.log[i - 1].at:
                earlier = self.log[i - 1].at.isoformat()
                msg = f"entries are in time order, but {earlier} comes before it"
                where = f"log[{i}].at"
                raise InvalidInput(where, msg)

    def _check_timers(self) -> None:
        """The timers are ones the machine could be waiting for in this state.

        Each is this incident's, set at or before its current revision, one of each
        kind; a level timer runs only while triggered, an ack timeout or a snooze end
        only while acknowledged, and a snooze end exactly when ``snoozed_until`` is set,
        at that instant.  A stored incident that breaks these would escalate twice, or
        never wake from its snooze.
        """
        kinds: list[TimerKind] = []
        snooze: datetime | None = None
        for i, pending in enumerate(self.timers):
            timer = pending.timer
            where = f"timers[{i}].timer"
            if timer.incident != self.id:
                msg = f"a timer of incident {timer.incident!r}, not of {self.id!r}"
                raise InvalidInput(where + ".incident", msg)
            if timer.seq > self.revision:
                msg = f"set at revision {timer.seq}, after the incident's {self.revision}"
                raise InvalidInput(where + ".seq", msg)
            kind = timer.kind
            if kind in kinds:
                msg = f"a second pending {kind.value} timer; an incident waits for one of each"
                raise InvalidInput(where + ".kind", msg)
            kinds.append(kind)
            needs = _TIMER_STATUS.get(kind)
            if needs is not None and self.status is not needs:
                status = self.status.value
                msg = f"a {kind.value} timer runs only while {needs.value}, not {status}"
                raise InvalidInput(where + ".kind", msg)
            if kind is TimerKind.SNOOZE:
                snooze = pending.at
        if snooze != self.snoozed_until:
            shown = "no snooze timer" if snooze is None else f"a snooze timer at {snooze}"
            msg = f"snoozed_until and the snooze timer agree, got {self.snoozed_until} and {shown}"
            raise InvalidInput("snoozed_until", msg)

    @property
    def is_open(self) -> bool:
        """Triggered or acknowledged."""
        return self.status is not Status.RESOLVED

    @property
    def snoozed(self) -> bool:
        """Acknowledged with a snooze pending."""
        return self.snoozed_until is not None


#: The status a timer of each kind needs (the others run while the incident is open).
_TIMER_STATUS = {
    TimerKind.LEVEL: Status.TRIGGERED,
    TimerKind.ACK_TIMEOUT: Status.ACKNOWLEDGED,
    TimerKind.SNOOZE: Status.ACKNOWLEDGED,
}

_new = object.__new__


def replace(incident: Incident, changes: dict[str, Any]) -> Incident:
    """``attrs.evolve`` without re-validation, for the machine's own transitions.

    The machine only produces states it has checked; skipping the validators and
    copying the instance dict keeps a step cheap (the benchmark drives hundreds of
    thousands of them).
    """
    new = _new(Incident)
    fields = new.__dict__
    fields.update(incident.__dict__)
    fields.update(changes)
    return new


_DEFAULTS: dict[str, Any] = {
    field.name: field.default
    for field in attrs.fields(Incident)
    if field.default is not attrs.NOTHING
}


def fresh(fields: dict[str, Any]) -> Incident:
    """A new incident from fields the machine has already checked (defaults filled in)."""
    new = _new(Incident)
    state = new.__dict__
    state.update(_DEFAULTS)
    state.update(fields)
    return new
