"""On-call burden per person, in the person's own time zone, and fairness across people.

Hours on call, pages, pages outside working hours (08:00-20:00 by default on the
person's own wall clock) and hours on call over the weekend.  Shifts are any objects
with ``user``, ``start`` and ``end`` (:class:`tocsin.protocols.OnCallSpan`): plain
:class:`OnCallEntry` values, or the :class:`tocsin.schedules.Shift` values a schedule
renders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from tocsin._checks import in_zone, listed, time_of_day, typed_tuple, utc_instant, whole_number
from tocsin.analytics._stats import Stats, count_stats, duration_stats, gini, stats_field
from tocsin.errors import InvalidInput
from tocsin.time import Interval, from_wall_clock, require_aware, to_utc, zone

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tocsin.protocols import OnCallSpan

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)


def _user(value: object, field: str = "user") -> str:
    if not isinstance(value, str) or not value:
        msg = f"expected a non-empty user name, got {value!r}"
        raise InvalidInput(field, msg)
    return value


def _instant(value: object, field: str) -> datetime:
    utc_instant(value, field)  # refuses an instant UTC cannot show
    return require_aware(value, field)


def _start(value: object) -> datetime:
    return _instant(value, "start")


def _end(value: object) -> datetime:
    return _instant(value, "end")


def _zone(value: object) -> tzinfo | None:
    if value is None:
        return None
    if not isinstance(value, str | tzinfo):
        msg = f"expected an IANA zone name or a tzinfo, got {type(value).__name__}"
        raise InvalidInput("zone", msg)
    return zone(value, "zone")


@attrs.frozen
class OnCallEntry:
    """``user`` was on call over ``[start, end)``; ``zone`` is where that person lives.

    The zone decides what counts as off hours and as the weekend for them.  A record
    of on-call time, as PagerDuty's on-call entries (``GET /oncalls``) are, for
    history that did not come from a :class:`tocsin.schedules.Schedule`.  Unlike a
    :class:`tocsin.schedules.Shift`, it may be empty (``start == end``: a hand-off
    logged twice) and carries the person's zone.
    """

    user: str = attrs.field(converter=_user)
    start: datetime = attrs.field(converter=_start)
    end: datetime = attrs.field(converter=_end)
    zone: tzinfo | None = attrs.field(default=None, converter=_zone, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if to_utc(self.end) < to_utc(self.start):
            msg = f"end {self.end.isoformat()} is before start {self.start.isoformat()}"
            raise InvalidInput("end", msg)


def _at(value: object) -> datetime:
    return _instant(value, "at")


@attrs.frozen
class Page:
    """``user`` was notified at ``at`` (one page per notification, as PagerDuty counts)."""

    user: str = attrs.field(converter=_user)
    at: datetime = attrs.field(converter=_at)


def _duration(_burden: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, timedelta) or value < timedelta(0):
        msg = f"expected a non-negative timedelta, got {value!r}"
        raise InvalidInput(attribute.name, msg)


def _how_many(_burden: object, attribute: attrs.Attribute[Any], value: object) -> None:
    whole_number(value, attribute.name, minimum=0)


def _tzinfo(_burden: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tzinfo):
        msg = f"expected a tzinfo, got {type(value).__name__}"
        raise InvalidInput(attribute.name, msg)


@attrs.frozen(kw_only=True)
class Burden:
    """One person's on-call load over the period asked about.

    Parts never exceed their whole: weekend hours are at most the hours on call, and
    off-hours and weekend pages at most the pages.
    """

    user: str = attrs.field(converter=_user)
    zone: tzinfo = attrs.field(validator=_tzinfo)
    on_call: timedelta = attrs.field(validator=_duration)
    weekend_on_call: timedelta = attrs.field(validator=_duration)
    pages: int = attrs.field(validator=_how_many)
    off_hours_pages: int = attrs.field(validator=_how_many)
    weekend_pages: int = attrs.field(validator=_how_many)

    def __attrs_post_init__(self) -> None:
        for part, whole in (
            ("weekend_on_call", "on_call"),
            ("off_hours_pages", "pages"),
            ("weekend_pages", "pages"),
        ):
            if getattr(self, part) > getattr(self, whole):
                msg = f"{getattr(self, part)} is more than {whole} ({getattr(self, whole)})"
                raise InvalidInput(part, msg)


def _span_zone(span: object) -> tzinfo | None:
    # An OnCallEntry carries a zone; a schedule's Shift does not.
    found: object = getattr(span, "zone", None)
    return found if isinstance(found, tzinfo) else None


def _merge(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif begin < end:
            merged.append((begin, end))
    return merged


def _midnight(day: date, tz: tzinfo) -> datetime:
    """The instant ``day`` begins on the wall clock of ``tz``, in UTC."""
    wall = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - wall clock
    return to_utc(from_wall_clock(wall, tz))


def _weekend(begin: datetime, end: datetime, tz: tzinfo) -> timedelta:
    """How much of ``[begin, end)`` (UTC) falls on a Saturday or Sunday in ``tz``.

    Both ends must show on the wall clock of ``tz``.  The first and last days are
    clipped to the span rather than computed from their own midnights, which may lie
    outside the years 1-9999.
    """
    total = timedelta(0)
    first, last = begin.astimezone(tz).date(), end.astimezone(tz).date()
    day = first
    while True:
        if day.weekday() >= _SATURDAY:
            lo = begin if day == first else _midnight(day, tz)
            hi = end if day == last else _midnight(day + _ONE_DAY, tz)
            total += max(min(end, hi) - max(begin, lo), timedelta(0))
        if day == last:
            return total
        day += _ONE_DAY


def _working_hours(day_start: object, day_end: object) -> tuple[time, time]:
    start, end = time_of_day(day_start, "day_start"), time_of_day(day_end, "day_end")
    if start == end:
        msg = (
            f"day_start and day_end are both {start}: working hours need a length (for "
            "a night shift, give a window that crosses midnight, such as 20:00 to 08:00)"
        )
        raise InvalidInput("day_end", msg)
    return start, end


def _off_hours(local: time, start: time, end: time) -> bool:
    """Whether ``local`` falls outside the working hours ``[start, end)``.

    A window whose end is earlier than its start crosses midnight: a night shift's
    20:00 to 08:00 makes 14:00 off hours and 02:00 working hours.
    """
    if start < end:
        return not start <= local < end
    return end <= local < start


def _span(item: object, i: int) -> tuple[str, datetime, datetime]:
    """An on-call span's user, start and end (UTC), each checked; errors name ``shifts[i]``."""
    where = f"shifts[{i}]"
    try:
        user, start, end = item.user, item.start, item.end  # type: ignore[attr-defined]
    except AttributeError:
        msg = (
            "expected an on-call span with user, start and end (a tocsin.schedules.Shift "
            f"or an OnCallEntry), got {type(item).__name__}"
        )
        raise InvalidInput(where, msg) from None
    begin = utc_instant(start, f"{where}.start")
    finish = utc_instant(end, f"{where}.end")
    if finish < begin:
        msg = f"end {end.isoformat()} is before start {start.isoformat()}"
        field = f"{where}.end"
        raise InvalidInput(field, msg)
    return _user(user, f"{where}.user"), begin, finish


