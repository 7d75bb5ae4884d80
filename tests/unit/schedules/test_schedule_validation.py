"""Bad input raises a typed tocsin error naming the field, for every public constructor."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidInput, NaiveDatetimeError, TocsinError, UnknownZoneError
from tocsin.schedules import (
    CoverageReport,
    Layer,
    Override,
    Region,
    Restriction,
    Schedule,
    Shift,
    Turn,
    TurnUnit,
    parse_weekday,
)
from tocsin.time import Interval

if TYPE_CHECKING:
    from collections.abc import Callable

NY = ZoneInfo("America/New_York")
ANCHOR = datetime(2026, 6, 1, 9, tzinfo=NY)
NOON = datetime(2026, 6, 1, 12, tzinfo=NY)
LAYER = Layer("primary", ("a", "b"), ANCHOR, Turn.days(1), NY)
SCHEDULE = Schedule("s", [LAYER])


def layer(**changes: object) -> Layer:
    fields: dict[str, object] = {
        "name": "primary",
        "users": ("a", "b"),
        "anchor": ANCHOR,
        "turn": Turn.days(1),
        "tz": NY,
    }
    fields.update(changes)
    return Layer(**fields)  # type: ignore[arg-type]


CASES: list[tuple[str, Callable[[], object], type[InvalidInput], str]] = [
    # Turns
    ("hours zero", lambda: Turn.hours(0), InvalidInput, "turn.hours"),
    ("days negative", lambda: Turn.days(-1), InvalidInput, "turn.days"),
    ("weeks bool", lambda: Turn.weeks(True), InvalidInput, "turn.weeks"),  # noqa: FBT003
    ("months float", lambda: Turn.months(1.5), InvalidInput, "turn.months"),  # type: ignore[arg-type]
    ("elapsed zero", lambda: Turn.elapsed(timedelta(0)), InvalidInput, "turn.elapsed"),
    ("elapsed int", lambda: Turn.elapsed(3600), InvalidInput, "turn.elapsed"),  # type: ignore[arg-type]
    ("unit str", lambda: Turn("hours", 1), InvalidInput, "turn.unit"),  # type: ignore[arg-type]
    ("elapsed no length", lambda: Turn(TurnUnit.ELAPSED), InvalidInput, "turn.length"),
    ("elapsed count", lambda: Turn(TurnUnit.ELAPSED, 2, timedelta(1)), InvalidInput, "turn.count"),
    ("hours length", lambda: Turn(TurnUnit.HOURS, 1, timedelta(1)), InvalidInput, "turn.length"),
    # Restrictions
    (
        "aware start",
        lambda: Restriction.daily(time(9, tzinfo=UTC), timedelta(hours=1)),
        InvalidInput,
        "start",
    ),
    (
        "fold start",
        lambda: Restriction.daily(time(1, 30, fold=1), timedelta(hours=1)),
        InvalidInput,
        "start",
    ),
    ("str start", lambda: Restriction.daily("09:00", timedelta(hours=1)), InvalidInput, "start"),  # type: ignore[arg-type]
    ("zero duration", lambda: Restriction.daily(time(9), timedelta(0)), InvalidInput, "duration"),
    ("int duration", lambda: Restriction.daily(time(9), 3600), InvalidInput, "duration"),  # type: ignore[arg-type]
    (
        "daily too long",
        lambda: Restriction.daily(time(9), timedelta(hours=24, seconds=1)),
        InvalidInput,
        "duration",
    ),
    (
        "weekly too long",
        lambda: Restriction.weekly(1, time(9), timedelta(days=8)),
        InvalidInput,
        "duration",
    ),
    ("day zero", lambda: Restriction.weekly(0, time(9), timedelta(hours=1)), InvalidInput, "day"),
    ("day eight", lambda: Restriction.weekly(8, time(9), timedelta(hours=1)), InvalidInput, "day"),
    (
        "day name",
        lambda: Restriction.weekly("funday", time(9), timedelta(hours=1)),
        InvalidInput,
        "day",
    ),
    (
        "day bool",
        lambda: Restriction.weekly(True, time(9), timedelta(hours=1)),  # noqa: FBT003
        InvalidInput,
        "day",
    ),
    # Layers
    ("empty name", lambda: layer(name=""), InvalidInput, "name"),
    ("empty users", lambda: layer(users=()), InvalidInput, "users"),
    ("users as a string", lambda: layer(users="alice"), InvalidInput, "users"),
    ("empty user id", lambda: layer(users=("a", "")), InvalidInput, "users[1]"),
    ("user not a string", lambda: layer(users=("a", 7)), InvalidInput, "users[1]"),
    ("only empty turns", lambda: layer(users=(None, None)), InvalidInput, "users"),
    ("naive anchor", lambda: layer(anchor=datetime(2026, 6, 1)), NaiveDatetimeError, "anchor"),
    ("turn not a Turn", lambda: layer(turn="weekly"), InvalidInput, "turn"),
    ("unknown zone", lambda: layer(tz="Mars/Olympus_Mons"), UnknownZoneError, "tz"),
    (
        "restriction not a Restriction",
        lambda: layer(restrictions=[1]),
        InvalidInput,
        "restrictions[0]",
    ),
    ("restrictions not a sequence", lambda: layer(restrictions=1), InvalidInput, "restrictions"),
    ("naive start", lambda: layer(start=datetime(2026, 6, 1)), NaiveDatetimeError, "start"),
    ("naive end", lambda: layer(end=datetime(2026, 6, 1)), NaiveDatetimeError, "end"),
    ("end before start", lambda: layer(start=NOON, end=ANCHOR), InvalidInput, "end"),
    ("end at start", lambda: layer(start=NOON, end=NOON), InvalidInput, "end"),
    ("position out of range", lambda: layer(position=2), InvalidInput, "position"),
    ("position negative", lambda: layer(position=-1), InvalidInput, "position"),
    ("position not an int", lambda: layer(position="0"), InvalidInput, "position"),
    # Overrides
    (
        "override naive start",
        lambda: Override("c", datetime(2026, 6, 1), NOON),
        NaiveDatetimeError,
        "start",
    ),
    (
        "override naive end",
        lambda: Override("c", ANCHOR, datetime(2026, 6, 1)),
        NaiveDatetimeError,
        "end",
    ),
    ("override inverted", lambda: Override("c", NOON, ANCHOR), InvalidInput, "end"),
    ("override empty user", lambda: Override("", ANCHOR, NOON), InvalidInput, "user"),
    # Schedules
    ("schedule name", lambda: Schedule("", [LAYER]), InvalidInput, "name"),
    ("layer not a Layer", lambda: Schedule("s", ["primary"]), InvalidInput, "layers[0]"),
    ("layers not a sequence", lambda: Schedule("s", "primary"), InvalidInput, "layers"),
    (
        "duplicate layer names",
        lambda: Schedule("s", [LAYER, LAYER]),
        InvalidInput,
        "layers[1].name",
    ),
    ("override not an Override", lambda: Schedule("s", [LAYER], [1]), InvalidInput, "overrides[0]"),
    ("schedule zone", lambda: Schedule("s", [LAYER], tz="Nowhere/Land"), UnknownZoneError, "tz"),
    # Queries
    ("naive query", lambda: SCHEDULE.on_call_at(datetime(2026, 6, 1)), NaiveDatetimeError, "at"),
    ("naive layer query", lambda: LAYER.on_call_at(datetime(2026, 6, 1)), NaiveDatetimeError, "at"),
    ("inverted render", lambda: list(SCHEDULE.shifts(NOON, ANCHOR)), InvalidInput, "end"),
    ("inverted layer render", lambda: list(LAYER.shifts(NOON, ANCHOR)), InvalidInput, "end"),
    ("inverted gaps", lambda: list(SCHEDULE.gaps(NOON, ANCHOR)), InvalidInput, "end"),
    (
        "naive render",
        lambda: SCHEDULE.shifts(datetime(2026, 6, 1), NOON),
        NaiveDatetimeError,
        "start",
    ),
    ("empty coverage window", lambda: SCHEDULE.coverage(NOON, NOON), InvalidInput, "end"),
    ("negative count", lambda: SCHEDULE.next_shifts("a", NOON, -1), InvalidInput, "n"),
    (
        "zero horizon",
        lambda: SCHEDULE.next_shifts("a", NOON, 1, within=timedelta(0)),
        InvalidInput,
        "within",
    ),
    ("empty user", lambda: SCHEDULE.next_shifts("", NOON, 1), InvalidInput, "user"),
    (
        "naive after",
        lambda: SCHEDULE.next_shifts("a", datetime(2026, 6, 1), 1),
        NaiveDatetimeError,
        "after",
    ),
    (
        "naive reanchor",
        lambda: LAYER.reanchored(["a"], datetime(2026, 6, 1)),
        NaiveDatetimeError,
        "at",
    ),
    ("reanchor to nobody", lambda: LAYER.reanchored([], NOON), InvalidInput, "users"),
    # Follow-the-sun
    (
        "region start",
        lambda: Region("r", NY, "09:00", time(17), ["a"], anchor=ANCHOR),
        InvalidInput,
        "start",
    ),
    (
        "region end",
        lambda: Region("r", NY, time(9), time(17, tzinfo=UTC), ["a"], anchor=ANCHOR),
        InvalidInput,
        "end",
    ),
    (
        "region day",
        lambda: Region("r", NY, time(9), time(17), ["a"], anchor=ANCHOR, days=["x"]),
        InvalidInput,
        "days[0]",
    ),
    (
        "region days str",
        lambda: Region("r", NY, time(9), time(17), ["a"], anchor=ANCHOR, days="mon"),
        InvalidInput,
        "days",
    ),
    (
        "region users str",
        lambda: Region("r", NY, time(9), time(17), "a", anchor=ANCHOR),
        InvalidInput,
        "users",
    ),
    (
        "region naive anchor",
        lambda: Region("r", NY, time(9), time(17), ["a"], anchor=datetime(2026, 1, 1)),
        NaiveDatetimeError,
        "anchor",
    ),
    (
        "region zone",
        lambda: Region("r", "Mars/Base", time(9), time(17), ["a"], anchor=ANCHOR),
        UnknownZoneError,
        "tz",
    ),
    # A set has no order, and here order decides who is on call (rotation order, layer
    # precedence, the override that wins): refused, never iterated in hash order.
    ("users set", lambda: layer(users={"a", "b"}), InvalidInput, "users"),
    ("users frozenset", lambda: layer(users=frozenset({"a", "b"})), InvalidInput, "users"),
    (
        "reanchored users set",
        lambda: LAYER.reanchored({"a", "b"}, NOON),
        InvalidInput,
        "users",
    ),
    (
        "layers set",
        lambda: Schedule("s", {LAYER, layer(name="other")}),
        InvalidInput,
        "layers",
    ),
    # Output values and building blocks check their input too.
    ("shift sources int", lambda: Shift("a", ANCHOR, NOON, sources=5), InvalidInput, "sources"),
    ("shift sources str", lambda: Shift("a", ANCHOR, NOON, sources="ab"), InvalidInput, "sources"),
    (
        "shift sources item",
        lambda: Shift("a", ANCHOR, NOON, sources=[LAYER, "x"]),
        InvalidInput,
        "sources[1]",
    ),
    ("report window", lambda: CoverageReport(5, gaps=[], overlaps=[]), InvalidInput, "window"),
    (
        "report gaps",
        lambda: CoverageReport(Interval(ANCHOR, NOON), gaps=5, overlaps=[]),  # type: ignore[arg-type]
        InvalidInput,
        "gaps",
    ),
    (
        "report gap item",
        lambda: CoverageReport(Interval(ANCHOR, NOON), gaps=[(ANCHOR, NOON)], overlaps=[]),  # type: ignore[list-item]
        InvalidInput,
        "gaps[0]",
    ),
    (
        "report overlap item",
        lambda: CoverageReport(Interval(ANCHOR, NOON), gaps=[], overlaps=[1]),  # type: ignore[list-item]
        InvalidInput,
        "overlaps[0]",
    ),
    ("owner str", lambda: LAYER.owner("1"), InvalidInput, "k"),  # type: ignore[arg-type]
    ("owner float", lambda: LAYER.owner(1.5), InvalidInput, "k"),  # type: ignore[arg-type]
    (
        "windows inverted",
        lambda: list(Restriction.daily(time(9), timedelta(hours=1)).windows(NOON, ANCHOR, NY)),
        InvalidInput,
        "end",
    ),
    ("segments inverted", lambda: list(LAYER.segments(NOON, ANCHOR)), InvalidInput, "hi"),
    ("pieces inverted", lambda: list(SCHEDULE.pieces(NOON, ANCHOR)), InvalidInput, "hi"),
    (
        "overrides set",
        lambda: Schedule("s", [LAYER], {Override("x", ANCHOR, NOON), Override("y", ANCHOR, NOON)}),
        InvalidInput,
        "overrides",
    ),
]


@pytest.mark.parametrize(
    ("make", "error", "field"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_bad_input_is_a_typed_error_naming_the_field(
    make: Callable[[], object], error: type[InvalidInput], field: str
) -> None:
    with pytest.raises(error) as info:
        make()
    assert info.value.field == field
    assert isinstance(info.value, TocsinError)
    assert isinstance(info.value, ValueError)


def test_weekday_names_and_numbers() -> None:
    assert [parse_weekday(day) for day in ("Monday", "tue", " WED ", "thurs", "fri", "sat", 7)] == [
        1,
        2,
        3,
        4,
        5,
        6,
        7,
    ]
    assert Restriction.weekly("sunday", time(9), timedelta(hours=1)).day == 7
    assert Restriction(time(9), timedelta(hours=1), day="mon").day == 1
