from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidInput, NaiveDatetimeError, UnknownZoneError
from tocsin.services import SupportHours

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
OFFICE = SupportHours("Europe/London", days=(1, 2, 3, 4, 5), start=time(9), end=time(17))


def test_window_is_half_open_on_the_wall_clock() -> None:
    monday = datetime(2026, 1, 5, tzinfo=LONDON)
    assert not OFFICE.covers(monday.replace(hour=8, minute=59))
    assert OFFICE.covers(monday.replace(hour=9))
    assert OFFICE.covers(monday.replace(hour=16, minute=59, second=59))
    assert not OFFICE.covers(monday.replace(hour=17))
    assert not OFFICE.covers(datetime(2026, 1, 10, 12, tzinfo=LONDON))  # Saturday


def test_hours_follow_the_zone_across_the_spring_change() -> None:
    # BST starts 2026-03-29.  09:00 London is 09:00 UTC on Friday 27 March and
    # 08:00 UTC on Monday 30 March.
    assert OFFICE.covers(datetime(2026, 3, 27, 9, 0, tzinfo=UTC))
    assert not OFFICE.covers(datetime(2026, 3, 30, 7, 59, tzinfo=UTC))
    assert OFFICE.covers(datetime(2026, 3, 30, 8, 0, tzinfo=UTC))


def test_next_change_is_the_next_boundary_in_the_zone() -> None:
    friday_evening = datetime(2026, 3, 27, 18, tzinfo=LONDON)
    change = OFFICE.next_change(friday_evening)
    assert change is not None
    assert change.isoformat() == "2026-03-30T09:00:00+01:00"
    assert change.astimezone(UTC) == datetime(2026, 3, 30, 8, tzinfo=UTC)
    inside = OFFICE.next_change(datetime(2026, 3, 30, 10, tzinfo=LONDON))
    assert inside == datetime(2026, 3, 30, 17, tzinfo=LONDON)


def test_window_crossing_midnight() -> None:
    nights = SupportHours("UTC", days=(1,), start=time(22), end=time(6))
    assert nights.crosses_midnight
    assert nights.covers(datetime(2026, 1, 5, 23, tzinfo=UTC))  # Monday 23:00
    assert nights.covers(datetime(2026, 1, 6, 5, 59, tzinfo=UTC))  # Tuesday 05:59
    assert not nights.covers(datetime(2026, 1, 6, 6, tzinfo=UTC))
    assert not nights.covers(datetime(2026, 1, 6, 23, tzinfo=UTC))  # Tuesday night: not listed
    assert not nights.covers(datetime(2026, 1, 5, 5, tzinfo=UTC))  # Monday early: Sunday's window


def test_window_ending_in_a_fold_covers_both_occurrences_and_between() -> None:
    # New York falls back at 02:00 EDT on 2026-11-01 (Sunday); 01:00-01:59 occurs twice.
    late = SupportHours("America/New_York", days=(7,), start=time(0), end=time(1, 30))
    first = datetime(2026, 11, 1, 5, 15, tzinfo=UTC)  # 01:15 EDT
    between = datetime(2026, 11, 1, 5, 45, tzinfo=UTC)  # 01:45 EDT
    second = datetime(2026, 11, 1, 6, 15, tzinfo=UTC)  # 01:15 EST
    after = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    assert late.covers(first)
    assert late.covers(between)
    assert late.covers(second)
    assert not late.covers(after)
    change = late.next_change(first)
    assert change is not None
    # Compare in UTC: Python never finds a fold=1 time equal to one in another zone.
    assert change.astimezone(UTC) == after
    assert change.isoformat() == "2026-11-01T01:30:00-05:00"


def test_window_inside_a_gap_is_empty_that_day() -> None:
    # New York springs forward at 02:00 EST on 2026-03-08 (Sunday): 02:00-02:59 never occurs.
    gap = SupportHours("America/New_York", days=(7,), start=time(2), end=time(2, 30))
    assert not gap.covers(datetime(2026, 3, 8, 7, 0, tzinfo=UTC))  # 03:00 EDT
    assert not gap.covers(datetime(2026, 3, 8, 6, 59, tzinfo=UTC))  # 01:59 EST
    # The next Sunday the window exists again.
    change = gap.next_change(datetime(2026, 3, 8, 12, tzinfo=UTC))
    assert change == datetime(2026, 3, 15, 2, tzinfo=NEW_YORK)


def test_day_window_on_the_short_day_is_23_hours() -> None:
    always = SupportHours("America/New_York", days=(7,), start=time(0), end=time(23, 59))
    start = datetime(2026, 3, 8, 0, tzinfo=NEW_YORK)
    end = always.next_change(start)
    assert end is not None
    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 22 * 3600 + 59 * 60


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"days": ()}, InvalidInput, "days"),
        ({"days": (0,)}, InvalidInput, "days[0]"),
        ({"days": (1, 1)}, InvalidInput, "days[1]"),
        ({"days": (True,)}, InvalidInput, "days[0]"),
        ({"start": "09:00"}, InvalidInput, "start"),
        ({"end": time(9)}, InvalidInput, "end"),
        ({"start": time(9, tzinfo=UTC)}, InvalidInput, "start"),
    ],
)
def test_bad_hours_name_the_field(
    kwargs: dict[str, object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as info:
        SupportHours("UTC", **kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, InvalidInput)
    assert info.value.field == field


def test_unknown_zone_and_naive_instant() -> None:
    with pytest.raises(UnknownZoneError) as info:
        SupportHours("Mars/Olympus")
    assert info.value.field == "zone"
    with pytest.raises(NaiveDatetimeError):
        OFFICE.covers(datetime(2026, 1, 5, 10))


def test_describe() -> None:
    assert OFFICE.describe() == "Mon, Tue, Wed, Thu, Fri 09:00-17:00 Europe/London"
