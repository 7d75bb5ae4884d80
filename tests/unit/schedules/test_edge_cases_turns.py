"""Named examples E1-E11 and E26-E32 of reference/schedules.md section 3: turns and anchors.

Expected instants are written out (from the reference's computed tables), never
computed by the code under test.  Real zones, real dates; tzdata is pinned.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

from tocsin.errors import InvalidInput
from tocsin.schedules import Layer, Turn

NY = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")
LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
CHATHAM = ZoneInfo("Pacific/Chatham")
KOLKATA = ZoneInfo("Asia/Kolkata")

USERS = ("a", "b", "c", "d", "e", "f", "g")
H = timedelta(hours=1)


def z(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:  # noqa: PLR0917
    """A UTC instant."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def daily(tz: ZoneInfo, anchor: datetime, users: tuple[str | None, ...] = USERS) -> Layer:
    return Layer("daily", users, anchor, Turn.days(1), tz)


def handoffs(layer: Layer, start: datetime, end: datetime) -> list[datetime]:
    return [h.astimezone(UTC) for h in layer.handoffs(start, end)]


# -- E1-E6: daily handoffs across DST, wall clock vs elapsed -----------------------


def test_e1_new_york_spring_forward_daily_handoff_stays_at_nine() -> None:
    anchor = datetime(2026, 3, 5, 9, tzinfo=NY)  # Thu 09:00 EST
    wall = daily(NY, anchor)
    window = (z(2026, 3, 7), z(2026, 3, 10))
    # Sat 09:00 EST, Sun 09:00 EDT, Mon 09:00 EDT.
    assert handoffs(wall, *window) == [z(2026, 3, 7, 14), z(2026, 3, 8, 13), z(2026, 3, 9, 13)]
    saturday = next(wall.shifts(z(2026, 3, 7, 14), z(2026, 3, 8, 14), merge=False))
    assert saturday.duration == timedelta(hours=23)
    # Elapsed 86 400 s: Sun and Mon at 10:00 EDT.
    elapsed = attrs.evolve(wall, turn=Turn.elapsed(timedelta(days=1)))
    assert handoffs(elapsed, *window) == [z(2026, 3, 7, 14), z(2026, 3, 8, 14), z(2026, 3, 9, 14)]
    assert elapsed.handoff(3).isoformat() == "2026-03-08T10:00:00-04:00"


def test_e2_new_york_fall_back_daily_handoff_stays_at_nine() -> None:
    anchor = datetime(2026, 10, 29, 9, tzinfo=NY)  # Thu 09:00 EDT
    wall = daily(NY, anchor)
    window = (z(2026, 10, 31), z(2026, 11, 3))
    assert handoffs(wall, *window) == [z(2026, 10, 31, 13), z(2026, 11, 1, 14), z(2026, 11, 2, 14)]
    saturday = next(wall.shifts(z(2026, 10, 31, 13), z(2026, 11, 1, 15), merge=False))
    assert saturday.duration == timedelta(hours=25)
    elapsed = attrs.evolve(wall, turn=Turn.elapsed(timedelta(days=1)))
    # Sun 11-01 08:00 EST onward.
    assert handoffs(elapsed, *window) == [
        z(2026, 10, 31, 13),
        z(2026, 11, 1, 13),
        z(2026, 11, 2, 13),
    ]
    assert elapsed.handoff(3).isoformat() == "2026-11-01T08:00:00-05:00"


def test_e3_london_both_transitions() -> None:
    spring = daily(LONDON, datetime(2026, 3, 26, 9, tzinfo=LONDON))
    assert handoffs(spring, z(2026, 3, 28), z(2026, 3, 31)) == [
        z(2026, 3, 28, 9),  # 09:00 GMT
        z(2026, 3, 29, 8),  # 09:00 BST, after a 23 h turn
        z(2026, 3, 30, 8),
    ]
    autumn = daily(LONDON, datetime(2026, 10, 22, 9, tzinfo=LONDON))
    assert handoffs(autumn, z(2026, 10, 24), z(2026, 10, 27)) == [
        z(2026, 10, 24, 8),  # 09:00 BST
        z(2026, 10, 25, 9),  # 09:00 GMT, after a 25 h turn
        z(2026, 10, 26, 9),
    ]
    by_elapsed = Turn.elapsed(timedelta(days=1))
    # Elapsed: 03-29 10:00 BST and 10-25 08:00 GMT.
    assert attrs.evolve(spring, turn=by_elapsed).handoff(3) == z(2026, 3, 29, 9)
    assert attrs.evolve(autumn, turn=by_elapsed).handoff(3) == z(2026, 10, 25, 8)


