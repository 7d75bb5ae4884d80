"""Random commands and clock advances against the escalation machine, with invariants.

The state machine plays the shell: it keeps an index of open alerts and the pending
timers, applies commands at increasing instants and fires timers when they fall due,
and after every step checks what must always hold.  Alerts come from two services, so
merges move alerts across dedup scopes, and incidents are reassigned to a second
policy as well as their own.  Like an at-least-once queue, it
also delivers timers again after they fired or were cancelled, as the machine made
them or rebuilt from their storage key, and checks that such a delivery is only
logged.  At the end it replays everything through ``simulate`` and demands the very
same effects.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tocsin.errors import InvalidTransition
from tocsin.escalation import (
    TRANSITIONS,
    Acknowledge,
    AckTimeoutMode,
    AddResponders,
    AlertKey,
    AppendLog,
    At,
    CancelTimer,
    Command,
    Escalate,
    EscalationPolicy,
    Incident,
    LogEntry,
    LogKind,
    Merge,
    Merged,
    Notify,
    Reassign,
    Resolve,
    ScheduleTimer,
    SetUrgency,
    Snooze,
    Status,
    Timer,
    TimerFired,
    TimerKind,
    Transition,
    Trigger,
    Urgency,
    UserTarget,
    simulate,
    step,
)
from tocsin.events import Event
from tocsin.testing import FakeSchedule, escalation_policies

if TYPE_CHECKING:
    from tocsin.protocols import OnCallSchedule

T0 = datetime(2025, 3, 10, 9, tzinfo=UTC)
KEYS = ("db1/disk", "web/5xx", "queue/lag")
# Two dedup scopes, so that merges move alerts between services (decision 12).
SERVICES = st.sampled_from(("checkout", "billing"))
USERS = st.sampled_from(("alice", "bob", "carol"))
OUTCOMES = {(rule.source, rule.command): rule.outcomes for rule in TRANSITIONS}


def schedules() -> st.SearchStrategy[FakeSchedule]:
    """A schedule whose on-call user changes a few times over the first hours."""
    changes = st.lists(
        st.tuples(st.integers(0, 600).map(lambda m: T0 + timedelta(minutes=m)), st.none() | USERS),
        max_size=3,
    )
    return st.builds(lambda first, c: FakeSchedule(first, changes=c), st.none() | USERS, changes)


def alert(key: str) -> Event:
    return Event(action="trigger", dedup_key=key, summary=key, source="host", severity="error")


def label(command: Command) -> str:
    if isinstance(command, TimerFired):
        return f"TimerFired[{command.timer.kind.value}]"
    return type(command).__name__


class EscalationMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.incidents: dict[str, Incident] = {}
        self.open: dict[AlertKey, str] = {}
        self.pending: dict[Timer, tuple[datetime, int]] = {}
        # Timers that fired or were cancelled: any delivery of them is stale.
        self.spent: list[Timer] = []
        self.order = 0
        self.keys: set[str] = set()
        self.resolved: set[str] = set()
        self.record: list[tuple[datetime, str | None, Command, tuple[Any, ...]]] = []
        self.inputs: list[At] = []

    @initialize(
        policy=escalation_policies(max_levels=3, max_loops=2),
        other=escalation_policies(max_levels=3, max_loops=2),
        primary=schedules(),
        secondary=schedules(),
    )
    def setup(
        self,
        policy: EscalationPolicy,
        other: EscalationPolicy,
        primary: FakeSchedule,
        secondary: FakeSchedule,
    ) -> None:
        self.policy = policy
        # Another team's policy, for Reassign(policy=...).
        self.other = other
        self.on_call: dict[str, OnCallSchedule] = {"primary": primary, "secondary": secondary}

    # --- the shell ------------------------------------------------------------------

    def apply(
        self,
        incident: Incident | None,
        command: Command,
        *,
        external: bool,
        named: str | None = None,
    ) -> Transition:
        before_status = None if incident is None else incident.status
        result = step(incident, command, self.now, self.on_call)
        new = result.incident
        target = None if new is None else new.id
        if external:
            if isinstance(command, Trigger):
                given = attrs.evolve(command, policy=None)
                self.inputs.append(At(self.now, given, incident=named))
            elif isinstance(command, Merge) and isinstance(command.into, Incident):
                self.inputs.append(
                    At(self.now, attrs.evolve(command, into=command.into.id), incident=target)
                )
            elif isinstance(command, Acknowledge | Resolve) and command.dedup_key is not None:
                self.inputs.append(At(self.now, command))
            else:
                self.inputs.append(At(self.now, command, incident=target))
        event(f"{before_status}: {label(command)}")  # shown by --hypothesis-show-statistics
        self.check_step(incident, before_status, command, result)
        self.record.append((self.now, target, command, result.effects))
        for effect in result.effects:
            if isinstance(effect, ScheduleTimer):
                self.order += 1  # fire equal instants in the order they were set
                self.pending[effect.timer] = (effect.at, self.order)
            elif isinstance(effect, CancelTimer):
                self.pending.pop(effect.timer, None)
                self.spent.append(effect.timer)
            elif isinstance(effect, Merged):
                self.store(self.incidents[effect.into.id], effect.into)
        if new is not None:
            self.store(incident if incident is not None and incident.id == new.id else None, new)
        return result

    def store(self, before: Incident | None, after: Incident) -> None:
        for key in () if before is None else before.open_alerts:
            if key not in after.open_alerts and self.open.get(key) == after.id:
                del self.open[key]
        for key in after.open_alerts:
            self.open[key] = after.id
        self.incidents[after.id] = after
        if not after.is_open:
            self.resolved.add(after.id)

    def open_incident(self, key: str, service: str) -> Incident | None:
        incident_id = self.open.get(AlertKey(service, key))
        return None if incident_id is None else self.incidents[incident_id]

    # --- rules ------------------------------------------------------------------------

    @rule(key=st.sampled_from(KEYS), service=SERVICES)
    def trigger(self, key: str, service: str) -> None:
        incident = self.open_incident(key, service)
        # New incidents get explicit ids: a key can resolve and trigger again within
        # one instant here, and the default id (alert and instant) would repeat.
        name = None if incident is not None else f"I{len(self.incidents) + 1}"
        command = Trigger(alert(key), service=service, policy=self.policy, incident_id=name)
        self.apply(incident, command, external=True)

    @rule(key=st.sampled_from(KEYS), service=SERVICES, data=st.data())
    def group(self, key: str, service: str, data: st.DataObject) -> None:
        """Trigger an alert into a named incident (open or resolved), by id or dedup key.

        The shell steps the trigger against the incident named, as simulate must: it
        joins an open incident of its scope, and opens a new one otherwise.
        """
        if not self.incidents:
            return
        target = self.incidents[data.draw(st.sampled_from(sorted(self.incidents)))]
        holder = self.open.get(AlertKey(service, key))
        if holder is not None and holder != target.id:
            return  # a contradiction simulate refuses (a named unit test pins it)
        name = target.id
        # By dedup key when that names the target alone, as simulate looks it up.
        alone = [a.dedup_key for a in target.open_alerts if self.holders(a.dedup_key) == 1]
        by_key: bool = data.draw(st.booleans())
        if alone and by_key:
            name = data.draw(st.sampled_from(alone))
        command = Trigger(
            alert(key),
            service=service,
            policy=self.policy,
            incident_id=f"I{len(self.incidents) + 1}",
        )
        result = self.apply(target, command, external=True, named=name)
        joined = result.incident is not None and result.incident.id == target.id
        event(f"grouped trigger: {'joined' if joined else 'new incident'}")

    def holders(self, dedup_key: str) -> int:
        """How many open alerts have this dedup key (in any scope)."""
        return sum(alert.dedup_key == dedup_key for alert in self.open)

    @rule(key=st.sampled_from(KEYS), service=SERVICES, by=USERS, from_event=st.booleans())
    def acknowledge(self, key: str, service: str, by: str, from_event: bool) -> None:
        incident = self.open_incident(key, service)
        command = Acknowledge(service=service, dedup_key=key) if from_event else Acknowledge(by)
        if incident is None and not from_event:
            return
        before = (
            []
            if incident is None
            else [p for p in incident.timers if p.timer.kind is TimerKind.LEVEL]
        )
        result = self.apply(incident, command, external=True)
        if result.incident is not None and result.incident.status is Status.ACKNOWLEDGED:
            # Acknowledging cancels every pending escalation timer.
            assert all(p.timer.kind is not TimerKind.LEVEL for p in result.incident.timers)
            cancelled = {e.timer for e in result.effects if isinstance(e, CancelTimer)}
            assert {p.timer for p in before} <= cancelled

    @rule(key=st.sampled_from(KEYS), service=SERVICES, from_event=st.booleans())
    def resolve(self, key: str, service: str, from_event: bool) -> None:
        incident = self.open_incident(key, service)
        if incident is None and not from_event:
            return
        command = Resolve(service=service, dedup_key=key) if from_event else Resolve("carol")
        self.apply(incident, command, external=True)

    @rule(key=st.sampled_from(KEYS), service=SERVICES, minutes=st.integers(1, 180))
    def snooze(self, key: str, service: str, minutes: int) -> None:
        incident = self.open_incident(key, service)
        if incident is None:
            return
        command = Snooze(self.now + timedelta(minutes=minutes))
        if incident.status is Status.TRIGGERED:
            try:
                step(incident, command, self.now, self.on_call)
            except InvalidTransition:
                return
            msg = "snoozing a triggered incident must be refused"
            raise AssertionError(msg)
        self.apply(incident, command, external=True)

    @rule(key=st.sampled_from(KEYS), service=SERVICES, data=st.data())
    def human(self, key: str, service: str, data: st.DataObject) -> None:
        incident = self.open_incident(key, service)
        if incident is None:
            return
        levels = len(incident.policy.levels)
        command = data.draw(
            st.one_of(
                st.builds(Escalate, st.none() | st.integers(1, levels)),
                st.builds(Reassign, st.lists(USERS, min_size=1, max_size=2)),
                st.builds(lambda: Reassign(policy=self.policy)),
                st.builds(lambda: Reassign(policy=self.other)),
                st.builds(lambda u: AddResponders(UserTarget(u)), USERS),
                st.builds(SetUrgency, st.sampled_from(("high", "low"))),
            )
        )
        self.apply(incident, command, external=True)

    @rule(
        source=st.tuples(st.sampled_from(KEYS), SERVICES),
        into=st.tuples(st.sampled_from(KEYS), SERVICES),
    )
    def merge(self, source: tuple[str, str], into: tuple[str, str]) -> None:
        a, b = self.open_incident(*source), self.open_incident(*into)
        if a is None or b is None or a.id == b.id:
            return
        self.apply(a, Merge(b), external=True)

    @rule(minutes=st.integers(1, 240))
    def advance(self, minutes: int) -> None:
        """Move the clock, firing every timer due strictly before the new instant."""
        until = self.now + timedelta(minutes=minutes)
        while True:
            due = [(when, timer) for timer, when in self.pending.items() if when[0] < until]
            if not due:
                break
            (at, _), timer = min(due, key=lambda pair: pair[0])
            del self.pending[timer]
            self.now = max(self.now, at)
            self.apply(self.incidents[timer.incident], TimerFired(timer), external=False)
            self.spent.append(timer)
        self.now = until

    @rule(data=st.data(), rebuild=st.sampled_from(("as set", "from its parts", "parsed")))
    def redeliver(self, data: st.DataObject, rebuild: str) -> None:
        """Deliver a fired or cancelled timer again: it is stale, so only logged."""
        if not self.spent:
            return
        spent = data.draw(st.sampled_from(self.spent))
        row = str(spent)
        timer = spent
        if rebuild == "from its parts":
            # What a shell reading its storage row does: the kind comes back a string.
            incident_id, kind, seq = row.rsplit("/", 2)
            timer = Timer(incident_id, kind, int(seq))
        elif rebuild == "parsed":
            timer = Timer.parse(row)
        assert timer == spent
        event(f"redelivered a spent timer, {rebuild}")
        incident = self.incidents[timer.incident]
        result = step(incident, TimerFired(timer), self.now, self.on_call)
        # No Notify, no level or status change, no timer set or cancelled: one entry.
        entry = LogEntry(self.now, LogKind.STALE_TIMER, f"stale timer {row} ignored")
        assert result.effects == (AppendLog(incident.id, entry),)
        stale = result.incident
        assert stale == attrs.evolve(
            incident, log=(*incident.log, entry), revision=incident.revision + 1
        )
        assert stale is not None
        again = step(stale, TimerFired(timer), self.now, self.on_call)
        assert [type(e) for e in again.effects] == [AppendLog]
        assert again.incident is not None
        assert again.incident.timers == incident.timers
        # The result is not kept: it differs from the incident only by that entry and
        # the revision (checked above), and a kept revision would shift the
        # idempotency keys of later steps, which the replay through simulate (a shell
        # that never delivers twice) could not follow.

    # --- invariants -------------------------------------------------------------------

    def check_step(
        self,
        incident: Incident | None,
        before: Status | None,
        command: Command,
        result: Transition,
    ) -> None:
        new = result.incident
        notifies = [e for e in result.effects if isinstance(e, Notify)]
        # No Notify after resolve (for the incident stepped and any other).
        assert not any(n.incident in self.resolved for n in notifies)
        if new is not None and not new.is_open:
            assert not notifies
        # Every Notify carries a unique idempotency key.
        for notify in notifies:
            assert notify.idempotency_key not in self.keys
            self.keys.add(notify.idempotency_key)
        if new is None:
            return
        # The machine's fast copies are states the validating constructor accepts.
        assert Incident(**attrs.asdict(new, recurse=False)) == new
        if incident is not None and new.id != incident.id:
            return
        # The machine does what its table says.
        outcome = new.status.value if incident is not None else "triggered"
        if result.effects and type(result.effects[0]).__name__ == "Dropped":
            outcome = "dropped"
        stale = new.log and new.log[-1].kind is LogKind.STALE_TIMER and new is not incident
        if not stale:
            assert outcome in OUTCOMES[(before, label(command))] + ("dropped",), (
                before,
                label(command),
                outcome,
            )
        # Levels are entered in order, and each visit schedules its timer once at most.
        entries = new.log[len(incident.log) :] if incident is not None else new.log
        entered = [e.level for e in entries if e.kind is LogKind.ESCALATED and e.level]
        count = len(new.policy.levels)
        manual = isinstance(command, Escalate | Reassign | SetUrgency) or label(command) in {
            "TimerFired[ack_timeout]",
            "TimerFired[snooze]",
            "TimerFired[urgency]",
        }
        levels = entered[1:] if manual and entered else entered
        previous = entered[0] if manual and entered else (incident.level if incident else count)
        for level in levels:
            if previous is not None:
                assert level == previous % count + 1, (previous, level, entered)
            previous = level
        level_timers = [
            e
            for e in result.effects
            if isinstance(e, ScheduleTimer) and e.timer.kind is TimerKind.LEVEL
        ]
        assert len(level_timers) <= 1
        assert sum(p.timer.kind is TimerKind.LEVEL for p in new.timers) <= 1
        # Low urgency does not escalate: no level timer waits, none is set.
        if new.urgency is Urgency.LOW:
            assert not level_timers
            assert all(p.timer.kind is not TimerKind.LEVEL for p in new.timers)
        # Passes through the policy never exceed loops + 1.
        assert new.loop <= new.policy.loops
        assert self.repeats_since_reset(new) <= new.policy.loops

    @staticmethod
    def repeats_since_reset(incident: Incident) -> int:
        restart = incident.policy.on_ack_timeout is AckTimeoutMode.RESTART
        resets = {LogKind.TRIGGERED, LogKind.REASSIGNED}
        if restart:
            resets |= {LogKind.UNACKNOWLEDGED, LogKind.SNOOZE_ENDED}
        count = 0
        for entry in reversed(incident.log):
            if entry.kind in resets:
                break
            count += entry.kind is LogKind.REPEATED
        return count

    @invariant()
    def an_alert_is_open_on_one_incident(self) -> None:
        # Where the shell's index points is the one open incident holding the alert: a
        # trigger, an acknowledge or a resolve for it reaches that incident.
        holders: dict[AlertKey, str] = {}
        for incident in self.incidents.values():
            for key in incident.open_alerts if incident.is_open else ():
                assert key not in holders, (key, holders.get(key), incident.id)
                holders[key] = incident.id
        assert holders == self.open

    @invariant()
    def timers_agree_with_incidents(self) -> None:
        waiting = {p.timer: p.at for i in self.incidents.values() for p in i.timers}
        assert waiting == {timer: at for timer, (at, _) in self.pending.items()}

    def teardown(self) -> None:
        if not hasattr(self, "policy"):
            return
        # Replaying the same commands gives the same effects, twice over.  simulate
        # also fires the timers due at exactly the last instant, after the commands
        # there; this machine has not fired them yet.
        first = simulate(self.policy, self.inputs, self.on_call, until=self.now)
        again = simulate(self.policy, self.inputs, self.on_call, until=self.now)
        assert first == again
        replayed = [(e.at, e.incident, e.effects) for e in first.entries]
        recorded = [(at, target, effects) for at, target, _, effects in self.record]
        assert replayed[: len(recorded)] == recorded
        extra = first.entries[len(recorded) :]
        assert all(isinstance(e.command, TimerFired) and e.at == self.now for e in extra)


EscalationMachine.TestCase.settings = settings(stateful_step_count=50, deadline=None)
TestEscalationMachine = EscalationMachine.TestCase
