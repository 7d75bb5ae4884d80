"""A streaming multiwindow burn-rate evaluator that raises SLO alerts as tocsin events.

Feed it one bucket of good/total counts at a time, in order; it keeps prefix sums for
the longest window only and compares every rule exactly (integer cross-multiplication,
no floats), then yields an Events API v2 ``trigger`` when a severity starts firing
and a ``resolve`` when it stops.  The events go to the intake like any other source's.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING

from tocsin._checks import instance, optional_name, shifted, typed_tuple, utc_instant, whole_number
from tocsin.errors import InvalidInput
from tocsin.events import MAX_DEDUP_KEY, Action, Event, Severity
from tocsin.slo._numbers import microseconds, require_duration
from tocsin.slo._objective import Objective
from tocsin.slo._rules import BurnRateRule, Comparison, validate_rules
from tocsin.slo._series import CountSeries
from tocsin.slo._sli import Counts, Ratio, Threshold
from tocsin.time import to_utc

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence


def format_duration(value: timedelta) -> str:
    """A duration the way Prometheus writes one: ``1h``, ``5m``, ``2d3h25m42s``.

    >>> format_duration(timedelta(days=1, hours=1, minutes=43))
    '1d1h43m'
    """
    given: object = value  # callers without type checking may pass anything
    if not isinstance(given, timedelta):
        msg = f"expected a timedelta, got {type(given).__name__}"
        raise InvalidInput("value", msg)
    total = microseconds(value)
    if total == 0:
        return "0s"
    sign = "-" if total < 0 else ""
    secs, micros = divmod(abs(total), 1_000_000)
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        n, secs = divmod(secs, size)
        if n:
            parts.append(f"{n}{unit}")
    if micros:
        parts.append(f"{micros}us")
    return sign + "".join(parts)


#: The longest SLO name whose alerts' dedup keys (``slo:<name>:burn-rate:warning``)
#: fit in Events v2's 255 characters.
_MAX_NAME = MAX_DEDUP_KEY - len("slo::burn-rate:") - max(len(s.value) for s in Severity)


def _approx(value: Fraction, digits: int) -> str:
    """``value`` to ``digits`` significant digits, for people to read.

    Through ``Decimal`` when a float cannot hold it: at a target of 1 - 1e-400 a
    total outage burns at 1e400.
    """
    try:
        return f"{float(value):.{digits}g}"
    except OverflowError:
        with localcontext() as context:
            context.prec = digits
            rounded = Decimal(value.numerator) / Decimal(value.denominator)
        return f"{rounded.normalize():g}"


class _Rule:
    """A rule compiled for the hot loop: windows in buckets and the exact threshold."""

    __slots__ = ("den", "for_", "index", "long", "num", "rule", "short", "strict")

    def __init__(self, index: int, rule: BurnRateRule, beta: Fraction, step: timedelta) -> None:
        self.index = index
        self.rule = rule
        self.long = _buckets(rule.long, step, f"rules[{index}].long")
        self.short = _buckets(rule.short, step, f"rules[{index}].short")
        threshold = rule.factor * beta
        self.num, self.den = threshold.numerator, threshold.denominator
        self.strict = rule.comparison is Comparison.GT
        self.for_ = rule.for_

    def over(self, bad: int, total: int) -> bool:
        # bad / total (>|>=) num / den, cross-multiplied: exact, no division.
        if self.strict:
            return bad * self.den > total * self.num
        return bad * self.den >= total * self.num


def _buckets(window: timedelta, step: timedelta, field: str) -> int:
    n, rest = divmod(microseconds(window), microseconds(step))
    if rest:
        msg = f"{window} is not a whole number of {step} buckets"
        raise InvalidInput(field, msg)
    return n


class BurnRateEvaluator:
    """Evaluates burn-rate rules over a stream of time-bucketed counts.

    ``observe(start, good, total)`` takes the bucket that starts at ``start`` (buckets
    are ``bucket`` long, in order; a skipped bucket counts as no traffic) and returns
    the events the bucket's end caused.  A rule needs both windows over its threshold
    and, with ``min_events``, at least that many events in its long window: a quiet
    service whose one request in an hour failed is 100 % errors, but not a page.
    A window without traffic never fires (no data is not burning budget); alert on
    absent data separately.

    This object is stateful (it holds the windows); everything it decides comes from
    the counts it was given, never from a clock.

    >>> from datetime import UTC, datetime, timedelta
    >>> from tocsin.slo import Objective, RollingWindow, sre_workbook
    >>> slo = Objective("99.9%", RollingWindow(timedelta(days=30)))
    >>> ev = BurnRateEvaluator(slo, sre_workbook()[:1], name="checkout")
    >>> t0 = datetime(2026, 3, 2, tzinfo=UTC)
    >>> ev.observe(t0, good=1000, total=1000)
    ()
    >>> [
    ...     (e.action.value, e.severity, e.timestamp.isoformat())
    ...     for e in ev.observe(t0 + timedelta(minutes=1), good=900, total=1000)
    ... ]
    [('trigger', <Severity.CRITICAL: 'critical'>, '2026-03-02T00:02:00+00:00')]
    """

    __slots__ = (
        "_cum_bad",
        "_cum_total",
        "_firing",
        "_longest",
        "_next",
        "_pending",
        "_rules",
        "bucket",
        "min_events",
        "name",
        "objective",
        "routing_key",
        "source",
    )

    def __init__(
        self,
        objective: Objective,
        rules: Sequence[BurnRateRule],
        *,
        name: str,
        bucket: timedelta = timedelta(minutes=1),
        min_events: int = 0,
        routing_key: str | None = None,
        source: str | None = None,
    ) -> None:
        instance(objective, Objective, "objective")
        if not isinstance(objective.sli, Ratio | Threshold):
            msg = "burn-rate alerts need an event SLI (ratio or threshold), not time slices"
            raise InvalidInput("objective.sli", msg)
        label: object = name
        if not isinstance(label, str) or not label:
            msg = f"expected a non-empty SLO name, got {name!r}"
            raise InvalidInput("name", msg)
        if len(label) > _MAX_NAME:
            # The name goes into every alert's dedup key, which Events v2 caps.
            msg = f"at most {_MAX_NAME} characters (it is part of the dedup key), got {len(label)}"
            raise InvalidInput("name", msg)
        whole_number(min_events, "min_events", minimum=0)
        rules = typed_tuple(rules, BurnRateRule, "rules")
        if not rules:
            raise InvalidInput("rules", "expected at least one rule")
        validate_rules(rules, target=objective.target, window=objective.window)
        self.objective = objective
        self.name = name
        self.bucket = require_duration(bucket, "bucket")
        self.min_events = min_events
        # Checked here, not when the first alert fires: an evaluator that cannot
        # raise its alerts should fail where it is configured.
        self.routing_key = optional_name(routing_key, "routing_key")
        self.source = optional_name(source, "source")
        beta = objective.error_budget
        self._rules = tuple(_Rule(i, r, beta, self.bucket) for i, r in enumerate(rules))
        longest = max(r.long for r in self._rules)
        self._longest = longest
        self._cum_bad: deque[int] = deque([0], maxlen=longest + 1)
        self._cum_total: deque[int] = deque([0], maxlen=longest + 1)
        self._next: datetime | None = None
        self._pending: dict[int, datetime] = {}
        self._firing: dict[Severity, BurnRateRule] = {}

    @property
    def firing(self) -> Mapping[Severity, BurnRateRule]:
        """The severities firing now, each with the rule that set it off."""
        return MappingProxyType(dict(self._firing))

    def observe(self, start: datetime, good: object, total: object) -> tuple[Event, ...]:
        """Take the bucket ``[start, start + bucket)`` and return the events it caused."""
        counts = Counts.of(good, total)
        at = utc_instant(start, "start")
        shifted(at, self.bucket, "start")  # the bucket must end by the year 9999
        events: list[Event] = []
        if self._next is not None:
            gap = microseconds(at - self._next)
            step = microseconds(self.bucket)
            if gap < 0 or gap % step:
                msg = (
                    f"expected the bucket starting {self._next.isoformat()} or a later one "
                    f"a whole number of {self.bucket} after it, got {at.isoformat()}"
                )
                raise InvalidInput("start", msg)
            # Buckets nobody reported held no traffic; evaluate each so alerts resolve
            # at the right instant.  Once the longest window has gone quiet nothing can
            # change, so a long silence costs no more than that window.
            missing = gap // step
            for _ in range(min(missing, self._longest + 1)):
                events.extend(self._push(self._next, 0, 0))
            if missing > self._longest + 1:
                self._next = at
        events.extend(self._push(at, counts.bad, counts.total))
        return tuple(events)

    def _sum(self, cum: deque[int], w: int) -> int:
        return cum[-1] - cum[-1 - w] if len(cum) > w else cum[-1] - cum[0]

    def _push(self, at: datetime, bad: int, total: int) -> list[Event]:
        cb, ct = self._cum_bad, self._cum_total
        cb.append(cb[-1] + bad)
        ct.append(ct[-1] + total)
        now = at + self.bucket
        self._next = now
        active: dict[Severity, tuple[_Rule, int, int, int, int]] = {}
        for r in self._rules:
            bl, tl = self._sum(cb, r.long), self._sum(ct, r.long)
            bs, ts = self._sum(cb, r.short), self._sum(ct, r.short)
            hot = tl > 0 and ts > 0 and tl >= self.min_events and r.over(bl, tl) and r.over(bs, ts)
            if not hot:
                self._pending.pop(r.index, None)
                continue
            since = self._pending.setdefault(r.index, now)
            if now - since >= r.for_ and r.rule.severity not in active:
                active[r.rule.severity] = (r, bl, tl, bs, ts)
        events: list[Event] = []
        for severity in list(self._firing):
            if severity not in active:
                del self._firing[severity]
                events.append(self._resolve(severity, now))
        for severity, (r, bl, tl, bs, ts) in active.items():
            if severity not in self._firing:
                self._firing[severity] = r.rule
                events.append(self._trigger(r.rule, now, bl=bl, tl=tl, bs=bs, ts=ts))
        return events

    def _key(self, severity: Severity) -> str:
        return f"slo:{self.name}:burn-rate:{severity.value}"

    def _trigger(
        self, rule: BurnRateRule, now: datetime, *, bl: int, tl: int, bs: int, ts: int
    ) -> Event:
        beta = self.objective.error_budget
        long_rate = Fraction(bl, tl) / beta
        short_rate = Fraction(bs, ts) / beta
        long_s, short_s = format_duration(rule.long), format_duration(rule.short)
        summary = (
            f"SLO {self.name}: error budget burning at {_approx(long_rate, 4)}x over "
            f"{long_s} and {_approx(short_rate, 4)}x over {short_s} "
            f"(threshold {rule.comparison.value} {_approx(rule.factor, 6)}x, "
            f"target {float(self.objective.target * 100):g}%)"
        )
        return Event(
            action=Action.TRIGGER,
            dedup_key=self._key(rule.severity),
            summary=summary,
            source=self.source or self.name,
            severity=rule.severity,
            timestamp=now,
            class_="slo-burn-rate",
            routing_key=self.routing_key,
            custom_details={
                "labels": {
                    "slo": self.name,
                    "severity": rule.severity.value,
                    "long": long_s,
                    "short": short_s,
                },
                "burn_rate_long": str(long_rate),
                "burn_rate_short": str(short_rate),
                "factor": str(rule.factor),
                "comparison": rule.comparison.value,
                "target": str(self.objective.target),
                "bad_long": bl,
                "total_long": tl,
                "bad_short": bs,
                "total_short": ts,
            },
        )

    def _resolve(self, severity: Severity, now: datetime) -> Event:
        return Event(
            action=Action.RESOLVE,
            dedup_key=self._key(severity),
            timestamp=now,
            routing_key=self.routing_key,
        )


def evaluate(
    objective: Objective,
    rules: Sequence[BurnRateRule],
    series: CountSeries,
    *,
    name: str,
    min_events: int = 0,
    routing_key: str | None = None,
    source: str | None = None,
) -> Iterator[Event]:
    """Run a :class:`BurnRateEvaluator` over a whole series, yielding its events lazily.

    The arguments are checked when this is called, not when the first event is asked
    for.
    """
    instance(series, CountSeries, "series")
    evaluator = BurnRateEvaluator(
        objective,
        rules,
        name=name,
        bucket=series.step,
        min_events=min_events,
        routing_key=routing_key,
        source=source,
    )
    return _run(evaluator, series)


def _run(evaluator: BurnRateEvaluator, series: CountSeries) -> Iterator[Event]:
    start = to_utc(series.start)
    for i, (good, total) in enumerate(zip(series.good, series.total, strict=True)):
        yield from evaluator.observe(start + series.step * i, good, total)
