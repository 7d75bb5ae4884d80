"""Multiwindow, multi-burn-rate alert rules as data, with the presets people use.

A rule fires when the burn rate over its long window *and* over its short window
both exceed ``factor`` (the SRE workbook's sixth and recommended approach).  The long
window makes the alert significant (``factor * long / period`` of the budget is gone
when it fires); the short window makes it resolve quickly once the burning stops.
Rules of one severity are OR-ed.

``factor = share * period / long``: the burn rate that spends ``share`` of the
period's budget within ``long`` (Sloth's ``getBurnRateFactor``, Datadog's "approach
#2").  Factors are exact fractions: 28 days gives 14/15 for 10 % over 3 days where
Sloth's golden test holds 0.9333333333333333.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import enum_member, listed, typed_tuple, whole_number
from tocsin.errors import InvalidInput
from tocsin.events import Severity
from tocsin.slo._numbers import (
    microseconds,
    require_duration,
    scale,
    to_fraction,
    to_positive_fraction,
    to_target,
)
from tocsin.slo._window import CalendarWindow, RollingWindow, Window

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


class Comparison(enum.StrEnum):
    """How a burn rate is compared with a rule's factor.

    ``>`` (the default) as Sloth, Pyrra and the SRE workbook's rules do; ``>=`` as
    Datadog and Nobl9 do.  It only matters when the burn rate equals the factor
    exactly, which happens with small, round counts.
    """

    GT = ">"
    GE = ">="


def _severity(value: object) -> Severity:
    return enum_member(Severity, value, "severity")


def _comparison(value: object) -> Comparison:
    return enum_member(Comparison, value, "comparison")


def _long(value: object) -> timedelta:
    return require_duration(value, "long")


def _short(value: object) -> timedelta:
    return require_duration(value, "short")


def _factor(value: object) -> Fraction:
    return to_positive_fraction(value, "factor")


def _for(value: object) -> timedelta:
    return require_duration(value, "for_", allow_zero=True)


@attrs.frozen
class BurnRateRule:
    """One long/short window pair with its factor and severity.

    ``for_`` is how long the condition must hold before the alert fires (Prometheus
    ``for``; Pyrra sets it, Sloth and the workbook do not).  ``severity`` uses
    tocsin's levels: the workbook's "page" is ``critical``, "ticket" is ``warning``.

    >>> r = BurnRateRule(timedelta(hours=1), timedelta(minutes=5), "14.4", "critical")
    >>> r.threshold("99.9%")
    Fraction(9, 625)
    """

    long: timedelta = attrs.field(converter=_long)
    short: timedelta = attrs.field(converter=_short)
    factor: Fraction = attrs.field(converter=_factor)
    severity: Severity = attrs.field(converter=_severity)
    for_: timedelta = attrs.field(default=timedelta(0), converter=_for, kw_only=True)
    comparison: Comparison = attrs.field(default=Comparison.GT, converter=_comparison, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.short >= self.long:
            msg = f"the short window ({self.short}) must be shorter than the long ({self.long})"
            raise InvalidInput("short", msg)

    def threshold(self, target: object) -> Fraction:
        """The error ratio both windows must exceed: ``factor * (1 - target)``.

        14.4 at 99.9 % is 0.0144, exactly (Sloth's generated rule says
        0.014399999999999183).
        """
        return self.factor * (1 - to_target(target))

    def detection_time(self, target: object, error_ratio: object = 1) -> timedelta | None:
        """How long a constant ``error_ratio`` takes to fire this rule.

        From a clean history: the long window's detection time plus ``for_``.

        ``None`` when that error ratio never crosses the threshold, or when the sum
        would outlast ``timedelta.max`` (never, as in :func:`~tocsin.slo.time_to_exhaustion`).
        """
        found = detection_time(
            self.long,
            self.factor,
            target=target,
            error_ratio=error_ratio,
            comparison=self.comparison,
        )
        if found is None or found > timedelta.max - self.for_:
            return None
        return found + self.for_

    def reset_time(self, target: object, error_ratio: object = 1) -> timedelta:
        """How long the alert keeps firing after a burn at ``error_ratio`` stops.

        The short window drops below the threshold first, and the pair needs both:
        ``short * (1 - threshold / error_ratio)``.  Without the short window this
        would be the long window's (57.84 minutes for 1 h at 36x and 99.9 %).
        """
        return reset_time(self.short, self.factor, target=target, error_ratio=error_ratio)

    def budget_at_detection(self, period: timedelta) -> Fraction:
        """The share of the period's budget gone when the rule fires: ``factor * long / P``."""
        p = require_duration(period, "period")
        return self.factor * Fraction(microseconds(self.long), microseconds(p))


