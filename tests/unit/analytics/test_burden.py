from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import attrs
import pytest

from tocsin.analytics import OnCallEntry, Page, burden, fairness
from tocsin.errors import InvalidInput
from tocsin.schedules import Layer, Override, Schedule, Shift, Turn
from tocsin.time import Interval

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")
HOUR = timedelta(hours=1)


def test_weekend_hours_follow_the_persons_wall_clock_across_dst() -> None:
    # Saturday 2026-03-07 00:00 to Monday 00:00 in New York: 24 h + 23 h (spring
    # forward on Sunday 8 March).
    shift = OnCallEntry(
        "alice", datetime(2026, 3, 7, tzinfo=NY), datetime(2026, 3, 9, tzinfo=NY), zone=NY
    )
    (alice,) = burden([shift])
    assert alice.on_call == 47 * HOUR
    assert alice.weekend_on_call == 47 * HOUR


def test_off_hours_pages_use_each_persons_own_zone() -> None:
    week = [
        OnCallEntry(
            "alice", datetime(2026, 3, 23, tzinfo=UTC), datetime(2026, 3, 30, tzinfo=UTC), zone=NY
        ),
        OnCallEntry(
            "bob", datetime(2026, 3, 23, tzinfo=UTC), datetime(2026, 3, 30, tzinfo=UTC), zone=LONDON
        ),
    ]
    pages = [
        # 07:30 UTC on 30 March is 08:30 in London (BST since the 29th): working hours
        # for bob, although it would be 07:30 on a GMT wall clock.
        Page("bob", datetime(2026, 3, 29, 7, 30, tzinfo=UTC)),
        # 02:00 UTC on Tuesday is 22:00 Monday in New York: off hours for alice.
        Page("alice", datetime(2026, 3, 24, 2, tzinfo=UTC)),
        # 13:00 UTC is 09:00 in New York (EDT): working hours.
        Page("alice", datetime(2026, 3, 24, 13, tzinfo=UTC)),
        # Saturday noon in London.
        Page("bob", datetime(2026, 3, 28, 12, tzinfo=UTC)),
    ]
    alice, bob = burden(week, pages)
    assert (alice.user, alice.pages, alice.off_hours_pages, alice.weekend_pages) == (
        "alice",
        2,
        1,
        0,
    )
    assert (bob.user, bob.pages, bob.off_hours_pages, bob.weekend_pages) == ("bob", 2, 0, 2)
    # Alice's shift starts Sunday 22 March 20:00 EDT (4 weekend hours), then Sat 28
    # 00:00 EDT to the shift's end, Mon 00:00 UTC = Sun 29 20:00 EDT (44 h): 48 h.
    # Bob's: Sat 28 00:00 GMT to his Monday, 00:00 BST = Sun 23:00 UTC: 47 h (BST
    # began at 01:00 UTC on the 29th).
    assert alice.weekend_on_call == 48 * HOUR
    assert bob.weekend_on_call == 47 * HOUR


def test_working_hours_are_configurable_and_half_open() -> None:
    shift = OnCallEntry(
        "alice", datetime(2026, 3, 23, tzinfo=NY), datetime(2026, 3, 24, tzinfo=NY), zone=NY
    )
    pages = [
        Page("alice", datetime(2026, 3, 23, 9, tzinfo=NY)),
        Page("alice", datetime(2026, 3, 23, 17, tzinfo=NY)),
    ]
    (strict,) = burden([shift], pages, day_start=time(9), day_end=time(17))
    assert strict.off_hours_pages == 1  # 17:00 is outside [09:00, 17:00)


def test_overlapping_shifts_count_once_and_period_clips() -> None:
    shifts = [
        OnCallEntry(
            "alice", datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC), zone="UTC"
        ),
        OnCallEntry(
            "alice", datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC), zone="UTC"
        ),
    ]
    (alice,) = burden(shifts)
    assert alice.on_call == 72 * HOUR
    period = Interval(datetime(2026, 3, 4, tzinfo=UTC), datetime(2026, 3, 10, tzinfo=UTC))
    pages = [
        Page("alice", datetime(2026, 3, 3, tzinfo=UTC)),
        Page("alice", datetime(2026, 3, 4, 12, tzinfo=UTC)),
    ]
    (clipped,) = burden(shifts, pages, period=period)
    assert clipped.on_call == 24 * HOUR
    assert clipped.pages == 1


