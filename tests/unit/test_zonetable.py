"""The private zone tables of ``tocsin._zonetable`` against the standard library.

The oracle is the standard library's pure-Python ``zoneinfo`` implementation (tests
only): its explicit transition list ``_trans_utc`` and, after the last explicit
transition, the transitions its POSIX TZ rule generates year by year, each confirmed by
its own ``fromutc``.  The tables are built by sampling the C implementation, so the two
agreeing checks the sampling finds every transition, to the microsecond, in every zone.
"""

from __future__ import annotations

import importlib.resources
import itertools
import zoneinfo
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

# The stdlib's pure-Python twin of ZoneInfo (no stubs), the oracle.
from zoneinfo._zoneinfo import ZoneInfo as PureZoneInfo  # type: ignore[import-not-found]
from zoneinfo._zoneinfo import _TZStr

import pytest

from tocsin._zonetable import (
    DAY,
    EPOCH_ORDINAL,
    HOUR,
    SECOND,
    Zone,
    ZoneTable,
    _IrregularZoneError,
    instant,
    micros,
    resolve_slow,
    wall_micros,
    zone_table,
)
from tocsin.testing._time import DST_ZONES

ALL_ZONES = sorted(zoneinfo.available_timezones())
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def day_number(year: int) -> int:
    """The first instant of ``year`` (UTC) in microseconds."""
    return (date(year, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY


def pure_offset(pure: tzinfo, seconds: int) -> int:
    """The pure-Python zone's UTC offset at an instant, in microseconds."""
    off = (EPOCH + timedelta(seconds=seconds)).astimezone(pure).utcoffset()
    assert off is not None
    return off // timedelta(microseconds=1)


def oracle(key: str, first_year: int, last_year: int) -> list[tuple[int, int]]:
    """``(instant, offset after)`` of every offset change in the years, per the stdlib."""
    pure = PureZoneInfo.no_cache(key)
    start, end = day_number(first_year) // SECOND, day_number(last_year + 1) // SECOND
    candidates = set(pure._trans_utc)  # the oracle's own table
    rule = pure._tz_after
    if isinstance(rule, _TZStr):
        std = int(rule.std.utcoff.total_seconds())
        dst = int(rule.dst.utcoff.total_seconds())
        for year in range(first_year - 1, last_year + 2):
            begins, ends = rule.transitions(year)
            candidates.update((begins - std, ends - dst))
    changes = []
    for moment in sorted(c for c in candidates if start <= c < end):
        after = pure_offset(pure, moment)
        if pure_offset(pure, moment - 1) != after:
            changes.append((moment * SECOND, after))
    return changes


def test_every_zone_matches_the_standard_library_from_1970_to_2060() -> None:
    lo, hi = day_number(1970), day_number(2061)
    mismatched = []
    for key in ALL_ZONES:
        table = ZoneTable(ZoneInfo(key))
        if table.transitions(lo, hi) != oracle(key, 1970, 2060):
            mismatched.append(key)
        assert table.offset(lo) == pure_offset(PureZoneInfo.no_cache(key), lo // SECOND), key
    assert mismatched == []


@pytest.mark.parametrize("key", DST_ZONES)
def test_the_tested_zones_match_the_standard_library_from_1900(key: str) -> None:
    table = ZoneTable(ZoneInfo(key))
    assert table.transitions(day_number(1900), day_number(1970)) == oracle(key, 1900, 1969)


def test_rule_generated_transitions_match_far_past_the_last_explicit_one() -> None:
    checked = 0
    for key in ALL_ZONES:
        if not isinstance(PureZoneInfo.no_cache(key)._tz_after, _TZStr):
            continue
        table = ZoneTable(ZoneInfo(key))
        for first, last in ((2099, 2101), (2399, 2401)):
            expected = oracle(key, first, last)
            assert table.transitions(day_number(first), day_number(last + 1)) == expected, key
            checked += len(expected)
    assert checked > 1000  # the rules did generate transitions


def test_no_two_transitions_of_any_zone_are_within_three_days_since_1900() -> None:
    # The premise of the tables: sampling once a day finds every transition and the
    # three days bisected around each change hold only that one.  (In tzdata 2026 the
    # closest pair is 166 hours apart.)
    closest = min(
        later[0] - earlier[0]
        for key in ALL_ZONES
        for earlier, later in itertools.pairwise(oracle(key, 1900, 2060))
    )
    assert closest > 3 * DAY


# -- named examples --------------------------------------------------------------------

NY = ZoneInfo("America/New_York")
SPRING_2026 = micros(datetime(2026, 3, 8, 7, tzinfo=UTC))  # 02:00 EST -> 03:00 EDT
FALL_2026 = micros(datetime(2026, 11, 1, 6, tzinfo=UTC))  # 02:00 EDT -> 01:00 EST


def wall(*fields: int) -> int:
    return wall_micros(datetime(*fields))  # type: ignore[arg-type]


def test_new_york_2026_transitions_are_exact() -> None:
    table = zone_table(NY)
    assert isinstance(table, ZoneTable)
    assert table.transitions(day_number(2026), day_number(2027)) == [
        (SPRING_2026, -4 * HOUR),
        (FALL_2026, -5 * HOUR),
    ]
    assert table.offset(SPRING_2026 - 1) == -5 * HOUR
    assert table.offset(SPRING_2026) == -4 * HOUR


def test_a_wall_time_in_the_gap_resolves_to_the_transition() -> None:
    table = zone_table(NY)
    assert table.resolve(wall(2026, 3, 8, 2, 30)) == SPRING_2026
    assert table.resolve(wall(2026, 3, 8, 2, 30), later=True) == SPRING_2026
    assert table.resolve(wall(2026, 3, 8, 2)) == SPRING_2026
    assert table.resolve(wall(2026, 3, 8, 3)) == SPRING_2026
    assert table.resolve(wall(2026, 3, 8, 1, 59, 59, 999999)) == SPRING_2026 - 1


def test_a_wall_time_in_the_fold_takes_the_earlier_or_later_occurrence() -> None:
    table = zone_table(NY)
    half_past_one = wall(2026, 11, 1, 1, 30)
    assert table.resolve(half_past_one) == FALL_2026 - 30 * 60 * SECOND  # 01:30 EDT
    assert table.resolve(half_past_one, later=True) == FALL_2026 + 30 * 60 * SECOND  # EST
    assert table.resolve(wall(2026, 11, 1, 2)) == FALL_2026 + HOUR  # 02:00 EST, once


def test_safe_spans_end_at_gaps_and_folds() -> None:
    table = zone_table(NY)
    u, off, lo, hi = table.resolve_span(wall(2026, 6, 1, 12))
    assert (off, lo, hi) == (-4 * HOUR, wall(2026, 3, 8, 3), wall(2026, 11, 1, 1))
    assert u == micros(datetime(2026, 6, 1, 16, tzinfo=UTC))
    # Inside the fold: the span returned is the next one, which starts after the fold.
    _, off, lo, _ = table.resolve_span(wall(2026, 11, 1, 1, 30))
    assert (off, lo) == (-5 * HOUR, wall(2026, 11, 1, 2))
    # An instant in the fold has an ambiguous wall reading: outside its safe span.
    off, lo, hi = table.instant_span(FALL_2026 - 1)
    assert not lo <= FALL_2026 - 1 + off < hi


def test_fixed_offsets_are_tables_without_transitions() -> None:
    plus_5_30 = timezone(timedelta(hours=5, minutes=30))
    table = zone_table(plus_5_30)
    assert isinstance(table, ZoneTable)
    assert table.offset(0) == 5 * HOUR + 30 * 60 * SECOND
    assert table.resolve(wall(2026, 3, 8, 2, 30)) == micros(
        datetime(2026, 3, 8, 2, 30, tzinfo=plus_5_30)
    )


class _NoFoldZone(tzinfo):
    """A tzinfo that is not a ZoneInfo: the generic path must answer for it."""

    def utcoffset(self, dt: datetime | None) -> timedelta:  # noqa: ARG002
        return timedelta(hours=-3)

    def dst(self, dt: datetime | None) -> timedelta:  # noqa: ARG002
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:  # noqa: ARG002
        return "X"


def test_other_tzinfos_take_the_generic_path() -> None:
    odd = _NoFoldZone()
    table = zone_table(odd)
    assert type(table) is Zone
    assert table.resolve(wall(2026, 3, 8, 2, 30)) == micros(datetime(2026, 3, 8, 5, 30, tzinfo=UTC))
    assert table.instant_span(0) == (-3 * HOUR, 0, 0)  # an empty safe span: always exact
    # A zone read from a file (no key) could hold anything: generic too, and still right.
    tzif = importlib.resources.files("tzdata.zoneinfo.America").joinpath("New_York")
    with tzif.open("rb") as raw:
        from_file = ZoneInfo.from_file(raw)
    generic = zone_table(from_file)
    assert type(generic) is Zone
    assert generic.resolve(wall(2026, 3, 8, 2, 30)) == SPRING_2026
    assert generic.resolve(wall(2026, 11, 1, 1, 30), later=True) == FALL_2026 + 30 * 60 * SECOND


class _GapBlindZone(tzinfo):
    """New York as python-dateutil 2.x's ``tz.gettz`` answers it: ``fold`` is honoured
    in a fold but ignored in a gap, where both folds give the offset after the change
    (PEP 495 says fold=0 gives the one before)."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        if dt is None:
            return None
        wall = dt.replace(tzinfo=None)
        first, second = (wall.replace(tzinfo=NY, fold=f).utcoffset() for f in (0, 1))
        if first == second or first is None or second is None:
            return first
        exists = wall.replace(tzinfo=NY).astimezone(UTC).astimezone(NY).replace(tzinfo=None)
        if exists == wall.replace(fold=0):
            return first if dt.fold == 0 else second
        return max(first, second)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None if dt is None else dt.replace(tzinfo=NY).dst()

    def tzname(self, dt: datetime | None) -> str:  # noqa: ARG002
        return "gap-blind New York"

    def fromutc(self, dt: datetime) -> datetime:
        return dt.replace(tzinfo=UTC).astimezone(NY).replace(tzinfo=self)


def test_a_tzinfo_blind_to_fold_in_gaps_still_resolves_a_gap_wall_after_the_gap() -> None:
    # python-dateutil 2.9 (allowed by our pin) answers 02:30 on the spring-forward night
    # with EDT whatever the fold, so both folds agree and the gap went unnoticed:
    # 02:30 came out as 06:30Z, 01:30 EST, an hour *before* the gap.
    blind = _GapBlindZone()
    table = zone_table(blind)
    assert type(table) is Zone
    assert table.resolve(wall(2026, 3, 8, 2, 30)) == SPRING_2026
    assert table.resolve(wall(2026, 3, 8, 2, 30), later=True) == SPRING_2026
    assert table.resolve(wall(2026, 3, 8, 2)) == SPRING_2026
    assert table.resolve(wall(2026, 3, 8, 3)) == SPRING_2026
    assert table.resolve(wall(2026, 3, 8, 1, 59)) == SPRING_2026 - 60 * SECOND
    assert table.resolve(wall(2026, 11, 1, 1, 30)) == FALL_2026 - 30 * 60 * SECOND
    assert table.resolve(wall(2026, 11, 1, 1, 30), later=True) == FALL_2026 + 30 * 60 * SECOND
    moved = resolve_slow(datetime(2026, 3, 8, 2, 30), blind)
    assert moved.astimezone(UTC) == datetime(2026, 3, 8, 7, tzinfo=UTC)


def test_instants_convert_exactly_including_the_fold() -> None:
    second_half_past_one = instant(FALL_2026 + 30 * 60 * SECOND, NY)
    assert second_half_past_one.fold == 1
    assert second_half_past_one.replace(tzinfo=None) == datetime(2026, 11, 1, 1, 30)
    assert instant(FALL_2026 - 30 * 60 * SECOND, NY).fold == 0
    assert instant(-1, UTC) == datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert resolve_slow(datetime(2026, 11, 1, 1, 30), NY, later=True).fold == 1


# -- the generic fallback: irregular zones and the ends of datetime's range ------------

PARIS_SPRING = micros(datetime(2026, 3, 29, 1, tzinfo=UTC))  # 02:00 CET -> 03:00 CEST
PARIS_FALL = micros(datetime(2026, 10, 25, 1, tzinfo=UTC))  # 03:00 CEST -> 02:00 CET
MINUTE = 60 * SECOND


def irregular(key: str) -> ZoneTable:
    """A fresh table for ``key`` marked irregular: it must answer from the generic path."""
    table = ZoneTable(ZoneInfo.no_cache(key))
    table._irregular = True
    return table


def test_an_irregular_zone_answers_through_the_generic_path() -> None:
    # Before the fix every one of these recursed: ZoneTable.offset -> instant_span ->
    # Zone.instant_span -> self.offset -> ZoneTable.offset ...
    table = irregular("Europe/Paris")
    assert table.offset(micros(datetime(2026, 7, 1, tzinfo=UTC))) == 2 * HOUR
    assert table.offset(PARIS_SPRING - 1) == HOUR
    assert table.offset(PARIS_SPRING) == 2 * HOUR
    assert table.instant_span(PARIS_FALL) == (HOUR, 0, 0)  # an empty span: always exact
    assert table.resolve(wall(2026, 3, 29, 2, 30)) == PARIS_SPRING  # the gap
    assert table.resolve(wall(2026, 10, 25, 2, 30)) == PARIS_FALL - 30 * MINUTE  # 02:30 CEST
    assert table.resolve(wall(2026, 10, 25, 2, 30), later=True) == PARIS_FALL + 30 * MINUTE
    assert table.resolve_span(wall(2026, 6, 1, 12)) == (
        micros(datetime(2026, 6, 1, 10, tzinfo=UTC)),
        0,
        0,
        0,
    )
    later = table.resolve_datetime(datetime(2026, 10, 25, 2, 30), later=True)
    assert (later.fold, later.astimezone(UTC)) == (1, datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert not table._chunks


def test_a_zone_found_irregular_while_building_falls_back_for_good(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = ZoneTable(ZoneInfo.no_cache("America/New_York"))

    def too_close(_self: ZoneTable, _key: int) -> None:
        raise _IrregularZoneError

    monkeypatch.setattr(ZoneTable, "_build", too_close)
    assert table.offset(SPRING_2026) == -4 * HOUR
    assert table._irregular
    assert table.resolve(wall(2026, 3, 8, 2, 30)) == SPRING_2026
    assert table.resolve(wall(2026, 11, 1, 1, 30), later=True) == FALL_2026 + 30 * MINUTE


FIRST_INSTANT = micros(datetime.min.replace(tzinfo=UTC))
LAST_INSTANT = micros(datetime.max.replace(tzinfo=UTC))
LMT_NEW_YORK = -(4 * HOUR + 56 * MINUTE + 2 * SECOND)
LMT_TOKYO = 9 * HOUR + 18 * MINUTE + 59 * SECOND


@pytest.mark.parametrize(
    "table", [zone_table(NY), irregular("America/New_York")], ids=["table", "irregular"]
)
def test_instants_and_walls_at_and_past_the_ends_of_datetime(table: Zone) -> None:
    # Year 1: New York's local mean time; year 9999: EST in December.  Beyond the range
    # the integer clocks go on with the same offsets.
    for u in (FIRST_INSTANT - 400 * DAY, FIRST_INSTANT, FIRST_INSTANT + 3 * DAY):
        assert table.offset(u) == LMT_NEW_YORK
        assert table.resolve(u + LMT_NEW_YORK) == u
    for u in (LAST_INSTANT - 3 * DAY, LAST_INSTANT, LAST_INSTANT + 400 * DAY):
        assert table.offset(u) == -5 * HOUR
        assert table.resolve(u - 5 * HOUR) == u
    assert table.instant_span(LAST_INSTANT)[0] == -5 * HOUR
    assert table.resolve_span(LAST_INSTANT)[0] == LAST_INSTANT + 5 * HOUR
    first = table.resolve_datetime(datetime(1, 1, 1))
    assert first.astimezone(UTC) == datetime(1, 1, 1, 4, 56, 2, tzinfo=UTC)


def test_a_wall_whose_instant_datetime_cannot_hold_overflows_in_the_zone_table() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    assert zone_table(tokyo).offset(FIRST_INSTANT) == LMT_TOKYO
    # Midnight of year 1 in Tokyo was in the year 0 in UTC: no datetime for it.
    with pytest.raises(OverflowError):
        zone_table(tokyo).resolve_datetime(datetime(1, 1, 1))
    assert zone_table(tokyo).resolve(wall(1, 1, 1)) == FIRST_INSTANT - LMT_TOKYO


def test_no_zone_changes_its_offset_within_two_days_of_the_ends_of_datetime() -> None:
    # The generic path takes the offset two days in for instants nearer the ends (where
    # converting could leave datetime's range); exact only if no zone changes there.
    # The oracle is the standard library's pure-Python zoneinfo: its explicit
    # transitions and the transitions its POSIX rule gives in the years 1 and 9999.
    first = (datetime(1, 1, 3, tzinfo=UTC) - EPOCH).total_seconds()
    last = (datetime(9999, 12, 29, tzinfo=UTC) - EPOCH).total_seconds()
    for key in ALL_ZONES:
        pure = PureZoneInfo.no_cache(key)
        for moment in pure._trans_utc:
            assert first < moment < last, key
        rule = pure._tz_after
        if isinstance(rule, _TZStr) and rule.dst is not None:
            for year in (1, 9999):
                for local in rule.transitions(year):
                    # Local seconds since 1970 of the year's two changes; a day of
                    # slack covers any offset.
                    assert first + DAY // SECOND < local < last - DAY // SECOND, (key, year)
