"""Run a whole scenario through the machine: commands at their instants, timers at theirs.

:func:`simulate` is the smallest possible shell: an in-memory index of open alerts, a
timer queue and a loop.  It answers "what would happen if" questions, drives the
docs' examples and the property tests, and is what the benchmark measures.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from tocsin._checks import instance, listed, optional_name, typed_tuple, utc_instant
from tocsin._rebuild import by_constructor
from tocsin.errors import InvalidInput, NotFoundError
from tocsin.escalation._commands import (
    COMMAND_TYPES,
    Acknowledge,
    AddResponders,
    Command,
    Merge,
    Reassign,
    Resolve,
    TimerFired,
    Trigger,
)
from tocsin.escalation._effects import (
    Effect,
    Merged,
    Notify,
    NotifyReason,
    ScheduleTimer,
    effects_of,
)
from tocsin.escalation._incident import AlertKey, Incident
from tocsin.escalation._machine import default_incident_id, opens_incident, step_outcome
from tocsin.escalation._policy import EscalationPolicy, ScheduleTarget
from tocsin.escalation._queue import TimerQueue
from tocsin.escalation._trusted import fired_timer, slot_setter, trigger_with

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tocsin.protocols import OnCallSchedule
    from tocsin.services import Urgency


def _at(value: object) -> datetime:
    return utc_instant(value, "at")


def _command(value: object) -> Command:
    if isinstance(value, COMMAND_TYPES):
        return value
    msg = f"expected an escalation command (Trigger, Acknowledge, ...), got {value!r}"
    raise InvalidInput("command", msg)


def _incident(value: object) -> str | None:
    return optional_name(value, "incident")


@attrs.frozen
class At:
    """A command and the instant it happens, for :func:`simulate`.

    ``incident`` says which incident a command is about, by id or by dedup key, when
    the command does not say it itself (an event-driven acknowledge or resolve names
    its alert).  With only one open incident it can be left out.  On a trigger it
    groups the alert into that incident, as :func:`~tocsin.escalation.step` decides:
    the alert joins an open incident of its dedup scope with no page, and a resolved
    incident or one of another scope gets a new incident instead.  Without it, a
    trigger goes to the incident its alert is open on, or opens a new one.
    """

    at: datetime = attrs.field(converter=_at)
    command: Command = attrs.field(converter=_command)
    incident: str | None = attrs.field(default=None, kw_only=True, converter=_incident)


@attrs.frozen
class TimelineEntry:
    """One step of a simulation: when, what, which incident, and the effects."""

    at: datetime = attrs.field(converter=_at)
    command: Command = attrs.field(converter=_command)
    incident: str | None = attrs.field(converter=_incident)
    effects: tuple[Effect, ...] = attrs.field(converter=effects_of)


def _notify(value: object) -> Notify:
    return instance(value, Notify, "notify")


@attrs.frozen
class Notification:
    """A notification and the instant it went out."""

    at: datetime = attrs.field(converter=_at)
    notify: Notify = attrs.field(converter=_notify)

    @property
    def user(self) -> str:
        """Who was notified."""
        return self.notify.user

    @property
    def level(self) -> int | None:
        """The escalation level that paged them (``None``: direct or responder)."""
        return self.notify.level

    @property
    def reason(self) -> NotifyReason:
        """Why they were notified."""
        return self.notify.reason

    @property
    def urgency(self) -> Urgency:
        """High or low urgency."""
        return self.notify.urgency


def _entries(value: object) -> tuple[TimelineEntry, ...]:
    return typed_tuple(value, TimelineEntry, "entries")


def _incidents(value: object) -> Mapping[str, Incident]:
    if not isinstance(value, Mapping):
        msg = f"expected a mapping of incident ids to incidents, got {value!r}"
        raise InvalidInput("incidents", msg)
    for key, incident in value.items():
        where = f"incidents[{key!r}]"
        if not isinstance(incident, Incident):
            msg = f"expected an Incident, got {incident!r}"
            raise InvalidInput(where, msg)
        if key != incident.id:
            msg = f"expected the incident with id {key!r}, got {incident.id!r}"
            raise InvalidInput(where, msg)
    return MappingProxyType(dict(value))


@attrs.frozen
class Timeline:
    """Everything a simulation did, in order, and the incidents as they ended."""

    entries: tuple[TimelineEntry, ...] = attrs.field(converter=_entries)
    incidents: Mapping[str, Incident] = attrs.field(converter=_incidents)

    def __reduce__(self) -> tuple[object, ...]:
        # Read-only mappings do not pickle: travel as constructor arguments, checked
        # again on arrival.
        return by_constructor(self)

    @property
    def notifications(self) -> tuple[Notification, ...]:
        """Every notification with its instant, in the order they were sent."""
        return tuple(
            Notification(entry.at, effect)
            for entry in self.entries
            for effect in entry.effects
            if isinstance(effect, Notify)
        )

    def render(self, tz: tzinfo = UTC) -> str:
        """The notifications as aligned text lines, with instants shown in ``tz``.

        Each line is the local time, the user, the level (``-`` for a direct
        assignment or a responder request), the reason and the urgency.
        """
        lines = [
            f"{n.at.astimezone(tz):%Y-%m-%d %H:%M} {n.user:<10} "
            f"{'-' if n.level is None else n.level:>2} {n.reason.value:<18} {n.urgency.value}"
            for n in self.notifications
        ]
        return "\n".join(line.rstrip() for line in lines)


_entry_at = slot_setter(TimelineEntry, "at")
_entry_command = slot_setter(TimelineEntry, "command")
_entry_incident = slot_setter(TimelineEntry, "incident")
_entry_effects = slot_setter(TimelineEntry, "effects")
_timeline_entries = slot_setter(Timeline, "entries")
_timeline_incidents = slot_setter(Timeline, "incidents")
_new = object.__new__


class _Run:
    """The state of one simulation."""

    def __init__(self, policy: EscalationPolicy, on_call: Mapping[str, OnCallSchedule]) -> None:
        self.policy = policy
        self.on_call = on_call
        self.timers: TimerQueue[ScheduleTimer] = TimerQueue()
        self.incidents: dict[str, Incident] = {}
        self.open: dict[AlertKey, str] = {}
        self.entries: list[TimelineEntry] = []

    def apply(
        self,
        at: datetime,
        incident: Incident | None,
        command: Command,
        default_id: str | None = None,
    ) -> None:
        new, effects = step_outcome(incident, command, at, self.on_call, default_id)
        for effect in effects:
            kind = type(effect)
            if kind is ScheduleTimer:
                # A cancelled timer stays queued: it is skipped when it comes due.
                self.timers.push(effect.at, at, effect)  # type: ignore[union-attr, arg-type]
            elif kind is Merged:
                into = effect.into  # type: ignore[union-attr]
                self._reindex(self.incidents[into.id], into)
                self.incidents[into.id] = into
        new_id = None
        if new is not None:
            new_id = new.id
            if incident is None or incident.id != new_id:
                self._reindex(None, new)
            elif incident.open_alerts is not new.open_alerts:
                self._reindex(incident, new)
            self.incidents[new_id] = new
        # TimelineEntry(at, command, new_id, effects), built as the machine builds its
        # values (see _trusted); a property test holds it to the constructor.
        entry = _new(TimelineEntry)
        _entry_at(entry, at)
        _entry_command(entry, command)
        _entry_incident(entry, new_id)
        _entry_effects(entry, effects)
        self.entries.append(entry)

    def _reindex(self, before: Incident | None, after: Incident) -> None:
        old = () if before is None else before.open_alerts
        new = after.open_alerts
        for key in old:
            if key not in new and self.open.get(key) == after.id:
                del self.open[key]
        for key in new:
            self.open[key] = after.id

    def fire_until(self, limit: datetime | None, *, inclusive: bool) -> None:
        pop, incidents = self.timers.pop, self.incidents
        while (due := pop(limit, inclusive)) is not None:
            at, pending = due
            incident = incidents[pending.timer.incident]
            # A timer is pending while the incident still holds it: every timer that
            # leaves an incident without firing leaves with a CancelTimer, and a shell
            # would have deleted its row.
            for held in incident.timers:
                if held is pending:
                    # TimerFired(pending.timer), built as the machine builds its values.
                    command = _new(TimerFired)
                    fired_timer(command, pending.timer)
                    self.apply(at, incident, command)
                    break

    def find(self, name: str | None, index: int) -> Incident:
        if name is None:
            open_ids = set(self.open.values())
            if len(open_ids) == 1:
                return self.incidents[open_ids.pop()]
            msg = f"{len(open_ids)} incidents are open: name one with At(..., incident=...)"
            where = f"commands[{index}].incident"
            raise InvalidInput(where, msg)
        if name in self.incidents:
            return self.incidents[name]
        for key, incident_id in self.open.items():
            if key.dedup_key == name:
                return self.incidents[incident_id]
        for incident in reversed(self.incidents.values()):
            if incident.dedup_key == name:
                return incident
        msg = f"no incident with id or dedup key {name!r}"
        raise NotFoundError(msg)

    def command(self, item: At, index: int) -> None:
        command = item.command
        if isinstance(command, Trigger):
            incident_id = self.open.get(command.key)
            if item.incident is not None:
                self._group(item, command, incident_id, index)
                return
            if incident_id is None:
                command, name = self._new_incident(command, item.at, index)
                self.apply(item.at, None, command, name)
                return
            if command.policy is None:
                command = trigger_with(command, {"policy": self.policy})
            self.apply(item.at, self.incidents[incident_id], command)
            return
        if isinstance(command, TimerFired):
            msg = "simulate fires timers itself; pass only the commands from outside"
            where = f"commands[{index}].command"
            raise InvalidInput(where, msg)
        if isinstance(command, Acknowledge | Resolve) and command.dedup_key is not None:
            key = AlertKey(command.service, command.dedup_key)
            self.apply(item.at, self._get(self.open.get(key)), command)
            return
        if isinstance(command, Acknowledge | Resolve) and item.incident is None and not self.open:
            self.apply(item.at, None, command)
            return
        target = self.find(item.incident, index)
        if isinstance(command, Merge) and isinstance(command.into, str):
            command = attrs.evolve(command, into=self.find(command.into, index))
        self.apply(item.at, target, command)

    def _group(self, item: At, command: Trigger, holder: str | None, index: int) -> None:
        """A trigger stepped against the incident its ``At`` names, as :func:`step` decides.

        It joins that incident when it is open and of the trigger's dedup scope (an
        alert grouped into it, no page); otherwise step opens a new incident, which gets
        an id no incident of this run has.  An alert open on another incident than the
        one named is refused: its events go to its incident (decision 1), so the
        caller's two answers contradict each other.
        """
        target = self.find(item.incident, index)
        if holder is not None and holder != target.id:
            key = command.key
            msg = (
                f"alert {key.dedup_key!r} of {key.service!r} is open on incident {holder!r}, "
                f"not {target.id!r}: name that incident or leave incident out"
            )
            where = f"commands[{index}].incident"
            raise InvalidInput(where, msg)
        if opens_incident(target, command):
            command = self._new_incident(command, item.at, index)[0]
        elif command.policy is None:
            command = trigger_with(command, {"policy": self.policy})
        self.apply(item.at, target, command)

    def _new_incident(self, command: Trigger, at: datetime, index: int) -> tuple[Trigger, str]:
        """The trigger with a policy and an id no incident of this run has, and the id."""
        changes: dict[str, Any] = {}
        if command.policy is None:
            changes["policy"] = self.policy
        name = command.incident_id
        if name is not None:
            if name in self.incidents:
                msg = f"incident id {name!r} is already used in this run"
                where = f"commands[{index}].command.incident_id"
                raise InvalidInput(where, msg)
        else:
            # step() names an incident after its alert and instant; a key that resolves
            # and triggers again within one instant needs a second name.
            base = default_incident_id(command, at)
            name, n = base, 1
            while name in self.incidents:
                n += 1
                name = f"{base}#{n}"
            if n > 1:
                changes["incident_id"] = name
        return (trigger_with(command, changes) if changes else command), name

    def _get(self, incident_id: str | None) -> Incident | None:
        return None if incident_id is None else self.incidents[incident_id]


# The largest threshold the collector accepts (a C int): no full pass during a run.
_NEVER = 2**31 - 1


def _item(value: object, index: int) -> At:
    if isinstance(value, At):
        return value
    where = f"commands[{index}]"
    if isinstance(value, tuple) and len(value) == 2:  # noqa: PLR2004 - (at, command)
        try:
            return At(value[0], value[1])
        except InvalidInput as err:
            raise err.within(where) from None
    msg = f"expected At(at, command) or an (at, command) pair, got {value!r}"
    raise InvalidInput(where, msg)


def _check_schedules(policy: EscalationPolicy, on_call: object) -> None:
    """``on_call`` is a mapping with an ``on_call_at`` for every schedule ``policy`` names."""
    if not isinstance(on_call, Mapping):
        msg = (
            f"expected a mapping of schedule names to objects with on_call_at(at), got {on_call!r}"
        )
        raise InvalidInput("on_call", msg)
    _check_names(policy.schedules, on_call, "")


def _check_names(names: Iterable[str], on_call: Mapping[str, object], where: str) -> None:
    missing = sorted(set(names) - set(on_call))
    if missing:
        msg = f"on_call has no schedule named {', '.join(map(repr, missing))}{where}"
        raise NotFoundError(msg)
    for name in sorted(names):
        if not callable(getattr(on_call[name], "on_call_at", None)):
            msg = f"expected an object with on_call_at(at), got {on_call[name]!r}"
            field = f"on_call[{name!r}]"
            raise InvalidInput(field, msg)


def _check_command_schedules(
    items: list[tuple[At, int]], policy: EscalationPolicy, on_call: Mapping[str, object]
) -> None:
    """The schedules the commands name (their policies, responders) are known too."""
    checked = {id(policy)}
    for item, index in items:
        command = item.command
        kind = type(command)
        if kind is Trigger or kind is Reassign:
            named = command.policy  # type: ignore[union-attr]
            targets: tuple[object, ...] = () if named is None else (named,)
        elif kind is AddResponders:
            targets = command.targets  # type: ignore[union-attr]
        else:
            continue
        for target in targets:
            if id(target) in checked:
                continue
            checked.add(id(target))
            where = f" (commands[{index}])"
            if isinstance(target, EscalationPolicy):
                _check_names(target.schedules, on_call, where)
            elif isinstance(target, ScheduleTarget):
                _check_names((target.schedule,), on_call, where)


def simulate(
    policy: EscalationPolicy,
    commands: Iterable[At | tuple[datetime, Command]],
    on_call: Mapping[str, OnCallSchedule],
    *,
    until: datetime | None = None,
) -> Timeline:
    """Run ``commands`` through :func:`~tocsin.escalation.step` and fire every timer.

    Commands are applied in time order (stably, so equal instants keep their order);
    timers fire at their instants; at the same instant a command goes before a timer,
    so an acknowledgement on the last second of a level's delay wins.  Triggers
    without a policy use ``policy``.  With ``until``, timers due after it are left
    unfired; otherwise the run goes on until no timer is left.

    A trigger whose :class:`At` names an incident is stepped against it (grouped into
    it when it is open and of the trigger's dedup scope).  Naming one incident for an
    alert open on another raises :class:`~tocsin.errors.InvalidInput` naming
    ``commands[i].incident``: the alert's events go to the incident holding it, and a
    "what if" should not guess which of the two was meant.  An incident named that the
    run does not have raises :class:`~tocsin.errors.NotFoundError`.

    Unlike :func:`step`, which treats a schedule it cannot find as empty, ``simulate``
    checks upfront that ``on_call`` knows every schedule ``policy`` names, and those the
    commands name (a trigger's or a reassignment's policy, a responder request's
    schedules and policies), and raises :class:`~tocsin.errors.NotFoundError`
    otherwise: a "what if" should not quietly answer a typo.

    Timers wait in first-in first-out buckets by delay, not a heap, so the queue costs
    the same per step with one incident open or a hundred thousand.  While it runs, the
    garbage collector's young generations collect as usual but its full passes are held
    off (they would rescan the growing timeline); the thresholds are restored at the end.
    """
    given: object = policy
    if not isinstance(given, EscalationPolicy):
        msg = f"expected an EscalationPolicy, got {given!r}"
        raise InvalidInput("policy", msg)
    _check_schedules(policy, on_call)
    limit = None if until is None else utc_instant(until, "until")
    given_commands = listed(commands, "commands", "At(at, command) or (at, command) pairs")
    items = sorted(
        ((_item(value, i), i) for i, value in enumerate(given_commands)),
        key=lambda pair: pair[0].at,
    )
    _check_command_schedules(items, policy, on_call)
    run = _Run(policy, on_call)
    # The cyclic collector's young generations run as usual, so the run pays for
    # scanning everything it allocates once.  Its full passes are held off until the
    # run ends: each rescans the whole heap, the growing timeline included, so they
    # would make a step's cost grow with the size of the run.  Everything a run
    # allocates is acyclic (frozen values, tuples) and freed by reference counting.
    # The caller's thresholds are restored, and its next full pass scans the timeline
    # once, like any data it keeps.  (From Python 3.14 the collector is incremental and
    # ignores the third threshold; this is then a no-op.)
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], _NEVER)
    try:
        for item, index in items:
            if limit is not None and item.at > limit:
                break
            run.fire_until(item.at, inclusive=False)
            run.command(item, index)
        run.fire_until(limit, inclusive=True)
    finally:
        gc.set_threshold(*thresholds)
    # Timeline(entries, incidents) without re-checking 100,000s of the run's own values.
    timeline = _new(Timeline)
    _timeline_entries(timeline, tuple(run.entries))
    _timeline_incidents(timeline, MappingProxyType(dict(run.incidents)))
    return timeline