def _zones(value: object) -> dict[str, tzinfo]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        msg = f"expected a mapping of user name to zone, got {type(value).__name__}"
        raise InvalidInput("zones", msg)
    return {_user(u, f"zones[{u!r}]"): zone(z, f"zones[{u!r}]") for u, z in value.items()}


def _period(value: object) -> tuple[datetime, datetime] | None:
    if value is None:
        return None
    if not isinstance(value, Interval):
        msg = f"expected an Interval or None, got {type(value).__name__}"
        raise InvalidInput("period", msg)
    return to_utc(value.start), to_utc(value.end)


def burden(
    shifts: Iterable[OnCallSpan],
    pages: Iterable[Page] = (),
    *,
    zones: Mapping[str, str | tzinfo] | None = None,
    period: Interval | None = None,
    users: Iterable[str] = (),
    day_start: time = time(8),
    day_end: time = time(20),
) -> tuple[Burden, ...]:
    """Each person's burden, sorted by user.

    ``shifts`` are any :class:`~tocsin.protocols.OnCallSpan`: the
    :class:`tocsin.schedules.Shift` values a schedule renders, or
    :class:`OnCallEntry` values.  A person's zone is ``zones[user]``, else the zone
    their shifts carry (which must agree).  Overlapping shifts of one person count
    once.  With ``period``, shifts are clipped to it and pages outside it are left
    out.  ``users`` adds people with no shift or page (they belong in a fairness
    comparison too).

    A page is off hours when the person's wall clock shows a time outside
    ``[day_start, day_end)``.  A window that crosses midnight (``day_start=time(20),
    day_end=time(8)`` for a night-shift team) counts 20:00 to 08:00 as working hours;
    equal ends are an error.
    """
    start_of_day, end_of_day = _working_hours(day_start, day_end)
    explicit = _zones(zones)
    window = _period(period)

    spans: dict[str, list[tuple[int, datetime, datetime]]] = defaultdict(list)
    seen_zones: dict[str, set[tzinfo]] = defaultdict(set)
    for i, item in enumerate(listed(shifts, "shifts", "on-call spans")):
        user, begin, end = _span(item, i)
        if window is not None:
            begin, end = max(begin, window[0]), min(end, window[1])
        spans[user].append((i, begin, end))
        found = _span_zone(item)
        if found is not None:
            seen_zones[user].add(found)

    paged: dict[str, list[tuple[int, datetime]]] = defaultdict(list)
    for i, page in enumerate(typed_tuple(pages, Page, "pages")):
        at = to_utc(page.at)
        if window is not None and not window[0] <= at < window[1]:
            continue
        paged[page.user].append((i, at))

    listed_users = (_user(u, f"users[{i}]") for i, u in enumerate(listed(users, "users", "names")))
    everyone = sorted({*spans, *paged, *listed_users})
    result = []
    for user in everyone:
        tz = _resolve_zone(user, explicit, seen_zones[user])
        for i, begin, end in spans[user]:
            # Both ends must show on the person's wall clock (not past the year 9999).
            in_zone(begin, tz, f"shifts[{i}].start")
            in_zone(end, tz, f"shifts[{i}].end")
        merged = _merge([(b, e) for _, b, e in spans[user]])
        local_times = [in_zone(at, tz, f"pages[{i}].at") for i, at in paged[user]]
        result.append(
            Burden(
                user=user,
                zone=tz,
                on_call=sum((e - b for b, e in merged), timedelta(0)),
                weekend_on_call=sum((_weekend(b, e, tz) for b, e in merged), timedelta(0)),
                pages=len(local_times),
                off_hours_pages=sum(
                    _off_hours(t.time(), start_of_day, end_of_day) for t in local_times
                ),
                weekend_pages=sum(t.weekday() >= _SATURDAY for t in local_times),
            )
        )
    return tuple(result)


