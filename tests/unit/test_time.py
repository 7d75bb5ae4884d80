from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidInput, NaiveDatetimeError, TocsinError, UnknownZoneError
from tocsin.time import (
    Interval,
    SystemClock,
    elapsed,
    from_wall_clock,
    require_aware,
    to_utc,
    wall_clock_exists,
    zone,
)

if TYPE_CHECKING:
    from collections.abc import Callable

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
CHATHAM = ZoneInfo("Pacific/Chatham")
KOLKATA = ZoneInfo("Asia/Kolkata")


def test_naive_datetime_is_a_typed_value_error_naming_the_field() -> None:
    with pytest.raises(NaiveDatetimeError) as info:
        require_aware(datetime(2026, 1, 1), "layer.anchor")
    assert info.value.field == "layer.anchor"
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, TocsinError)
    assert "naive" in str(info.value)


def test_non_datetime_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="expected an aware datetime, got str"):
        require_aware("2026-01-01", "at")


def test_to_utc_and_elapsed_count_the_dst_hour() -> None:
    a = datetime(2026, 11, 1, 0, 30, tzinfo=NY)
    b = datetime(2026, 11, 1, 3, 30, tzinfo=NY)
    assert to_utc(a) == datetime(2026, 11, 1, 4, 30, tzinfo=UTC)
    assert elapsed(a, b) == timedelta(hours=4)
    assert b - a == timedelta(hours=3)  # why tocsin never subtracts same-zone datetimes


def test_zone_names_and_errors() -> None:
    assert zone("Asia/Kolkata") == KOLKATA
    assert zone(UTC) is UTC
    with pytest.raises(UnknownZoneError) as info:
        zone("Mars/Olympus_Mons", "schedule.tz")
    assert info.value.field == "schedule.tz"
    assert isinstance(info.value, LookupError)
    with pytest.raises(InvalidInput):
        zone("", "tz")
    with pytest.raises(UnknownZoneError):
        zone("../etc/passwd")


