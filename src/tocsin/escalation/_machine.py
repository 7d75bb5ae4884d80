"""The incident lifecycle as one transition table, and :func:`step`, which applies it.

Read :data:`TRANSITIONS` top to bottom: each row is a status, a command and what
follows.  :func:`step` looks the row up and runs its handler; a pair with no row, or
a row marked illegal, raises :class:`~tocsin.errors.InvalidTransition`.  The state
diagram in the docs is generated from the same rows (:func:`lifecycle_diagram`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

import attrs

from tocsin._checks import enum_member, identifier, text, unique_strings, utc_instant
from tocsin.errors import InvalidInput, InvalidTransition
from tocsin.escalation._builder import Builder, Outcome, resolve_targets, walk
from tocsin.escalation._commands import (
    COMMAND_TYPES,
    Acknowledge,
    AddResponders,
    Command,
    Escalate,
    Merge,
    Reassign,
    Resolve,
    SetUrgency,
    Snooze,
    TimerFired,
    Trigger,
)
from tocsin.escalation._effects import (
    AppendLog,
    Dropped,
    DropReason,
    Merged,
    NobodyOnCall,
    NotifyReason,
    Timer,
    TimerKind,
    Transition,
)
from tocsin.escalation._incident import (
    AlertKey,
    AssignedVia,
    Incident,
    LogEntry,
    LogKind,
    Status,
    fresh,
    replace,
)
from tocsin.escalation._policy import AckTimeoutMode, EscalationPolicy
from tocsin.escalation._trusted import transition
from tocsin.services import Urgency, UrgencyRule

if TYPE_CHECKING:
    from tocsin.protocols import OnCallSchedule
    from tocsin.services import SupportHours

#: What a handler receives: the step's builder (holding the incident) and the command.
Handler: TypeAlias = Callable[[Builder, Any], None]

#: Outcome labels in the table besides the three statuses.
DROPPED = "dropped"
ILLEGAL = "illegal"
NEW_INCIDENT = "new incident"

_TRIGGERED = Status.TRIGGERED
_ACKED = Status.ACKNOWLEDGED
_RESOLVED = Status.RESOLVED
_ESCALATION_TIMERS = (TimerKind.LEVEL, TimerKind.ACK_TIMEOUT, TimerKind.SNOOZE)
_CLIMBED = NotifyReason.ESCALATED


# --- handlers ----------------------------------------------------------------------


def _trigger_duplicate(b: Builder, cmd: Trigger) -> None:
    # Decisions 1 and 11: count and log, never page again, never change status (all
    # five references agree; Opsgenie stops counting at 100, tocsin does not).
    key = cmd.key
    alerts = b.fields["open_alerts"]
    b.fields["alert_count"] += 1
    if key in alerts:
        b.log(LogKind.DUPLICATE, f"duplicate trigger for {key.dedup_key}: logged, no page")
    else:
        b.fields["open_alerts"] = (*alerts, key)
        b.log(LogKind.GROUPED, f"alert {key.dedup_key} grouped into the incident: no page")


def _acknowledge(b: Builder, cmd: Acknowledge) -> None:
    b.cancel(TimerKind.LEVEL)
    b.fields.update(status=_ACKED, acknowledged_by=() if cmd.by is None else (cmd.by,))
    b.log(LogKind.ACKNOWLEDGED, "acknowledged: escalation stops", by=cmd.by)
    _start_ack_timeout(b)


def _reacknowledge(b: Builder, cmd: Acknowledge) -> None:
    # PagerDuty: another acknowledgement ends a snooze and restarts the ack timeout.
    b.cancel(TimerKind.ACK_TIMEOUT, TimerKind.SNOOZE)
    ackers = b.fields["acknowledged_by"]
    if cmd.by is not None and cmd.by not in ackers:
        ackers = (*ackers, cmd.by)
    was_snoozed = b.fields["snoozed_until"] is not None
    b.fields.update(acknowledged_by=ackers, snoozed_until=None)
    b.log(
        LogKind.ACKNOWLEDGED,
        "acknowledged again" + (": snooze ended" if was_snoozed else ""),
        by=cmd.by,
    )
    _start_ack_timeout(b)


def _start_ack_timeout(b: Builder) -> None:
    timeout = b.fields["policy"].ack_timeout
    if timeout is not None:
        b.schedule(TimerKind.ACK_TIMEOUT, b.after(timeout))


def _resolve(b: Builder, cmd: Resolve) -> None:
    if cmd.dedup_key is not None:
        key = AlertKey(cmd.service, cmd.dedup_key)
        remaining = tuple(a for a in b.fields["open_alerts"] if a != key)
        if remaining:
            # Grafana OnCall users complain when one recovered sub-alert resolves the
            # whole group (grafana/grafana #42683): the incident waits for its last alert.
            b.fields["open_alerts"] = remaining
            b.log(
                LogKind.ALERT_RESOLVED,
                f"alert {key.dedup_key} resolved; {len(remaining)} still open",
            )
            return
    _close(b, "resolved", by=cmd.by)


def _close(b: Builder, message: str, *, by: str | None = None) -> None:
    b.cancel_all()
    b.fields.update(status=_RESOLVED, open_alerts=(), snoozed_until=None)
    b.log(LogKind.RESOLVED, message, by=by)


def _snooze(b: Builder, cmd: Snooze) -> None:
    if cmd.until <= b.now:
        msg = f"must be after now ({b.now.isoformat()}), got {cmd.until.isoformat()}"
        raise InvalidInput("until", msg)
    # The snooze replaces the ack timeout (PagerDuty's pending "unacknowledge").
    b.cancel(TimerKind.ACK_TIMEOUT, TimerKind.SNOOZE)
    b.fields["snoozed_until"] = cmd.until
    b.schedule(TimerKind.SNOOZE, cmd.until)
    b.log(LogKind.SNOOZED, f"snoozed until {cmd.until.isoformat()}", by=cmd.by)


def _retrigger(b: Builder, kind: LogKind, message: str, reason: NotifyReason) -> None:
    """An acknowledgement ran out (ack timeout or snooze end): page again (decision 4)."""
    ackers = b.fields["acknowledged_by"]
    b.cancel(TimerKind.ACK_TIMEOUT, TimerKind.SNOOZE)
    b.fields.update(status=_TRIGGERED, acknowledged_by=(), snoozed_until=None)
    b.log(kind, message)
    if b.fields["assigned_via"] is AssignedVia.DIRECT_ASSIGNMENT:
        b.notify((*ackers, *b.fields["assignees"]), None, reason)
        return
    # The person who acknowledged and forgot hears about it first (PagerDuty's old
    # KB: "re-notify the acker and the current on-call").
    policy = b.fields["policy"]
    restart = policy.on_ack_timeout is AckTimeoutMode.RESTART
    level = 1 if restart else b.fields["level"]
    b.notify(ackers, level, reason)
    walk(b, level, 0 if restart else b.fields["loop"], reason)


def _reassign(b: Builder, cmd: Reassign) -> None:
    b.cancel(*_ESCALATION_TIMERS)
    b.fields.update(status=_TRIGGERED, acknowledged_by=(), snoozed_until=None)
    if cmd.users is not None:
        # PagerDuty's direct assignment: page them, and stop escalating.
        b.fields.update(assignees=cmd.users, assigned_via=AssignedVia.DIRECT_ASSIGNMENT)
        b.log(LogKind.REASSIGNED, f"reassigned to {', '.join(cmd.users)}", by=cmd.by)
        b.notify(cmd.users, None, NotifyReason.REASSIGNED)
        return
    policy: EscalationPolicy = cmd.policy  # type: ignore[assignment]
    # Decision 8: a new policy applies only when asked, from its level 1 (GoAlert).
    b.fields.update(policy=policy, assignees=(), assigned_via=AssignedVia.ESCALATION_POLICY)
    b.log(LogKind.REASSIGNED, f"reassigned to policy {policy.name}", by=cmd.by)
    walk(b, 1, 0, NotifyReason.REASSIGNED)


def _escalate(b: Builder, cmd: Escalate) -> None:
    count = len(b.fields["policy"].levels)
    if cmd.to_level is None:
        level = b.fields["level"] % count + 1
    elif cmd.to_level > count:
        msg = f"the policy has {count} levels, got {cmd.to_level}"
        raise InvalidInput("to_level", msg)
    else:
        level = cmd.to_level
    b.cancel(*_ESCALATION_TIMERS)
    b.fields.update(
        status=_TRIGGERED,
        acknowledged_by=(),
        snoozed_until=None,
        assigned_via=AssignedVia.ESCALATION_POLICY,
    )
    # The level entered is logged by walk(); this entry records who asked.
    b.log(LogKind.ESCALATED, f"escalated by hand to level {level}", by=cmd.by)
    walk(b, level, b.fields["loop"], NotifyReason.MANUAL_ESCALATION)


def _add_responders(b: Builder, cmd: AddResponders) -> None:
    found: list[str] = []
    for target in cmd.targets:
        if isinstance(target, EscalationPolicy):
            users: tuple[str, ...] = ()
            empty: list[str] = []
            # Another team's policy: its first level with someone on call.
            for spec in target.levels:
                users, missing = resolve_targets(spec.targets, b.now, b.on_call)
                empty.extend(missing)
                if users:
                    break
            if not users:
                b.effects.append(NobodyOnCall(b.id, None, tuple(empty)))
        else:
            users, missing = resolve_targets((target,), b.now, b.on_call)
            if missing:
                b.effects.append(NobodyOnCall(b.id, None, missing))
        found.extend(u for u in users if u not in found)
    responders = b.fields["responders"]
    b.fields["responders"] = (*responders, *(u for u in found if u not in responders))
    b.log(
        LogKind.RESPONDERS,
        f"responders requested: {', '.join(found) if found else 'nobody on call'}",
        by=cmd.by,
    )
    b.notify(found, None, NotifyReason.RESPONDER_REQUEST)


def _set_urgency(b: Builder, cmd: SetUrgency) -> None:
    _change_urgency(b, cmd.urgency, cmd.by)


def _change_urgency(b: Builder, urgency: Urgency, by: str | None) -> None:
    if b.fields["urgency"] is urgency:
        # Nothing changes: a pending raise at the start of support hours stays.
        b.log(LogKind.URGENCY, f"urgency already {urgency.value}", by=by)
        return
    b.cancel(TimerKind.URGENCY)
    b.fields["urgency"] = urgency
    b.log(LogKind.URGENCY, f"urgency changed to {urgency.value}", by=by)
    if b.fields["status"] is not _TRIGGERED:
        return
    if urgency is Urgency.LOW:
        # Low urgency does not escalate (PagerDuty).
        b.cancel(TimerKind.LEVEL)
        return
    if b.fields["assigned_via"] is AssignedVia.DIRECT_ASSIGNMENT:
        b.notify(b.fields["assignees"], None, NotifyReason.URGENCY_RAISED)
        return
    # Raised to high: page the current level again, now with high urgency, and escalate.
    b.cancel(TimerKind.LEVEL)
    walk(b, b.fields["level"], b.fields["loop"], NotifyReason.URGENCY_RAISED)


def _merge(b: Builder, cmd: Merge) -> None:
    target = cmd.into
    if not isinstance(target, Incident):
        msg = "step() needs the target incident itself; only simulate() looks ids up"
        raise InvalidInput("into", msg)
    if target.id == b.id:
        msg = f"cannot merge incident {b.id} into itself"
        raise InvalidTransition(msg)
    if not target.is_open:
        # PagerDuty: the target of a merge must be open.
        msg = f"cannot merge into {target.id}: it is resolved; the target must be open"
        raise InvalidTransition(msg)
    _check_now(target, b.now)
    alerts = b.fields["open_alerts"]
    b.cancel_all()
    b.fields.update(status=_RESOLVED, open_alerts=(), snoozed_until=None, merged_into=target.id)
    b.log(LogKind.MERGED, f"merged into {target.id}", by=cmd.by)
    entry = LogEntry(
        b.now,
        LogKind.MERGED_FROM,
        f"merged {b.id} in: {b.fields['alert_count']} alerts",
        by=cmd.by,
    )
    moved = tuple(a for a in alerts if a not in target.open_alerts)
    into = replace(
        target,
        {
            "alert_count": target.alert_count + b.fields["alert_count"],
            "open_alerts": target.open_alerts + moved,
            "log": (*target.log, entry),
            "revision": target.revision + 1,
        },
    )
    b.effects.append(AppendLog(target.id, entry))
    b.effects.append(Merged(into))


def _level_timer(b: Builder, _cmd: TimerFired) -> None:
    # A level's delay ran out: climb one level, repeat the path, or exhaust it.
    fields = b.fields
    policy = fields["policy"]
    level, loop = fields["level"], fields["loop"]
    if level < len(policy.levels):
        walk(b, level + 1, loop, _CLIMBED)
    elif loop < policy.loops:
        b.log(LogKind.REPEATED, f"repeating the path: pass {loop + 2}", level=1)
        walk(b, 1, loop + 1, NotifyReason.REPEATED)
    else:
        b.log(LogKind.EXHAUSTED, "escalation path exhausted", level=level)


def _ack_timeout(b: Builder, _cmd: TimerFired) -> None:
    timeout = b.fields["policy"].ack_timeout
    _retrigger(
        b,
        LogKind.UNACKNOWLEDGED,
        f"acknowledgement timed out after {timeout}: triggered again",
        NotifyReason.ACK_TIMEOUT,
    )


def _snooze_ended(b: Builder, _cmd: TimerFired) -> None:
    _retrigger(b, LogKind.SNOOZE_ENDED, "snooze ended: triggered again", NotifyReason.SNOOZE_ENDED)


def _auto_resolve(b: Builder, _cmd: TimerFired) -> None:
    # The timer was set when the incident opened, under the policy it opened with; a
    # Reassign(policy=...) since may name another auto_resolve, or none, so the entry
    # says how long the incident was open (both instants are UTC).
    _close(b, f"resolved automatically after {b.now - b.fields['opened_at']} open")


def _urgency_timer(b: Builder, _cmd: TimerFired) -> None:
    _change_urgency(b, Urgency.HIGH, None)


# --- the table ---------------------------------------------------------------------


def _source(value: object) -> Status | None:
    return None if value is None else enum_member(Status, value, "source")


def _rule_command(value: object) -> str:
    return identifier(value, "command")


def _outcomes(value: object) -> tuple[str, ...]:
    return unique_strings(value, "outcomes", required="a rule has at least one outcome")


def _note(value: object) -> str:
    return text(value, "note")


def _handler(value: object) -> Handler | None:
    if value is not None and not callable(value):
        msg = f"expected a function of (builder, command) or None, got {value!r}"
        raise InvalidInput("handler", msg)
    return value  # any callable; the table's are Handlers


@attrs.frozen
class Rule:
    """One row of the transition table.

    ``source`` is a status, or ``None`` for "no incident yet"; ``command`` is the
    command's class name (``TimerFired`` rows add the timer kind in brackets).
    ``outcomes`` lists what can follow: statuses, ``"new incident"``, ``"dropped"``
    or ``"illegal"``.  ``note`` says what happens, for people and for the diagram.
    """

    source: Status | None = attrs.field(converter=_source)
    command: str = attrs.field(converter=_rule_command)
    outcomes: tuple[str, ...] = attrs.field(converter=_outcomes)
    note: str = attrs.field(converter=_note)
    handler: Handler | None = attrs.field(default=None, repr=False, eq=False, converter=_handler)


def _row(
    source: Status | None,
    command: str,
    outcomes: str,
    note: str,
    handler: Handler | None = None,
) -> Rule:
    return Rule(source, command, tuple(outcomes.split(" | ")), note, handler)


_T, _A, _R = _TRIGGERED, _ACKED, _RESOLVED
_DUP = "same scope: counted and logged, no page; another scope: a new incident"
_ALERT = "resolved; an alert's resolve waits for the incident's other open alerts"
_GONE = "the incident is resolved"

#: The whole lifecycle, one row per (status, command).  ``None`` is "no incident
#: yet".  Stale timers are handled before the table is consulted: a ``TimerFired``
#: for a timer the incident no longer waits for is logged and ignored.
# fmt: off
TRANSITIONS: tuple[Rule, ...] = (
    # from  command                    to                          what happens
    _row(None, "Trigger",              "triggered",                "open an incident; page "
         "the first level with someone on call (decisions 5, 6)"),
    _row(None, "Acknowledge",          DROPPED,                    "no open incident (D2)"),
    _row(None, "Resolve",              DROPPED,                    "no open incident (D2)"),

    _row(_T, "Trigger",                "triggered | new incident", _DUP + " (D1, D12)",
         _trigger_duplicate),
    _row(_T, "Acknowledge",            "acknowledged",             "escalation stops; the "
         "ack timeout starts", _acknowledge),
    _row(_T, "Resolve",                "resolved | triggered",     _ALERT, _resolve),
    _row(_T, "Snooze",                 ILLEGAL,                    "only an acknowledged "
         "incident can be snoozed"),
    _row(_T, "Reassign",               "triggered",                "to users: paged, no more "
         "escalation; to a policy: its level 1 (D8)", _reassign),
    _row(_T, "Escalate",               "triggered",                "the chosen (or next) "
         "level is paged now", _escalate),
    _row(_T, "Merge",                  "resolved",                 "resolved into the open "
         "target; its alerts move there", _merge),
    _row(_T, "AddResponders",          "triggered",                "responders paged once",
         _add_responders),
    _row(_T, "SetUrgency",             "triggered",                "high: page the level "
         "and escalate; low: stop escalating", _set_urgency),
    _row(_T, "TimerFired[level]",      "triggered",                "next level, a repeat of "
         "the path, or exhausted (D5, D7, D9, D10)", _level_timer),
    _row(_T, "TimerFired[auto_resolve]", "resolved",               "resolved automatically",
         _auto_resolve),
    _row(_T, "TimerFired[urgency]",    "triggered",                "support hours began: "
         "urgency raised to high", _urgency_timer),

    _row(_A, "Trigger",                "acknowledged | new incident", _DUP + " (D11, D12)",
         _trigger_duplicate),
    _row(_A, "Acknowledge",            "acknowledged",             "the ack timeout "
         "restarts; a snooze ends", _reacknowledge),
    _row(_A, "Resolve",                "resolved | acknowledged",  _ALERT, _resolve),
    _row(_A, "Snooze",                 "acknowledged",             "quiet until the given "
         "instant", _snooze),
    _row(_A, "Reassign",               "triggered",                "triggered again and "
         "paged, as from triggered", _reassign),
    _row(_A, "Escalate",               "triggered",                "triggered again; the "
         "level is paged (GoAlert)", _escalate),
    _row(_A, "Merge",                  "resolved",                 "resolved into the open "
         "target; its alerts move there", _merge),
    _row(_A, "AddResponders",          "acknowledged",             "responders paged once",
         _add_responders),
    _row(_A, "SetUrgency",             "acknowledged",             "recorded; applies when "
         "the incident triggers again", _set_urgency),
    _row(_A, "TimerFired[ack_timeout]", "triggered",               "paged again from level "
         "1 or the same level, the acker too (D4)", _ack_timeout),
    _row(_A, "TimerFired[snooze]",     "triggered",                "paged again, as after "
         "an ack timeout", _snooze_ended),
    _row(_A, "TimerFired[auto_resolve]", "resolved",               "resolved automatically",
         _auto_resolve),
    _row(_A, "TimerFired[urgency]",    "acknowledged",             "support hours began: "
         "urgency raised to high", _urgency_timer),

    _row(_R, "Trigger",                NEW_INCIDENT,               "never a reopen (D3)"),
    _row(_R, "Acknowledge",            DROPPED,                    "no open incident (D2)"),
    _row(_R, "Resolve",                DROPPED,                    "no open incident (D2)"),
    _row(_R, "Snooze",                 ILLEGAL,                    _GONE),
    _row(_R, "Reassign",               ILLEGAL,                    _GONE),
    _row(_R, "Escalate",               ILLEGAL,                    _GONE),
    _row(_R, "Merge",                  ILLEGAL,                    _GONE),
    _row(_R, "AddResponders",          ILLEGAL,                    _GONE),
    _row(_R, "SetUrgency",             ILLEGAL,                    _GONE),
)
# fmt: on

_RULES: dict[tuple[Status | None, str], Rule] = {(r.source, r.command): r for r in TRANSITIONS}
_LABELS: dict[type, str] = {}
_FIRED = {kind: f"TimerFired[{kind.value}]" for kind in TimerKind}


# --- step --------------------------------------------------------------------------


def step(
    incident: Incident | None,
    command: Command,
    now: datetime,
    on_call: Mapping[str, OnCallSchedule],
) -> Transition:
    """Apply one command to one incident at ``now``: the new state and the effects.

    ``incident`` is the open incident the command is about, or ``None`` when there is
    none (a first trigger).  ``on_call`` maps the schedule names the policy's
    :class:`~tocsin.escalation.ScheduleTarget` levels use to objects with
    ``on_call_at(at)``; a :class:`tocsin.schedules.Schedule` fits as it is.  ``now``
    must be aware and not earlier than the incident's last step.

    Pure: the same arguments always give the same result, and nothing is read or
    written outside them.  Illegal commands (snoozing a triggered incident, merging
    into a resolved one) raise :class:`~tocsin.errors.InvalidTransition`; bad arguments
    raise :class:`~tocsin.errors.InvalidInput` naming them (``now``, ``command``,
    ``on_call['primary'].on_call_at`` for a schedule that answered something that is
    not a user name).
    """
    _check_on_call(on_call)
    new, effects = step_outcome(incident, command, now, on_call)
    return transition(new, effects)


def step_outcome(
    incident: Incident | None,
    command: Command,
    now: datetime,
    on_call: Mapping[str, OnCallSchedule],
    default_id: str | None = None,
) -> Outcome:
    """:func:`step` without the ``Transition`` around its result (``simulate`` calls this).

    ``default_id``, when given, is ``default_incident_id(command, now)`` already worked
    out (``simulate`` needs it first, and formatting an instant is slow).
    """
    # The common case (an aware UTC instant) costs two attribute reads.
    when = now if type(now) is datetime and now.tzinfo is UTC else _utc_now(now)
    kind = type(command)
    label = _FIRED[command.timer.kind] if kind is TimerFired else _label(command)  # type: ignore[union-attr]
    if incident is None:
        return _without_incident(command, label, when, on_call, default_id)
    if type(incident) is not Incident:
        msg = f"expected an Incident or None, got {incident!r}"
        raise InvalidInput("incident", msg)
    log = incident.log
    if log and when < log[-1].at:
        _too_early(incident, when)
    fired = -1
    if kind is TimerFired:
        fired = _pending(incident, command.timer, when)  # type: ignore[union-attr]
        if fired < 0:
            return _stale(incident, command.timer, when)  # type: ignore[union-attr]
    else:
        early = _before_table(incident, command, label, when, on_call)
        if early is not None:
            return early
    rule = _RULES.get((incident.status, label))
    if rule is None or rule.handler is None:
        note = rule.note if rule is not None else "no such transition"
        msg = f"cannot {label} a {incident.status.value} incident ({incident.id}): {note}"
        raise InvalidTransition(msg)
    b = Builder(incident, when, on_call)
    if fired >= 0:
        b.forget(fired)
    rule.handler(b, command)
    return b.finish()


def _without_incident(
    command: Command,
    label: str,
    now: datetime,
    on_call: Mapping[str, OnCallSchedule],
    default_id: str | None,
) -> Outcome:
    if type(command) is Trigger:
        return _open(command, now, on_call, default_id)
    if type(command) is Acknowledge or type(command) is Resolve:
        return _dropped(None, DropReason.NO_OPEN_INCIDENT, f"{label}: no open incident")
    msg = f"{label} needs an incident; there is none"
    raise InvalidTransition(msg)


def _before_table(
    incident: Incident,
    command: Command,
    label: str,
    now: datetime,
    on_call: Mapping[str, OnCallSchedule],
) -> Outcome | None:
    """What happens before the table is consulted: new incidents and drops."""
    kind = type(command)
    if kind is Trigger:
        if opens_incident(incident, command):  # type: ignore[arg-type]
            return _open(command, now, on_call)  # type: ignore[arg-type]
        return None
    if kind is Acknowledge or kind is Resolve:
        return _check_scope(incident, command, label)  # type: ignore[arg-type]
    return None


def opens_incident(incident: Incident, trigger: Trigger) -> bool:
    """Whether ``trigger``, stepped against ``incident``, opens a new incident instead.

    Decisions 3 and 12: a resolved incident never reopens, and a trigger from another
    dedup scope never joins this one.  A scope whose alerts a merge moved here is this
    incident's too, as for an acknowledge or a resolve.
    """
    service = trigger.key.service
    return incident.status is _RESOLVED or (
        service != incident.service
        and all(alert.service != service for alert in incident.open_alerts)
    )


def _utc_now(now: object) -> datetime:
    return utc_instant(now, "now")


def _check_on_call(on_call: object) -> None:
    if type(on_call) is not dict and not isinstance(on_call, Mapping):
        msg = (
            "expected a mapping of schedule names to objects with on_call_at(at) "
            f"({{}} when the policy names no schedule), got {on_call!r}"
        )
        raise InvalidInput("on_call", msg)


def _label(command: object) -> str:
    kind = type(command)
    label = _LABELS.get(kind)
    if label is not None:
        return label
    if kind not in _COMMAND_TYPES:
        msg = f"expected an escalation command, got {command!r}"
        raise InvalidInput("command", msg)
    _LABELS[kind] = kind.__name__
    return kind.__name__


_COMMAND_TYPES = frozenset(COMMAND_TYPES)


def _check_now(incident: Incident, now: datetime) -> None:
    if incident.log and now < incident.log[-1].at:
        _too_early(incident, now)


def _too_early(incident: Incident, now: datetime) -> NoReturn:
    last = incident.log[-1].at.isoformat()
    msg = f"{now.isoformat()} is before incident {incident.id}'s last step at {last}"
    raise InvalidInput("now", msg)


def _dropped(incident: Incident | None, reason: DropReason, detail: str) -> Outcome:
    return incident, (Dropped(reason, detail),)


def _check_scope(incident: Incident, command: Acknowledge | Resolve, label: str) -> Outcome | None:
    if incident.status is _RESOLVED:
        return _dropped(
            incident, DropReason.NO_OPEN_INCIDENT, f"{label}: {incident.id} is resolved"
        )
    if command.dedup_key is None:
        return None
    key = AlertKey(command.service, command.dedup_key)
    if key in incident.open_alerts:
        return None
    # Decision 12: the dedup scope is the service; PagerDuty drops a follow-up event
    # that arrives on another routing key.
    if all(alert.service != key.service for alert in incident.open_alerts):
        detail = f"{label} from {key.service} for an incident of {incident.service}"
        return _dropped(incident, DropReason.OTHER_SCOPE, detail)
    detail = f"{label}: alert {key.dedup_key} is not open on {incident.id}"
    return _dropped(incident, DropReason.ALERT_NOT_OPEN, detail)


def _pending(incident: Incident, timer: Timer, now: datetime) -> int:
    """Where ``timer`` is among the incident's pending timers, or -1: it is stale."""
    if timer.incident != incident.id:
        msg = f"timer {timer} belongs to incident {timer.incident}, not {incident.id}"
        raise InvalidInput("timer", msg)
    for index, pending in enumerate(incident.timers):
        # Identity first: a shell hands back the very Timer the machine set.
        if pending.timer is timer or pending.timer == timer:
            if now < pending.at:
                msg = f"timer {timer} is due at {pending.at.isoformat()}, not before"
                raise InvalidTransition(msg)
            return index
    return -1


