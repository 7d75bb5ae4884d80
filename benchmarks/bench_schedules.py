"""Schedules: tocsin beside recurring-ical-events, dateutil.rrule and a minimal zoneinfo loop.

Scenarios (issue 2), every contender computing the same answer from the same inputs:

(a) render an 8-person weekly rotation restricted to weekdays 09:00-17:00
    America/New_York, over 1 and over 10 years;
(b) render a 3-region follow-the-sun schedule (Sydney 09-17, London 06-14, New York
    09-17 local, 3 people each rotating weekly) over a year: the final schedule, where
    the later region wins an overlap;
(c) random ``on_call_at`` queries on (b).

recurring-ical-events (with icalendar) is how Grafana OnCall renders: one recurring
event per person, ``INTERVAL`` = the number of people.  dateutil.rrule gets the same
rules.  The minimal loop is hand-written for these exact scenarios with zoneinfo, the
fastest thing a user could write.  Peers that produce raw events for (b) run the same
small overlap resolver, so every contender returns the same final schedule; the script
checks that they agree before it prints a number.

Run with ``make bench`` (or ``PYTHONTZPATH="" .venv/bin/python benchmarks/bench_schedules.py``).
``--quick`` shortens the runs.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from dateutil import rrule

from tocsin.schedules import Layer, Region, Restriction, Schedule, Turn, follow_the_sun

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

NY = ZoneInfo("America/New_York")
#: (user, UTC start, UTC end): the one shape every contender's answer is turned into.
Row = tuple[str, datetime, datetime]

# -- scenario (a) --------------------------------------------------------------------------

A_USERS = [f"user{i}" for i in range(8)]
A_ANCHOR = date(2026, 1, 5)  # a Monday
WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR)


def a_tocsin() -> Schedule:
    layer = Layer(
        "weekdays",
        A_USERS,
        datetime.combine(A_ANCHOR, time(9), tzinfo=NY),
        Turn.weeks(1),
        NY,
        restrictions=[Restriction.weekly(day, time(9), timedelta(hours=8)) for day in range(1, 6)],
    )
    return Schedule("a", [layer], tz=NY)


def a_ical() -> icalendar.Calendar:
    cal = icalendar.Calendar()
    for index, user in enumerate(A_USERS):
        first = datetime.combine(A_ANCHOR + timedelta(weeks=index), time(9), tzinfo=NY)
        event = icalendar.Event()
        event.add("uid", f"{user}@bench")
        event.add("summary", user)
        event.add("dtstart", first)
        event.add("dtend", first.replace(hour=17))
        event.add(
            "rrule",
            {"freq": "weekly", "interval": len(A_USERS), "byday": ["MO", "TU", "WE", "TH", "FR"]},
        )
        cal.add_component(event)
    return cal


def a_rrules() -> list[tuple[str, rrule.rrule]]:
    rules = []
    for index, user in enumerate(A_USERS):
        first = datetime.combine(A_ANCHOR + timedelta(weeks=index), time(9), tzinfo=NY)
        rules.append(
            (
                user,
                rrule.rrule(rrule.WEEKLY, interval=len(A_USERS), byweekday=WEEKDAYS, dtstart=first),
            )
        )
    return rules


def a_minimal(first: date, days: int) -> Iterator[Row]:
    """The fastest hand-written loop for (a): one window per weekday, user by week."""
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day.weekday() < 5:
            user = A_USERS[((day - A_ANCHOR).days // 7) % 8]
            start = datetime.combine(day, time(9), tzinfo=NY)
            end = datetime.combine(day, time(17), tzinfo=NY)
            yield user, start, end


# -- scenario (b) --------------------------------------------------------------------------

B_REGIONS = (
    # name, zone, start hour, end hour, people; later regions win overlaps
    ("APAC", ZoneInfo("Australia/Sydney"), 9, 17, ("ana", "ali", "ari")),
    ("EMEA", ZoneInfo("Europe/London"), 6, 14, ("eve", "eli", "ema")),
    ("AMER", NY, 9, 17, ("amy", "abe", "ava")),
)
B_ANCHOR = date(2026, 1, 5)
# Recurrence rules only run forwards from DTSTART (tocsin's turns extend backwards from
# the anchor too): start the peers' rules two whole cycles earlier, same phase.
B_RULES_FROM = B_ANCHOR - timedelta(weeks=6)


def b_tocsin() -> Schedule:
    regions = [
        Region(
            name,
            tz,
            time(start),
            time(end),
            users,
            anchor=datetime.combine(B_ANCHOR, time(start), tzinfo=tz),
        )
        for name, tz, start, end, users in B_REGIONS
    ]
    return follow_the_sun("b", regions)


def b_ical() -> icalendar.Calendar:
    cal = icalendar.Calendar()
    for name, tz, start, end, users in B_REGIONS:
        for index, user in enumerate(users):
            first = datetime.combine(B_RULES_FROM + timedelta(weeks=index), time(start), tzinfo=tz)
            event = icalendar.Event()
            event.add("uid", f"{name}-{user}@bench")
            event.add("summary", user)
            event.add("categories", [name])
            event.add("dtstart", first)
            event.add("dtend", first.replace(hour=end))
            byday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
            event.add("rrule", {"freq": "weekly", "interval": len(users), "byday": byday})
            cal.add_component(event)
    return cal


def b_rrules() -> list[tuple[int, str, int, rrule.rrule]]:
    """(priority, user, hours, rule) for every person."""
    rules = []
    for priority, (_, tz, start, end, users) in enumerate(B_REGIONS):
        for index, user in enumerate(users):
            first = datetime.combine(B_RULES_FROM + timedelta(weeks=index), time(start), tzinfo=tz)
            days = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
            rule = rrule.rrule(rrule.WEEKLY, interval=len(users), byweekday=days, dtstart=first)
            rules.append((priority, user, end - start, rule))
    return rules


Event = tuple[datetime, datetime, int, str]  # UTC start, UTC end, priority, user


def resolve(events: list[Event]) -> list[Row]:
    """The final schedule from raw regional events: the highest priority wins, merged.

    The same few lines for every peer: what a user of a calendar library must add.
    """
    events.sort()
    points = sorted({e[0] for e in events} | {e[1] for e in events})
    out: list[list[object]] = []
    active: list[Event] = []
    i = 0
    for a, b in itertools.pairwise(points):
        while i < len(events) and events[i][0] <= a:
            active.append(events[i])
            i += 1
        active = [e for e in active if e[1] > a]
        if active:
            top = max(active, key=lambda e: e[2])
            if out and out[-1][0] == top[3] and out[-1][2] == a:
                out[-1][2] = b
            else:
                out.append([top[3], a, b])
    return [(str(u), s, e) for u, s, e in out]  # type: ignore[misc]


def b_minimal_events(first: date, days: int) -> list[Event]:
    events: list[Event] = []
    for priority, (_, tz, start, end, users) in enumerate(B_REGIONS):
        for offset in range(-1, days + 1):
            day = first + timedelta(days=offset)
            user = users[((day - B_ANCHOR).days // 7) % len(users)]
            s = datetime.combine(day, time(start), tzinfo=tz).astimezone(UTC)
            e = datetime.combine(day, time(end), tzinfo=tz).astimezone(UTC)
            events.append((s, e, priority, user))
    return events


def clip(rows: Iterable[Row], lo: datetime, hi: datetime) -> list[Row]:
    return [(u, max(s, lo), min(e, hi)) for u, s, e in rows if e > lo and s < hi]


def b_minimal_at(at: datetime) -> str | None:
    """The fastest hand-written point query for (b): arithmetic, later regions first."""
    for _, tz, start, end, users in reversed(B_REGIONS):
        local = at.astimezone(tz).date()
        for day in (local, local - timedelta(days=1)):
            s = datetime.combine(day, time(start), tzinfo=tz)
            e = datetime.combine(day, time(end), tzinfo=tz)
            if s <= at < e:
                return users[((day - B_ANCHOR).days // 7) % len(users)]
    return None


# -- measuring -----------------------------------------------------------------------------


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        started = clock.perf_counter()
        func()
        times.append(clock.perf_counter() - started)
    return min(times)


def utc_rows(rows: Iterable[tuple[str, datetime, datetime]]) -> list[Row]:
    return sorted((u, s.astimezone(UTC), e.astimezone(UTC)) for u, s, e in rows)


def line(label: str, seconds: float, base: float, unit: str = "") -> str:
    ratio = seconds / base
    return f"  {label:<38} {seconds * 1e3:>11.2f} ms{unit}  {ratio:>9.1f}x"


def render_a(years: int, repeat: int) -> dict[str, float]:
    lo = datetime.combine(A_ANCHOR, time(0), tzinfo=NY)
    hi = datetime.combine(A_ANCHOR.replace(year=A_ANCHOR.year + years), time(0), tzinfo=NY)
    cal, rules = a_ical(), a_rrules()
    days = (hi.date() - lo.date()).days

    def with_tocsin() -> list[Row]:
        # A fresh schedule each run: tocsin memoises resolved handoffs and windows, and a
        # warm memo would flatter the render.
        return [(s.user, s.start, s.end) for s in a_tocsin().shifts(lo, hi)]

    def with_ical() -> list[Row]:
        events = recurring_ical_events.of(cal).between(lo, hi)
        return [(str(e["SUMMARY"]), e["DTSTART"].dt, e["DTEND"].dt) for e in events]

    def with_rrule() -> list[Row]:
        rows: list[Row] = []
        for user, rule in rules:
            rows.extend((user, s, s.replace(hour=17)) for s in rule.between(lo, hi, inc=True))
        return rows

    def with_minimal() -> list[Row]:
        return list(a_minimal(lo.date(), days))

    expected = utc_rows(with_tocsin())
    for peer in (with_ical, with_rrule, with_minimal):
        assert utc_rows(peer()) == expected, peer.__name__
    return {
        "tocsin": best_of(repeat, with_tocsin),
        "recurring-ical-events": best_of(max(1, repeat // 3), with_ical),
        "dateutil.rrule": best_of(repeat, with_rrule),
        "minimal zoneinfo loop": best_of(repeat, with_minimal),
        "shifts": len(expected),
    }


def render_b(repeat: int) -> dict[str, float]:
    lo = datetime(2026, 1, 1, tzinfo=UTC)
    hi = datetime(2027, 1, 1, tzinfo=UTC)
    cal, rules = b_ical(), b_rrules()
    priority = {name: index for index, (name, *_) in enumerate(B_REGIONS)}

    def with_tocsin() -> list[Row]:
        return [(s.user, s.start, s.end) for s in b_tocsin().shifts(lo, hi)]  # fresh, cold

    def with_ical() -> list[Row]:
        events: list[Event] = []
        for e in recurring_ical_events.of(cal).between(lo - timedelta(days=1), hi):
            region = str(e["CATEGORIES"].cats[0])
            start, end = e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC)
            events.append((start, end, priority[region], str(e["SUMMARY"])))
        return clip(resolve(events), lo, hi)

    def with_rrule() -> list[Row]:
        events: list[Event] = []
        for rank, user, hours, rule in rules:
            for s in rule.between(lo - timedelta(days=1), hi, inc=True):
                end = s.replace(hour=s.hour + hours)
                events.append((s.astimezone(UTC), end.astimezone(UTC), rank, user))
        return clip(resolve(events), lo, hi)

    def with_minimal() -> list[Row]:
        days = (hi - lo).days
        return clip(resolve(b_minimal_events(lo.date(), days)), lo, hi)

    expected = utc_rows(with_tocsin())
    for peer in (with_ical, with_rrule, with_minimal):
        assert utc_rows(peer()) == expected, peer.__name__
    return {
        "tocsin": best_of(repeat, with_tocsin),
        "recurring-ical-events": best_of(max(1, repeat // 3), with_ical),
        "dateutil.rrule": best_of(repeat, with_rrule),
        "minimal zoneinfo loop": best_of(repeat, with_minimal),
        "shifts": len(expected),
    }


def point_queries(count: int, peer_count: int, repeat: int) -> dict[str, float]:
    """Seconds *per query* for each contender."""
    rng = random.Random(2026)
    lo = datetime(2026, 1, 1, tzinfo=UTC)
    span = (datetime(2027, 1, 1, tzinfo=UTC) - lo) // timedelta(microseconds=1)
    queries = [lo + timedelta(microseconds=rng.randrange(span)) for _ in range(count)]
    sample = queries[:peer_count]
    schedule, cal, rules = b_tocsin(), b_ical(), b_rrules()
    priority = {name: index for index, (name, *_) in enumerate(B_REGIONS)}
    calendar = recurring_ical_events.of(cal)

    def ical_at(at: datetime) -> str | None:
        found = [
            (priority[str(e["CATEGORIES"].cats[0])], str(e["SUMMARY"]))
            for e in calendar.at(at)
            if e["DTSTART"].dt <= at < e["DTEND"].dt  # at() is inclusive at both ends
        ]
        return max(found)[1] if found else None

    def rrule_at(at: datetime) -> str | None:
        best: tuple[int, str] | None = None
        for rank, user, hours, rule in rules:
            start = rule.before(at, inc=True)
            if start is not None and at < start.replace(hour=start.hour + hours):
                best = max(best, (rank, user)) if best else (rank, user)
        return None if best is None else best[1]

    answers = [schedule.on_call_at(at) for at in queries]
    assert answers == [b_minimal_at(at) for at in queries]
    assert answers[:peer_count] == [ical_at(at) for at in sample]
    assert answers[:peer_count] == [rrule_at(at) for at in sample]

    def run(func: Callable[[datetime], object], items: list[datetime]) -> Callable[[], None]:
        def go() -> None:
            for at in items:
                func(at)

        return go

    def cold() -> None:
        # A fresh schedule: the first queries resolve each handoff and window once.
        fresh = b_tocsin()
        for at in sample:
            fresh.on_call_at(at)

    return {
        "tocsin": best_of(repeat, run(schedule.on_call_at, queries)) / count,
        "tocsin, first queries on a fresh schedule": best_of(repeat, cold) / peer_count,
        "recurring-ical-events at()": best_of(1, run(ical_at, sample)) / peer_count,
        "dateutil.rrule before()": best_of(1, run(rrule_at, sample)) / peer_count,
        "minimal zoneinfo loop": best_of(repeat, run(b_minimal_at, queries)) / count,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repeats and queries")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 7
    queries, peer_queries = (10_000, 200) if args.quick else (100_000, 2_000)
    out = sys.stdout
    out.write(f"Python {sys.version.split()[0]}; best of {repeat} runs; ratio = time / tocsin's\n")
    for years in (1, 10):
        results = render_a(years, repeat)
        base = results["tocsin"]
        out.write(
            f"\n(a) weekly rotation, weekdays 09-17 New York, {years} year(s): "
            f"{int(results['shifts'])} shifts\n"
        )
        for name in ("tocsin", "recurring-ical-events", "dateutil.rrule", "minimal zoneinfo loop"):
            out.write(line(name, results[name], base) + "\n")
    results = render_b(repeat)
    base = results["tocsin"]
    out.write(
        f"\n(b) follow-the-sun Sydney/London/New York, 2026: {int(results['shifts'])} shifts\n"
    )
    for name in ("tocsin", "recurring-ical-events", "dateutil.rrule", "minimal zoneinfo loop"):
        out.write(line(name, results[name], base) + "\n")
    per_query = point_queries(queries, peer_queries, repeat)
    base = per_query["tocsin"]
    out.write(
        f"\n(c) on_call_at on (b): {queries:,} random instants in 2026 "
        f"(peers: the first {peer_queries:,}); time per query\n"
    )
    for name, seconds in per_query.items():
        out.write(f"  {name:<38} {seconds * 1e6:>11.2f} us  {seconds / base:>9.1f}x\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
