"""Follow-the-sun: regional working hours, each in its own zone, compiled into a schedule.

No product has this as a feature; everyone builds it from layers, restrictions and
zones.  tocsin does the same, and adds what nobody has: a coverage report that lists
every gap and overlap.  Windows kept on local time drift against each other for most
of the year (New York, London and Sydney change clocks on different dates, and Sydney
in the opposite direction), so a set of windows that tiles the day in January leaves a
60 to 120 minute hole from March to October.  Put the regions in ``UTC`` instead and
coverage stays constant while local hours move: the report shows the trade either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import time_of_day
from tocsin.errors import InvalidInput
from tocsin.schedules._layer import Layer
from tocsin.schedules._restriction import Restriction, parse_weekday
from tocsin.schedules._schedule import Schedule
from tocsin.schedules._shift import USER_IDS, ordered
from tocsin.schedules._turn import Turn
from tocsin.time import UTC, _utc_key, require_aware, zone

if TYPE_CHECKING:
    from tocsin.schedules._override import Override

__all__ = ["Region", "follow_the_sun"]

ONE_DAY = timedelta(days=1)
EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)


def _name(value: object) -> str:
    if not isinstance(value, str) or not value:
        msg = f"expected a non-empty region name such as 'APAC', got {value!r}"
        raise InvalidInput("name", msg)
    return value


def _tz(value: str | tzinfo) -> tzinfo:
    return zone(value, "tz")


def _start(value: object) -> time:
    return time_of_day(value, "start", fold=False)


def _end(value: object) -> time:
    return time_of_day(value, "end", fold=False)


def _days(value: object) -> tuple[int, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = f"expected a sequence of weekdays (1-7 or names), got {value!r}"
        raise InvalidInput("days", msg)
    days = tuple(parse_weekday(day, f"days[{i}]") for i, day in enumerate(value))
    if not days:
        msg = "a region works on at least one day"
        raise InvalidInput("days", msg)
    return tuple(sorted(set(days)))


def _participants(value: Iterable[str | None]) -> tuple[str | None, ...]:
    # Checked by the layer, so the error names the region: ``regions['APAC'].users``.
    return ordered(value, "users", USER_IDS)  # the layer checks each user


def _anchor(value: object) -> datetime:
    return require_aware(value, "anchor")


@attrs.frozen
class Region:
    """One region's working hours, ``start`` to ``end`` local time in ``tz``.

    ``end`` at or before ``start`` crosses midnight; ``end == start`` is a 24-hour
    window.  ``days`` (ISO weekdays or names, default every day) are the days a window
    *starts* on.  ``users`` rotate by ``turn`` counted from ``anchor``, like a layer.

    Everything is checked at construction.  The region's own fields are named as
    given (``name``, ``turn``, ``days[0]``); the participants are checked by the layer
    the region compiles to, so their errors name the region:
    ``regions['APAC'].users[1]``.  Regions compare by instant, like layers.
    """

    name: str = attrs.field(converter=_name)
    tz: tzinfo = attrs.field(converter=_tz)
    start: time = attrs.field(converter=_start)
    end: time = attrs.field(converter=_end)
    users: tuple[str | None, ...] = attrs.field(converter=_participants)
    anchor: datetime = attrs.field(kw_only=True, converter=_anchor, eq=_utc_key)
    turn: Turn = attrs.field(kw_only=True, factory=lambda: Turn.weeks(1))
    days: tuple[int, ...] = attrs.field(kw_only=True, default=EVERY_DAY, converter=_days)
    _layer: Layer = attrs.field(init=False, eq=False, repr=False)

    @turn.validator
    def _check_turn(self, _attribute: object, value: object) -> None:
        if not isinstance(value, Turn):
            msg = f"expected a Turn such as Turn.weeks(1), got {value!r}"
            raise InvalidInput("turn", msg)

    def __attrs_post_init__(self) -> None:
        # Compile now, so a bad participant list fails here and not at first use.
        try:
            layer = Layer(
                self.name,
                self.users,
                self.anchor,
                self.turn,
                self.tz,
                restrictions=self.restrictions,
            )
        except InvalidInput as err:
            raise err.within(f"regions[{self.name!r}]") from err  # noqa: EM102
        object.__setattr__(self, "_layer", layer)

    @property
    def duration(self) -> timedelta:
        """The window's wall-clock length (24 h when ``start == end``)."""
        base = datetime(2000, 1, 1)  # noqa: DTZ001 - wall-clock difference only
        length = datetime.combine(base, self.end) - datetime.combine(base, self.start)
        return length if length > timedelta(0) else length + ONE_DAY

    @property
    def restrictions(self) -> tuple[Restriction, ...]:
        """The region's hours as layer restrictions."""
        if self.days == EVERY_DAY:
            return (Restriction.daily(self.start, self.duration),)
        return tuple(Restriction.weekly(day, self.start, self.duration) for day in self.days)

    def layer(self) -> Layer:
        """The region as a schedule layer named after it."""
        return self._layer


def follow_the_sun(
    name: str,
    regions: Iterable[Region],
    *,
    overrides: Iterable[Override] = (),
    tz: str | tzinfo = UTC,
) -> Schedule:
    """A schedule with one layer per region, in the order given.

    Where regions overlap, the one listed *later* is on call (layer precedence);
    :meth:`Schedule.coverage_report` lists every such overlap and every gap.  No
    regions at all is an error naming ``regions``.

    >>> from zoneinfo import ZoneInfo
    >>> regions = [
    ...     Region(
    ...         "APAC",
    ...         "Australia/Sydney",
    ...         time(9),
    ...         time(17),
    ...         ["ana"],
    ...         anchor=datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Australia/Sydney")),
    ...     ),
    ...     Region(
    ...         "EMEA",
    ...         "Europe/London",
    ...         time(6),
    ...         time(14),
    ...         ["eve"],
    ...         anchor=datetime(2026, 1, 5, 6, tzinfo=ZoneInfo("Europe/London")),
    ...     ),
    ...     Region(
    ...         "AMER",
    ...         "America/New_York",
    ...         time(9),
    ...         time(17),
    ...         ["amy"],
    ...         anchor=datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("America/New_York")),
    ...     ),
    ... ]
    >>> sun = follow_the_sun("global", regions)
    >>> report = sun.coverage_report(
    ...     datetime(2026, 7, 15, tzinfo=UTC), datetime(2026, 7, 16, tzinfo=UTC)
    ... )
    >>> report.gap_minutes, [(g.start.time(), g.end.time()) for g in report.gaps]
    (Fraction(120, 1), [(datetime.time(21, 0), datetime.time(23, 0))])
    """
    items = ordered(regions, "regions", "Region values")  # the order is the precedence
    if not items:
        # An empty region list is a filter or a config gone wrong, not a plan: the
        # schedule it made would answer "nobody" for ever, without a word.
        raise InvalidInput("regions", "a follow-the-sun schedule needs at least one region")
    layers = []
    seen: dict[str, int] = {}
    for index, region in enumerate(items):
        if not isinstance(region, Region):
            msg = f"expected a Region, got {region!r}"
            raise InvalidInput(f"regions[{index}]", msg)  # noqa: EM102 - a field path
        if region.name in seen:
            # Checked here, so the path is the caller's (the schedule would say layers[i]).
            msg = (
                f"region names must be unique; {region.name!r} is also regions[{seen[region.name]}]"
            )
            raise InvalidInput(f"regions[{index}].name", msg)  # noqa: EM102
        seen[region.name] = index
        layers.append(region.layer())
    return Schedule(name, layers, overrides, tz=tz)  # the schedule checks the overrides