def test_e4_sydney_dst_ends_in_april_and_starts_in_october() -> None:
    april = daily(SYDNEY, datetime(2026, 4, 2, 9, tzinfo=SYDNEY))  # 09:00 AEDT (+11)
    assert handoffs(april, z(2026, 4, 3, 12), z(2026, 4, 6, 12)) == [
        z(2026, 4, 3, 22),  # Sat 04-04 09:00 AEDT
        z(2026, 4, 4, 23),  # Sun 04-05 09:00 AEST, after a 25 h turn
        z(2026, 4, 5, 23),
    ]
    october = daily(SYDNEY, datetime(2026, 10, 1, 9, tzinfo=SYDNEY))  # 09:00 AEST (+10)
    assert handoffs(october, z(2026, 10, 2, 12), z(2026, 10, 5, 12)) == [
        z(2026, 10, 2, 23),  # Sat 10-03 09:00 AEST
        z(2026, 10, 3, 22),  # Sun 10-04 09:00 AEDT, after a 23 h turn
        z(2026, 10, 4, 22),
    ]
    by_elapsed = Turn.elapsed(timedelta(days=1))
    # Elapsed: 04-05 08:00 AEST (and all winter), 10-04 10:00 AEDT.
    assert attrs.evolve(april, turn=by_elapsed).handoff(3).isoformat() == (
        "2026-04-05T08:00:00+10:00"
    )
    assert attrs.evolve(april, turn=by_elapsed).handoff(100).hour == 8
    assert attrs.evolve(october, turn=by_elapsed).handoff(3).isoformat() == (
        "2026-10-04T10:00:00+11:00"
    )


def test_e5_kolkata_has_no_dst_so_wall_and_elapsed_agree_at_0330z() -> None:
    wall = daily(KOLKATA, datetime(2026, 1, 1, 9, tzinfo=KOLKATA))
    elapsed = attrs.evolve(wall, turn=Turn.elapsed(timedelta(days=1)))
    for k in (0, 100, 364):
        assert wall.handoff(k) == elapsed.handoff(k)
        assert wall.handoff(k).astimezone(UTC).time().isoformat() == "03:30:00"
    assert wall.handoff(364) == z(2026, 12, 31, 3, 30)


def test_e6_chatham_quarter_hour_offsets() -> None:
    layer = daily(CHATHAM, datetime(2026, 1, 10, 9, tzinfo=CHATHAM))
    assert layer.handoff(5) == z(2026, 1, 14, 19, 15)  # 01-15 09:00 +13:45
    july = layer.turn_index(datetime(2026, 7, 15, 12, tzinfo=CHATHAM))
    assert layer.handoff(july) == z(2026, 7, 14, 20, 15)  # 07-15 09:00 +12:45
    spring = daily(CHATHAM, datetime(2026, 9, 25, 9, tzinfo=CHATHAM))
    assert handoffs(spring, z(2026, 9, 25), z(2026, 9, 27)) == [
        z(2026, 9, 25, 20, 15),  # 09-26 09:00 +12:45
        z(2026, 9, 26, 19, 15),  # 09-27 09:00 +13:45, after a 23 h turn
    ]
    elapsed = attrs.evolve(spring, turn=Turn.elapsed(timedelta(days=1)))
    assert elapsed.handoff(2).isoformat() == "2026-09-27T10:00:00+13:45"


# -- E7-E9: handoff wall times in gaps and folds --------------------------------------


