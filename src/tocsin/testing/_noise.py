"""Hypothesis strategies for matchers, routing trees, silences and inhibit rules.

They share one small vocabulary of label names and values (:data:`LABEL_NAMES`,
:data:`LABEL_VALUES`) so that drawn matchers, silences and alerts actually meet:
with a realistic vocabulary almost nothing would match and the interesting cases
(overlaps, ties, ``continue``) would never be drawn.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from hypothesis import strategies as st

from tocsin.errors import InvalidInput
from tocsin.events import Event
from tocsin.noise import InhibitRule, Silence
from tocsin.routing import Matcher, MatchOp, Route, RoutingTree
from tocsin.time import require_aware, to_utc

__all__ = [
    "LABEL_NAMES",
    "LABEL_VALUES",
    "matcher_labels",
    "labelled_events",
    "matchers",
    "routing_trees",
    "silences",
    "inhibit_rules",
]

#: Label names the strategies draw from.
LABEL_NAMES: tuple[str, ...] = ("alertname", "team", "severity", "cluster", "env")
#: Label values the strategies draw from (``""`` included: missing reads as empty).
LABEL_VALUES: tuple[str, ...] = ("a", "b", "c", "")
# Patterns that behave the same in Python's re and Go's RE2, and exercise anchoring.
_PATTERNS: tuple[str, ...] = ("a|b", "a.*", ".*", "b?", "[ac]", ".+", "(?i)A")
_SEVERITIES = ("critical", "error", "warning", "info")
_BASE = datetime(2026, 1, 5, 9, tzinfo=UTC)


def matcher_labels(
    names: tuple[str, ...] = LABEL_NAMES, values: tuple[str, ...] = LABEL_VALUES
) -> st.SearchStrategy[dict[str, str]]:
    """Label sets over the shared vocabulary (names may be absent)."""
    return st.dictionaries(st.sampled_from(names), st.sampled_from(values), max_size=len(names))


@st.composite
def labelled_events(
    draw: st.DrawFn,
    names: tuple[str, ...] = LABEL_NAMES,
    values: tuple[str, ...] = LABEL_VALUES,
    *,
    keys: tuple[str, ...] = ("k1", "k2", "k3", "k4"),
) -> Event:
    """Trigger events whose labels come from the shared vocabulary."""
    return Event(
        action="trigger",
        dedup_key=draw(st.sampled_from(keys)),
        summary="drawn alert",
        source=draw(st.sampled_from(("db1", "db2", "web1"))),
        severity=draw(st.sampled_from(_SEVERITIES)),
        custom_details={"labels": draw(matcher_labels(names, values))},
    )


@st.composite
def matchers(
    draw: st.DrawFn,
    names: tuple[str, ...] = LABEL_NAMES,
    values: tuple[str, ...] = LABEL_VALUES,
) -> Matcher:
    """One matcher of any operator over the shared vocabulary."""
    op = draw(st.sampled_from(tuple(MatchOp)))
    name = draw(st.sampled_from(names))
    if op in {MatchOp.REGEX, MatchOp.NOT_REGEX}:
        return Matcher(name, op, draw(st.sampled_from(_PATTERNS)))
    return Matcher(name, op, draw(st.sampled_from(values)))


def _routes(depth: int, services: tuple[str, ...]) -> st.SearchStrategy[Route]:
    children = (
        st.lists(_routes(depth - 1, services), max_size=3).map(tuple) if depth > 0 else st.just(())
    )
    return st.builds(
        Route,
        st.lists(matchers(), min_size=1, max_size=2).map(tuple),
        service=st.one_of(st.none(), st.sampled_from(services)),
        continue_=st.booleans(),
        routes=children,
        group_by=st.one_of(st.none(), st.just(("alertname",))),
        group_wait=st.one_of(st.none(), st.sampled_from((timedelta(0), timedelta(seconds=10)))),
    )


def routing_trees(
    *, max_depth: int = 3, services: tuple[str, ...] = ("db", "web", "ops")
) -> st.SearchStrategy[RoutingTree]:
    """Routing trees up to ``max_depth`` levels below the root, with ``continue`` mixed in."""
    return st.builds(
        lambda children: RoutingTree(Route(service="root", routes=children)),
        st.lists(_routes(max_depth - 1, services), max_size=4).map(tuple),
    )


def silences(
    *,
    ids: st.SearchStrategy[str] | None = None,
    base: datetime = _BASE,
    span: timedelta = timedelta(hours=2),
) -> st.SearchStrategy[Silence]:
    """Silences starting within ``span`` of ``base`` and lasting up to ``span``.

    The first matcher never matches the empty string, as a valid silence requires.
    ``span`` is elapsed time (counted in UTC, so a DST change inside it neither adds
    nor loses an hour) of at least a minute; the instants are shown in ``base``'s zone.
    """
    start_base = require_aware(base, "base")
    utc_base = to_utc(start_base, "base")
    given: object = span  # callers without type checking may pass anything
    if not isinstance(given, timedelta) or given < timedelta(minutes=1):
        msg = f"expected a timedelta of at least one minute, got {span!r}"
        raise InvalidInput("span", msg)
    try:
        (utc_base + 2 * span).astimezone(start_base.tzinfo)
    except OverflowError:
        msg = f"{start_base.isoformat()} + 2 x {span} lies past the year 9999"
        raise InvalidInput("span", msg) from None
    return _silences(ids, utc_base, start_base.tzinfo, int(span.total_seconds() // 60))


@st.composite
def _silences(
    draw: st.DrawFn,
    ids: st.SearchStrategy[str] | None,
    utc_base: datetime,
    tz: tzinfo | None,
    minutes: int,
) -> Silence:
    first_name = draw(st.sampled_from(LABEL_NAMES))
    first = draw(
        st.one_of(
            st.sampled_from([v for v in LABEL_VALUES if v]).map(
                lambda v: Matcher(first_name, "=", v)
            ),
            st.sampled_from(("a|b", "[ac]", ".+")).map(lambda p: Matcher(first_name, "=~", p)),
        )
    )
    extra = draw(st.lists(matchers(), max_size=2))
    start = utc_base + timedelta(minutes=draw(st.integers(0, minutes)))
    end = start + timedelta(minutes=draw(st.integers(1, minutes)))
    silence_id = draw(ids if ids is not None else st.uuids().map(str))
    return Silence(silence_id, (first, *extra), start.astimezone(tz), end.astimezone(tz))


def inhibit_rules(
    names: tuple[str, ...] = LABEL_NAMES,
) -> st.SearchStrategy[InhibitRule]:
    """Inhibit rules over the shared vocabulary, ``equal`` names included."""
    return st.builds(
        InhibitRule,
        st.lists(matchers(names), min_size=1, max_size=2).map(tuple),
        st.lists(matchers(names), min_size=1, max_size=2).map(tuple),
        st.lists(st.sampled_from(names), max_size=2, unique=True).map(tuple),
    )
