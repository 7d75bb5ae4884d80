"""The scratchpad one step writes on, and the escalation walk every handler shares.

A handler in :mod:`tocsin.escalation._machine` never builds an incident or an effect
by hand: it asks a :class:`Builder` to log, notify, set or cancel timers and change
fields, and the builder keeps the three things that must stay in step (the effects,
the incident's log and its pending timers) consistent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from tocsin.escalation._effects import (
    CancelTimer,
    Effect,
    NobodyOnCall,
    NotifyReason,
    ScheduleTimer,
    Timer,
    TimerKind,
    Unassigned,
)
from tocsin.escalation._incident import AssignedVia, Incident, LogEntry, LogKind
from tocsin.escalation._policy import EmptyLevelMode, ScheduleTarget, Target
from tocsin.escalation._trusted import append_log, log_entry, notify, schedule_timer, timer
from tocsin.services import Urgency

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from tocsin.protocols import OnCallSchedule

#: What a step produces: the incident's new state (``None``: there is none) and the
#: effects; :func:`~tocsin.escalation.step` wraps it in a ``Transition``.
Outcome: TypeAlias = tuple[Incident | None, tuple[Effect, ...]]

_new = object.__new__


class Builder:
    """Collects one step's changes to an incident and the effects they cause.

    ``fields`` is a working copy of the incident's fields: handlers read and write it
    directly (``b.fields["status"] = ...``), and :meth:`finish` turns it back into an
    :class:`Incident`.
    """

    __slots__ = ("effects", "entries", "fields", "id", "notified", "now", "on_call", "revision")

    def __init__(
        self, incident: Incident, now: datetime, on_call: Mapping[str, OnCallSchedule]
    ) -> None:
        fields = incident.__dict__.copy()
        self.fields: dict[str, Any] = fields
        self.id: str = fields["id"]
        self.now = now
        self.on_call = on_call
        self.revision: int = fields["revision"] + 1
        self.effects: list[Effect] = []
        self.entries: list[LogEntry] = []
        self.notified: tuple[str, ...] = ()

    def log(
        self,
        kind: LogKind,
        message: str,
        *,
        by: str | None = None,
        level: int | None = None,
    ) -> None:
        """Append a log entry, to the incident and as an effect."""
        entry = log_entry(self.now, kind, message, by, level)
        self.entries.append(entry)
        self.effects.append(append_log(self.id, entry))

    def schedule(self, kind: TimerKind, at: datetime) -> None:
        """Set a timer of ``kind`` (the caller has cancelled any earlier one)."""
        pending = schedule_timer(timer(self.id, kind, self.revision), at)
        fields = self.fields
        fields["timers"] = (*fields["timers"], pending)
        self.effects.append(pending)

    def cancel(self, *kinds: TimerKind) -> None:
        """Cancel every pending timer of these kinds."""
        fields = self.fields
        keep: list[ScheduleTimer] = []
        for pending in fields["timers"]:
            if pending.timer.kind in kinds:
                self.effects.append(CancelTimer(pending.timer))
            else:
                keep.append(pending)
        fields["timers"] = tuple(keep)

    def cancel_all(self) -> None:
        """Cancel every pending timer (the incident is resolving)."""
        fields = self.fields
        self.effects.extend(CancelTimer(pending.timer) for pending in fields["timers"])
        fields["timers"] = ()

    def forget(self, timer: Timer) -> None:
        """Drop a timer that has just fired from the pending list (no effect)."""
        kind, seq = timer.kind, timer.seq
        fields = self.fields
        fields["timers"] = tuple(
            p for p in fields["timers"] if p.timer.seq != seq or p.timer.kind is not kind
        )

    def notify(self, users: Iterable[str], level: int | None, reason: NotifyReason) -> None:
        """Notify each user once per step (identical pending pages collapse, decision 7)."""
        urgency = self.fields["urgency"]
        prefix = f"{self.id}/{self.revision}/"
        append = self.effects.append
        for user in users:
            if user in self.notified:
                continue
            self.notified = (*self.notified, user)
            append(notify(user, self.id, level, reason, prefix + user, urgency))

    def finish(self) -> Outcome:
        """The new incident and the effects, in the order they were produced."""
        fields = self.fields
        fields["revision"] = self.revision
        if self.entries:
            fields["log"] = fields["log"] + tuple(self.entries)
        incident = _new(Incident)
        incident.__dict__.update(fields)
        return incident, tuple(self.effects)


def resolve_targets(
    targets: Iterable[Target], at: datetime, on_call: Mapping[str, OnCallSchedule]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Who the targets page at ``at``, in order without repeats, and the empty schedules.

    A schedule the mapping does not know counts as empty (and is named), like a
    schedule with nobody on call: Grafana OnCall logs a broken schedule step and moves
    on, and a page that goes to the next level beats an escalation that stops.
    """
    users: list[str] = []
    empty: list[str] = []
    for target in targets:
        if isinstance(target, ScheduleTarget):
            schedule = on_call.get(target.schedule)
            user = None if schedule is None else schedule.on_call_at(at)
            if user is None:
                empty.append(target.schedule)
                continue
        else:
            user = target.user
        if user not in users:
            users.append(user)
    return tuple(users), tuple(empty)


