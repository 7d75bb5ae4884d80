"""The rest of the public surface: shifts, sources, renders, next shifts, coverage."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta, tzinfo
from fractions import Fraction
from zoneinfo import ZoneInfo

import attrs
import pytest

from tocsin.errors import InvalidInput
from tocsin.schedules import (
    CoverageReport,
    Layer,
    Overlap,
    Override,
    Restriction,
    Schedule,
    Shift,
    Turn,
)
from tocsin.time import Interval

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
MON = datetime(2026, 6, 1, 9, tzinfo=NY)
DAY = timedelta(days=1)
ROTA = Layer("rota", ("A", "B", "C"), MON, Turn.days(1), NY)


def test_shift_is_a_validated_value_compared_by_instant() -> None:
    shift = Shift("A", MON, MON + DAY, sources=[ROTA])
    assert shift.sources == (ROTA,)
    assert shift == shift.astimezone(UTC)
    assert shift.interval == Interval(MON, MON + DAY)
    assert MON in shift
    assert MON + DAY not in shift
    assert shift.duration == DAY
    assert "layer 'rota'" in repr(shift)
    with pytest.raises(InvalidInput) as info:
        Shift("A", MON, MON)
    assert info.value.field == "end"
    with pytest.raises(InvalidInput) as info:
        Shift("", MON, MON + DAY)
    assert info.value.field == "user"


def test_reprs_read_like_the_constructors() -> None:
    assert repr(Turn.hours(2)) == "Turn.hours(2)"
    assert repr(Turn.months(1)) == "Turn.months(1)"
    assert repr(Restriction.daily(time(9), timedelta(hours=8))) == (
        "Restriction.daily(datetime.time(9, 0), datetime.timedelta(seconds=28800))"
    )
    assert Turn.days(2).wall_clock
    assert not Turn.elapsed(DAY).wall_clock


def test_a_merged_shift_names_every_source_in_order() -> None:
    base = Layer("base", ("A",), MON, Turn.weeks(1), NY)
    cover = Override("A", MON - DAY, MON)  # A also covers herself the day before
    evening = Override("B", MON + timedelta(hours=10), MON + timedelta(hours=12))
    schedule = Schedule("s", [base], [cover, evening], tz=NY)
    shifts = list(schedule.shifts(MON - DAY, MON + DAY))
    assert [(s.user, s.sources) for s in shifts] == [
        ("A", (cover, base)),
        ("B", (evening,)),
        ("A", (base,)),
    ]
    assert shifts[0].start == MON - DAY
    assert shifts[0].end == MON + timedelta(hours=10)
    assert shifts[0].start.tzinfo is NY


def test_layer_start_and_end_bound_the_layer() -> None:
    bounded = attrs.evolve(ROTA, start=MON + DAY, end=MON + 3 * DAY)
    assert bounded.on_call_at(MON) is None
    assert bounded.on_call_at(MON + DAY) == "B"
    assert bounded.on_call_at(MON + 3 * DAY) is None
    shifts = [(s.user, s.start, s.end) for s in bounded.shifts(MON - DAY, MON + 5 * DAY)]
    assert shifts == [("B", MON + DAY, MON + 2 * DAY), ("C", MON + 2 * DAY, MON + 3 * DAY)]
    # The rotation still counts from the anchor, not from the layer's start.
    assert bounded.turn_index(MON + DAY) == 1


def test_renders_are_lazy_even_over_a_century() -> None:
    hourly = Layer("h", ("A", "B"), MON, Turn.hours(1), NY)
    century = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    first = list(itertools.islice(hourly.shifts(*century), 3))
    assert [s.duration for s in first] == [timedelta(hours=1)] * 3
    schedule = Schedule("s", [hourly])
    assert len(list(itertools.islice(schedule.shifts(*century), 5))) == 5
    assert next(schedule.gaps(century[0], century[0] + timedelta(days=30)), None) is None


def test_an_empty_window_renders_nothing_and_an_empty_schedule_is_all_gap() -> None:
    assert list(ROTA.shifts(MON, MON)) == []
    assert list(Schedule("s", [ROTA]).shifts(MON, MON)) == []
    nobody = Schedule("nobody", [])
    assert nobody.on_call_at(MON) is None
    assert list(nobody.gaps(MON, MON + DAY)) == [Interval(MON, MON + DAY)]
    assert nobody.coverage(MON, MON + DAY) == 0


def test_handoffs_lists_turn_boundaries_in_the_layer_zone() -> None:
    bounds = list(ROTA.handoffs(MON, MON + 3 * DAY))
    assert bounds == [MON, MON + DAY, MON + 2 * DAY]
    assert all(b.tzinfo is NY for b in bounds)
    assert list(ROTA.handoffs(MON + timedelta(hours=1), MON + DAY)) == []
    assert ROTA.owner(-1) == "C"


def test_next_shifts_finds_a_users_coming_shifts() -> None:
    schedule = Schedule("s", [ROTA], tz=NY)
    now = MON + timedelta(hours=3)  # A is on call
    upcoming = schedule.next_shifts("A", now, 2)
    assert [(s.start, s.end) for s in upcoming] == [
        (now, MON + DAY),  # the one in progress, clipped to now
        (MON + 3 * DAY, MON + 4 * DAY),
    ]
    assert schedule.next_shifts("A", now, 0) == ()
    assert schedule.next_shifts("Z", now, 3) == ()
    assert len(schedule.next_shifts("B", now, 100, within=timedelta(days=9))) == 3


def test_coverage_is_an_exact_fraction() -> None:
    business = attrs.evolve(ROTA, restrictions=[Restriction.daily(time(9), timedelta(hours=8))])
    schedule = Schedule("s", [business])
    assert schedule.coverage(MON - timedelta(hours=9), MON + timedelta(hours=15)) == Fraction(1, 3)
    odd = timedelta(microseconds=1)
    assert schedule.coverage(MON - odd, MON + odd) == Fraction(1, 2)


def test_coverage_report_values() -> None:
    start = datetime(2026, 6, 1, tzinfo=UTC)
    gap = Interval(start, start + timedelta(minutes=90))
    overlap = Overlap(start + DAY / 2, start + DAY / 2 + timedelta(seconds=30), ("x", "y"))
    report = CoverageReport(Interval(start, start + DAY), gaps=[gap], overlaps=[overlap])
    assert report.gap_minutes == 90
    assert report.overlap_minutes == Fraction(1, 2)
    assert report.coverage == Fraction(1440 - 90, 1440)
    empty = CoverageReport(Interval(start, start), gaps=[], overlaps=[])
    assert empty.coverage == 1
    with pytest.raises(InvalidInput) as info:
        Overlap(start, start + DAY, ("only one",))
    assert info.value.field == "layers"
    with pytest.raises(InvalidInput):
        Overlap(start, start, ("x", "y"))


def test_coverage_report_over_two_overlapping_layers() -> None:
    business = attrs.evolve(
        ROTA, name="business", restrictions=[Restriction.daily(time(9), timedelta(hours=8))]
    )
    schedule = Schedule("s", [ROTA, business], tz=LONDON)
    report = schedule.coverage_report(MON, MON + DAY)
    assert report.gaps == ()
    assert [(o.start, o.end, o.layers) for o in report.overlaps] == [
        (MON, MON + timedelta(hours=8), ("rota", "business"))
    ]
    assert report.overlaps[0].start.tzinfo is LONDON


def test_a_schedule_plugs_in_wherever_on_call_at_is_expected() -> None:
    def page(resolver: object, at: datetime) -> str | None:
        on_call_at = resolver.on_call_at  # type: ignore[attr-defined]
        result: str | None = on_call_at(at)
        return result

    assert page(Schedule("s", [ROTA]), MON) == "A"
    assert page(ROTA, MON + DAY) == "B"


def test_values_are_frozen_and_hashable() -> None:
    schedule = Schedule("s", [ROTA])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        schedule.name = "t"  # type: ignore[misc]
    assert hash(schedule) == hash(Schedule("s", [ROTA]))
    assert attrs.evolve(ROTA, anchor=MON.astimezone(UTC)) == ROTA  # compared by instant


@pytest.mark.parametrize("tz", [NY, UTC], ids=str)
def test_overlaps_either_side_of_the_repeated_hour_stay_apart(tz: tzinfo) -> None:
    # Layer "b" is on 04:30-05:30Z and 06:30-07:30Z; the first ends at 01:30 EDT and the
    # second starts at 01:30 EST, the same wall reading an hour apart.  Compared by wall
    # fields (same tzinfo, fold ignored) the two overlaps would merge into one of 3 h.
    on = Layer("a", ["x"], datetime(2026, 1, 1, tzinfo=UTC), Turn.days(1), UTC)
    hourly = Layer(
        "b",
        ["b", None],
        datetime(2026, 11, 1, 4, 30, tzinfo=UTC),
        Turn.elapsed(timedelta(hours=1)),
        UTC,
    )
    schedule = Schedule("s", [on, hourly], tz=tz)
    report = schedule.coverage_report(
        datetime(2026, 11, 1, 4, 30, tzinfo=UTC), datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    )
    # Compared in UTC: PEP 495 makes an ambiguous time unequal to every other zone's.
    assert [
        (o.start.astimezone(UTC), o.end.astimezone(UTC), o.layers) for o in report.overlaps
    ] == [
        (
            datetime(2026, 11, 1, 4, 30, tzinfo=UTC),
            datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
            ("a", "b"),
        ),
        (
            datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
            datetime(2026, 11, 1, 7, 30, tzinfo=UTC),
            ("a", "b"),
        ),
    ]
    assert report.overlap_minutes == 120