def _error_ratio(value: object) -> Fraction:
    number = to_fraction(value, "error_ratio")
    if not 0 <= number <= 1:
        msg = f"must be between 0 and 1, got {value!r}"
        raise InvalidInput("error_ratio", msg)
    return number


def detection_time(
    window: timedelta,
    factor: object,
    *,
    target: object,
    error_ratio: object = 1,
    comparison: Comparison | str = Comparison.GT,
) -> timedelta | None:
    """How long a constant ``error_ratio`` takes to push ``window`` over ``factor``.

    The SRE workbook's ``(1 - target) / error_ratio * window * factor``, for a window
    that held no errors before.  ``None`` if the ratio never gets there.

    >>> detection_time(timedelta(hours=1), "14.4", target="99.9%")
    datetime.timedelta(seconds=51, microseconds=840000)
    """
    w = require_duration(window, "window")
    b = to_positive_fraction(factor, "factor")
    e = _error_ratio(error_ratio)
    how = _comparison(comparison)
    need = b * (1 - to_target(target))
    if e < need or (e == need and how is Comparison.GT):
        return None
    return scale(w, need / e)


def reset_time(
    window: timedelta, factor: object, *, target: object, error_ratio: object = 1
) -> timedelta:
    """How long ``window`` stays over ``factor`` after a burn at ``error_ratio`` ends.

    ``window * (1 - factor·(1 - target) / error_ratio)`` for a window full of the
    burn; zero if the burn never crossed the threshold.  1 h at 36x after a total
    outage at 99.9 % stays firing 57.84 minutes (the workbook's "58 minutes").

    >>> reset_time(timedelta(hours=1), 36, target="99.9%")
    datetime.timedelta(seconds=3470, microseconds=400000)
    """
    w = require_duration(window, "window")
    b = to_positive_fraction(factor, "factor")
    e = _error_ratio(error_ratio)
    need = b * (1 - to_target(target))
    if e <= need:
        return timedelta(0)
    return scale(w, 1 - need / e)


#: A share of the period's budget, its long window and its severity, optionally
#: with an explicit short window (else ``long / 12``).
BudgetShare = tuple[object, timedelta, object] | tuple[object, timedelta, object, timedelta]


def rules_from_budget(
    period: timedelta,
    shares: Iterable[BudgetShare],
    *,
    short_divisor: int = 12,
    comparison: Comparison | str = Comparison.GT,
) -> tuple[BurnRateRule, ...]:
    """Rules that fire when ``share`` of the period's budget is spent within ``long``.

    ``factor = share * period / long`` and, unless given, ``short = long /
    short_divisor`` (12, the workbook's rule of thumb).

    >>> rules = rules_from_budget(timedelta(days=30), [("2%", timedelta(hours=1), "critical")])
    >>> rules[0].factor, rules[0].short
    (Fraction(72, 5), datetime.timedelta(seconds=300))
    """
    p = require_duration(period, "period")
    whole_number(short_divisor, "short_divisor", minimum=2)
    rules: list[BurnRateRule] = []
    for i, item in enumerate(listed(shares, "shares", "budget shares")):
        try:
            rules.append(_rule_from_share(p, item, short_divisor, comparison))
        except InvalidInput as exc:
            where = f"shares[{i}]"
            raise exc.within(where) from exc
    return tuple(rules)


