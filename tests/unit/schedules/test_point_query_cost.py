"""E27 on the integer internals: a point query's work does not grow with the anchor.

Point queries resolve wall times through ``tocsin._zonetable``.  Counting what they ask
of the zone table shows the cost: outside a fold none at all (the answer is wall-clock
arithmetic), in a fold a handful, and never a table chunk for the years between the
anchor and the query.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from tocsin import _zonetable
from tocsin._zonetable import ZoneTable
from tocsin.schedules import Layer, Turn, _layer, _restriction, _turn

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType

NY = ZoneInfo("America/New_York")
USERS = ("a", "b", "c", "d", "e", "f", "g")
ANCHORS = (datetime(2000, 1, 3, 9, tzinfo=NY), datetime(2026, 7, 6, 9, tzinfo=NY))
TURNS = (Turn.hours(1), Turn.days(1), Turn.weeks(1), Turn.months(1))


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"resolve": 0, "chunks": 0}

    def counting(name: str, what: str) -> None:
        original: Callable[..., object] = getattr(ZoneTable, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            counts[what] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(ZoneTable, name, wrapper)

    counting("resolve_span", "resolve")
    counting("resolve_datetime", "resolve")
    counting("_build", "chunks")
    return counts


@pytest.mark.parametrize("anchor", ANCHORS)
@pytest.mark.parametrize("turn", TURNS, ids=repr)
def test_e27_point_queries_resolve_nothing_whatever_the_anchor(
    calls: dict[str, int], anchor: datetime, turn: Turn
) -> None:
    layer = Layer("w", USERS, anchor, turn, NY)
    layer.on_call_at(datetime(2026, 7, 13, 9, 30, tzinfo=NY))  # tables warm
    calls.update(resolve=0, chunks=0)
    assert layer.on_call_at(datetime(2026, 7, 14, 9, 30, tzinfo=NY)) is not None
    assert calls == {"resolve": 0, "chunks": 0}


@pytest.mark.parametrize("anchor", ANCHORS)
@pytest.mark.parametrize("turn", TURNS, ids=repr)
def test_e27_a_query_in_the_fold_resolves_a_handful_whatever_the_anchor(
    calls: dict[str, int], anchor: datetime, turn: Turn
) -> None:
    layer = Layer("w", USERS, anchor, turn, NY)
    calls.update(resolve=0, chunks=0)
    # 01:30 EST on 2026-11-01, the second 01:30 of the night.
    assert layer.on_call_at(datetime(2026, 11, 1, 6, 30, tzinfo=UTC)) is not None
    assert calls["resolve"] <= 4  # the turn's two ends, and a step or two
    # At most the query's chunk (and its neighbour), never the years since the anchor.
    assert calls["chunks"] <= 2


# -- the grid's own work ------------------------------------------------------------------
#
# Counting zone-table calls says nothing about the grid's arithmetic: a floor() that
# walked turn by turn from the anchor would resolve nothing and still pass the tests
# above.  These trace every line the schedule internals execute during one query and
# require the same small count whether the anchor is 26 years back, this week, or 64
# years ahead: a walk from the anchor costs hundreds to hundreds of thousands of lines.

#: Anchors on a Monday at 09:00 in New York, the months' days aligned (3, 6, 3), so the
#: three grids do exactly the same work for the same query.
SPREAD = (
    datetime(2000, 1, 3, 9, tzinfo=NY),
    datetime(2026, 7, 6, 9, tzinfo=NY),
    datetime(2090, 7, 3, 9, tzinfo=NY),
)
ALL_TURNS = (*TURNS, Turn.elapsed(timedelta(hours=7)))
#: Lines the internals may execute for one point query (17 to 118 today) and for a
#: one-day render (97 to 753 today: an hourly grid hands off 24 times a day).
MOST_LINES = {"point": 200, "render": 1200}
INTERNALS = frozenset(
    module.__file__
    for module in (_turn, _layer, _restriction, _zonetable)
    if module.__file__ is not None
)


def traced(query: Callable[[], object]) -> Counter[str]:
    """Lines executed, and calls made, in the schedule internals while ``query`` runs."""
    counts: Counter[str] = Counter()

    def lines(_frame: FrameType, event: str, _arg: object) -> object:
        if event == "line":
            counts["lines"] += 1
        return lines

    def calls(frame: FrameType, event: str, _arg: object) -> object:
        if event != "call" or frame.f_code.co_filename not in INTERNALS:
            return None
        counts[frame.f_code.co_name] += 1
        return lines

    previous = sys.gettrace()
    sys.settrace(calls)  # type: ignore[arg-type]
    try:
        query()
    finally:
        sys.settrace(previous)
    return counts


def work(turn: Turn, query: Callable[[Layer], object]) -> list[Counter[str]]:
    found = []
    for anchor in SPREAD:
        layer = Layer("w", USERS, anchor, turn, NY)
        query(layer)  # tables warm
        found.append(traced(lambda layer=layer: query(layer)))  # type: ignore[misc]
    return found


QUERIES: dict[str, Callable[[Layer], object]] = {
    "on_call_at": lambda layer: layer.on_call_at(datetime(2026, 7, 14, 9, 30, tzinfo=NY)),
    "turn_index": lambda layer: layer.turn_index(datetime(2026, 7, 14, 9, 30, tzinfo=NY)),
    # 01:30 EST on 2026-11-01, the second 01:30 of the night: the exact path.
    "in_the_fold": lambda layer: layer.on_call_at(datetime(2026, 11, 1, 6, 30, tzinfo=UTC)),
    "a_one_day_render": lambda layer: list(
        layer.shifts(
            datetime(2026, 7, 14, 9, 30, tzinfo=NY), datetime(2026, 7, 15, 9, 30, tzinfo=NY)
        )
    ),
}


@pytest.mark.parametrize("query", list(QUERIES))
@pytest.mark.parametrize("turn", ALL_TURNS, ids=repr)
def test_e27_the_grid_does_the_same_small_work_whatever_the_anchor(turn: Turn, query: str) -> None:
    counts = work(turn, QUERIES[query])
    kind = "render" if query == "a_one_day_render" else "point"
    lines = [count["lines"] for count in counts]
    assert max(lines) <= MOST_LINES[kind], lines
    # The same steps for each anchor: every line, every handoff, every month computed
    # (today the counts are equal; a few lines of slack for a branch on the calendar).
    for key in {key for count in counts for key in count}:
        seen = [count[key] for count in counts]
        assert max(seen) - min(seen) <= (4 if key == "lines" else 1), (key, seen)
    if kind == "point":
        for count in counts:
            assert count["handoff"] <= 4, count
            assert count["_month_wall"] <= 6, count
