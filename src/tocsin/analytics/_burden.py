"""On-call burden per person, in the person's own time zone, and fairness across people.

Hours on call, pages, pages outside working hours (08:00-20:00 by default on the
person's own wall clock) and hours on call over the weekend.  Shifts are any objects
with ``user``, ``start`` and ``end`` (:class:`tocsin.protocols.OnCallSpan`): plain
:class:`OnCallEntry` values, or the :class:`tocsin.schedules.Shift` values a schedule
renders.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import instances
from tocsin.analytics._stats import Stats, count_stats, duration_stats, gini
from tocsin.errors import InvalidInput
from tocsin.time import Interval, from_wall_clock, require_aware, to_utc, zone

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from fractions import Fraction

    from tocsin.protocols import OnCallSpan

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)


def _user(value: object) -> str:
    if not isinstance(value, str) or not value:
        msg = f"expected a non-empty user name, got {value!r}"
        raise InvalidInput("user", msg)
    return value


def _start(value: object) -> datetime:
    return require_aware(value, "start")


def _end(value: object) -> datetime:
    return require_aware(value, "end")


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
    return require_aware(value, "at")


@attrs.frozen
class Page:
    """``user`` was notified at ``at`` (one page per notification, as PagerDuty counts)."""

    user: str = attrs.field(converter=_user)
    at: datetime = attrs.field(converter=_at)


@attrs.frozen(kw_only=True)
class Burden:
    """One person's on-call load over the period asked about."""

    user: str
    zone: tzinfo
    on_call: timedelta
    weekend_on_call: timedelta
    pages: int
    off_hours_pages: int
    weekend_pages: int


def _span_zone(span: OnCallSpan) -> tzinfo | None:
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


def _weekend(begin: datetime, end: datetime, tz: tzinfo) -> timedelta:
    """How much of ``[begin, end)`` (UTC) falls on a Saturday or Sunday in ``tz``."""
    total = timedelta(0)
    day = begin.astimezone(tz).date()
    last = end.astimezone(tz).date()
    while day <= last:
        if day.weekday() >= _SATURDAY:
            midnight = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - wall clock
            lo = to_utc(from_wall_clock(midnight, tz))
            hi = to_utc(from_wall_clock(midnight + _ONE_DAY, tz))
            overlap = min(end, hi) - max(begin, lo)
            total += max(overlap, timedelta(0))
        day += _ONE_DAY
    return total


def _hours(value: object, field: str) -> time:
    if not isinstance(value, time) or value.tzinfo is not None:
        msg = f"expected a naive wall-clock time such as time(8), got {value!r}"
        raise InvalidInput(field, msg)
    return value


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

    A person's zone is ``zones[user]``, else the zone their shifts carry (which must
    agree).  Overlapping shifts of one person count once.  With ``period``, shifts are
    clipped to it and pages outside it are left out.  ``users`` adds people with no
    shift or page (they belong in a fairness comparison too).  A page is off hours
    when the person's wall clock shows a time outside ``[day_start, day_end)``.
    """
    start_of_day, end_of_day = _hours(day_start, "day_start"), _hours(day_end, "day_end")
    explicit = {u: zone(z, f"zones[{u!r}]") for u, z in (zones or {}).items()}
    lo = to_utc(period.start) if period is not None else None
    hi = to_utc(period.end) if period is not None else None

    spans: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    seen_zones: dict[str, set[tzinfo]] = defaultdict(set)
    for i, span in enumerate(shifts):
        user = _user(span.user)
        begin = to_utc(require_aware(span.start, f"shifts[{i}].start"))
        end = to_utc(require_aware(span.end, f"shifts[{i}].end"))
        if lo is not None and hi is not None:
            begin, end = max(begin, lo), min(end, hi)
        spans[user].append((begin, end))
        found = _span_zone(span)
        if found is not None:
            seen_zones[user].add(found)

    paged: dict[str, list[datetime]] = defaultdict(list)
    for page in instances(pages, Page, "pages"):
        at = to_utc(page.at)
        if lo is not None and hi is not None and not lo <= at < hi:
            continue
        paged[page.user].append(at)

    everyone = sorted({*spans, *paged, *(_user(u) for u in users)})
    result = []
    for user in everyone:
        tz = _resolve_zone(user, explicit, seen_zones[user])
        merged = _merge(spans[user])
        local_times = [at.astimezone(tz) for at in paged[user]]
        result.append(
            Burden(
                user=user,
                zone=tz,
                on_call=sum((e - b for b, e in merged), timedelta(0)),
                weekend_on_call=sum((_weekend(b, e, tz) for b, e in merged), timedelta(0)),
                pages=len(local_times),
                off_hours_pages=sum(not start_of_day <= t.time() < end_of_day for t in local_times),
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


@attrs.frozen(kw_only=True)
class Fairness:
    """How evenly a rotation's burden is spread: a summary and a Gini per measure.

    Each :class:`~tocsin.analytics.Stats` is across people (count = people).  A Gini
    coefficient of 0 means everyone carries the same; ``None`` means nobody carried
    any.
    """

    people: int
    on_call: Stats[timedelta]
    weekend_on_call: Stats[timedelta]
    pages: Stats[Fraction]
    off_hours_pages: Stats[Fraction]
    on_call_gini: Fraction | None
    weekend_on_call_gini: Fraction | None
    pages_gini: Fraction | None
    off_hours_pages_gini: Fraction | None


def _micros(value: timedelta) -> int:
    return value // timedelta(microseconds=1)


def fairness(burdens: Iterable[Burden]) -> Fairness:
    """Compare people's burdens (from :func:`burden`)."""
    items = instances(burdens, Burden, "burdens")
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