def _rule_from_share(
    period: timedelta, item: object, short_divisor: int, comparison: Comparison | str
) -> BurnRateRule:
    if not isinstance(item, tuple) or len(item) not in {3, 4}:
        msg = "expected (share, long, severity) or (share, long, severity, short)"
        raise InvalidInput("", msg)
    share = to_positive_fraction(item[0], "share")
    if share > 1:
        msg = f"a share of the budget is at most 1 (100%), got {item[0]!r}"
        raise InvalidInput("share", msg)
    long = require_duration(item[1], "long")
    if long > period:
        # A window longer than the period would judge more than one period's budget.
        msg = f"the long window ({long}) is longer than the period ({period})"
        raise InvalidInput("long", msg)
    short = item[3] if len(item) == 4 else long / short_divisor  # noqa: PLR2004
    factor = share * Fraction(microseconds(period), microseconds(long))
    return BurnRateRule(long, short, factor, item[2], comparison=comparison)


_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)


def sre_workbook(period: timedelta = timedelta(days=30)) -> tuple[BurnRateRule, ...]:
    """The Google SRE workbook's recommended rules (table 5-8), scaled to ``period``.

    Page at 2 % of the budget in 1 h (5 m short) and 5 % in 6 h (30 m); ticket at 10 %
    in 3 d (6 h).  Over 30 days: 14.4, 6 and 1.  The period must hold the 3-day
    window.
    """
    p = require_duration(period, "period")
    if p < 3 * _DAY:
        msg = f"the workbook's rules judge windows up to 3 days, longer than {p}"
        raise InvalidInput("period", msg)
    return rules_from_budget(
        p,
        [
            ("2%", _HOUR, Severity.CRITICAL),
            ("5%", 6 * _HOUR, Severity.CRITICAL),
            ("10%", 3 * _DAY, Severity.WARNING),
        ],
    )


def sloth(period: timedelta = timedelta(days=30)) -> tuple[BurnRateRule, ...]:
    """Sloth's built-in Google catalogs, for the 30-day and 28-day periods it ships.

    Page: 2 % in 1 h (5 m), 5 % in 6 h (30 m); ticket: 10 % in 1 d (2 h), 10 % in 3 d
    (6 h).  30 d gives 14.4, 6, 3, 1; 28 d gives 13.44, 5.6, 2.8, 14/15.  Like Sloth,
    any other period is an error: write the shares with :func:`rules_from_budget`.
    """
    if period not in {timedelta(days=30), timedelta(days=28)}:
        msg = (
            f"Sloth ships catalogs for 30 and 28 days only, got {period}; use "
            "rules_from_budget(period, shares) for others"
        )
        raise InvalidInput("period", msg)
    return rules_from_budget(
        period,
        [
            ("2%", _HOUR, Severity.CRITICAL),
            ("5%", 6 * _HOUR, Severity.CRITICAL),
            ("10%", _DAY, Severity.WARNING),
            ("10%", 3 * _DAY, Severity.WARNING),
        ],
    )


_NANOSECONDS_PER_MICROSECOND = 1000
_MINUTE_NS = 60 * 1_000_000_000


