"""Incident metrics: MTTA, MTTR (with its "R" named), MTBF, downtime and availability.

"MTTR" is four different metrics in the wild (Atlassian lists repair, recovery,
respond and resolve).  tocsin makes the caller say which, defaulting to *resolve*
(detection to fully resolved) because that is the one every incident tool records.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from tocsin._checks import instance, optional_name, typed_tuple, utc_instant, whole_number
from tocsin.analytics._stats import Stats, duration_stats, stats_field
from tocsin.errors import InvalidInput
from tocsin.time import Interval, require_aware, to_utc

if TYPE_CHECKING:
    from collections.abc import Iterable


class Recovery(enum.StrEnum):
    """Which "R" an MTTR measures, from which moment to which.

    * ``resolve`` (default): ``opened`` to ``resolved``, detection to fully resolved.
    * ``recover``: ``started`` to restored, failure start to service working again.
    * ``respond``: ``opened`` to restored, alert to service working again.
    * ``repair``: ``acknowledged`` to restored, time someone spent fixing it.

    "Restored" is ``mitigated``, or ``resolved`` where no mitigation was recorded.
    """

    RESOLVE = "resolve"
    RECOVER = "recover"
    RESPOND = "respond"
    REPAIR = "repair"


_RECOVERIES = tuple(r.value for r in Recovery)


def _instant(value: object, field: str) -> datetime:
    utc_instant(value, field)  # refuses an instant UTC cannot show
    return require_aware(value, field)


def _optional(value: object, field: str) -> datetime | None:
    return None if value is None else _instant(value, field)


def _started(value: object) -> datetime | None:
    return _optional(value, "started")


def _acknowledged(value: object) -> datetime | None:
    return _optional(value, "acknowledged")


def _mitigated(value: object) -> datetime | None:
    return _optional(value, "mitigated")


def _resolved(value: object) -> datetime | None:
    return _optional(value, "resolved")


def _opened(value: object) -> datetime:
    return _instant(value, "opened")


def _key(value: object) -> str | None:
    return optional_name(value, "key")


@attrs.frozen(kw_only=True)
class IncidentTimeline:
    """When an incident's milestones happened (all aware; only ``opened`` required).

    ``started`` is when the failure began (default: ``opened``, when it was detected
    or alerted on); ``acknowledged`` when a responder took it; ``mitigated`` when the
    service worked again; ``resolved`` when the incident was closed.  Missing
    milestones are ``None``: an unacknowledged incident is left out of MTTA, an open
    one out of MTTR, and counts as down until the end of the period for availability.
    ``key`` is your own identifier for the incident (``None`` or a non-empty string).
    """

    opened: datetime = attrs.field(converter=_opened)
    started: datetime | None = attrs.field(default=None, converter=_started)
    acknowledged: datetime | None = attrs.field(default=None, converter=_acknowledged)
    mitigated: datetime | None = attrs.field(default=None, converter=_mitigated)
    resolved: datetime | None = attrs.field(default=None, converter=_resolved)
    key: str | None = attrs.field(default=None, converter=_key)

    def __attrs_post_init__(self) -> None:
        def before(a: str, b: str) -> None:
            first, second = getattr(self, a), getattr(self, b)
            if first is not None and second is not None and to_utc(second) < to_utc(first):
                msg = f"{b} {second.isoformat()} is before {a} {first.isoformat()}"
                raise InvalidInput(b, msg)

        before("started", "opened")
        before("opened", "acknowledged")
        before("started", "mitigated")
        before("opened", "resolved")
        before("acknowledged", "resolved")
        before("mitigated", "resolved")

    @property
    def failure_start(self) -> datetime:
        """``started``, or ``opened`` when the failure start is unknown."""
        return self.started if self.started is not None else self.opened

    @property
    def restored(self) -> datetime | None:
        """``mitigated``, or ``resolved`` when no mitigation was recorded."""
        return self.mitigated if self.mitigated is not None else self.resolved

    def time_to(self, recovery: Recovery | str = Recovery.RESOLVE) -> timedelta | None:
        """The incident's own time to ``recovery`` (``None`` if not reached)."""
        kind = _recovery(recovery)
        begin: datetime | None = {
            Recovery.RESOLVE: self.opened,
            Recovery.RECOVER: self.failure_start,
            Recovery.RESPOND: self.opened,
            Recovery.REPAIR: self.acknowledged,
        }[kind]
        end = self.resolved if kind is Recovery.RESOLVE else self.restored
        if begin is None or end is None:
            return None
        # Counted in UTC: the milestones may carry different zones.
        return max(to_utc(end) - to_utc(begin), timedelta(0))


def _recovery(value: object) -> Recovery:
    if isinstance(value, str) and value in _RECOVERIES:
        return Recovery(value)
    allowed = ", ".join(repr(r) for r in _RECOVERIES)
    msg = f"expected one of {allowed}, got {value!r}"
    raise InvalidInput("recovery", msg)


def _timelines(incidents: Iterable[IncidentTimeline]) -> tuple[IncidentTimeline, ...]:
    return typed_tuple(incidents, IncidentTimeline, "incidents")


def mtta(incidents: Iterable[IncidentTimeline]) -> Stats[timedelta]:
    """Time from ``opened`` to ``acknowledged``, over the acknowledged incidents."""
    return duration_stats(
        to_utc(i.acknowledged) - to_utc(i.opened)
        for i in _timelines(incidents)
        if i.acknowledged is not None
    )