# Real transitions in 2026 (tzdata 2026.6).
@pytest.mark.parametrize(
    ("wall", "tz", "expected_utc"),
    [
        # New York springs forward 2026-03-08 02:00 EST -> 03:00 EDT.
        (datetime(2026, 3, 8, 2, 0), NY, datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        (datetime(2026, 3, 8, 2, 59, 59, 999999), NY, datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        (datetime(2026, 3, 8, 3, 0), NY, datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        # London springs forward 2026-03-29 01:00 GMT -> 02:00 BST.
        (datetime(2026, 3, 29, 1, 30), LONDON, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        # Sydney springs forward 2026-10-04 02:00 AEST -> 03:00 AEDT.
        (datetime(2026, 10, 4, 2, 15), SYDNEY, datetime(2026, 10, 3, 16, 0, tzinfo=UTC)),
        # Lord Howe moves 30 minutes: 2026-10-04 02:00 +10:30 -> 02:30 +11:00.
        (datetime(2026, 10, 4, 2, 10), LORD_HOWE, datetime(2026, 10, 3, 15, 30, tzinfo=UTC)),
        # Chatham springs forward 2026-09-27 02:45 +12:45 -> 03:45 +13:45.
        (datetime(2026, 9, 27, 3, 0), CHATHAM, datetime(2026, 9, 26, 14, 0, tzinfo=UTC)),
    ],
)
def test_gap_moves_to_the_first_instant_after_it(
    wall: datetime, tz: ZoneInfo, expected_utc: datetime
) -> None:
    result = from_wall_clock(wall, tz)
    assert result.astimezone(UTC) == expected_utc
    assert result.tzinfo is tz
    assert not wall_clock_exists(wall, tz) or wall == result.replace(tzinfo=None)


@pytest.mark.parametrize(
    ("wall", "tz", "earlier_utc", "later_utc"),
    [
        # New York falls back 2026-11-01 02:00 EDT -> 01:00 EST.
        (
            datetime(2026, 11, 1, 1, 30),
            NY,
            datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
            datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
        ),
        # London falls back 2026-10-25 02:00 BST -> 01:00 GMT.
        (
            datetime(2026, 10, 25, 1, 0),
            LONDON,
            datetime(2026, 10, 25, 0, 0, tzinfo=UTC),
            datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
        ),
        # Sydney falls back 2026-04-05 03:00 AEDT -> 02:00 AEST.
        (
            datetime(2026, 4, 5, 2, 30),
            SYDNEY,
            datetime(2026, 4, 4, 15, 30, tzinfo=UTC),
            datetime(2026, 4, 4, 16, 30, tzinfo=UTC),
        ),
        # Lord Howe falls back 30 minutes 2026-04-05 02:00 +11 -> 01:30 +10:30.
        (
            datetime(2026, 4, 5, 1, 45),
            LORD_HOWE,
            datetime(2026, 4, 4, 14, 45, tzinfo=UTC),
            datetime(2026, 4, 4, 15, 15, tzinfo=UTC),
        ),
    ],
)
def test_fold_takes_the_requested_occurrence(
    wall: datetime, tz: ZoneInfo, earlier_utc: datetime, later_utc: datetime
) -> None:
    assert from_wall_clock(wall, tz).astimezone(UTC) == earlier_utc
    assert from_wall_clock(wall, tz, fold="later").astimezone(UTC) == later_utc
    assert wall_clock_exists(wall, tz)


def test_ordinary_times_and_zones_without_dst() -> None:
    wall = datetime(2026, 7, 1, 9, 0)
    assert from_wall_clock(wall, KOLKATA).astimezone(UTC) == datetime(2026, 7, 1, 3, 30, tzinfo=UTC)
    assert from_wall_clock(wall, UTC) == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def test_from_wall_clock_rejects_aware_input() -> None:
    with pytest.raises(InvalidInput) as info:
        from_wall_clock(datetime(2026, 1, 1, tzinfo=UTC), NY)
    assert info.value.field == "wall"


def test_interval_is_half_open_and_validated() -> None:
    start = datetime(2026, 3, 8, tzinfo=NY)
    end = datetime(2026, 3, 9, tzinfo=NY)
    day = Interval(start, end)
    assert day.duration == timedelta(hours=23)
    assert start in day
    assert end not in day
    assert end - timedelta(microseconds=1) in day
    assert Interval(start, start).empty
    with pytest.raises(InvalidInput) as info:
        Interval(end, start)
    assert info.value.field == "end"
    with pytest.raises(NaiveDatetimeError) as naive:
        Interval(datetime(2026, 1, 1), end)
    assert naive.value.field == "start"


def test_interval_equality_uses_instants_not_wall_fields() -> None:
    # 01:30 EDT and 01:30 EST share wall fields but are an hour apart.
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NY, fold=0)
    second = datetime(2026, 11, 1, 1, 30, tzinfo=NY, fold=1)
    end = datetime(2026, 11, 1, 3, 0, tzinfo=NY)
    assert Interval(first, end) != Interval(second, end)
    assert Interval(first, end).duration == timedelta(hours=2, minutes=30)
    same = Interval(first.astimezone(UTC), end.astimezone(LONDON))
    assert same == Interval(first, end)
    assert hash(same) == hash(Interval(first, end))


def test_interval_set_operations() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    h = timedelta(hours=1)
    a = Interval(t, t + 2 * h)
    b = Interval(t + h, t + 3 * h)
    c = Interval(t + 2 * h, t + 3 * h)
    assert a.overlaps(b)
    assert not a.overlaps(c)  # touching is not overlapping: half-open
    assert a.intersection(b) == Interval(t + h, t + 2 * h)
    assert a.intersection(c) is None
    assert a.astimezone(SYDNEY) == a


def test_invalid_input_within_prefixes_the_path_and_pickles() -> None:
    err = InvalidInput("turn", "must be positive")
    assert err.within("layers[2]").field == "layers[2].turn"
    assert InvalidInput("[0]", "empty").within("users").field == "users[0]"
    assert InvalidInput("", "bad").within("payload").field == "payload"
    clone = pickle.loads(pickle.dumps(NaiveDatetimeError("at", "naive")))  # noqa: S301
    assert type(clone) is NaiveDatetimeError
    assert clone.field == "at"


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC


# --- the ends of datetime's range -------------------------------------------------

PLUS_5 = ZoneInfo("Asia/Karachi")  # UTC+05:00 since 1971; LMT before
EARLY_EAST = datetime(1, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo"))  # 0000-12-31 in UTC
LATE_WEST = datetime(9999, 12, 31, 23, tzinfo=NY)  # 10000-01-01 in UTC


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: to_utc(EARLY_EAST, "at"), "at"),
        (lambda: to_utc(LATE_WEST, "at"), "at"),
        (lambda: elapsed(EARLY_EAST, datetime(2, 1, 1, tzinfo=UTC)), "start"),
        (lambda: elapsed(datetime(2, 1, 1, tzinfo=UTC), LATE_WEST), "end"),
        (lambda: Interval(EARLY_EAST, datetime(2, 1, 1, tzinfo=UTC)), "start"),
        (lambda: Interval(datetime(9999, 1, 1, tzinfo=UTC), LATE_WEST), "end"),
        (
            lambda: (
                EARLY_EAST in Interval(datetime(1, 1, 2, tzinfo=UTC), datetime(2, 1, 1, tzinfo=UTC))
            ),
            "at",
        ),
    ],
)
def test_an_instant_utc_cannot_show_is_an_error_naming_the_field(
    call: Callable[[], object], field: str
) -> None:
    """Not a bare OverflowError from a subtraction later: the field that led there."""
    with pytest.raises(InvalidInput) as err:
        call()
    assert err.value.field == field
    assert "outside the years 1-9999" in str(err.value)


def test_an_interval_with_no_reading_in_a_zone_is_an_error_naming_tz() -> None:
    last = Interval(
        datetime(9999, 12, 31, 23, tzinfo=UTC), datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    )
    with pytest.raises(InvalidInput) as err:
        last.astimezone(ZoneInfo("Pacific/Kiritimati"))  # UTC+14: already the year 10000
    assert err.value.field == "tz"
    assert last.astimezone(NY).start == last.start


def test_wall_clock_exists_within_hours_of_the_ends_of_the_range() -> None:
    # New York's wall clock on 9999-12-31 23:00 is 10000-01-01 04:00 UTC; Tokyo's
    # 0001-01-01 00:00 is 0000-12-31 in UTC.  Both readings exist (no transition there).
    assert wall_clock_exists(datetime(9999, 12, 31, 23), NY)
    assert wall_clock_exists(datetime(1, 1, 1), ZoneInfo("Asia/Tokyo"))
    assert wall_clock_exists(datetime(1, 1, 1), PLUS_5)


class _PytzLike(tzinfo):
    """What a pytz zone looks like to tocsin: a tzinfo with localize and normalize.

    Attached with ``tzinfo=``, a real pytz zone answers its first (LMT) offset: -04:56
    for New York.  pytz is not a dependency, so the shape stands in for it.
    """

    def utcoffset(self, _dt: datetime | None) -> timedelta:
        return timedelta(hours=-4, minutes=-56)

    def dst(self, _dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, _dt: datetime | None) -> str:
        return "LMT"

    def localize(self, dt: datetime) -> datetime:
        return dt.replace(tzinfo=self)

    def normalize(self, dt: datetime) -> datetime:
        return dt


def test_a_pytz_zone_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        zone(_PytzLike(), "layers[0].tz")
    assert err.value.field == "layers[0].tz"
    assert "pytz" in str(err.value)
    assert zone(NY) is NY