def _stale(incident: Incident, timer: Timer, now: datetime) -> Outcome:
    # Never acted on: an acknowledgement, a resolve or a newer timer replaced it.
    b = Builder(incident, now, {})
    b.log(LogKind.STALE_TIMER, f"stale timer {timer} ignored")
    return b.finish()


# With support hours and no rule: PagerDuty's "high during support hours, low otherwise".
_HOURS_RULE = UrgencyRule(during=Urgency.HIGH, outside=Urgency.LOW)
_ALWAYS_HIGH = UrgencyRule()


def _open(
    cmd: Trigger,
    now: datetime,
    on_call: Mapping[str, OnCallSchedule],
    default_id: str | None = None,
) -> Outcome:
    policy = cmd.policy
    if policy is None:
        msg = "a new incident needs an escalation policy: pass Trigger(..., policy=...)"
        raise InvalidInput("policy", msg)
    key = cmd.key
    hours = policy.support_hours
    inside = hours is None or _in_hours(hours, now)
    urgency = cmd.urgency
    raise_at_start = False
    if urgency is None:
        rule = policy.urgency_rule or (_HOURS_RULE if hours is not None else _ALWAYS_HIGH)
        severity = cmd.event.severity
        urgency = rule.urgency(severity, in_support_hours=inside)
        # PagerDuty's scheduled action raises an incident to the urgency its rule gives
        # inside support hours; one the rule keeps low inside them too (a warning under
        # a severity-based rule, an always-low service) stays low.
        raise_at_start = (
            urgency is Urgency.LOW
            and not inside
            and rule.urgency(severity, in_support_hours=True) is Urgency.HIGH
        )
    incident_id = cmd.incident_id or default_id or default_incident_id(cmd, now)
    base = fresh(
        {
            "id": incident_id,
            "service": key.service,
            "dedup_key": key.dedup_key,
            "policy": policy,
            "status": _TRIGGERED,
            "opened_at": now,
            "urgency": urgency,
            "open_alerts": (key,),
        }
    )
    b = Builder(base, now, on_call)
    summary = cmd.event.summary
    b.log(LogKind.TRIGGERED, f"triggered ({urgency.value} urgency): {summary}")
    if policy.auto_resolve is not None:
        b.schedule(TimerKind.AUTO_RESOLVE, b.after(policy.auto_resolve))
    if raise_at_start and hours is not None:
        # PagerDuty's scheduled action: raise low-urgency incidents when support hours begin.
        begins = _hours_begin(hours, now)
        if begins is not None:
            b.schedule(TimerKind.URGENCY, begins.astimezone(UTC))
    walk(b, 1, 0, NotifyReason.TRIGGERED)
    return b.finish()