def _resolve_zone(user: str, explicit: Mapping[str, tzinfo], seen: set[tzinfo]) -> tzinfo:
    if user in explicit:
        return explicit[user]
    if len(seen) == 1:
        return next(iter(seen))
    where = f"zones[{user!r}]"
    if not seen:
        msg = f"no time zone for {user}: pass zones={{{user!r}: 'Area/City'}} or shifts with a zone"
    else:
        names = ", ".join(sorted(str(z) for z in seen))
        msg = f"{user}'s shifts carry different zones ({names}); pass zones= to choose one"
    raise InvalidInput(where, msg)


def _gini(_fairness: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, Fraction) or not 0 <= value < 1):
        msg = f"expected None or a Fraction in [0, 1), got {value!r}"
        raise InvalidInput(attribute.name, msg)


@attrs.frozen(kw_only=True)
class Fairness:
    """How evenly a rotation's burden is spread: a summary and a Gini per measure.

    Each :class:`~tocsin.analytics.Stats` is across people (count = people).  A Gini
    coefficient of 0 means everyone carries the same; ``None`` means nobody carried
    any.
    """

    people: int = attrs.field(validator=_how_many)
    on_call: Stats[timedelta] = attrs.field(validator=stats_field)
    weekend_on_call: Stats[timedelta] = attrs.field(validator=stats_field)
    pages: Stats[Fraction] = attrs.field(validator=stats_field)
    off_hours_pages: Stats[Fraction] = attrs.field(validator=stats_field)
    on_call_gini: Fraction | None = attrs.field(validator=_gini)
    weekend_on_call_gini: Fraction | None = attrs.field(validator=_gini)
    pages_gini: Fraction | None = attrs.field(validator=_gini)
    off_hours_pages_gini: Fraction | None = attrs.field(validator=_gini)


def _micros(value: timedelta) -> int:
    return value // timedelta(microseconds=1)


def fairness(burdens: Iterable[Burden]) -> Fairness:
    """Compare people's burdens (from :func:`burden`)."""
    items = typed_tuple(burdens, Burden, "burdens")
    return Fairness(
        people=len(items),
        on_call=duration_stats(b.on_call for b in items),
        weekend_on_call=duration_stats(b.weekend_on_call for b in items),
        pages=count_stats(b.pages for b in items),
        off_hours_pages=count_stats(b.off_hours_pages for b in items),
        on_call_gini=gini(_micros(b.on_call) for b in items),
        weekend_on_call_gini=gini(_micros(b.weekend_on_call) for b in items),
        pages_gini=gini(b.pages for b in items),
        off_hours_pages_gini=gini(b.off_hours_pages for b in items),
    )
