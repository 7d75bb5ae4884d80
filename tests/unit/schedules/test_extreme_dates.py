"""Schedules at the ends of ``datetime``'s range, with the longest turns, in any zone.

Handoffs are integers and run past the years 1-9999; a point query anywhere in the
range has an answer; a result no ``datetime`` can hold is an ``InvalidInput`` naming
the field that led there, never an ``OverflowError``, ``ValueError`` or
``RecursionError``.  Expected values are worked out by hand from the zone's offsets
(New York: local mean time -4:56:02 before 1883, EST in December 9999).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tocsin import _zonetable
from tocsin.errors import InvalidInput
from tocsin.schedules import Layer, Restriction, Schedule, Turn, TurnUnit
from tocsin.time import from_wall_clock

NY = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 6, 1, 9, tzinfo=NY)
#: 2026-06-01 to 9999-12-31 and to 0001-01-01, in days.
DAYS_TO_9999 = 2_912_291
DAYS_TO_YEAR_1 = -739_767


def daily(
    tz: ZoneInfo = NY, anchor: datetime = T0, turn: Turn | None = None, name: str = "l"
) -> Layer:
    return Layer(name, ["a", "b"], anchor, turn or Turn.days(1), tz)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# -- point queries anywhere in the range ---------------------------------------------


def test_a_query_in_the_last_hour_of_9999() -> None:
    # 23:00Z is 18:00 EST on Friday 9999-12-31: turn DAYS_TO_9999 (odd) is b's.
    layer = daily()
    at = datetime(9999, 12, 31, 23, tzinfo=UTC)
    assert layer.turn_index(at) == DAYS_TO_9999
    assert layer.on_call_at(at) == "b"
    assert layer.on_call_at(datetime.max.replace(tzinfo=UTC)) == "b"


def test_a_query_on_the_second_day_of_year_1() -> None:
    # 0001-01-02T00:00Z is 19:03:58 LMT on 0001-01-01, after the 09:00 handoff.
    layer = daily()
    at = datetime(1, 1, 2, tzinfo=UTC)
    assert layer.turn_index(at) == DAYS_TO_YEAR_1
    assert layer.on_call_at(at) == "b"
    # 0001-01-01T00:00Z is 0000-12-31 19:03:58: the turn before, a's.
    assert layer.on_call_at(datetime.min.replace(tzinfo=UTC)) == "a"


def test_an_anchor_in_year_1_queried_in_2026() -> None:
    # Handoffs at 07:03:58 local every day (the anchor's reading in local mean time).
    layer = daily(anchor=datetime(1, 1, 1, 12, tzinfo=UTC))
    assert layer.turn_index(T0) == -DAYS_TO_YEAR_1
    assert layer.on_call_at(T0) == "b"
    assert layer.handoff(1) == datetime(1, 1, 2, 12, tzinfo=UTC)


def test_an_anchor_whose_wall_reading_is_in_year_0() -> None:
    # 0001-01-01T02:00Z is 0000-12-31 21:03:58 in New York: monthly handoffs fall on
    # the 31st, clamped, at 21:03:58 LMT (02:00Z the next day) until 1883.
    layer = daily(anchor=datetime(1, 1, 1, 2, tzinfo=UTC), turn=Turn.months(1))
    with pytest.raises(InvalidInput) as info:
        layer.handoff(0)  # its wall reading is in the year 0: no datetime holds it in NY
    assert info.value.field == "k"
    assert utc(layer.handoff(1)) == datetime(1, 2, 1, 2, tzinfo=UTC)  # Jan 31
    assert utc(layer.handoff(2)) == datetime(1, 3, 1, 2, tzinfo=UTC)  # Feb 28, clamped
    assert layer.on_call_at(datetime(1, 1, 15, tzinfo=UTC)) == "a"


def test_an_anchor_in_9999_queried_in_2026() -> None:
    # Anchor wall 9999-12-30 19:00 EST; monthly, so handoffs on the 30th (clamped) at
    # 19:00 local.  2026-06-01 09:00 is in the turn from 2026-05-30 19:00, which is
    # (2026 - 9999) * 12 + (5 - 12) = -95683 months from the anchor: odd, b's.
    layer = daily(anchor=datetime(9999, 12, 31, tzinfo=UTC), turn=Turn.months(1))
    assert layer.turn_index(T0) == -95_683
    assert layer.on_call_at(T0) == "b"
    assert utc(layer.handoff(-95_683)) == datetime(2026, 5, 30, 23, tzinfo=UTC)


# -- renders and handoffs at the ends ------------------------------------------------


def test_a_render_up_to_the_end_of_9999_in_new_york() -> None:
    window = (datetime(9999, 12, 30, tzinfo=UTC), datetime(9999, 12, 31, 23, tzinfo=UTC))
    shifts = [(utc(s.start), utc(s.end), s.user) for s in daily().shifts(*window)]
    assert shifts == [
        (datetime(9999, 12, 30, tzinfo=UTC), datetime(9999, 12, 30, 14, tzinfo=UTC), "b"),
        (datetime(9999, 12, 30, 14, tzinfo=UTC), datetime(9999, 12, 31, 14, tzinfo=UTC), "a"),
        (datetime(9999, 12, 31, 14, tzinfo=UTC), datetime(9999, 12, 31, 23, tzinfo=UTC), "b"),
    ]
    assert list(daily().handoffs(*window)) == [
        datetime(9999, 12, 30, 9, tzinfo=NY),
        datetime(9999, 12, 31, 9, tzinfo=NY),
    ]


def test_a_render_past_the_end_of_9999_in_tokyo_names_the_end() -> None:
    # 9999-12-31T23:00Z is 10000-01-01 08:00 in Tokyo.
    layer = daily(TOKYO, datetime(2026, 6, 1, 9, tzinfo=TOKYO))
    window = (datetime(9999, 12, 30, tzinfo=UTC), datetime(9999, 12, 31, 23, tzinfo=UTC))
    for render in (
        lambda: list(layer.shifts(*window)),
        lambda: list(Schedule("s", [layer], tz=TOKYO).shifts(*window)),
        lambda: list(Schedule("s", [layer, daily(name="m")], tz=TOKYO).shifts(*window)),
        lambda: Schedule("s", [layer], tz=TOKYO).coverage_report(*window),
    ):
        with pytest.raises(InvalidInput) as info:
            render()
        assert info.value.field == "end"
        assert "after the year 9999" in info.value.reason
    # The handoffs themselves (09:00 in Tokyo) are all expressible.
    assert list(layer.handoffs(*window)) == [
        datetime(9999, 12, 30, 9, tzinfo=TOKYO),
        datetime(9999, 12, 31, 9, tzinfo=TOKYO),
    ]
    # In UTC the same render is fine: a from 09:00 Tokyo (00:00Z) on the 30th, then b.
    assert [s.user for s in Schedule("s", [layer]).shifts(*window)] == ["a", "b"]


def test_a_render_from_the_start_of_year_1_in_new_york_names_the_start() -> None:
    # 0001-01-01T03:00Z is 0000-12-31 22:03:58 in New York.
    window = (datetime(1, 1, 1, 3, tzinfo=UTC), datetime(1, 1, 2, tzinfo=UTC))
    nobody = Schedule("s", [daily(anchor=T0, turn=Turn.days(1))], tz=NY)
    for render in (
        lambda: list(daily().shifts(*window)),
        lambda: list(nobody.shifts(*window)),
        lambda: list(Schedule("s", [], tz=NY).gaps(*window)),
    ):
        with pytest.raises(InvalidInput) as info:
            render()
        assert info.value.field == "start"


def test_handoffs_datetime_cannot_hold_name_k() -> None:
    layer = daily()
    assert utc(layer.handoff(DAYS_TO_9999)) == datetime(9999, 12, 31, 14, tzinfo=UTC)
    for k in (DAYS_TO_9999 + 1, 10**9, -(10**9), 10**30):
        with pytest.raises(InvalidInput) as info:
            layer.handoff(k)
        assert info.value.field == "k"
    for bad in ("1", 1.0, True, None):
        with pytest.raises(InvalidInput) as info:
            layer.handoff(bad)  # type: ignore[arg-type]
        assert info.value.field == "k"


def test_restriction_windows_past_9999_name_the_end() -> None:
    # Friday 9999-12-31 18:00 EST + 64 h ends on 10000-01-03.
    weekend = Restriction.weekly("fri", time(18), timedelta(hours=64))
    window = (datetime(9999, 12, 31, 12, tzinfo=UTC), datetime(9999, 12, 31, 23, 30, tzinfo=UTC))
    with pytest.raises(InvalidInput) as info:
        list(weekend.windows(*window, NY))
    assert info.value.field == "end"
    # Restricted layers render up to the window's end all the same.
    layer = Layer("w", ["a"], T0, Turn.weeks(1), NY, restrictions=[weekend])
    [shift] = layer.shifts(*window)
    assert (utc(shift.start), utc(shift.end)) == (
        datetime(9999, 12, 31, 23, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
    )


def test_next_shifts_stop_at_the_end_of_9999() -> None:
    # b holds the turns from 09:00 EST (14:00Z) on the 29th and the 31st; the search
    # stops at the last instant a datetime holds, 9999-12-31T23:59:59.999999Z.
    schedule = Schedule("s", [daily()], tz=NY)
    found = schedule.next_shifts("b", datetime(9999, 12, 29, tzinfo=UTC), 10)
    assert [(utc(s.start), utc(s.end)) for s in found] == [
        (datetime(9999, 12, 29, 14, tzinfo=UTC), datetime(9999, 12, 30, 14, tzinfo=UTC)),
        (datetime(9999, 12, 31, 14, tzinfo=UTC), datetime.max.replace(tzinfo=UTC)),
    ]
    # In Tokyo (+09:00) datetime ends nine hours earlier, at 9999-12-31T14:59:59.999999Z:
    # the search stops there too, rather than failing on a year-10000 shift end.
    tokyo = Schedule("s", [daily()], tz=TOKYO)
    found = tokyo.next_shifts("b", datetime(9999, 12, 29, tzinfo=UTC), 10)
    assert [(utc(s.start), utc(s.end)) for s in found] == [
        (datetime(9999, 12, 29, 14, tzinfo=UTC), datetime(9999, 12, 30, 14, tzinfo=UTC)),
        (
            datetime(9999, 12, 31, 14, tzinfo=UTC),
            datetime(9999, 12, 31, 14, 59, 59, 999999, tzinfo=UTC),
        ),
    ]
    assert found[-1].end == datetime.max.replace(tzinfo=TOKYO)
    # Searching from past that end finds nothing.
    assert tokyo.next_shifts("b", datetime(9999, 12, 31, 20, tzinfo=UTC), 1) == ()


def test_from_wall_clock_at_the_ends_of_datetime() -> None:
    assert utc(from_wall_clock(datetime(1, 1, 1), NY)) == datetime(1, 1, 1, 4, 56, 2, tzinfo=UTC)
    assert utc(from_wall_clock(datetime(9999, 12, 31, 23), TOKYO)) == datetime(
        9999, 12, 31, 14, tzinfo=UTC
    )
    for wall, tz in ((datetime(1, 1, 1), TOKYO), (datetime(9999, 12, 31, 23), NY)):
        with pytest.raises(InvalidInput) as info:
            from_wall_clock(wall, tz)
        assert info.value.field == "wall"


# -- the longest turns -------------------------------------------------------------------

LONGEST = {
    TurnUnit.HOURS: 87_649_392,  # 3,652,058 days: datetime.max - datetime.min, in hours
    TurnUnit.DAYS: 3_652_058,
    TurnUnit.WEEKS: 521_722,
    TurnUnit.MONTHS: 119_987,  # January of year 1 to December of year 9999
}


@pytest.mark.parametrize("unit", list(LONGEST), ids=str)
def test_turn_counts_are_capped_at_datetimes_range(unit: TurnUnit) -> None:
    build = getattr(Turn, unit.value)
    longest = build(LONGEST[unit])
    assert longest.count == LONGEST[unit]
    for count in (LONGEST[unit] + 1, 10**9, 10**12):
        with pytest.raises(InvalidInput) as info:
            build(count)
        assert info.value.field == f"turn.{unit.value}"
        with pytest.raises(InvalidInput) as info:
            Turn(unit, count)
        assert info.value.field == f"turn.{unit.value}"
    # The longest turn works: one person holds all of 2026, no handoff in reach.
    layer = Layer("l", ["a", "b"], T0, longest, NY)
    assert layer.on_call_at(datetime(2026, 12, 1, tzinfo=UTC)) == "a"
    [shift] = layer.shifts(T0, T0 + timedelta(days=40))
    assert (shift.user, utc(shift.end)) == ("a", utc(T0) + timedelta(days=40))
    for k in (1, -1):
        with pytest.raises(InvalidInput) as info:
            layer.handoff(k)
        assert info.value.field == "k"


def test_elapsed_turns_are_capped_at_datetimes_range() -> None:
    longest = datetime.max.replace(tzinfo=UTC) - datetime.min.replace(tzinfo=UTC)
    assert Turn.elapsed(longest).length == longest
    with pytest.raises(InvalidInput) as info:
        Turn.elapsed(longest + timedelta(microseconds=1))
    assert info.value.field == "turn.elapsed"
    with pytest.raises(InvalidInput) as info:
        Turn(TurnUnit.ELAPSED, length=timedelta.max)
    assert info.value.field == "turn.length"
    layer = Layer("l", ["a", "b"], T0, Turn.elapsed(longest), NY)
    assert layer.on_call_at(datetime(9999, 12, 31, tzinfo=UTC)) == "a"
    assert layer.on_call_at(datetime(1, 1, 1, tzinfo=UTC)) == "b"


# -- the generic path: a zone marked irregular ------------------------------------------


def test_a_layer_in_an_irregular_zone_answers_like_the_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Before the fix, marking Paris irregular made every query recurse forever.
    slow_paris = ZoneInfo.no_cache("Europe/Paris")
    table = _zonetable.ZoneTable(slow_paris)
    table._irregular = True
    monkeypatch.setitem(_zonetable._TABLES, slow_paris, table)
    anchor = datetime(2026, 3, 23, 2, 30, tzinfo=PARIS)
    night = Restriction.daily(time(2, 30), timedelta(hours=1))
    slow = Layer("l", ["a", "b", "c"], anchor, Turn.days(1), slow_paris, restrictions=[night])
    # The 02:30 window on the spring-forward night starts at the gap's end, 03:00 CEST
    # (01:00Z) and ends at 03:30 CEST; on the fall-back night it runs from the first
    # 02:30 (00:30Z) to the second 03:30 (02:30Z), two real hours.
    window = (datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 3, 30, tzinfo=UTC))
    assert [(utc(s.start), utc(s.end), s.user) for s in slow.shifts(*window)] == [
        (datetime(2026, 3, 28, 1, 30, tzinfo=UTC), datetime(2026, 3, 28, 2, 30, tzinfo=UTC), "c"),
        (datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "a"),
    ]
    fall = (datetime(2026, 10, 24, 23, tzinfo=UTC), datetime(2026, 10, 25, 4, tzinfo=UTC))
    [shift] = slow.shifts(*fall)
    assert (utc(shift.start), utc(shift.end)) == (
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 2, 30, tzinfo=UTC),
    )
    assert slow.on_call_at(datetime(2026, 10, 25, 1, 45, tzinfo=UTC)) == shift.user
    assert slow.on_call_at(datetime(2026, 10, 25, 2, 30, tzinfo=UTC)) is None
    assert slow.turn_index(datetime(2026, 7, 1, tzinfo=UTC)) == 99
    fast = Layer("l", ["a", "b", "c"], anchor, Turn.days(1), PARIS, restrictions=[night])
    assert [(utc(s.start), utc(s.end), s.user) for s in fast.shifts(*fall)] == [
        (utc(shift.start), utc(shift.end), shift.user)
    ]
    assert not table._chunks  # every answer came from the generic path