@pytest.mark.parametrize(
    ("tz", "anchor", "k", "expected"),
    [
        # GoAlert-style: the first instant after the gap.
        (NY, datetime(2026, 3, 1, 2, 30), 7, z(2026, 3, 8, 7)),  # 03:00 EDT
        (LONDON, datetime(2026, 3, 22, 1, 30), 7, z(2026, 3, 29, 1)),  # 02:00 BST
        (SYDNEY, datetime(2026, 9, 27, 2, 30), 7, z(2026, 10, 3, 16)),  # 03:00 AEDT
        (CHATHAM, datetime(2026, 9, 20, 3, 0), 7, z(2026, 9, 26, 14)),  # 03:45 +13:45
        (LORD_HOWE, datetime(2026, 9, 27, 2, 15), 7, z(2026, 10, 3, 15, 30)),  # 02:30 +11
    ],
)
def test_e7_handoff_in_a_gap_moves_to_the_first_instant_after_it(
    tz: ZoneInfo, anchor: datetime, k: int, expected: datetime
) -> None:
    layer = daily(tz, anchor.replace(tzinfo=tz))
    assert layer.handoff(k) == expected
    # The next day's handoff is back on the anchor's wall time.
    assert layer.handoff(k + 1).replace(tzinfo=None).time() == anchor.time()


def test_e7_new_york_turns_around_the_gap_last_twenty_three_and_a_half_hours() -> None:
    layer = daily(NY, datetime(2026, 3, 1, 2, 30, tzinfo=NY))
    assert [layer.handoff(k) for k in (6, 7, 8)] == [
        z(2026, 3, 7, 7, 30),  # 02:30 EST
        z(2026, 3, 8, 7),  # 03:00 EDT
        z(2026, 3, 9, 6, 30),  # 02:30 EDT
    ]


@pytest.mark.parametrize(
    ("tz", "anchor", "k", "expected"),
    [
        (NY, datetime(2026, 10, 25, 1, 30), 7, z(2026, 11, 1, 5, 30)),  # 01:30 EDT
        (LONDON, datetime(2026, 10, 18, 1, 30), 7, z(2026, 10, 25, 0, 30)),  # 01:30 BST
        (SYDNEY, datetime(2026, 3, 29, 2, 30), 7, z(2026, 4, 4, 15, 30)),  # 02:30 AEDT
        (CHATHAM, datetime(2026, 3, 29, 3, 0), 7, z(2026, 4, 4, 13, 15)),  # 03:00 +13:45
    ],
)
def test_e8_handoff_in_a_fold_takes_the_first_occurrence(
    tz: ZoneInfo, anchor: datetime, k: int, expected: datetime
) -> None:
    handoff = daily(tz, anchor.replace(tzinfo=tz)).handoff(k)
    assert handoff.fold == 0
    # Compare in UTC: Python says an instant in a fold never equals one in another zone.
    assert handoff.astimezone(UTC) == expected


def test_e9_lord_howe_thirty_minute_dst() -> None:
    # (a) hourly from 2021-04-03 02:30: on 04-04 (02:00 -> 01:30) the handoffs are
    # 00:30 (+11), 01:30 (+11), 02:30 (+10:30): the 01:30 turn gains 30 minutes.
    hourly = Layer(
        "h", USERS, datetime(2021, 4, 3, 2, 30, tzinfo=LORD_HOWE), Turn.hours(1), LORD_HOWE
    )
    assert handoffs(hourly, z(2021, 4, 3, 13), z(2021, 4, 3, 16, 30)) == [
        z(2021, 4, 3, 13, 30),
        z(2021, 4, 3, 14, 30),
        z(2021, 4, 3, 16),
    ]
    gained = next(hourly.shifts(z(2021, 4, 3, 14, 30), z(2021, 4, 3, 17), merge=False))
    assert gained.duration == timedelta(minutes=90)
    # (b) daily 02:15 on 2020-10-04 (02:00 -> 02:30): 02:30 (+11).
    daily_2020 = daily(LORD_HOWE, datetime(2020, 10, 1, 2, 15, tzinfo=LORD_HOWE))
    assert daily_2020.handoff(3) == z(2020, 10, 3, 15, 30)
    assert daily_2020.handoff(3).isoformat() == "2020-10-04T02:30:00+11:00"


# -- E10-E11: hourly rotations ---------------------------------------------------------