@attrs.frozen
class Segment:
    """What a schedule render might yield: no zone of its own."""

    user: str
    start: datetime
    end: datetime


def test_any_span_with_user_start_end_works_given_zones() -> None:
    spans = [Segment("carol", datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC))]
    (carol,) = burden(spans, zones={"carol": "Asia/Kolkata"})
    assert carol.zone == ZoneInfo("Asia/Kolkata")
    assert carol.on_call == 24 * HOUR
    with pytest.raises(InvalidInput) as info:
        burden(spans)
    assert info.value.field == "zones['carol']"


def test_conflicting_shift_zones_must_be_resolved() -> None:
    shifts = [
        OnCallEntry(
            "dan", datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC), zone=NY
        ),
        OnCallEntry(
            "dan", datetime(2026, 3, 4, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC), zone=LONDON
        ),
    ]
    with pytest.raises(InvalidInput, match="different zones"):
        burden(shifts)
    (dan,) = burden(shifts, zones={"dan": LONDON})
    assert dan.zone == LONDON


def test_fairness_across_a_rotation_includes_people_with_nothing() -> None:
    shifts = [
        OnCallEntry(
            "alice", datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 9, tzinfo=UTC), zone="UTC"
        ),
        OnCallEntry(
            "bob", datetime(2026, 3, 9, tzinfo=UTC), datetime(2026, 3, 16, tzinfo=UTC), zone="UTC"
        ),
    ]
    pages = [Page("alice", datetime(2026, 3, 3, 3, tzinfo=UTC))] * 3
    burdens = burden(shifts, pages, users=["carol"], zones={"carol": "UTC"})
    assert [b.user for b in burdens] == ["alice", "bob", "carol"]
    f = fairness(burdens)
    assert f.people == 3
    assert f.on_call.mean == timedelta(days=14) / 3
    assert f.on_call.median == timedelta(days=7)
    assert f.on_call_gini == Fraction(1, 3)
    assert f.pages.mean == 1
    assert f.pages_gini == Fraction(2, 3)
    assert f.off_hours_pages.p90 == 3


def test_shift_and_page_validation() -> None:
    with pytest.raises(InvalidInput) as info:
        OnCallEntry("a", datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC))
    assert info.value.field == "end"
    with pytest.raises(InvalidInput) as info:
        OnCallEntry("", datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC))
    assert info.value.field == "user"
    with pytest.raises(InvalidInput) as info:
        Page("a", datetime(2026, 3, 2))
    assert info.value.field == "at"
    with pytest.raises(InvalidInput) as info:
        OnCallEntry(
            "a",
            datetime(2026, 3, 2, tzinfo=UTC),
            datetime(2026, 3, 3, tzinfo=UTC),
            zone="Mars/Base",
        )
    assert info.value.field == "zone"


