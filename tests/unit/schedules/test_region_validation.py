"""``Region`` checks its input when it is built, and names the field that is wrong.

Before, an empty name or a turn given as a string was accepted and only failed (or,
for the name, never did) when ``.layer()`` was called, and two regions with the same
name were reported as ``layers[1].name``, a path the caller never wrote.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidInput
from tocsin.schedules import Region, Turn, follow_the_sun

if TYPE_CHECKING:
    from collections.abc import Callable

NY = ZoneInfo("America/New_York")
MONDAY = datetime(2026, 1, 5, 9, tzinfo=UTC)


def region(name: str = "R", **changes: object) -> Region:
    fields: dict[str, object] = {
        "tz": "UTC",
        "start": time(9),
        "end": time(17),
        "users": ["x"],
        "anchor": MONDAY,
    }
    fields.update(changes)
    return Region(name, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"name": 5}, "name"),
        ({"turn": "weekly"}, "turn"),
        ({"turn": None}, "turn"),
        ({"turn": timedelta(days=7)}, "turn"),
        ({"users": []}, "regions['R'].users"),
        ({"users": [None]}, "regions['R'].users"),
        ({"users": ["x", ""]}, "regions['R'].users[1]"),
        ({"users": "xyz"}, "users"),
        ({"start": "09:00"}, "start"),
        ({"days": ["funday"]}, "days[0]"),
    ],
    ids=repr,
)
def test_bad_fields_are_refused_at_construction(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        region(**changes)  # type: ignore[arg-type]
    assert info.value.field == field


def test_a_good_region_compiles_to_the_same_layer_every_time() -> None:
    built = region(turn=Turn.days(1), days=["mon", "tue"])
    assert built.layer() == built.layer()
    assert built.layer().name == "R"
    assert built.layer().turn == Turn.days(1)


def test_duplicate_region_names_are_reported_by_region() -> None:
    with pytest.raises(InvalidInput) as info:
        follow_the_sun("f", [region("R"), region("S"), region("R", start=time(17), end=time(9))])
    assert info.value.field == "regions[2].name"
    assert "regions[0]" in info.value.reason


def test_regions_compare_by_instant_not_by_wall_fields() -> None:
    # 01:30 EDT and 01:30 EST share their wall fields; with the same tzinfo Python calls
    # them equal.  They are different anchors (an hour apart): different regions.
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NY)
    second = first.replace(fold=1)
    assert region(tz=NY, anchor=first) != region(tz=NY, anchor=second)
    assert region(tz=NY, anchor=first) == region(tz=NY, anchor=first.astimezone(UTC))
    assert hash(region(tz=NY, anchor=first)) == hash(region(tz=NY, anchor=first.astimezone(UTC)))


def test_follow_the_sun_with_no_regions_is_refused_naming_regions() -> None:
    with pytest.raises(InvalidInput) as err:
        follow_the_sun("global", [])
    assert err.value.field == "regions"
    with pytest.raises(InvalidInput):
        follow_the_sun("global", iter(()))


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: follow_the_sun("global", 5), "regions"),  # type: ignore[arg-type]
        (lambda: follow_the_sun("global", "APAC"), "regions"),  # type: ignore[arg-type]
        (lambda: follow_the_sun("global", {region("A"), region("B")}), "regions"),
        (lambda: follow_the_sun("global", [region()], overrides=5), "overrides"),  # type: ignore[arg-type]
        (lambda: follow_the_sun("global", [region()], overrides=frozenset()), "overrides"),
        (lambda: region(users={"ana", "ali", "amy"}), "users"),
    ],
)
def test_follow_the_sun_refuses_what_is_not_an_ordered_sequence(
    call: Callable[[], object], field: str
) -> None:
    """The order of regions, overrides and users decides who is on call; a set has none."""
    with pytest.raises(InvalidInput) as err:
        call()
    assert err.value.field == field