# Support hours look at the days either side of ``now``, which do not exist at the ends
# of datetime's range; the step is refused there, naming ``now``, not left to overflow.
_HOURS_RANGE = "support hours cannot be worked out within a few days of the years 1 and 9999"


def _in_hours(hours: SupportHours, now: datetime) -> bool:
    try:
        return hours.covers(now)
    except OverflowError:
        msg = f"{now.isoformat()}: {_HOURS_RANGE}"
        raise InvalidInput("now", msg) from None


def _hours_begin(hours: SupportHours, now: datetime) -> datetime | None:
    try:
        return hours.next_change(now)
    except OverflowError:
        msg = f"{now.isoformat()}: {_HOURS_RANGE}"
        raise InvalidInput("now", msg) from None


def default_incident_id(trigger: Trigger, now: datetime) -> str:
    """``"<service>/<dedup key>/<UTC instant>"``: what a new incident is called by default.

    Deterministic, so replays agree.  Two incidents for one alert within one instant
    (a trigger, a resolve and a trigger again, all stamped alike) would share it: pass
    ``Trigger(incident_id=...)`` when that can happen, as ``simulate`` does.
    """
    key = trigger.key
    # ``now`` is UTC: drop the "+00:00" isoformat() adds and say "Z".
    stamp = now.astimezone(UTC).isoformat()[:-6] + "Z"
    return f"{key.service}/{key.dedup_key}/{stamp}"
