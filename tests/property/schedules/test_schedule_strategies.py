"""The public schedule strategies of ``tocsin.testing`` draw only valid values.

Drawn right around real 2026 folds (the repeated hour, or half hour at Lord Howe), with
tight bounds, where wall-clock arithmetic on an aware datetime drops ``fold`` and can
land an end before its start.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from tocsin.schedules import Layer, Override, Restriction, Schedule, Turn
from tocsin.testing import layers, overrides, restrictions, schedules, turns, zones
from tocsin.testing._time import DST_ZONES

ONE_US = timedelta(microseconds=1)

#: Naive bounds two hours either side of each zone's 2026 fold (wall clock), and the
#: zone: New York 01:00-02:00 on Nov 1, London 01:00-02:00 on Oct 25, Sydney
#: 02:00-03:00 on Apr 5, Lord Howe 01:30-02:00 on Apr 5, Chatham 02:45-03:45 on Apr 5.
FOLDS = {
    "America/New_York": (datetime(2026, 10, 31, 23), datetime(2026, 11, 1, 3)),
    "Europe/London": (datetime(2026, 10, 24, 23), datetime(2026, 10, 25, 3)),
    "Australia/Sydney": (datetime(2026, 4, 5, 0), datetime(2026, 4, 5, 4)),
    "Australia/Lord_Howe": (datetime(2026, 4, 4, 23, 30), datetime(2026, 4, 5, 3)),
    "Pacific/Chatham": (datetime(2026, 4, 5, 0, 45), datetime(2026, 4, 5, 4, 45)),
}
#: The auditor's bounds: two days around New York's fold, overrides up to an hour.
AUDIT = (datetime(2026, 10, 31), datetime(2026, 11, 2))


def check_override(override: Override, low: datetime, high: datetime, longest: timedelta) -> None:
    assert isinstance(override, Override)
    assert low <= override.start.replace(tzinfo=None) <= high
    assert ONE_US <= override.end.astimezone(UTC) - override.start.astimezone(UTC) <= longest
    assert override.duration <= longest


LENGTHS = (ONE_US, timedelta(minutes=20), timedelta(minutes=30), timedelta(hours=1))


@given(st.data(), st.sampled_from(sorted(FOLDS)), st.sampled_from(LENGTHS))
def test_overrides_around_a_fold_are_valid(
    data: st.DataObject, key: str, longest: timedelta
) -> None:
    low, high = FOLDS[key]
    override = data.draw(overrides(min_start=low, max_start=high, max_length=longest))
    check_override(override, low, high, longest)


@given(overrides(min_start=AUDIT[0], max_start=AUDIT[1], max_length=timedelta(hours=1)))
def test_overrides_in_the_audited_window_are_valid(override: Override) -> None:
    check_override(override, *AUDIT, timedelta(hours=1))


@given(st.data(), st.sampled_from(sorted(FOLDS)))
@settings(max_examples=60)  # each draw builds up to three layers
def test_schedules_around_a_fold_are_valid(data: st.DataObject, key: str) -> None:
    low, high = FOLDS[key]
    schedule = data.draw(schedules(min_start=low, max_start=high))
    assert isinstance(schedule, Schedule)
    names = [layer.name for layer in schedule.layers]
    assert len(set(names)) == len(names)
    for override in schedule.overrides:
        check_override(override, low, high, timedelta(days=3))


@given(layers(timezones=zones(tuple(FOLDS))), turns(), restrictions())
def test_layers_turns_and_restrictions_are_valid(
    layer: Layer, turn: Turn, restriction: Restriction
) -> None:
    assert isinstance(turn, Turn)
    assert isinstance(restriction, Restriction)
    assert layer.tz.key in FOLDS  # type: ignore[attr-defined]
    if layer.start is not None and layer.end is not None:
        assert layer.start.astimezone(UTC) < layer.end.astimezone(UTC)
    assert any(user is not None for user in layer.users)


def test_the_fold_table_names_only_tested_zones() -> None:
    assert set(FOLDS) <= set(DST_ZONES)


@pytest.mark.parametrize("key", sorted(FOLDS))
def test_the_strategy_does_draw_starts_in_the_fold(key: str) -> None:
    # The second occurrence of a repeated wall time (fold=1) comes out, so the tests
    # above meet the case that broke the strategy.
    low, high = FOLDS[key]

    def second_occurrence(override: Override) -> bool:
        start = override.start
        return start.fold == 1 and start.utcoffset() != start.replace(fold=0).utcoffset()

    found = find(
        overrides(min_start=low, max_start=high, max_length=timedelta(hours=1)),
        second_occurrence,
        settings=settings(database=None, max_examples=2000),
    )
    check_override(found, low, high, timedelta(hours=1))
