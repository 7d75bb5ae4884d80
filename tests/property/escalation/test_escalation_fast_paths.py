"""The machine's fast paths agree with the slow, obvious ones.

The trusted constructors must build exactly what the public constructors build, and
``simulate``'s bucketed timer queue must pop in exactly a binary heap's order.
"""

from __future__ import annotations

import heapq
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tocsin.errors import InvalidInput, InvalidTransition
from tocsin.escalation import (
    Acknowledge,
    AppendLog,
    CancelTimer,
    Command,
    Escalate,
    EscalationLevel,
    EscalationPolicy,
    LogEntry,
    LogKind,
    Notify,
    NotifyReason,
    Reassign,
    Resolve,
    ScheduleTimer,
    SetUrgency,
    Snooze,
    Timeline,
    Timer,
    TimerKind,
    Transition,
    Trigger,
    UserTarget,
    simulate,
    step,
)
from tocsin.escalation._builder import Builder
from tocsin.escalation._queue import TimerQueue
from tocsin.escalation._trusted import transition
from tocsin.events import Event
from tocsin.testing import escalation_policies, on_call_maps

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tocsin.protocols import OnCallSchedule

T0 = datetime(2025, 3, 10, 9, tzinfo=UTC)
NAMES = st.text(min_size=1, max_size=8)
INSTANTS = st.integers(0, 10**8).map(lambda s: T0 + timedelta(seconds=s))
LEVELS = st.none() | st.integers(1, 9)
TIMERS = st.builds(Timer, NAMES, st.sampled_from(TimerKind), st.integers(0, 10**6))
TRIGGER = Trigger(
    Event(action="trigger", dedup_key="db1/disk", summary="disk", source="db1", severity="error"),
    service="checkout",
)
POLICY = EscalationPolicy("db", [EscalationLevel([UserTarget("alice")], timedelta(minutes=5))])
_BY = st.none() | st.sampled_from(("alice", "bob"))
#: (minutes after the trigger, command): commands people send, with who sent them.
COMMANDS = st.tuples(
    st.integers(0, 90),
    st.one_of(
        st.builds(Acknowledge, _BY),
        st.builds(Resolve, _BY),
        st.builds(Escalate, st.none() | st.just(1), by=_BY),
        st.builds(Reassign, st.lists(st.sampled_from(("carol", "dave")), min_size=1), by=_BY),
        st.builds(SetUrgency, st.sampled_from(("high", "low")), by=_BY),
        st.builds(lambda m: Snooze(T0 + timedelta(minutes=m)), st.integers(91, 200)),
        st.just(TRIGGER),
    ),
)


def same(fast: object, public: object) -> None:
    """Equal, with the same repr, hash and fields: every slot the public one sets is set."""
    assert type(fast) is type(public)
    assert fast == public
    assert repr(fast) == repr(public)
    assert hash(fast) == hash(public)
    assert attrs.asdict(fast, recurse=False) == attrs.asdict(public, recurse=False)  # type: ignore[arg-type]


def rebuilt(value: Any) -> Any:
    """The same value, built by its public constructor (validators and all)."""
    return attrs.evolve(value)


@given(
    at=INSTANTS,
    kind=st.sampled_from(LogKind),
    message=st.text(),
    by=st.none() | NAMES,
    level=LEVELS,
    users=st.lists(NAMES, min_size=1, max_size=3),
    reason=st.sampled_from(NotifyReason),
    timer_kind=st.sampled_from(TimerKind),
)
def test_the_builder_builds_what_the_public_constructors_build(
    *,
    at: datetime,
    kind: LogKind,
    message: str,
    by: str | None,
    level: int | None,
    users: list[str],
    reason: NotifyReason,
    timer_kind: TimerKind,
) -> None:
    incident = step(None, attrs.evolve(TRIGGER, policy=POLICY), T0, {}).incident
    assert incident is not None
    b = Builder(incident, at, {})
    b.log(kind, message, by=by, level=level)
    b.notify(users, level, reason)
    b.schedule(timer_kind, at)
    entry = LogEntry(at, kind, message, by=by, level=level)
    timer = Timer(incident.id, timer_kind, incident.revision + 1)
    key = f"{incident.id}/{incident.revision + 1}/"
    expected = [
        AppendLog(incident.id, entry),
        *(
            Notify(user, incident.id, level, reason, key + user, incident.urgency)
            for user in dict.fromkeys(users)
        ),
        ScheduleTimer(timer, at),
    ]
    assert len(b.effects) == len(expected)
    for fast, public in zip(b.effects, expected, strict=True):
        same(fast, public)
    same(b.entries[0], entry)
    pending = b.effects[-1]
    assert isinstance(pending, ScheduleTimer)
    same(pending.timer, timer)
    # The cached hash starts empty and fills in, as with the constructor.
    assert {pending.timer: 1}[timer] == 1


@given(
    st.lists(
        st.one_of(st.builds(CancelTimer, TIMERS), st.builds(ScheduleTimer, TIMERS, INSTANTS)),
        max_size=3,
    ).map(tuple)
)
def test_trusted_transitions_equal_the_constructor(effects: tuple[Any, ...]) -> None:
    same(transition(None, effects), Transition(None, effects))