def walk(
    b: Builder,
    level: int,
    loop: int,
    reason: NotifyReason,
) -> None:
    """Enter ``level`` on pass ``loop + 1`` and page it, skipping empty levels.

    * Someone on call: notify them, make them the assignees and, for a high-urgency
      incident, set the level's timer (its delay counts from now, decision 10).
    * Nobody: say so (``NobodyOnCall``).  With ``empty_level="wait"`` stay and wait
      the delay (GoAlert).  With ``"skip"`` move on at once (PagerDuty), through the
      next pass if loops are left; but a whole pass in a row with nobody stops and
      waits at the level it reached, so the loops are not all spent in one instant.
    * Past the last level with no loops left: the path is exhausted and the incident
      stays triggered (PagerDuty's ``exhaust_escalation_path``).

    Whenever the step leaves the incident with nobody assigned, ``Unassigned`` says so
    (decision 6).
    """
    fields = b.fields
    policy = fields["policy"]
    levels = policy.levels
    count = len(levels)
    passes = policy.loops + 1
    high = fields["urgency"] is Urgency.HIGH
    empty_in_a_row = 0
    while True:
        spec = levels[level - 1]
        fields["level"] = level
        fields["loop"] = loop
        users, empty = resolve_targets(spec.targets, b.now, b.on_call)
        b.log(
            LogKind.ESCALATED,
            f"level {level}, pass {loop + 1} of {passes}: {', '.join(users) or '-'}",
            level=level,
        )
        if users:
            b.notify(users, level, reason)
            fields["assignees"] = users
            fields["assigned_via"] = AssignedVia.ESCALATION_POLICY
            if high:
                b.schedule(TimerKind.LEVEL, b.now + spec.delay)
            return
        b.log(
            LogKind.NOBODY_ON_CALL,
            f"nobody on call at level {level} ({', '.join(empty)})",
            level=level,
        )
        b.effects.append(NobodyOnCall(b.id, level, empty))
        empty_in_a_row += 1
        if policy.empty_level is EmptyLevelMode.WAIT or empty_in_a_row >= count:
            if high:
                b.schedule(TimerKind.LEVEL, b.now + spec.delay)
            _unassigned(b)
            return
        if level < count:
            level += 1
        elif loop < policy.loops:
            level, loop = 1, loop + 1
            b.log(LogKind.REPEATED, f"repeating the path: pass {loop + 1}", level=1)
            reason = NotifyReason.REPEATED
        else:
            b.log(LogKind.EXHAUSTED, "escalation path exhausted", level=level)
            _unassigned(b)
            return


def advance(b: Builder) -> None:
    """A level's delay ran out: climb one level, repeat the path, or exhaust it."""
    fields = b.fields
    policy = fields["policy"]
    level, loop = fields["level"], fields["loop"]
    if level < len(policy.levels):
        walk(b, level + 1, loop, NotifyReason.ESCALATED)
    elif loop < policy.loops:
        b.log(LogKind.REPEATED, f"repeating the path: pass {loop + 2}", level=1)
        walk(b, 1, loop + 1, NotifyReason.REPEATED)
    else:
        b.log(LogKind.EXHAUSTED, "escalation path exhausted", level=level)


def _unassigned(b: Builder) -> None:
    if not b.fields["assignees"]:
        b.log(LogKind.UNASSIGNED, "nobody is on call at any level tried: unassigned")
        b.effects.append(Unassigned(b.id))
