"""Escalation throughput: 100,000 incidents driven through their whole escalation by simulate().

Each incident triggers and climbs a three-level policy twice (loops=1) until the path
is exhausted, an hour later: one trigger and six level timers, seven steps each.  The
script reports steps per second against the issue's target (200,000 steps/s).

To show that a step's cost does not grow with the number of open incidents, the same
100,000 incidents run with their triggers spread so that 1, 100, 10,000 or all
100,000 of them are open at once: same steps, same timeline size, only the number of
open incidents (and pending timers) changes.  Two more tables split the cost: step()
alone with as many incidents in play, and simulate()'s timer queue (FIFO buckets by
delay) beside a binary heap with as many timers pending.

simulate() lets the garbage collector's young generations run as usual and holds off
its full passes until the run ends; the last column is what the caller's next full
pass then costs, per step, with the timeline alive (measured after each run, outside
the timed part), so nothing the run leaves behind goes unreported.

Each size runs ``--repeat`` times (default 3) and the best run is reported, wall and
CPU time both: the CI machine has two cores shared with other jobs, and the CPU time
of the process is the steadier of the two.  No peer library runs an escalation
machine in-process, so the comparison is with the target only.

Run: ``make bench``, or ``PYTHONTZPATH="" .venv/bin/python benchmarks/bench_escalation.py``.
"""

from __future__ import annotations

import argparse
import gc
import heapq
import time
from datetime import UTC, datetime, timedelta

from tocsin.escalation import (
    EscalationLevel,
    EscalationPolicy,
    ScheduleTarget,
    Timer,
    TimerFired,
    TimerKind,
    Trigger,
    UserTarget,
    simulate,
    step,
)
from tocsin.escalation._queue import TimerQueue
from tocsin.events import Event
from tocsin.testing import FakeSchedule

TARGET = 200_000  # steps per second, from the issue
T0 = datetime(2025, 3, 10, 9, tzinfo=UTC)
POLICY = EscalationPolicy(
    "bench",
    [
        EscalationLevel([ScheduleTarget("primary")], timedelta(minutes=5)),
        EscalationLevel([ScheduleTarget("secondary")], timedelta(minutes=10)),
        EscalationLevel([UserTarget("manager")], timedelta(minutes=15)),
    ],
    loops=1,
)
STEPS_PER_INCIDENT = 1 + len(POLICY.levels) * POLICY.passes
ON_CALL = {
    "primary": FakeSchedule("alice", changes=[(T0 + timedelta(minutes=30), "carol")]),
    "secondary": FakeSchedule("bob"),
}


ESCALATION = sum((level.delay for level in POLICY.levels), timedelta(0)) * POLICY.passes


def commands(count: int, open_at_once: int) -> list[tuple[datetime, Trigger]]:
    """``count`` triggers with distinct keys, spaced so ``open_at_once`` overlap."""
    spacing = ESCALATION / open_at_once + timedelta(microseconds=1)
    return [
        (
            T0 + spacing * i,
            Trigger(
                Event(
                    action="trigger",
                    dedup_key=f"host-{i}/disk",
                    summary="disk full",
                    source=f"host-{i}",
                    severity="critical",
                ),
                service="storage",
            ),
        )
        for i in range(count)
    ]


def run_simulate(count: int, open_at_once: int, repeat: int) -> tuple[int, float, float, float]:
    """(steps, best wall s, best CPU s, best CPU s of the full GC pass after) for ``count``."""
    inputs = commands(count, open_at_once)
    best_wall = best_cpu = best_gc = float("inf")
    steps = 0
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        timeline = simulate(POLICY, inputs, ON_CALL)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        full = time.process_time()
        gc.collect()
        full = time.process_time() - full
        steps = len(timeline.entries)
        assert steps == count * STEPS_PER_INCIDENT, steps
        assert len(timeline.notifications) == count * len(POLICY.levels) * POLICY.passes
        best_wall, best_cpu, best_gc = min(best_wall, wall), min(best_cpu, cpu), min(best_gc, full)
        del timeline
    return steps, best_wall, best_cpu, best_gc


def run_step_only(count: int, open_at_once: int, repeat: int) -> tuple[int, float, float]:
    """The bare machine: ``open_at_once`` incidents stepped round-robin, level by level.

    No timer queue and no timeline: what is left is step() itself, with as many
    incidents' states in play (and out of the CPU caches) as are open at once.  The
    cyclic garbage collector is paused, as simulate() pauses it.
    """
    inputs = commands(count, count)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _step_only(inputs, open_at_once, repeat)
    finally:
        if collecting:
            gc.enable()