def test_e10_hourly_on_the_hour_skips_the_missing_hour_and_advances_the_index() -> None:
    layer = Layer(
        "h", ("a", "b", "c", "d", "e"), datetime(2020, 3, 7, tzinfo=CHICAGO), Turn.hours(1), CHICAGO
    )
    # 01:00 CST -> 03:00 CDT -> 04:00 CDT: no handoff at the nonexistent 02:00.
    assert handoffs(layer, z(2020, 3, 8, 6, 30), z(2020, 3, 8, 9, 30)) == [
        z(2020, 3, 8, 7),
        z(2020, 3, 8, 8),
        z(2020, 3, 8, 9),
    ]
    shifts = list(layer.shifts(z(2020, 3, 8, 7), z(2020, 3, 8, 10), merge=False))
    # Wall 01:00 is turn 25 (a); wall 02:00 (turn 26, b) has zero length and is skipped;
    # wall 03:00 is turn 27 (c).
    assert [(s.user, s.start, s.duration) for s in shifts] == [
        ("a", z(2020, 3, 8, 7), H),
        ("c", z(2020, 3, 8, 8), H),
        ("d", z(2020, 3, 8, 9), H),
    ]
    assert layer.turn_index(z(2020, 3, 8, 8)) == 27


def test_e10_hourly_on_the_half_hour_gives_two_thirty_minute_turns() -> None:
    layer = Layer("h", USERS, datetime(2020, 3, 7, 0, 30, tzinfo=CHICAGO), Turn.hours(1), CHICAGO)
    assert handoffs(layer, z(2020, 3, 8, 6), z(2020, 3, 8, 10)) == [
        z(2020, 3, 8, 6, 30),  # 00:30 CST
        z(2020, 3, 8, 7, 30),  # 01:30 CST
        z(2020, 3, 8, 8),  # 03:00 CDT
        z(2020, 3, 8, 8, 30),  # 03:30 CDT
        z(2020, 3, 8, 9, 30),  # 04:30 CDT
    ]
    durations = [
        s.duration for s in layer.shifts(z(2020, 3, 8, 7, 30), z(2020, 3, 8, 8, 30), merge=False)
    ]
    assert durations == [timedelta(minutes=30), timedelta(minutes=30)]


def test_e11_hourly_across_fall_back_keeps_wall_clock_hours() -> None:
    layer = Layer("h", USERS, datetime(2020, 10, 31, tzinfo=CHICAGO), Turn.hours(1), CHICAGO)
    # 00:00 CDT, 01:00 CDT, 02:00 CST, 03:00 CST: the 01:00 turn lasts two real hours.
    assert handoffs(layer, z(2020, 11, 1, 5), z(2020, 11, 1, 9, 30)) == [
        z(2020, 11, 1, 5),
        z(2020, 11, 1, 6),
        z(2020, 11, 1, 8),
        z(2020, 11, 1, 9),
    ]
    long_turn = next(layer.shifts(z(2020, 11, 1, 6), z(2020, 11, 1, 9), merge=False))
    assert long_turn.duration == timedelta(hours=2)
    # An elapsed rotation hands off at 01:00 CST (the repeated hour) instead.
    elapsed = attrs.evolve(layer, turn=Turn.elapsed(H))
    assert z(2020, 11, 1, 7) in handoffs(elapsed, z(2020, 11, 1, 5), z(2020, 11, 1, 9))


def test_an_anchor_at_the_second_occurrence_of_a_fold_is_where_turn_0_begins() -> None:
    # A rotation set up "from now" at 01:30 EST on the fall-back night (06:30Z, the
    # second 01:30): turn 0 begins at the anchor, not at the first 01:30 an hour
    # earlier; the other handoffs keep the wall-clock rule.
    anchor = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY)
    for turn in (Turn.hours(1), Turn.days(1), Turn.weeks(1), Turn.months(1)):
        layer = Layer("r", ["a", "b"], anchor, turn, NY)
        assert layer.handoff(0).astimezone(UTC) == z(2026, 11, 1, 6, 30)
        assert layer.on_call_at(z(2026, 11, 1, 6, 29)) == "b"
        assert layer.on_call_at(z(2026, 11, 1, 6, 30)) == "a"
        assert layer.turn_index(z(2026, 11, 1, 5, 45)) == -1
    hourly = Layer("r", ["a", "b"], anchor, Turn.hours(1), NY)
    # 00:30 EDT, then the anchor, then 02:30 EST: turn -1 holds both 01:00s before it.
    assert handoffs(hourly, z(2026, 11, 1, 4), z(2026, 11, 1, 8)) == [
        z(2026, 11, 1, 4, 30),
        z(2026, 11, 1, 6, 30),
        z(2026, 11, 1, 7, 30),
    ]
    daily_turns = Layer("r", ["a", "b"], anchor, Turn.days(1), NY)
    assert daily_turns.handoff(1).astimezone(UTC) == z(2026, 11, 2, 6, 30)  # 01:30 EST
    assert daily_turns.handoff(-1).astimezone(UTC) == z(2026, 10, 31, 5, 30)  # 01:30 EDT