def mttr(
    incidents: Iterable[IncidentTimeline], recovery: Recovery | str = Recovery.RESOLVE
) -> Stats[timedelta]:
    """Time to ``recovery`` (resolve by default), over the incidents that reached it."""
    kind = _recovery(recovery)
    found = (i.time_to(kind) for i in _timelines(incidents))
    return duration_stats(d for d in found if d is not None)


def _outages(
    incidents: Iterable[IncidentTimeline], period: Interval
) -> list[tuple[datetime, datetime]]:
    """Merged outage spans clipped to ``period``, in UTC."""
    lo, hi = to_utc(period.start), to_utc(period.end)
    spans = []
    for i in _timelines(incidents):
        begin = max(to_utc(i.failure_start), lo)
        restored = i.restored
        end = min(to_utc(restored) if restored is not None else hi, hi)
        if begin < end:
            spans.append((begin, end))
    spans.sort()
    merged: list[tuple[datetime, datetime]] = []
    for begin, end in spans:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _period(value: object) -> Interval:
    return instance(value, Interval, "period")


def downtime(incidents: Iterable[IncidentTimeline], period: Interval) -> timedelta:
    """Time within ``period`` that some incident's service was down.

    Down runs from ``started`` (or ``opened``) to ``mitigated`` (or ``resolved``);
    overlapping incidents count once; an unrestored one is down to the period's end.
    """
    return sum((end - begin for begin, end in _outages(incidents, _period(period))), timedelta(0))


def availability(incidents: Iterable[IncidentTimeline], period: Interval) -> Fraction | None:
    """``uptime / period`` within ``period``, exact; ``None`` for an empty period.

    >>> from datetime import UTC, datetime, timedelta
    >>> t0 = datetime(2026, 3, 1, tzinfo=UTC)
    >>> month = Interval(t0, t0 + timedelta(hours=720))
    >>> down = [IncidentTimeline(opened=t0, resolved=t0 + timedelta(hours=6))]
    >>> availability(down, month)
    Fraction(119, 120)
    """
    span = _period(period)
    length = span.duration // timedelta(microseconds=1)
    if length == 0:
        return None
    down = downtime(incidents, span) // timedelta(microseconds=1)
    return Fraction(length - down, length)


def mtbf(incidents: Iterable[IncidentTimeline], period: Interval) -> timedelta | None:
    """Mean time between failures: uptime in ``period`` over the failures that began in it.

    A single ratio, not a distribution, so it has no median: report the failure count
    beside it.  ``None`` when nothing failed.
    """
    span = _period(period)
    items = _timelines(incidents)
    failures = sum(1 for i in items if to_utc(i.failure_start) in _utc_span(span))
    if failures == 0:
        return None
    return (span.duration - downtime(items, span)) / failures


@attrs.frozen
class _UTCSpan:
    start: datetime
    end: datetime

    def __contains__(self, at: object) -> bool:
        return isinstance(at, datetime) and self.start <= at < self.end


def _utc_span(span: Interval) -> _UTCSpan:
    return _UTCSpan(to_utc(span.start), to_utc(span.end))


def _incidents(value: object) -> int:
    return whole_number(value, "incidents", minimum=0)


def _failures(value: object) -> int:
    return whole_number(value, "failures", minimum=0)


def _optional_duration(_report: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, timedelta) or value < timedelta(0)):
        msg = f"expected a non-negative timedelta, got {value!r}"
        raise InvalidInput(attribute.name, msg)


def _share(_report: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, Fraction) or not 0 <= value <= 1):
        msg = f"expected None or a Fraction between 0 and 1, got {value!r}"
        raise InvalidInput(attribute.name, msg)


@attrs.frozen(kw_only=True)
class ReliabilityReport:
    """Incident metrics for one period (a month, say), every statistic with its count.

    ``incidents`` counts incidents opened in the period; MTTA and MTTR are over those.
    ``failures`` counts outages that began in the period (MTBF's denominator).
    """

    period: Interval = attrs.field(converter=_period)
    recovery: Recovery = attrs.field(converter=_recovery)
    incidents: int = attrs.field(converter=_incidents)
    failures: int = attrs.field(converter=_failures)
    mtta: Stats[timedelta] = attrs.field(validator=stats_field)
    mttr: Stats[timedelta] = attrs.field(validator=stats_field)
    mtbf: timedelta | None = attrs.field(validator=_optional_duration)
    downtime: timedelta = attrs.field(validator=_optional_duration)
    availability: Fraction | None = attrs.field(validator=_share)

    def __attrs_post_init__(self) -> None:
        if self.downtime is None:
            raise InvalidInput("downtime", "expected a timedelta, got None")


def reliability_report(
    incidents: Iterable[IncidentTimeline],
    period: Interval,
    *,
    recovery: Recovery | str = Recovery.RESOLVE,
) -> ReliabilityReport:
    """MTTA, MTTR, MTBF, downtime and availability of ``period`` in one value."""
    span = _period(period)
    items = _timelines(incidents)
    kind = _recovery(recovery)
    inside = _utc_span(span)
    opened = [i for i in items if to_utc(i.opened) in inside]
    return ReliabilityReport(
        period=span,
        recovery=kind,
        incidents=len(opened),
        failures=sum(1 for i in items if to_utc(i.failure_start) in inside),
        mtta=mtta(opened),
        mttr=mttr(opened, kind),
        mtbf=mtbf(items, span),
        downtime=downtime(items, span),
        availability=availability(items, span),
    )
