"""Named examples E12-E25 and E33-E40 of reference/schedules.md section 3.

Restrictions, point queries at boundaries, overrides and layer composition.  Expected
instants are written out; real zones and real 2026 dates.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidInput
from tocsin.schedules import Layer, Override, Restriction, Schedule, Shift, Turn

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tocsin.time import Interval

NY = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")
LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")
CHATHAM = ZoneInfo("Pacific/Chatham")
KOLKATA = ZoneInfo("Asia/Kolkata")
H = timedelta(hours=1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def z(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:  # noqa: PLR0917
    """A UTC instant."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def always(tz: ZoneInfo, *restrictions: Restriction, user: str = "A") -> Layer:
    """A one-person layer, so its shifts are exactly its restriction windows."""
    anchor = datetime(2026, 1, 5, tzinfo=tz)
    return Layer("l", (user,), anchor, Turn.weeks(1), tz, restrictions=restrictions)


def spans(shifts: Iterable[Shift]) -> list[tuple[str, datetime, datetime]]:
    return [(s.user, s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in shifts]


def one_window(restriction: Restriction, tz: ZoneInfo, around: datetime) -> Interval:
    [window] = restriction.windows(around, around + timedelta(microseconds=1), tz)
    return window


# -- E12-E18: restrictions --------------------------------------------------------------

WEEKEND = Restriction.weekly(5, time(18), timedelta(seconds=230_400))  # Fri 18:00 + 64 h


@pytest.mark.parametrize(
    ("tz", "friday", "end", "real_hours"),
    [
        (NY, datetime(2026, 1, 9, 18), z(2026, 1, 12, 15), 64),  # Mon 10:00 EST
        (NY, datetime(2026, 3, 6, 18), z(2026, 3, 9, 14), 63),  # Mon 10:00 EDT
        (NY, datetime(2026, 10, 30, 18), z(2026, 11, 2, 15), 65),  # Mon 10:00 EST
        (LONDON, datetime(2026, 3, 27, 18), z(2026, 3, 30, 9), 63),  # Mon 10:00 BST
        (LONDON, datetime(2026, 10, 23, 18), z(2026, 10, 26, 10), 65),  # Mon 10:00 GMT
        (SYDNEY, datetime(2026, 4, 3, 18), z(2026, 4, 6, 0), 65),  # Mon 10:00 AEST
        (SYDNEY, datetime(2026, 10, 2, 18), z(2026, 10, 4, 23), 63),  # Mon 10:00 AEDT
        (CHATHAM, datetime(2026, 9, 25, 18), z(2026, 9, 27, 20, 15), 63),  # 10:00 +13:45
        (KOLKATA, datetime(2026, 1, 9, 18), z(2026, 1, 12, 4, 30), 64),  # Mon 10:00 IST
    ],
)
def test_e12_weekly_friday_18_for_64_hours_ends_monday_10_local(
    tz: ZoneInfo, friday: datetime, end: datetime, real_hours: int
) -> None:
    window = one_window(WEEKEND, tz, friday.replace(tzinfo=tz))
    assert window.start.replace(tzinfo=None) == friday
    assert window.end.astimezone(UTC) == end
    assert window.end.astimezone(tz).time() == time(10)
    assert window.duration == timedelta(hours=real_hours)


def test_e13_daily_window_crossing_midnight_is_half_open() -> None:
    layer = always(NY, Restriction.daily(time(22), timedelta(seconds=36_000)))
    assert layer.on_call_at(datetime(2026, 6, 10, 22, tzinfo=NY)) == "A"
    assert layer.on_call_at(datetime(2026, 6, 11, 7, 59, 59, tzinfo=NY)) == "A"
    assert layer.on_call_at(datetime(2026, 6, 11, 8, tzinfo=NY)) is None
    assert layer.on_call_at(datetime(2026, 6, 10, 21, 59, 59, 999_999, tzinfo=NY)) is None
    nights = spans(layer.shifts(z(2026, 3, 7, 18), z(2026, 3, 8, 18)))
    assert nights == [("A", z(2026, 3, 8, 3), z(2026, 3, 8, 12))]  # 22:00 EST-08:00 EDT, 9 h
    nights = spans(layer.shifts(z(2026, 10, 31, 12), z(2026, 11, 1, 18)))
    assert nights == [("A", z(2026, 11, 1, 2), z(2026, 11, 1, 13))]  # 22:00 EDT-08:00 EST, 11 h


@pytest.mark.parametrize(
    "window",
    [
        (datetime(2026, 10, 30, tzinfo=NY), datetime(2026, 11, 2, tzinfo=NY)),
        (datetime(2026, 3, 6, tzinfo=NY), datetime(2026, 3, 9, tzinfo=NY)),
    ],
)
def test_e14_daily_24_hour_window_is_contiguous_across_dst(
    window: tuple[datetime, datetime],
) -> None:
    layer = always(NY, Restriction.daily(time(9), timedelta(seconds=86_400)))
    schedule = Schedule("s", [layer])
    assert spans(schedule.shifts(*window)) == [
        ("A", window[0].astimezone(UTC), window[1].astimezone(UTC))
    ]
    assert list(schedule.gaps(*window)) == []


def test_e15_windows_longer_than_a_day_or_a_week_are_refused() -> None:
    with pytest.raises(InvalidInput) as info:
        Restriction.daily(time(9), timedelta(seconds=108_000))
    assert info.value.field == "duration"
    with pytest.raises(InvalidInput):
        Restriction.weekly(1, time(9), timedelta(days=7, microseconds=1))
    assert Restriction.weekly(1, time(9), timedelta(days=7)).duration == timedelta(days=7)


def test_e16_weekday_24_hour_windows_join_into_monday_to_saturday() -> None:
    layer = always(NY, *(Restriction.weekly(d, time(8), timedelta(hours=24)) for d in WEEKDAYS))
    at = {
        "mon 07:00": datetime(2026, 6, 1, 7, tzinfo=NY),
        "mon 08:00": datetime(2026, 6, 1, 8, tzinfo=NY),
        "sat 07:00": datetime(2026, 6, 6, 7, tzinfo=NY),
        "sat 08:00": datetime(2026, 6, 6, 8, tzinfo=NY),
        "sun 12:00": datetime(2026, 6, 7, 12, tzinfo=NY),
    }
    on = {name: layer.on_call_at(when) for name, when in at.items()}
    assert on == {
        "mon 07:00": None,
        "mon 08:00": "A",
        "sat 07:00": "A",
        "sat 08:00": None,
        "sun 12:00": None,
    }
    week = spans(layer.shifts(datetime(2026, 5, 31, tzinfo=NY), datetime(2026, 6, 8, tzinfo=NY)))
    assert week == [("A", z(2026, 6, 1, 12), z(2026, 6, 6, 12))]  # one span Mon 08 -> Sat 08


def test_e17_overnight_weekday_windows_belong_to_their_start_day() -> None:
    layer = always(NY, *(Restriction.weekly(d, time(20), timedelta(hours=12)) for d in WEEKDAYS))
    at = {
        "sun 20:00": datetime(2026, 5, 31, 20, tzinfo=NY),
        "mon 07:00": datetime(2026, 6, 1, 7, tzinfo=NY),
        "fri 20:00": datetime(2026, 6, 5, 20, tzinfo=NY),
        "sat 07:00": datetime(2026, 6, 6, 7, tzinfo=NY),
        "sat 20:00": datetime(2026, 6, 6, 20, tzinfo=NY),
    }
    on = {name: layer.on_call_at(when) for name, when in at.items()}
    assert on == {
        "sun 20:00": None,
        "mon 07:00": None,
        "fri 20:00": "A",
        "sat 07:00": "A",
        "sat 20:00": None,
    }


def test_e18_a_window_spanning_a_handoff_is_split_between_turns() -> None:
    layer = Layer(
        "l",
        ("A", "B"),
        datetime(2026, 6, 1, 12, tzinfo=NY),  # Mon 12:00
        Turn.weeks(1),
        NY,
        restrictions=[Restriction.daily(time(9), timedelta(hours=8))],
    )
    monday = datetime(2026, 6, 8, tzinfo=NY)
    assert layer.on_call_at(monday.replace(hour=10)) == "A"
    assert layer.on_call_at(monday.replace(hour=13)) == "B"
    assert spans(layer.shifts(monday, monday + timedelta(days=1))) == [
        ("A", z(2026, 6, 8, 13), z(2026, 6, 8, 16)),
        ("B", z(2026, 6, 8, 16), z(2026, 6, 8, 21)),
    ]


def test_restrictions_mask_the_rotation_without_pausing_it() -> None:
    # Weekday-only daily rotation: the weekend turns still count (PagerDuty), so
    # Monday's person is whoever the arithmetic says, not "the next in line".
    layer = Layer(
        "l",
        ("A", "B", "C"),
        datetime(2026, 6, 1, 9, tzinfo=NY),  # Mon
        Turn.days(1),
        NY,
        restrictions=[Restriction.weekly(d, time(9), timedelta(hours=8)) for d in WEEKDAYS],
    )
    people = [layer.on_call_at(datetime(2026, 6, d, 10, tzinfo=NY)) for d in range(1, 9)]
    assert people == ["A", "B", "C", "A", "B", None, None, "B"]


# -- E19-E20: boundaries and precision ------------------------------------------------


def test_e19_a_query_exactly_at_a_handoff_returns_only_the_incoming_person() -> None:
    layer = Layer("l", ("A", "B"), datetime(2026, 6, 1, 9, tzinfo=NY), Turn.days(1), NY)
    schedule = Schedule("s", [layer])
    tuesday_nine = datetime(2026, 6, 2, 9, tzinfo=NY)
    assert schedule.on_call_at(tuesday_nine) == "B"
    assert schedule.on_call_at(tuesday_nine - timedelta(microseconds=1)) == "A"


def test_e20_full_microsecond_precision() -> None:
    anchor = datetime(2026, 6, 1, 9, 0, 0, 1, tzinfo=NY)
    layer = Layer("l", ("A", "B"), anchor, Turn.days(1), NY)
    assert layer.handoff(1) == datetime(2026, 6, 2, 9, 0, 0, 1, tzinfo=NY)
    assert layer.on_call_at(datetime(2026, 6, 2, 8, 59, 59, tzinfo=NY)) == "A"
    assert layer.on_call_at(datetime(2026, 6, 2, 9, 0, 0, 0, tzinfo=NY)) == "A"
    assert layer.on_call_at(datetime(2026, 6, 2, 9, 0, 0, 1, tzinfo=NY)) == "B"
    temporary = Override(
        "T", datetime(2026, 6, 2, 9, 30, tzinfo=NY), datetime(2026, 6, 2, 10, 0, 30, tzinfo=NY)
    )
    schedule = Schedule("s", [layer], [temporary])
    assert schedule.on_call_at(datetime(2026, 6, 2, 10, 0, 29, 999_999, tzinfo=NY)) == "T"
    assert schedule.on_call_at(datetime(2026, 6, 2, 10, 0, 30, tzinfo=NY)) == "B"
    shifts = spans(schedule.shifts(z(2026, 6, 2, 13, 30), z(2026, 6, 2, 15)))
    assert shifts == [
        ("T", z(2026, 6, 2, 13, 30), z(2026, 6, 2, 14, 0, 30)),
        ("B", z(2026, 6, 2, 14, 0, 30), z(2026, 6, 2, 15)),
    ]


# -- E21-E25: overrides ------------------------------------------------------------------

DAILY_AB = Layer("l", ("A", "B", "X"), datetime(2026, 6, 1, 9, tzinfo=NY), Turn.days(1), NY)


def test_e21_override_over_two_shifts_takes_exactly_its_own_span() -> None:
    carol = Override("C", datetime(2026, 6, 1, 21, tzinfo=NY), datetime(2026, 6, 2, 12, tzinfo=NY))
    schedule = Schedule("s", [DAILY_AB], [carol], tz=NY)
    window = (datetime(2026, 6, 1, 9, tzinfo=NY), datetime(2026, 6, 3, 9, tzinfo=NY))
    assert spans(schedule.shifts(*window)) == [
        ("A", z(2026, 6, 1, 13), z(2026, 6, 2, 1)),  # Mon 09:00-21:00
        ("C", z(2026, 6, 2, 1), z(2026, 6, 2, 16)),  # Mon 21:00-Tue 12:00
        ("B", z(2026, 6, 2, 16), z(2026, 6, 3, 13)),  # Tue 12:00-Wed 09:00
    ]
    sources = [shift.sources for shift in schedule.shifts(*window)]
    assert sources == [(DAILY_AB,), (carol,), (DAILY_AB,)]


def test_e22_override_over_a_gap_fills_it() -> None:
    day = Layer(
        "day",
        ("A",),
        datetime(2026, 6, 1, tzinfo=NY),
        Turn.weeks(1),
        NY,
        restrictions=[Restriction.daily(time(9), timedelta(hours=8))],
    )
    carol = Override("C", datetime(2026, 6, 1, 18, tzinfo=NY), datetime(2026, 6, 1, 20, tzinfo=NY))
    schedule = Schedule("s", [day], [carol], tz=NY)
    assert schedule.on_call_at(datetime(2026, 6, 1, 18, 30, tzinfo=NY)) == "C"
    evening = (datetime(2026, 6, 1, 17, tzinfo=NY), datetime(2026, 6, 1, 21, tzinfo=NY))
    assert spans(schedule.shifts(*evening)) == [("C", z(2026, 6, 1, 22), z(2026, 6, 2, 0))]
    assert [(g.start.astimezone(UTC), g.end.astimezone(UTC)) for g in schedule.gaps(*evening)] == [
        (z(2026, 6, 1, 21), z(2026, 6, 1, 22)),
        (z(2026, 6, 2, 0), z(2026, 6, 2, 1)),
    ]


def test_e23_a_zero_length_override_is_refused() -> None:
    noon = datetime(2026, 6, 1, 12, tzinfo=NY)
    with pytest.raises(InvalidInput) as info:
        Override("C", noon, noon)
    assert info.value.field == "end"


def test_e24_the_override_added_last_wins_where_overrides_overlap() -> None:
    x = Override("X", datetime(2026, 6, 1, 10, tzinfo=NY), datetime(2026, 6, 1, 14, tzinfo=NY))
    y = Override("Y", datetime(2026, 6, 1, 12, tzinfo=NY), datetime(2026, 6, 1, 16, tzinfo=NY))
    schedule = Schedule("s", [DAILY_AB], [x, y])
    assert schedule.on_call_at(datetime(2026, 6, 1, 13, tzinfo=NY)) == "Y"
    window = (datetime(2026, 6, 1, 10, tzinfo=NY), datetime(2026, 6, 1, 16, tzinfo=NY))
    assert spans(schedule.shifts(*window)) == [
        ("X", z(2026, 6, 1, 14), z(2026, 6, 1, 16)),
        ("Y", z(2026, 6, 1, 16), z(2026, 6, 1, 20)),
    ]
    reversed_order = Schedule("s", [DAILY_AB], [y, x])
    assert reversed_order.on_call_at(datetime(2026, 6, 1, 13, tzinfo=NY)) == "X"
    assert spans(reversed_order.shifts(*window)) == [
        ("X", z(2026, 6, 1, 14), z(2026, 6, 1, 18)),
        ("Y", z(2026, 6, 1, 18), z(2026, 6, 1, 20)),
    ]


def test_e25_overrides_in_the_past_are_data_the_core_accepts() -> None:
    past = Override("P", datetime(2026, 5, 31, 8, tzinfo=NY), datetime(2026, 5, 31, 10, tzinfo=NY))
    schedule = Schedule("s", [DAILY_AB], [past])
    assert schedule.on_call_at(datetime(2026, 5, 31, 9, tzinfo=NY)) == "P"


# -- E33-E38: composition ---------------------------------------------------------------

ALL_WEEK = Layer("base", ("A",), datetime(2026, 6, 1, tzinfo=NY), Turn.weeks(1), NY)
BUSINESS = Layer(
    "business",
    ("B",),
    datetime(2026, 6, 1, tzinfo=NY),
    Turn.weeks(1),
    NY,
    restrictions=[Restriction.weekly(d, time(9), timedelta(hours=8)) for d in WEEKDAYS],
)


def test_e33_the_last_layer_wins_and_its_gaps_fall_through() -> None:
    schedule = Schedule("s", [ALL_WEEK, BUSINESS])
    at = [
        datetime(2026, 6, 3, 10, tzinfo=NY),  # Wed 10:00
        datetime(2026, 6, 3, 18, tzinfo=NY),  # Wed 18:00
        datetime(2026, 6, 6, 10, tzinfo=NY),  # Sat 10:00
    ]
    assert [schedule.on_call_at(t) for t in at] == ["B", "A", "A"]
    wednesday = spans(
        schedule.shifts(datetime(2026, 6, 3, tzinfo=NY), datetime(2026, 6, 4, tzinfo=NY))
    )
    assert wednesday == [
        ("A", z(2026, 6, 3, 4), z(2026, 6, 3, 13)),
        ("B", z(2026, 6, 3, 13), z(2026, 6, 3, 21)),
        ("A", z(2026, 6, 3, 21), z(2026, 6, 4, 4)),
    ]


def test_e34_an_empty_turn_in_a_higher_layer_lets_the_lower_layer_show_through() -> None:
    upper = Layer("upper", ("B", None), datetime(2026, 6, 1, tzinfo=NY), Turn.days(1), NY)
    schedule = Schedule("s", [ALL_WEEK, upper])
    assert schedule.on_call_at(datetime(2026, 6, 1, 12, tzinfo=NY)) == "B"
    assert schedule.on_call_at(datetime(2026, 6, 2, 12, tzinfo=NY)) == "A"
    assert upper.on_call_at(datetime(2026, 6, 2, 12, tzinfo=NY)) is None


def test_e35_overrides_beat_a_temporary_layer_unlike_goalert() -> None:
    # GoAlert's temporary schedule beats its overrides; tocsin follows PagerDuty, where a
    # temporary roster is a last layer with start/end and overrides still win.
    temporary = Layer(
        "temporary",
        ("Y",),
        datetime(2026, 6, 1, tzinfo=NY),
        Turn.weeks(1),
        NY,
        start=datetime(2026, 6, 2, 9, tzinfo=NY),
        end=datetime(2026, 6, 2, 10, tzinfo=NY),
    )
    add_x = Override("X", datetime(2026, 6, 2, 9, tzinfo=NY), datetime(2026, 6, 2, 10, tzinfo=NY))
    schedule = Schedule("s", [ALL_WEEK, temporary], [add_x])
    assert schedule.on_call_at(datetime(2026, 6, 2, 9, 30, tzinfo=NY)) == "X"
    assert (
        Schedule("s", [ALL_WEEK, temporary]).on_call_at(datetime(2026, 6, 2, 9, 30, tzinfo=NY))
        == "Y"
    )


def test_e36_local_windows_stay_local_utc_windows_drift_like_grafana_web_rotations() -> None:
    local = always(LONDON, Restriction.daily(time(8, 30), timedelta(hours=9)))
    # Grafana's web UI stores the summer time 08:30 BST as 07:30 UTC and recurs in UTC.
    in_utc = always(ZoneInfo("UTC"), Restriction.daily(time(7, 30), timedelta(hours=9)))
    november = (datetime(2026, 11, 10, tzinfo=LONDON), datetime(2026, 11, 11, tzinfo=LONDON))
    [kept] = local.shifts(*november)
    [drifted] = in_utc.shifts(*november)
    assert (kept.start.astimezone(LONDON).time(), kept.end.astimezone(LONDON).time()) == (
        time(8, 30),
        time(17, 30),
    )
    assert (drifted.start.astimezone(LONDON).time(), drifted.end.astimezone(LONDON).time()) == (
        time(7, 30),
        time(16, 30),
    )


@pytest.mark.parametrize("turn", [Turn.weeks(1), Turn.elapsed(timedelta(seconds=604_800))])
def test_e37_weekly_turns_leave_no_gap_or_overlap_across_dst(turn: Turn) -> None:
    layer = Layer("l", ("A", "B", "C"), datetime(2026, 1, 5, 9, tzinfo=CHICAGO), turn, CHICAGO)
    schedule = Schedule("s", [layer])
    year = (z(2026, 1, 1), z(2027, 1, 1))
    assert list(schedule.gaps(*year)) == []
    shifts = list(schedule.shifts(*year))
    assert all(a.end == b.start for a, b in itertools.pairwise(shifts))
    local_hours = {s.start.astimezone(CHICAGO).hour for s in shifts[1:]}
    # Wall-clock weeks stay at 09:00; literal 604 800 s drift to 10:00 in summer.
    assert local_hours == ({9} if turn.wall_clock else {9, 10})


def test_e38_a_thirty_second_gap_is_reported_exactly() -> None:
    first = Override("A", datetime(2026, 6, 1, 9, tzinfo=NY), datetime(2026, 6, 1, 10, tzinfo=NY))
    second = Override(
        "B", datetime(2026, 6, 1, 10, 0, 30, tzinfo=NY), datetime(2026, 6, 1, 11, tzinfo=NY)
    )
    schedule = Schedule("s", [], [first, second])
    [gap] = schedule.gaps(datetime(2026, 6, 1, 9, tzinfo=NY), datetime(2026, 6, 1, 11, tzinfo=NY))
    assert (gap.start.astimezone(UTC), gap.duration) == (z(2026, 6, 1, 14), timedelta(seconds=30))


# -- E39-E40: arithmetic traps --------------------------------------------------------


def test_e39_shift_durations_are_elapsed_time_not_wall_differences() -> None:
    layer = Layer("l", ("A", "B"), datetime(2026, 3, 7, 9, tzinfo=NY), Turn.days(1), NY)
    [saturday, _] = layer.shifts(
        datetime(2026, 3, 7, 9, tzinfo=NY), datetime(2026, 3, 9, 9, tzinfo=NY)
    )
    assert saturday.start.tzinfo is saturday.end.tzinfo is NY
    assert saturday.end - saturday.start == timedelta(days=1)  # Python's wall difference
    assert saturday.duration == timedelta(hours=23)  # the real one


def test_e40_a_window_ending_in_the_fold_covers_the_second_occurrence() -> None:
    layer = always(NY, Restriction.daily(time(0), timedelta(hours=1, minutes=30)))
    day = (datetime(2026, 11, 1, tzinfo=NY), datetime(2026, 11, 2, tzinfo=NY))
    [window] = layer.shifts(*day)
    assert (window.start.astimezone(UTC), window.end.astimezone(UTC)) == (
        z(2026, 11, 1, 4),  # 00:00 EDT
        z(2026, 11, 1, 6, 30),  # the second 01:30 (EST)
    )
    assert window.duration == timedelta(hours=2, minutes=30)
    # A window *starting* in the fold takes the first occurrence.
    late = always(NY, Restriction.daily(time(1, 30), timedelta(hours=1)))
    [fold_start] = late.shifts(*day)
    assert fold_start.start.astimezone(UTC) == z(2026, 11, 1, 5, 30)  # 01:30 EDT
    assert fold_start.end.astimezone(UTC) == z(2026, 11, 1, 7, 30)  # 02:30 EST


def test_e8_restriction_ends_in_a_fold_take_the_later_occurrence() -> None:
    evening = Restriction.daily(time(23), timedelta(hours=2, minutes=30))  # ends 01:30
    window = one_window(evening, NY, datetime(2026, 10, 31, 23, 30, tzinfo=NY))
    assert (window.start.astimezone(UTC), window.end.astimezone(UTC)) == (
        z(2026, 11, 1, 3),  # 23:00 EDT
        z(2026, 11, 1, 6, 30),  # 01:30 EST, the second occurrence
    )
    assert window.duration == timedelta(hours=3, minutes=30)
