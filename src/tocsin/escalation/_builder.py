"""The scratchpad one step writes on, and the escalation walk every handler shares.

A handler in :mod:`tocsin.escalation._machine` never builds an incident or an effect
by hand: it asks a :class:`Builder` to log, notify, set or cancel timers and change
fields, and the builder keeps the three things that must stay in step (the effects,
the incident's log and its pending timers) consistent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from tocsin.errors import InvalidInput
from tocsin.escalation._effects import (
    AppendLog,
    CancelTimer,
    Effect,
    NobodyOnCall,
    Notify,
    NotifyReason,
    ScheduleTimer,
    Timer,
    TimerKind,
    Unassigned,
)
from tocsin.escalation._incident import AssignedVia, Incident, LogEntry, LogKind
from tocsin.escalation._policy import EmptyLevelMode, ScheduleTarget, Target
from tocsin.escalation._trusted import (
    append_entry,
    append_incident,
    entry_at,
    entry_by,
    entry_kind,
    entry_level,
    entry_message,
    notify_incident,
    notify_key,
    notify_level,
    notify_reason,
    notify_urgency,
    notify_user,
    schedule_at,
    schedule_timer,
    timer_hash,
    timer_incident,
    timer_kind,
    timer_seq,
)
from tocsin.services import Urgency

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from datetime import datetime, timedelta

    from tocsin.protocols import OnCallSchedule

#: What a step produces: the incident's new state (``None``: there is none) and the
#: effects; :func:`~tocsin.escalation.step` wraps it in a ``Transition``.
Outcome: TypeAlias = tuple[Incident | None, tuple[Effect, ...]]

_new = object.__new__
_set = object.__setattr__

# Enum members as module constants: reading one off its class costs more than a
# dozen local reads on CPython 3.11, and walk() is on every escalation step.
_HIGH = Urgency.HIGH
_ESCALATED = LogKind.ESCALATED
_LEVEL = TimerKind.LEVEL
_BY_POLICY = AssignedVia.ESCALATION_POLICY


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

    # log, schedule and notify build their values with the trusted setters inline
    # (see _trusted): a step makes several, and a call per value would cost as much.

    def log(
        self,
        kind: LogKind,
        message: str,
        *,
        by: str | None = None,
        level: int | None = None,
    ) -> None:
        """Append a log entry, to the incident and as an effect."""
        entry = _new(LogEntry)
        entry_at(entry, self.now)
        entry_kind(entry, kind)
        entry_message(entry, message)
        entry_by(entry, by)
        entry_level(entry, level)
        self.entries.append(entry)
        effect = _new(AppendLog)
        append_incident(effect, self.id)
        append_entry(effect, entry)
        self.effects.append(effect)

    def after(self, delay: timedelta) -> datetime:
        """``now + delay``; past the year 9999 it is an error naming ``now``."""
        try:
            return self.now + delay
        except OverflowError:
            msg = f"{self.now.isoformat()} + {delay} (a timer to set) lies past the year 9999"
            raise InvalidInput("now", msg) from None

    def schedule(self, kind: TimerKind, at: datetime) -> None:
        """Set a timer of ``kind`` (the caller has cancelled any earlier one)."""
        timer = _new(Timer)
        timer_incident(timer, self.id)
        timer_kind(timer, kind)
        timer_seq(timer, self.revision)
        timer_hash(timer, None)
        pending = _new(ScheduleTimer)
        schedule_timer(pending, timer)
        schedule_at(pending, at)
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

    def forget(self, index: int) -> None:
        """Drop the pending timer at ``index``, which has just fired (no effect)."""
        fields = self.fields
        timers = fields["timers"]
        fields["timers"] = timers[:index] + timers[index + 1 :]

    def notify(self, users: Iterable[str], level: int | None, reason: NotifyReason) -> None:
        """Notify each user once per step (identical pending pages collapse, decision 7)."""
        urgency = self.fields["urgency"]
        incident = self.id
        revision = self.revision
        append = self.effects.append
        for user in users:
            if user in self.notified:
                continue
            self.notified = (*self.notified, user)
            effect = _new(Notify)
            notify_user(effect, user)
            notify_incident(effect, incident)
            notify_level(effect, level)
            notify_reason(effect, reason)
            notify_key(effect, f"{incident}/{revision}/{user}")
            notify_urgency(effect, urgency)
            append(effect)

    def finish(self) -> Outcome:
        """The new incident and the effects, in the order they were produced."""
        fields = self.fields
        fields["revision"] = self.revision
        if self.entries:
            fields["log"] = fields["log"] + tuple(self.entries)
        # The working copy becomes the new incident's instance dict as it is.
        incident = _new(Incident)
        _set(incident, "__dict__", fields)
        return incident, tuple(self.effects)


def on_call_at(on_call: Mapping[str, OnCallSchedule], name: str, at: datetime) -> str | None:
    """Who schedule ``name`` says is on call at ``at`` (``None``: nobody, or no such schedule).

    The schedules are the caller's objects: one without ``on_call_at``, or an answer
    that is not a user name, is an error naming the schedule, not a crash later.
    """
    schedule = on_call.get(name)
    if schedule is None:
        return None
    try:
        lookup = schedule.on_call_at
    except AttributeError:
        msg = f"expected an object with on_call_at(at), got {schedule!r}"
        where = f"on_call[{name!r}]"
        raise InvalidInput(where, msg) from None
    user = lookup(at)
    if user is not None and (type(user) is not str or not user):
        return _user_name(name, user)
    return user


def _user_name(name: str, user: object) -> str:
    if isinstance(user, str) and user:
        return str(user)  # a str subclass, made plain
    msg = f"expected a user name (a non-empty string) or None, got {user!r}"
    where = f"on_call[{name!r}].on_call_at"
    raise InvalidInput(where, msg)


def resolve_targets(
    targets: Sequence[Target], at: datetime, on_call: Mapping[str, OnCallSchedule]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Who the targets page at ``at``, in order without repeats, and the empty schedules.

    A schedule the mapping does not know counts as empty (and is named), like a
    schedule with nobody on call: Grafana OnCall logs a broken schedule step and moves
    on, and a page that goes to the next level beats an escalation that stops.
    """
    if len(targets) == 1:
        # The common level: one target, nothing to merge (the loop below, unrolled).
        target = targets[0]
        if not isinstance(target, ScheduleTarget):
            return (target.user,), ()
        user = on_call_at(on_call, target.schedule, at)
        return ((), (target.schedule,)) if user is None else ((user,), ())
    users: list[str] = []
    empty: list[str] = []
    for target in targets:
        if isinstance(target, ScheduleTarget):
            user = on_call_at(on_call, target.schedule, at)
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
    high = fields["urgency"] is _HIGH
    empty_in_a_row = 0
    while True:
        spec = levels[level - 1]
        fields["level"] = level
        fields["loop"] = loop
        users, empty = resolve_targets(spec.targets, b.now, b.on_call)
        b.log(
            _ESCALATED,
            f"level {level}, pass {loop + 1} of {passes}: {', '.join(users) or '-'}",
            level=level,
        )
        if users:
            b.notify(users, level, reason)
            fields["assignees"] = users
            fields["assigned_via"] = _BY_POLICY
            if high:
                b.schedule(_LEVEL, b.after(spec.delay))
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
                b.schedule(_LEVEL, b.after(spec.delay))
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


def _unassigned(b: Builder) -> None:
    if not b.fields["assignees"]:
        b.log(LogKind.UNASSIGNED, "nobody is on call at any level tried: unassigned")
        b.effects.append(Unassigned(b.id))
