"""Bad input to every public constructor and function of ``tocsin.analytics``.

Each case must raise a typed tocsin error (``InvalidInput`` or a subclass) naming the
field: never an ``AttributeError`` or ``TypeError`` from deep inside, and never a
wrong answer from a value that should have been refused.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import pytest

from tocsin.analytics import (
    Burden,
    Fairness,
    IncidentTimeline,
    OnCallEntry,
    Page,
    ReliabilityReport,
    Stats,
    availability,
    burden,
    count_stats,
    downtime,
    duration_stats,
    fairness,
    gini,
    mtbf,
    mtta,
    mttr,
    reliability_report,
)
from tocsin.errors import InvalidInput
from tocsin.time import Interval

if TYPE_CHECKING:
    from collections.abc import Callable

T0 = datetime(2026, 3, 2, tzinfo=UTC)
NAIVE = datetime(2026, 3, 2)  # naive on purpose
M = timedelta(minutes=1)
SPAN = Interval(T0, T0 + 2 * M)
INCIDENT = IncidentTimeline(opened=T0, resolved=T0 + M)
YEAR_ONE_PLUS_5 = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))  # year 0 in UTC
A_BOOL: Any = True  # where a whole number belongs


def bad(value: object) -> Any:
    """``value``, typed so the checker lets a wrong type through to the call."""
    return value


@attrs.frozen
class Span:
    """A bare on-call span (user, start, end), as a third-party record would be."""

    user: Any
    start: Any
    end: Any


BURDEN = burden([OnCallEntry("a", T0, T0 + M, zone="UTC")])[0]
EMPTY: Stats[Any] = Stats(0, None, None, None)
GOOD_REPORT: dict[str, Any] = {
    "period": SPAN,
    "recovery": "resolve",
    "incidents": 0,
    "failures": 0,
    "mtta": EMPTY,
    "mttr": EMPTY,
    "mtbf": None,
    "downtime": timedelta(0),
    "availability": Fraction(1),
}
GOOD_BURDEN: dict[str, Any] = attrs.asdict(BURDEN, recurse=False)
GOOD_FAIRNESS: dict[str, Any] = attrs.asdict(fairness([BURDEN]), recurse=False)


CASES: list[tuple[str, Callable[[], object], str]] = [
    # statistics
    ("Stats negative count", lambda: Stats(-1, None, None, None), "count"),
    ("Stats text count", lambda: Stats(bad("1"), None, None, None), "count"),
    ("Stats value without a count", lambda: Stats(0, M, None, None), "mean"),
    ("Stats count without values", lambda: Stats(1, None, None, None), "mean"),
    ("Stats wrong type", lambda: Stats(1, bad(1.5), bad(1.5), bad(1.5)), "mean"),
    ("duration_stats not a list", lambda: duration_stats(bad(5)), "values"),
    ("duration_stats item", lambda: duration_stats(bad([5])), "values[0]"),
    ("duration_stats negative", lambda: duration_stats([M, -M]), "values[1]"),
    ("count_stats negative", lambda: count_stats([-1]), "values[0]"),
    ("count_stats text", lambda: count_stats(bad(["1"])), "values[0]"),
    ("count_stats bool", lambda: count_stats([A_BOOL]), "values[0]"),
    ("count_stats float", lambda: count_stats(bad([1.5])), "values[0]"),
    ("count_stats not a list", lambda: count_stats(bad(5)), "values"),
    ("gini text", lambda: gini(bad(["1"])), "values[0]"),
    ("gini negative", lambda: gini([2, -1]), "values[1]"),
    ("gini not a list", lambda: gini(bad(5)), "values"),
    # incidents
    ("IncidentTimeline key int", lambda: IncidentTimeline(opened=T0, key=bad(5)), "key"),
    ("IncidentTimeline key empty", lambda: IncidentTimeline(opened=T0, key=""), "key"),
    ("IncidentTimeline opened text", lambda: IncidentTimeline(opened=bad("2026-03-02")), "opened"),
    (
        "IncidentTimeline opened before UTC year 1",
        lambda: IncidentTimeline(opened=YEAR_ONE_PLUS_5),
        "opened",
    ),
    (
        "IncidentTimeline resolved naive",
        lambda: IncidentTimeline(opened=T0, resolved=NAIVE),
        "resolved",
    ),
    (
        "IncidentTimeline mitigated before started",
        lambda: IncidentTimeline(opened=T0, started=T0, mitigated=T0 - M),
        "mitigated",
    ),
    ("IncidentTimeline.time_to", lambda: INCIDENT.time_to("fix"), "recovery"),
    ("mtta not a list", lambda: mtta(bad(5)), "incidents"),
    ("mttr recovery", lambda: mttr([INCIDENT], bad(5)), "recovery"),
    ("mtbf period", lambda: mtbf([INCIDENT], bad(5)), "period"),
    ("downtime item", lambda: downtime(bad([5]), SPAN), "incidents[0]"),
    ("availability period tuple", lambda: availability([INCIDENT], bad((T0, T0 + M))), "period"),
    (
        "reliability_report recovery",
        lambda: reliability_report([INCIDENT], SPAN, recovery="fix"),
        "recovery",
    ),
    (
        "ReliabilityReport period",
        lambda: ReliabilityReport(**{**GOOD_REPORT, "period": 5}),
        "period",
    ),
    (
        "ReliabilityReport recovery",
        lambda: ReliabilityReport(**{**GOOD_REPORT, "recovery": "x"}),
        "recovery",
    ),
    (
        "ReliabilityReport incidents",
        lambda: ReliabilityReport(**{**GOOD_REPORT, "incidents": -1}),
        "incidents",
    ),
    ("ReliabilityReport mtta", lambda: ReliabilityReport(**{**GOOD_REPORT, "mtta": 1}), "mtta"),
    ("ReliabilityReport mtbf", lambda: ReliabilityReport(**{**GOOD_REPORT, "mtbf": -M}), "mtbf"),
    (
        "ReliabilityReport downtime",
        lambda: ReliabilityReport(**{**GOOD_REPORT, "downtime": None}),
        "downtime",
    ),
    (
        "ReliabilityReport availability",
        lambda: ReliabilityReport(**{**GOOD_REPORT, "availability": 2}),
        "availability",
    ),
    # on-call burden
    ("OnCallEntry user", lambda: OnCallEntry(bad(5), T0, T0), "user"),
    ("OnCallEntry zone", lambda: OnCallEntry("a", T0, T0, zone=bad(5)), "zone"),
    ("OnCallEntry start before UTC year 1", lambda: OnCallEntry("a", YEAR_ONE_PLUS_5, T0), "start"),
    ("Page user", lambda: Page("", T0), "user"),
    ("Page at", lambda: Page("a", bad("now")), "at"),
    ("Burden user", lambda: Burden(**{**GOOD_BURDEN, "user": 5}), "user"),
    ("Burden zone", lambda: Burden(**{**GOOD_BURDEN, "zone": "UTC"}), "zone"),
    ("Burden on_call", lambda: Burden(**{**GOOD_BURDEN, "on_call": -M}), "on_call"),
    (
        "Burden weekend over on_call",
        lambda: Burden(**{**GOOD_BURDEN, "weekend_on_call": 2 * M}),
        "weekend_on_call",
    ),
    ("Burden pages", lambda: Burden(**{**GOOD_BURDEN, "pages": -1}), "pages"),
    (
        "Burden off hours over pages",
        lambda: Burden(**{**GOOD_BURDEN, "off_hours_pages": 1}),
        "off_hours_pages",
    ),
    ("burden not a list", lambda: burden(bad(5)), "shifts"),
    ("burden item without user", lambda: burden(bad([5])), "shifts[0]"),
    ("burden empty user", lambda: burden([Span("", T0, T0)]), "shifts[0].user"),
    ("burden naive start", lambda: burden([Span("a", NAIVE, T0)]), "shifts[0].start"),
    (
        "burden end before start",
        lambda: burden([Span("a", T0, T0 - M)], zones={"a": "UTC"}),
        "shifts[0].end",
    ),
    ("burden page item", lambda: burden([], bad([5])), "pages[0]"),
    ("burden zones int", lambda: burden([], zones=bad(5)), "zones"),
    ("burden zones list", lambda: burden([], zones=bad([("a", "UTC")])), "zones"),
    ("burden zones key", lambda: burden([], zones=bad({5: "UTC"})), "zones[5]"),
    ("burden zones value", lambda: burden([], zones={"a": bad(5)}), "zones['a']"),
    ("burden period", lambda: burden([], period=bad(5)), "period"),
    (
        "burden users a string",
        lambda: burden([], users="ab", zones={"a": "UTC", "b": "UTC"}),
        "users",
    ),
    ("burden users empty name", lambda: burden([], users=[""]), "users[0]"),
    ("burden users int", lambda: burden([], users=bad([5])), "users[0]"),
    ("burden day_start text", lambda: burden([], day_start=bad("08:00")), "day_start"),
    ("burden day_start aware", lambda: burden([], day_start=time(8, tzinfo=UTC)), "day_start"),
    (
        "burden working hours of no length",
        lambda: burden([], day_start=time(8), day_end=time(8)),
        "day_end",
    ),
    (
        "burden page past 9999 in Tokyo",
        lambda: burden(
            [], [Page("a", datetime(9999, 12, 31, 23, tzinfo=UTC))], zones={"a": "Asia/Tokyo"}
        ),
        "pages[0].at",
    ),
    (
        "burden shift past 9999 in Tokyo",
        lambda: burden(
            [OnCallEntry("a", T0, datetime(9999, 12, 31, 23, tzinfo=UTC))],
            zones={"a": "Asia/Tokyo"},
        ),
        "shifts[0].end",
    ),
    (
        "burden shift before year 1 in New York",
        lambda: burden(
            [OnCallEntry("a", datetime(1, 1, 1, tzinfo=UTC), T0)], zones={"a": "America/New_York"}
        ),
        "shifts[0].start",
    ),
    ("fairness not a list", lambda: fairness(bad(5)), "burdens"),
    ("fairness item", lambda: fairness(bad([5])), "burdens[0]"),
    ("Fairness people", lambda: Fairness(**{**GOOD_FAIRNESS, "people": -1}), "people"),
    ("Fairness stats", lambda: Fairness(**{**GOOD_FAIRNESS, "pages": 1}), "pages"),
    (
        "Fairness gini",
        lambda: Fairness(**{**GOOD_FAIRNESS, "pages_gini": Fraction(1)}),
        "pages_gini",
    ),
]


@pytest.mark.parametrize(("call", "field"), [pytest.param(c, f, id=i) for i, c, f in CASES])
def test_bad_input_is_refused_naming_the_field(call: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        call()
    assert info.value.field == field