@settings(max_examples=60)
@given(escalation_policies(), on_call_maps(), st.lists(COMMANDS, max_size=6))
def test_every_value_a_run_produces_equals_its_public_constructors_result(
    policy: EscalationPolicy,
    on_call: Mapping[str, OnCallSchedule],
    commands: list[tuple[int, Command]],
) -> None:
    script = [(T0, TRIGGER), *((T0 + timedelta(minutes=m), c) for m, c in commands)]
    timeline = run(policy, script, on_call)
    assume(timeline is not None)  # not an illegal script (snoozing a triggered incident)
    assert timeline is not None
    # simulate builds its Timeline without re-checking the run's values.
    public = Timeline(timeline.entries, timeline.incidents)
    assert (public, repr(public)) == (timeline, repr(timeline))
    for step_ in timeline.entries:
        same(step_, rebuilt(step_))
        same(step_.command, rebuilt(step_.command))
        for effect in step_.effects:
            same(effect, rebuilt(effect))
            for part in ("entry", "timer"):
                if hasattr(effect, part):
                    same(getattr(effect, part), rebuilt(getattr(effect, part)))
    for incident in timeline.incidents.values():
        same(incident, rebuilt(incident))
        for entry in incident.log:
            same(entry, rebuilt(entry))
        same(transition(incident, ()), Transition(incident, ()))


def run(
    policy: EscalationPolicy,
    script: list[tuple[datetime, Command]],
    on_call: Mapping[str, OnCallSchedule],
) -> Timeline | None:
    try:
        return simulate(policy, script, on_call)
    except (InvalidInput, InvalidTransition):
        return None


# Pushes are (minutes after T0 when set, delay in minutes); a pop is None.  Delays come
# from a small set, as a policy's do; "set" instants go backwards now and then, which
# simulate never does, to exercise the out-of-order path.
_PUSH = st.tuples(st.integers(0, 60), st.sampled_from((1, 5, 5, 10, 30, 0)))
_OPS = st.lists(st.none() | _PUSH, max_size=60)


@given(_OPS, st.booleans())
def test_the_timer_queue_pops_in_heap_order(
    ops: list[tuple[int, int] | None], rising: bool
) -> None:
    queue: TimerQueue[int] = TimerQueue()
    heap: list[tuple[datetime, int]] = []
    now = T0
    for n, op in enumerate(ops):
        if op is None:
            assert queue.pop() == (heapq.heappop(heap) if heap else None)
            continue
        minutes, delay = op
        now = now + timedelta(minutes=minutes) if rising else T0 + timedelta(minutes=minutes)
        at = now + timedelta(minutes=delay)
        queue.push(at, now, n)
        heapq.heappush(heap, (at, n))
        assert len(queue) == len(heap)
    drained = [queue.pop() for _ in range(len(queue))]
    assert drained == sorted(heap)
    assert queue.pop() is None


@settings(max_examples=30)
@given(
    st.permutations(range(1, 101)),
    st.lists(st.integers(0, 5), min_size=100, max_size=100),
)
def test_the_timer_queue_keeps_heap_order_with_many_distinct_delays(
    delays: list[int], steps: list[int]
) -> None:
    # Snoozes and support-hours timers have arbitrary delays: more buckets than it keeps.
    queue: TimerQueue[int] = TimerQueue()
    heap: list[tuple[datetime, int]] = []
    now = T0
    for n, (minutes, delay) in enumerate(zip(steps, delays, strict=True)):
        now += timedelta(minutes=minutes)
        at = now + timedelta(minutes=delay)
        queue.push(at, now, n)
        heapq.heappush(heap, (at, n))
        if n % 3 == 0:
            assert queue.pop() == heapq.heappop(heap)
    assert [queue.pop() for _ in range(len(queue))] == sorted(heap)
    # Emptied buckets are not hoarded: a long run of snoozes does not grow the queue.
    assert len(queue._buckets) <= 64


@given(st.lists(_PUSH, max_size=30), st.integers(0, 120), st.booleans())
def test_the_timer_queue_pops_only_what_is_due_by_the_limit(
    pushes: list[tuple[int, int]], limit_minutes: int, inclusive: bool
) -> None:
    queue: TimerQueue[int] = TimerQueue()
    now = T0
    for n, (minutes, delay) in enumerate(pushes):
        now += timedelta(minutes=minutes)
        queue.push(now + timedelta(minutes=delay), now, n)
    limit = T0 + timedelta(minutes=limit_minutes)
    popped: list[datetime] = []
    while (due := queue.pop(limit, inclusive=inclusive)) is not None:
        popped.append(due[0])
    assert all(at < limit or (inclusive and at == limit) for at in popped)
    rest = [queue.pop() for _ in range(len(queue))]
    assert len(popped) + len(rest) == len(pushes)
    assert all(at > limit or (not inclusive and at == limit) for at, _ in filter(None, rest))
    assert popped == sorted(popped)