# -- E26-E29: anchors and calendars ---------------------------------------------------


def test_e26_anchor_in_the_future_counts_backwards_by_floor_division() -> None:
    layer = Layer("d", ("A", "B", "C"), z(2026, 7, 1, 9), Turn.days(1), "UTC")
    assert layer.turn_index(z(2026, 6, 15, 12)) == -16
    assert layer.on_call_at(z(2026, 6, 15, 12)) == "C"
    assert layer.turn_index(z(2026, 6, 30, 9)) == -1
    assert layer.on_call_at(z(2026, 6, 30, 9)) == "C"
    assert layer.turn_index(z(2026, 7, 1, 9)) == 0
    assert layer.on_call_at(z(2026, 7, 1, 9)) == "A"


def test_e27_anchor_far_in_the_past_wall_versus_elapsed() -> None:
    anchor = datetime(2000, 1, 3, 9, tzinfo=NY)  # Mon 09:00 EST
    wall = Layer("w", ("A", "B", "C", "D", "E"), anchor, Turn.weeks(1), NY)
    elapsed = attrs.evolve(wall, turn=Turn.elapsed(timedelta(weeks=1)))
    july = datetime(2026, 7, 13, 9, 30, tzinfo=NY)  # Mon 09:30 EDT
    assert (wall.turn_index(july), wall.on_call_at(july)) == (1384, "E")
    assert (elapsed.turn_index(july), elapsed.on_call_at(july)) == (1383, "D")
    january = datetime(2026, 1, 12, 9, tzinfo=NY)  # Mon 09:00 EST
    assert wall.on_call_at(january) == elapsed.on_call_at(january) == "D"


# E27's cost half (point queries do no more work for an old anchor) is pinned on the
# integer internals in test_point_query_cost.py.


def test_e28_monthly_rotation_anchored_on_the_31st_clamps_to_month_end() -> None:
    layer = Layer("m", USERS, datetime(2026, 1, 31, 9, tzinfo=NY), Turn.months(1), NY)
    dates = [layer.handoff(k).date().isoformat() for k in range(12)]
    assert dates == [
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
        "2026-05-31",
        "2026-06-30",
        "2026-07-31",
        "2026-08-31",
        "2026-09-30",
        "2026-10-31",
        "2026-11-30",
        "2026-12-31",
    ]
    assert {layer.handoff(k).hour for k in range(12)} == {9}  # 09:00 local, EST or EDT
    leap = attrs.evolve(layer, anchor=datetime(2028, 1, 31, 9, tzinfo=NY))
    assert leap.handoff(1).date().isoformat() == "2028-02-29"
    # A query in a clamped month finds the right turn.
    assert layer.turn_index(datetime(2026, 3, 1, tzinfo=NY)) == 1
    assert layer.turn_index(datetime(2026, 3, 31, 8, 59, tzinfo=NY)) == 1
    assert layer.turn_index(datetime(2026, 3, 31, 9, tzinfo=NY)) == 2


def test_e29_leap_day_monthly_and_elapsed() -> None:
    monthly = Layer("m", USERS, datetime(2028, 2, 29, 9, tzinfo=NY), Turn.months(1), NY)
    dates = [monthly.handoff(k).date().isoformat() for k in (1, 11, 12, 13)]
    assert dates == ["2028-03-29", "2029-01-29", "2029-02-28", "2029-03-29"]
    yearly = Layer("y", USERS, z(2027, 3, 1, 9), Turn.elapsed(timedelta(days=365)), "UTC")
    assert [yearly.handoff(k) for k in (1, 2)] == [z(2028, 2, 29, 9), z(2029, 2, 28, 9)]


