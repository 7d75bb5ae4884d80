"""Follow-the-sun: the figures of reference/schedules.md section 5.2, reproduced.

Each table row is checked on a UTC-day basis, as the reference computed it: the gap and
overlap minutes of one UTC day and the UTC spans they fall in.  The year scans check
every day of 2026 against the reference's date ranges.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidInput
from tocsin.schedules import Override, Region, Schedule, follow_the_sun

SYDNEY = ZoneInfo("Australia/Sydney")
LONDON = ZoneInfo("Europe/London")
NY = ZoneInfo("America/New_York")

Spans = str  # "05:00-08:00 20:00-21:00": UTC clock spans within the day


def region(name: str, tz: str, start: int, end: int, users: tuple[str, ...]) -> Region:
    zone = ZoneInfo(tz)
    return Region(
        name,
        zone,
        time(start),
        time(end),
        users,
        anchor=datetime(2026, 1, 5, start, tzinfo=zone),  # a Monday, at the region's start
    )


# A: 08:00-16:00 local everywhere.  B: windows that tile 24 h in January.
A = follow_the_sun(
    "A",
    [
        region("APAC", "Australia/Sydney", 8, 16, ("ana", "ali")),
        region("EMEA", "Europe/London", 8, 16, ("eve", "eli")),
        region("AMER", "America/New_York", 8, 16, ("amy", "abe")),
    ],
)
B = follow_the_sun(
    "B",
    [
        region("APAC", "Australia/Sydney", 9, 17, ("ana", "ali")),
        region("EMEA", "Europe/London", 6, 14, ("eve", "eli")),
        region("AMER", "America/New_York", 9, 17, ("amy", "abe")),
    ],
)


def day_figures(schedule: Schedule, day: date) -> tuple[int, Spans, int, Spans]:
    """(gap minutes, gap spans, overlap minutes, overlap spans) of one UTC day."""
    start = datetime.combine(day, time(0), tzinfo=UTC)
    report = schedule.coverage_report(start, start + timedelta(days=1))

    def clock(at: datetime) -> str:
        offset = at.astimezone(UTC) - start
        minutes = offset // timedelta(minutes=1)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    def merged(spans: list[tuple[datetime, datetime]]) -> Spans:
        out: list[list[datetime]] = []
        for begin, end in spans:
            if out and out[-1][1].astimezone(UTC) == begin.astimezone(UTC):
                out[-1][1] = end
            else:
                out.append([begin, end])
        return " ".join(f"{clock(b)}-{clock(e)}" for b, e in out)

    gap_minutes = report.gap_minutes
    overlap_minutes = report.overlap_minutes
    assert gap_minutes.denominator == overlap_minutes.denominator == 1
    return (
        int(gap_minutes),
        merged([(g.start, g.end) for g in report.gaps]),
        int(overlap_minutes),
        merged([(o.start, o.end) for o in report.overlaps]),
    )


@pytest.mark.parametrize(
    ("day", "gap", "gaps", "overlap", "overlaps"),
    [
        (date(2026, 1, 15), 180, "05:00-08:00", 180, "13:00-16:00"),
        (
            date(2026, 3, 8),
            240,
            "05:00-08:00 20:00-21:00",
            240,
            "12:00-16:00",
        ),
        (
            date(2026, 3, 10),
            240,
            "05:00-08:00 20:00-21:00",
            240,
            "12:00-16:00",
        ),
        (
            date(2026, 3, 29),
            180,
            "05:00-07:00 20:00-21:00",
            180,
            "12:00-15:00",
        ),
        (
            date(2026, 4, 5),
            180,
            "06:00-07:00 20:00-22:00",
            180,
            "12:00-15:00",
        ),
        (
            date(2026, 7, 15),
            180,
            "06:00-07:00 20:00-22:00",
            180,
            "12:00-15:00",
        ),
        (
            date(2026, 10, 4),
            180,
            "05:00-07:00 20:00-21:00",
            180,
            "12:00-15:00",
        ),
        (
            date(2026, 10, 28),
            240,
            "05:00-08:00 20:00-21:00",
            240,
            "12:00-16:00",
        ),
        (date(2026, 11, 2), 180, "05:00-08:00", 180, "13:00-16:00"),
    ],
)
def test_section_5_2_a_eight_to_four_local_never_tiles(
    day: date, gap: int, gaps: Spans, overlap: int, overlaps: Spans
) -> None:
    assert day_figures(A, day) == (gap, gaps, overlap, overlaps)


@pytest.mark.parametrize(
    ("day", "gap", "gaps", "overlap", "overlaps"),
    [
        (date(2026, 1, 15), 0, "", 0, ""),
        (date(2026, 3, 8), 60, "21:00-22:00", 60, "13:00-14:00"),
        (date(2026, 3, 10), 60, "21:00-22:00", 60, "13:00-14:00"),
        (date(2026, 3, 30), 60, "21:00-22:00", 60, "05:00-06:00"),
        (date(2026, 4, 6), 120, "21:00-23:00", 120, "05:00-07:00"),
        (date(2026, 7, 15), 120, "21:00-23:00", 120, "05:00-07:00"),
        (date(2026, 10, 5), 60, "21:00-22:00", 60, "05:00-06:00"),
        (date(2026, 10, 28), 60, "21:00-22:00", 60, "13:00-14:00"),
        (date(2026, 11, 2), 0, "", 0, ""),
        (date(2026, 12, 15), 0, "", 0, ""),
    ],
)
def test_section_5_2_b_windows_that_tile_in_january_drift_apart(
    day: date, gap: int, gaps: Spans, overlap: int, overlaps: Spans
) -> None:
    assert day_figures(B, day) == (gap, gaps, overlap, overlaps)


# The reference's year scans: date ranges of 2026 with identical coverage.
YEAR_A: list[tuple[date, date, int, Spans, int, Spans]] = [
    (date(2026, 1, 1), date(2026, 3, 7), 180, "05:00-08:00", 180, "13:00-16:00"),
    (date(2026, 3, 8), date(2026, 3, 28), 240, "05:00-08:00 20:00-21:00", 240, "12:00-16:00"),
    (date(2026, 3, 29), date(2026, 4, 3), 180, "05:00-07:00 20:00-21:00", 180, "12:00-15:00"),
    (date(2026, 4, 4), date(2026, 4, 4), 240, "05:00-07:00 20:00-22:00", 180, "12:00-15:00"),
    (date(2026, 4, 5), date(2026, 10, 2), 180, "06:00-07:00 20:00-22:00", 180, "12:00-15:00"),
    (date(2026, 10, 3), date(2026, 10, 3), 120, "06:00-07:00 20:00-21:00", 180, "12:00-15:00"),
    (date(2026, 10, 4), date(2026, 10, 24), 180, "05:00-07:00 20:00-21:00", 180, "12:00-15:00"),
    (date(2026, 10, 25), date(2026, 10, 31), 240, "05:00-08:00 20:00-21:00", 240, "12:00-16:00"),
    (date(2026, 11, 1), date(2026, 12, 31), 180, "05:00-08:00", 180, "13:00-16:00"),
]
YEAR_B: list[tuple[date, date, int, Spans, int, Spans]] = [
    (date(2026, 1, 1), date(2026, 3, 7), 0, "", 0, ""),
    (date(2026, 3, 8), date(2026, 3, 28), 60, "21:00-22:00", 60, "13:00-14:00"),
    (date(2026, 3, 29), date(2026, 4, 3), 60, "21:00-22:00", 60, "05:00-06:00"),
    (date(2026, 4, 4), date(2026, 4, 4), 120, "21:00-23:00", 60, "05:00-06:00"),
    (date(2026, 4, 5), date(2026, 10, 2), 120, "21:00-23:00", 120, "05:00-07:00"),
    (date(2026, 10, 3), date(2026, 10, 3), 60, "21:00-22:00", 120, "05:00-07:00"),
    (date(2026, 10, 4), date(2026, 10, 24), 60, "21:00-22:00", 60, "05:00-06:00"),
    (date(2026, 10, 25), date(2026, 10, 31), 60, "21:00-22:00", 60, "13:00-14:00"),
    (date(2026, 11, 1), date(2026, 12, 31), 0, "", 0, ""),
]


@pytest.mark.parametrize(("schedule", "ranges"), [(A, YEAR_A), (B, YEAR_B)], ids=["A", "B"])
def test_section_5_2_every_day_of_2026_matches_the_year_scan(
    schedule: Schedule, ranges: list[tuple[date, date, int, Spans, int, Spans]]
) -> None:
    for first, last, *expected in ranges:
        day = first
        while day <= last:
            assert day_figures(schedule, day) == tuple(expected), day
            day += timedelta(days=1)


def test_section_5_2_b_has_a_hole_after_the_amer_handoff_on_238_days() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    report = B.coverage_report(start, datetime(2027, 1, 1, tzinfo=UTC))
    holes = {gap.start.astimezone(UTC).date() for gap in report.gaps}
    assert len(holes) == 238
    assert all(gap.start.astimezone(UTC).time() == time(21) for gap in report.gaps)
    # 60 min on 03-08..04-03 (27 days), 10-03 and 10-04..10-31 (29 days); 120 min on
    # 04-04 and 04-05..10-02 (182 days).
    assert report.gap_minutes == 60 * (27 + 1 + 28) + 120 * 182


def test_section_5_2_c_utc_anchored_regions_never_gap_and_local_starts_drift() -> None:
    utc = follow_the_sun(
        "C",
        [
            Region(
                "APAC", "UTC", time(22), time(6), ["ana"], anchor=datetime(2026, 1, 5, tzinfo=UTC)
            ),
            Region(
                "EMEA", "UTC", time(6), time(14), ["eve"], anchor=datetime(2026, 1, 5, tzinfo=UTC)
            ),
            Region(
                "AMER", "UTC", time(14), time(22), ["amy"], anchor=datetime(2026, 1, 5, tzinfo=UTC)
            ),
        ],
    )
    year = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    report = utc.coverage_report(*year)
    assert report.gaps == ()
    assert report.overlaps == ()
    assert report.coverage == 1
    starts = {shift.start.astimezone(UTC): shift for shift in utc.shifts(*year)}

    def local_start(day: date, hour: int, tz: ZoneInfo) -> str:
        shift = starts[datetime.combine(day, time(hour), tzinfo=UTC)]
        return shift.start.astimezone(tz).strftime("%H:%M %Z")

    table = {
        date(2026, 1, 15): ("09:00 AEDT", "06:00 GMT", "09:00 EST"),
        date(2026, 3, 10): ("09:00 AEDT", "06:00 GMT", "10:00 EDT"),
        date(2026, 3, 30): ("09:00 AEDT", "07:00 BST", "10:00 EDT"),
        date(2026, 4, 6): ("08:00 AEST", "07:00 BST", "10:00 EDT"),
        date(2026, 7, 15): ("08:00 AEST", "07:00 BST", "10:00 EDT"),
        date(2026, 10, 5): ("09:00 AEDT", "07:00 BST", "10:00 EDT"),
        date(2026, 10, 28): ("09:00 AEDT", "06:00 GMT", "10:00 EDT"),
        date(2026, 11, 2): ("09:00 AEDT", "06:00 GMT", "09:00 EST"),
    }
    for day, expected in table.items():
        got = (
            local_start(day - timedelta(days=1), 22, SYDNEY),  # APAC's day starts 22:00Z before
            local_start(day, 6, LONDON),
            local_start(day, 14, NY),
        )
        assert got == expected, day


@pytest.mark.parametrize(
    ("day", "gap", "gaps", "overlap", "overlaps"),
    [
        (date(2026, 1, 15), 330, "00:00-03:30 22:00-24:00", 330, "09:00-11:30 14:00-17:00"),
        (date(2026, 7, 15), 390, "00:00-03:30 21:00-24:00", 390, "08:00-11:30 13:00-16:00"),
    ],
)
def test_section_5_2_d_kolkata_half_hour_boundaries(
    day: date, gap: int, gaps: Spans, overlap: int, overlaps: Spans
) -> None:
    schedule = follow_the_sun(
        "D",
        [
            region("IN", "Asia/Kolkata", 9, 17, ("ira",)),
            region("EMEA", "Europe/London", 9, 17, ("eve",)),
            region("AMER", "America/New_York", 9, 17, ("amy",)),
        ],
    )
    assert day_figures(schedule, day) == (gap, gaps, overlap, overlaps)


@pytest.mark.parametrize(
    ("day", "gaps"),
    [(date(2026, 1, 15), "03:15-19:15"), (date(2026, 7, 15), "04:15-20:15")],
)
def test_section_5_2_e_chatham_quarter_hour_boundaries(day: date, gaps: Spans) -> None:
    schedule = follow_the_sun("E", [region("NZ-CHT", "Pacific/Chatham", 9, 17, ("cat",))])
    assert day_figures(schedule, day) == (960, gaps, 0, "")


def test_overlaps_name_the_layers_and_the_later_region_is_on_call() -> None:
    start = datetime(2026, 7, 15, tzinfo=UTC)
    report = B.coverage_report(start, start + timedelta(days=1))
    [overlap] = report.overlaps
    assert overlap.layers == ("APAC", "EMEA")
    assert overlap.duration == timedelta(hours=2)
    assert B.on_call_at(datetime(2026, 7, 15, 5, 30, tzinfo=UTC)) in {"eve", "eli"}
    assert report.coverage == Fraction(22, 24)


def test_regions_working_some_days_only_and_validation() -> None:
    weekdays = Region(
        "AMER",
        "America/New_York",
        time(22),
        time(6),
        ["amy"],
        anchor=datetime(2026, 1, 5, tzinfo=NY),
        days=["mon", "tue", "wed", "thu", "fri"],
    )
    assert weekdays.duration == timedelta(hours=8)
    schedule = follow_the_sun("weekdays", [weekdays], overrides=[])
    assert schedule.on_call_at(datetime(2026, 6, 6, 2, tzinfo=NY)) == "amy"  # Fri night
    assert schedule.on_call_at(datetime(2026, 6, 7, 2, tzinfo=NY)) is None  # Sat night
    whole_day = Region("X", "UTC", time(9), time(9), ["x"], anchor=datetime(2026, 1, 5, tzinfo=UTC))
    assert whole_day.duration == timedelta(days=1)
    with pytest.raises(InvalidInput) as info:
        Region("X", "UTC", time(9), time(17), [], anchor=datetime(2026, 1, 5, tzinfo=UTC)).layer()
    assert info.value.field == "regions['X'].users"
    with pytest.raises(InvalidInput) as info:
        Region(
            "X", "UTC", time(9), time(17), ["x"], anchor=datetime(2026, 1, 5, tzinfo=UTC), days=[]
        )
    assert info.value.field == "days"
    with pytest.raises(InvalidInput) as info:
        follow_the_sun("bad", ["APAC"])  # type: ignore[list-item]
    assert info.value.field == "regions[0]"
    cover = Override("o", datetime(2026, 6, 6, 12, tzinfo=NY), datetime(2026, 6, 6, 13, tzinfo=NY))
    with_override = follow_the_sun("o", [weekdays], overrides=[cover], tz="America/New_York")
    assert with_override.on_call_at(datetime(2026, 6, 6, 12, 30, tzinfo=NY)) == "o"
    assert with_override.tz == NY