def _step_only(
    inputs: list[tuple[datetime, Trigger]], open_at_once: int, repeat: int
) -> tuple[int, float, float]:
    count = len(inputs)
    best_wall = best_cpu = float("inf")
    steps = 0
    for _ in range(repeat):
        steps = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for start in range(0, count, open_at_once):
            batch = inputs[start : start + open_at_once]
            incidents = [
                step(None, Trigger(t.event, service="storage", policy=POLICY), at, ON_CALL).incident
                for at, t in batch
            ]
            steps += len(incidents)
            while incidents:
                following = []
                for incident in incidents:
                    assert incident is not None
                    if incident.timers:
                        pending = incident.timers[0]
                        fired = TimerFired(pending.timer)
                        following.append(step(incident, fired, pending.at, ON_CALL).incident)
                steps += len(following)
                incidents = following
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    return steps, best_wall, best_cpu


DELAYS = [level.delay for level in POLICY.levels]


def queue_cost(pending: int, operations: int = 100_000) -> float:
    """Microseconds for one pop and one push on simulate's queue with ``pending`` timers.

    As in a run: each timer is set at ``now + delay`` for one of the policy's delays,
    and ``now`` only moves forward.
    """
    queue: TimerQueue[Timer] = TimerQueue()
    for i in range(pending):
        now = T0 + timedelta(microseconds=i)
        queue.push(now + DELAYS[i % 3], now, Timer(f"i{i}", TimerKind.LEVEL, i))
    start = time.process_time()
    for i in range(operations):
        due = queue.pop(None, True)
        assert due is not None
        now, timer = due
        queue.push(now + DELAYS[i % 3], now, timer)
    return (time.process_time() - start) / operations * 1e6


def heap_cost(pending: int, operations: int = 100_000) -> float:
    """The same with a binary heap (``heapq``) of ``(at, seq, timer)``, for comparison."""
    heap = []
    for i in range(pending):
        now = T0 + timedelta(microseconds=i)
        heap.append((now + DELAYS[i % 3], i, Timer(f"i{i}", TimerKind.LEVEL, i)))
    heapq.heapify(heap)
    seq = pending
    start = time.process_time()
    for i in range(operations):
        now, _, timer = heapq.heappop(heap)
        seq += 1
        heapq.heappush(heap, (now + DELAYS[i % 3], seq, timer))
    return (time.process_time() - start) / operations * 1e6


def header(first: str, extra: str = "") -> str:
    return (
        f"{first:>15} {'steps':>9} {'wall s':>8} {'steps/s (wall)':>15} "
        f"{'cpu s':>8} {'steps/s (cpu)':>14} {'vs target':>10} {'us/step':>8} {'vs first':>8}"
        + extra
    )


def row(size: int, steps: int, wall: float, cpu: float, base: float) -> str:
    per_step = cpu / steps * 1e6
    return (
        f"{size:>15,} {steps:>9,} {wall:>8.2f} {steps / wall:>15,.0f} {cpu:>8.2f} "
        f"{steps / cpu:>14,.0f} {steps / cpu / TARGET:>9.2f}x {per_step:>8.2f} "
        f"{per_step / base:>7.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--incidents", type=int, default=100_000)
    args = parser.parse_args()
    total = args.incidents

    print(
        f"policy: {len(POLICY.levels)} levels x {POLICY.passes} passes = "
        f"{STEPS_PER_INCIDENT} steps per incident; target {TARGET:,} steps/s; "
        f"best of {args.repeat}"
    )
    print()
    print(f"simulate(), {total:,} incidents, by how many are open at once:")
    print(header("open at once", f" {'full GC after, us/step':>23}"))
    base = 0.0
    sizes = sorted({n for n in (1, 100, 1_000, 10_000) if n < total} | {total})
    for open_at_once in sizes:
        steps, wall, cpu, full = run_simulate(total, open_at_once, args.repeat)
        base = base or cpu / steps * 1e6
        print(row(open_at_once, steps, wall, cpu, base) + f" {full / steps * 1e6:>23.2f}")
    print()
    print(f"step() alone, {total:,} incidents stepped round-robin, no queue, no timeline:")
    print(header("open at once"))
    base = 0.0
    for open_at_once in sizes:
        steps, wall, cpu = run_step_only(total, open_at_once, args.repeat)
        base = base or cpu / steps * 1e6
        print(row(open_at_once, steps, wall, cpu, base))
    print()
    print("simulate()'s timer queue (FIFO buckets by delay) and a binary heap (heapq):")
    print("one pop and one push, by pending timers")
    print(f"{'pending timers':>15} {'queue us':>9} {'vs first':>8} {'heapq us':>9} {'vs first':>8}")
    first = first_heap = 0.0
    for pending in sizes:
        cost = min(queue_cost(pending) for _ in range(args.repeat))
        heap = min(heap_cost(pending) for _ in range(args.repeat))
        first, first_heap = first or cost, first_heap or heap
        ratios = f"{cost / first:>7.2f}x {heap:>9.2f} {heap / first_heap:>7.2f}x"
        print(f"{pending:>15,} {cost:>9.2f} {ratios}")


if __name__ == "__main__":
    main()