def test_a_schedules_rendered_shifts_feed_burden_with_each_persons_zone() -> None:
    # A weekly rotation handed off Mondays 09:00 New York, Ana in New York and Kai in
    # Tokyo, with Kai covering Wednesday 12:00-18:00 for Ana.  The US clocks spring
    # forward on Sunday 8 March 2026, so Ana's week is 167 hours.
    rotation = Layer(
        "primary", ["ana", "kai"], datetime(2026, 3, 2, 9, tzinfo=NY), Turn.weeks(1), NY
    )
    cover = Override(
        "kai", datetime(2026, 3, 4, 12, tzinfo=NY), datetime(2026, 3, 4, 18, tzinfo=NY)
    )
    schedule = Schedule("ops", [rotation], [cover], tz=NY)
    start, end = datetime(2026, 3, 2, 9, tzinfo=NY), datetime(2026, 3, 16, 9, tzinfo=NY)
    shifts = list(schedule.shifts(start, end))
    assert all(isinstance(s, Shift) for s in shifts)
    assert [s.user for s in shifts] == ["ana", "kai", "ana", "kai"]
    pages = [
        Page("ana", datetime(2026, 3, 4, 7, 30, tzinfo=NY)),  # before 08:00: off hours
        Page("ana", datetime(2026, 3, 7, 14, tzinfo=NY)),  # Saturday afternoon
        Page("kai", datetime(2026, 3, 4, 20, tzinfo=UTC)),  # 05:00 Thursday in Tokyo
        Page("kai", datetime(2026, 3, 10, 3, tzinfo=UTC)),  # noon Tuesday in Tokyo
    ]
    ana, kai = burden(shifts, pages, zones={"ana": "America/New_York", "kai": "Asia/Tokyo"})
    assert (ana.user, ana.zone, kai.user, kai.zone) == ("ana", NY, "kai", TOKYO)
    # Ana: 167 h less Kai's 6 h cover.  Her weekend is Saturday 00:00 EST to Monday
    # 00:00 EDT on her own wall clock: 47 hours.
    assert ana.on_call == 161 * HOUR
    assert ana.weekend_on_call == 47 * HOUR
    assert (ana.pages, ana.off_hours_pages, ana.weekend_pages) == (2, 1, 1)
    # Kai: 168 h plus the 6 h cover (02:00-08:00 Thursday in Tokyo, not a weekend).
    # His weekend is Saturday 14 to Monday 16 March, 00:00 Tokyo: 48 hours (no DST).
    assert kai.on_call == 174 * HOUR
    assert kai.weekend_on_call == 48 * HOUR
    assert (kai.pages, kai.off_hours_pages, kai.weekend_pages) == (2, 1, 0)


def test_working_hours_may_cross_midnight_for_a_night_shift() -> None:
    # A night team works 20:00 to 08:00 on its own wall clock: its off hours are the
    # day.  The window is half-open at both ends, as the daytime one is.
    night = OnCallEntry(
        "nia", datetime(2026, 3, 23, tzinfo=NY), datetime(2026, 3, 25, tzinfo=NY), zone=NY
    )
    pages = [
        Page("nia", datetime(2026, 3, 23, 2, tzinfo=NY)),  # 02:00: working
        Page("nia", datetime(2026, 3, 23, 8, tzinfo=NY)),  # 08:00: off (end excluded)
        Page("nia", datetime(2026, 3, 23, 14, tzinfo=NY)),  # 14:00: off
        Page("nia", datetime(2026, 3, 23, 20, tzinfo=NY)),  # 20:00: working (start included)
        Page("nia", datetime(2026, 3, 23, 23, 59, tzinfo=NY)),  # working
        Page("nia", datetime(2026, 3, 24, 7, 59, tzinfo=NY)),  # working
    ]
    (nia,) = burden([night], pages, day_start=time(20), day_end=time(8))
    assert (nia.pages, nia.off_hours_pages) == (6, 2)
    (day,) = burden([night], pages)  # the default 08:00-20:00 window
    assert day.off_hours_pages == 4
    with pytest.raises(InvalidInput) as info:
        burden([night], pages, day_start=time(8), day_end=time(8))
    assert info.value.field == "day_end"


def test_weekend_hours_reach_the_last_day_python_can_hold() -> None:
    # 31 December 9999 is a Friday; the weekend before it is 25-26 December.  A shift
    # ending at the last instant Python holds must not step into the year 10000.
    end = datetime.max.replace(tzinfo=UTC)
    shift = OnCallEntry("zed", datetime(9999, 12, 24, tzinfo=UTC), end)
    (utc,) = burden([shift], zones={"zed": "UTC"})
    assert utc.weekend_on_call == 48 * HOUR
    (ny,) = burden([shift], zones={"zed": "America/New_York"})  # ends Friday 18:59 EST
    assert ny.weekend_on_call == 48 * HOUR
    assert ny.on_call == end - datetime(9999, 12, 24, tzinfo=UTC)