def _go_round_minute(nanoseconds: int) -> timedelta:
    # Go's Duration.Round: to the nearest multiple, halves away from zero.
    rest = nanoseconds % _MINUTE_NS
    rounded = nanoseconds - rest if rest + rest < _MINUTE_NS else nanoseconds + _MINUTE_NS - rest
    return timedelta(minutes=rounded // _MINUTE_NS)


def pyrra(period: timedelta = timedelta(days=28)) -> tuple[BurnRateRule, ...]:
    """Pyrra's four rules, scaled from its 28-day design to any ``period``.

    Pyrra divides the period in Go integer nanoseconds and rounds each duration to a
    minute, with fixed factors 14, 7, 2 and 1; tocsin reproduces the arithmetic, so
    30 days gives 1h4m/5m, 6h26m/32m, 1d1h43m/2h9m and 4d6h51m/6h26m as Pyrra does.
    """
    ns = microseconds(require_duration(period, "period")) * _NANOSECONDS_PER_MICROSECOND

    def part(divisor: int) -> timedelta:
        return _go_round_minute(ns // divisor)

    table = (
        # (for, long, short, factor, severity): divisors of the period from Pyrra.
        (28 * 24 * 30, 28 * 24, 28 * 24 * 12, 14, Severity.CRITICAL),
        (28 * 24 * 4, 28 * 4, 28 * 24 * 2, 7, Severity.CRITICAL),
        (28 * 24, 28, 28 * 12, 2, Severity.WARNING),
        (28 * 8, 7, 28 * 4, 1, Severity.WARNING),
    )
    try:
        return tuple(
            BurnRateRule(part(long), part(short), factor, severity, for_=part(for_))
            for for_, long, short, factor, severity in table
        )
    except InvalidInput:
        # Windows round to whole minutes: below about three days the fast rule's
        # short window rounds to nothing.
        msg = f"{period} is too short for Pyrra's windows, which round to whole minutes"
        raise InvalidInput("period", msg) from None


_DATADOG_SHARES: dict[int, tuple[str, str, str]] = {
    7: ("10%", "20%", "40%"),
    30: ("2%", "5%", "10%"),
    90: ("1%", "3%", "5%"),
}


def datadog(period: timedelta = timedelta(days=30)) -> tuple[BurnRateRule, ...]:
    """Datadog's recommended burn-rate monitors for its 7, 30 and 90-day SLOs.

    Long windows 1 h, 6 h and 24 h with short = long / 12, compared with ``>=`` as
    Datadog does.  30 d: 14.4, 6, 3; 7 d: 16.8, 5.6, 2.8; 90 d: 21.6, 10.8, 4.5.
    Datadog leaves severities to the user; tocsin pages (critical) on the first two
    and tickets (warning) on the third, like the workbook.
    """
    days, rest = divmod(require_duration(period, "period"), _DAY)
    if rest or days not in _DATADOG_SHARES:
        msg = f"Datadog SLOs have 7, 30 or 90-day timeframes, got {period}"
        raise InvalidInput("period", msg)
    fast, medium, slow = _DATADOG_SHARES[days]
    return rules_from_budget(
        period,
        [
            (fast, _HOUR, Severity.CRITICAL),
            (medium, 6 * _HOUR, Severity.CRITICAL),
            (slow, 24 * _HOUR, Severity.WARNING),
        ],
        comparison=Comparison.GE,
    )


def validate_rules(rules: Sequence[BurnRateRule], *, target: object, window: Window) -> None:
    """Check rules against an objective's target and window.

    Each factor must be at most ``1 / (1 - target)`` (a higher one can never fire)
    and each long window no longer than the period.

    Errors name the rule: ``rules[2].factor``.
    """
    t = to_target(target)
    ceiling = 1 / (1 - t)
    given: object = window  # callers without type checking may pass anything
    if not isinstance(given, RollingWindow | CalendarWindow):
        msg = f"expected a RollingWindow or CalendarWindow, got {type(given).__name__}"
        raise InvalidInput("window", msg)
    period = given.nominal_length
    for i, rule in enumerate(typed_tuple(rules, BurnRateRule, "rules")):
        if rule.factor > ceiling:
            msg = (
                f"{rule.factor} can never fire: a total outage burns at most "
                f"{ceiling} at target {t}"
            )
            where = f"rules[{i}].factor"
            raise InvalidInput(where, msg)
        if rule.long > period:
            msg = f"the long window ({rule.long}) is longer than the SLO period ({period})"
            where = f"rules[{i}].long"
            raise InvalidInput(where, msg)