# -- E30-E32: participants ------------------------------------------------------------


def test_e30_single_participant_renders_one_span() -> None:
    layer = daily(NY, datetime(2026, 3, 2, 9, tzinfo=NY), ("A",))
    week = (datetime(2026, 3, 2, 9, tzinfo=NY), datetime(2026, 3, 9, 9, tzinfo=NY))
    [span] = layer.shifts(*week)
    assert (span.user, span.start, span.end) == ("A", *week)
    assert span.duration == timedelta(days=7) - H  # the spring-forward week
    assert len(list(layer.handoffs(*week))) == 7  # turns still exist
    assert len(list(layer.shifts(*week, merge=False))) == 7


def test_e31_same_user_twice_renders_one_48_hour_shift() -> None:
    layer = daily(LONDON, datetime(2026, 6, 1, 9, tzinfo=LONDON), ("A", "A", "B"))
    window = (datetime(2026, 6, 1, 9, tzinfo=LONDON), datetime(2026, 6, 4, 9, tzinfo=LONDON))
    shifts = [(s.user, s.duration) for s in layer.shifts(*window)]
    assert shifts == [("A", timedelta(hours=48)), ("B", timedelta(hours=24))]


def test_e32_editing_participants_mid_turn() -> None:
    layer = daily(NY, datetime(2026, 6, 1, 9, tzinfo=NY), ("A", "B", "C"))
    now = datetime(2026, 6, 2, 15, tzinfo=NY)  # B's turn (turn 1)
    assert layer.on_call_at(now) == "B"
    # The arithmetic model (PagerDuty, Opsgenie, Grafana): D at the front moves B out.
    assert attrs.evolve(layer, users=("D", "A", "B", "C")).on_call_at(now) == "A"
    # tocsin's re-anchoring keeps B until the next handoff, then follows the new order.
    kept = layer.reanchored(("D", "A", "B", "C"), now)
    assert kept.users == ("D", "A", "B", "C")
    assert kept.on_call_at(now) == "B"
    assert kept.on_call_at(datetime(2026, 6, 3, 8, 59, tzinfo=NY)) == "B"
    nxt = [kept.on_call_at(datetime(2026, 6, d, 10, tzinfo=NY)) for d in (3, 4, 5, 6)]
    assert nxt == ["C", "D", "A", "B"]
    assert kept.handoff(2) == layer.handoff(2)  # the handoff grid is unchanged


def test_e32_reanchoring_without_the_current_person_is_refused() -> None:
    layer = daily(NY, datetime(2026, 6, 1, 9, tzinfo=NY), ("A", "B", "C"))
    with pytest.raises(InvalidInput) as info:
        layer.reanchored(("A", "C"), datetime(2026, 6, 2, 15, tzinfo=NY))
    assert info.value.field == "users"
    assert "'B'" in str(info.value)


def test_e32_reanchoring_in_an_empty_turn_without_a_none_says_so() -> None:
    layer = daily(NY, datetime(2026, 6, 1, 9, tzinfo=NY), ("A", None, "B"))
    now = datetime(2026, 6, 2, 15, tzinfo=NY)  # turn 1: nobody on this layer
    assert layer.on_call_at(now) is None
    with pytest.raises(InvalidInput) as info:
        layer.reanchored(("A", "B"), now)
    assert info.value.field == "users"
    assert "empty turn" in str(info.value)
    assert "Override" not in str(info.value)  # an override cannot mean "nobody"
    kept = layer.reanchored(("C", None, "A", "B"), now)
    assert kept.on_call_at(now) is None
    assert kept.on_call_at(datetime(2026, 6, 3, 9, tzinfo=NY)) == "A"


def test_e32_reanchoring_keeps_the_same_repeat_of_a_repeated_person() -> None:
    layer = daily(NY, datetime(2026, 6, 1, 9, tzinfo=NY), ("A", "A", "B"))
    now = datetime(2026, 6, 2, 10, tzinfo=NY)  # A's second turn
    kept = layer.reanchored(("A", "A", "B", "C"), now)
    assert kept.on_call_at(now) == "A"
    assert kept.on_call_at(datetime(2026, 6, 3, 10, tzinfo=NY)) == "B"
