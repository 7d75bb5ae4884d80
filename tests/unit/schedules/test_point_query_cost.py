"""E27 on the integer internals: a point query's work does not grow with the anchor.

Point queries resolve wall times through ``tocsin._zonetable``.  Counting what they ask
of the zone table shows the cost: outside a fold none at all (the answer is wall-clock
arithmetic), in a fold a handful, and never a table chunk for the years between the
anchor and the query.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from tocsin._zonetable import ZoneTable
from tocsin.schedules import Layer, Turn

if TYPE_CHECKING:
    from collections.abc import Callable

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
