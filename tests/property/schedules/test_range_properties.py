"""Layers anywhere in ``datetime``'s range, and layers on the generic (irregular) path.

* Any anchor and any query instant in the years 1-9999, any zone, any turn up to the
  longest allowed: a point query always answers, and every other call either answers
  or raises ``InvalidInput`` naming the field (never ``OverflowError``, ``ValueError``
  or ``RecursionError``); whatever it answers agrees with the point query.
* A zone marked irregular answers from the generic ``datetime`` path: every layer in
  it renders and answers exactly as on the zone's transition table.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin import _zonetable
from tocsin.errors import InvalidInput
from tocsin.schedules import Layer, Turn
from tocsin.schedules._turn import LONGEST, MOST
from tocsin.testing import layers, restrictions, turns
from tocsin.testing._time import DST_ZONES

ONE_US = timedelta(microseconds=1)
FIRST = datetime.min.replace(tzinfo=UTC)
LAST = datetime.max.replace(tzinfo=UTC)
ZONES = [
    *(ZoneInfo(key) for key in DST_ZONES),
    ZoneInfo("Asia/Tokyo"),  # +09:18:59 in the year 1
    ZoneInfo("Pacific/Kiritimati"),  # +14:00 in the year 9999
    timezone(timedelta(hours=-11, minutes=-30)),
]


def any_turn() -> st.SearchStrategy[Turn]:
    """The usual turns and turns up to the longest of each unit."""
    huge = st.sampled_from(list(MOST)).flatmap(
        lambda unit: st.integers(1, MOST[unit]).map(lambda n: Turn(unit, n))
    )
    longest = st.timedeltas(timedelta(days=1), LONGEST).map(Turn.elapsed)
    return st.one_of(
        turns(), huge, longest, st.sampled_from(list(MOST)).map(lambda u: Turn(u, MOST[u]))
    )


def anywhere(tz: tzinfo) -> st.SearchStrategy[datetime]:
    """An instant anywhere in datetime's range, expressed in ``tz`` when it can be."""
    edges = st.sampled_from(
        [FIRST, FIRST + timedelta(hours=13), LAST - timedelta(hours=13), LAST]
    ).flatmap(
        lambda at: st.timedeltas(-timedelta(hours=30), timedelta(hours=30)).map(
            lambda d: min(max(at + d, FIRST), LAST) if FIRST - at <= d <= LAST - at else at
        )
    )
    spread = st.datetimes(timezones=st.just(UTC))

    def local(at: datetime) -> datetime:
        try:
            return at.astimezone(tz)
        except OverflowError:
            return at

    return st.one_of(edges, spread).map(local)


@st.composite
def far_layers(draw: st.DrawFn) -> Layer:
    tz = draw(st.sampled_from(ZONES))
    return Layer(
        "far",
        draw(st.sampled_from((("a", "b"), ("a", None, "b"), ("a",)))),
        draw(anywhere(tz)),
        draw(any_turn()),
        tz,
        restrictions=draw(st.lists(restrictions(), max_size=2)),
    )


def typed(call: object, fields: set[str]) -> object:
    """Call it; an InvalidInput must name one of ``fields``; anything else fails."""
    assert callable(call)
    field = None
    try:
        return call()
    except InvalidInput as err:
        field = err.field
    assert field in fields
    return None


@given(far_layers(), st.data())
@settings(max_examples=150, deadline=None)
def test_anywhere_in_the_range_queries_answer_or_name_the_field(
    layer: Layer, data: st.DataObject
) -> None:
    at = data.draw(anywhere(layer.tz))
    user = layer.on_call_at(at)
    assert user is None or user in layer.users
    k = layer.turn_index(at)
    start = typed(lambda: layer.handoff(k), {"k"})
    end = typed(lambda: layer.handoff(k + 1), {"k"})
    when = at.astimezone(UTC)
    if isinstance(start, datetime):
        assert start.astimezone(UTC) <= when
    if isinstance(end, datetime):
        assert when < end.astimezone(UTC)
    far = data.draw(st.one_of(st.integers(-(10**12), 10**12), st.integers(-(10**30), 10**30)))
    typed(lambda: layer.handoff(far), {"k"})
    length = data.draw(st.timedeltas(timedelta(0), timedelta(days=3)))
    finish = when + length if LAST - when >= length else LAST
    shifts = typed(lambda: list(layer.shifts(at, finish)), {"start", "end"})
    if isinstance(shifts, list):
        for shift in shifts[:5]:
            assert layer.on_call_at(shift.start) == shift.user
            assert layer.on_call_at(shift.end - ONE_US) == shift.user
    handoffs = typed(lambda: list(layer.handoffs(at, finish)), {"start", "end"})
    if isinstance(handoffs, list):
        for moment in handoffs[:5]:
            assert when <= moment.astimezone(UTC) < finish


# -- the generic path --------------------------------------------------------------------

#: The tested zones as distinct ZoneInfo objects whose tables are marked irregular, so
#: every answer for them comes from the generic path.
SLOW = {key: ZoneInfo.no_cache(key) for key in DST_ZONES}
FAST = {key: ZoneInfo(key) for key in DST_ZONES}


def slow_copy(layer: Layer) -> Layer:
    key = layer.tz.key  # type: ignore[attr-defined]
    slow = SLOW[key]
    table = _zonetable._TABLES.get(slow)
    if not isinstance(table, _zonetable.ZoneTable) or not table._irregular:
        table = _zonetable.ZoneTable(slow)
        table._irregular = True
        _zonetable._TABLES[slow] = table
    return attrs.evolve(layer, tz=slow)


#: Real 2026 transitions (UTC) of the tested zones.
TRANSITIONS = (
    datetime(2026, 3, 8, 7, tzinfo=UTC),
    datetime(2026, 11, 1, 6, tzinfo=UTC),
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 10, 25, 1, tzinfo=UTC),
    datetime(2026, 4, 4, 16, tzinfo=UTC),
    datetime(2026, 10, 3, 16, tzinfo=UTC),
    datetime(2026, 4, 4, 15, tzinfo=UTC),
    datetime(2026, 10, 3, 15, 30, tzinfo=UTC),
    datetime(2026, 4, 4, 14, tzinfo=UTC),
    datetime(2026, 9, 26, 14, tzinfo=UTC),
)


@given(layers(timezones=st.sampled_from(list(FAST.values()))), st.data())
@settings(max_examples=80, deadline=None)
def test_an_irregular_zone_answers_exactly_like_its_table(
    layer: Layer, data: st.DataObject
) -> None:
    slow = slow_copy(layer)
    moment = data.draw(st.sampled_from(TRANSITIONS))
    lo = moment - data.draw(st.timedeltas(timedelta(0), timedelta(days=3)))
    hi = moment + data.draw(st.timedeltas(timedelta(0), timedelta(days=3)))

    def utc(items: Layer) -> list[tuple[datetime, datetime, str]]:
        return [
            (s.start.astimezone(UTC), s.end.astimezone(UTC), s.user) for s in items.shifts(lo, hi)
        ]

    assert utc(slow) == utc(layer)
    assert [h.astimezone(UTC) for h in slow.handoffs(lo, hi)] == [
        h.astimezone(UTC) for h in layer.handoffs(lo, hi)
    ]
    for _ in range(4):
        at = lo + data.draw(st.integers(0, max((hi - lo) // ONE_US - 1, 0))) * ONE_US
        assert slow.on_call_at(at) == layer.on_call_at(at)
        assert slow.turn_index(at) == layer.turn_index(at)
    assert not _zonetable._TABLES[slow.tz]._chunks  # type: ignore[attr-defined]
