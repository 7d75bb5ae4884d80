"""Silences and maintenance windows: planned quiet, active while ``start <= now < end``.

A :class:`Silence` mutes alerts whose labels satisfy all its matchers, as an
Alertmanager silence does.  A :class:`MaintenanceWindow` mutes everything routed to
its services, as a PagerDuty maintenance window does; events that arrive during the
window are kept and marked, and are not replayed when it ends (PagerDuty).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import identifier, text, typed_tuple, unique_strings
from tocsin.errors import InvalidInput
from tocsin.routing import Matcher, MatcherIndex, Target, labels_of
from tocsin.routing._matcher import as_matchers
from tocsin.time import require_aware

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Silence", "MaintenanceWindow", "SilenceSet"]


def _id(value: object) -> str:
    if not isinstance(value, str) or not value:
        msg = f"expected a non-empty id, got {value!r}"
        raise InvalidInput("id", msg)
    return value


def _matchers(value: object) -> tuple[Matcher, ...]:
    return as_matchers(value, "matchers")


def _start(value: object) -> datetime:
    return require_aware(value, "start")


def _end(value: object) -> datetime:
    return require_aware(value, "end")


def _text(value: object) -> str:
    return text(value, "comment")


def _check_span(start: datetime, end: datetime) -> None:
    if end.astimezone(UTC) <= start.astimezone(UTC):
        msg = f"end {end.isoformat()} must be after start {start.isoformat()}"
        raise InvalidInput("end", msg)


def _active(start: datetime, end: datetime, at: datetime) -> bool:
    # Compared in UTC: two datetimes sharing a ZoneInfo compare by wall clock.
    now = at.astimezone(UTC)
    return start.astimezone(UTC) <= now < end.astimezone(UTC)


@attrs.frozen
class Silence:
    """Mute alerts matching every matcher while ``start <= now < end``.

    As in Alertmanager, a silence needs at least one matcher, and at least one that
    does not match the empty string: a silence of only ``team=~".*"`` would mute
    everything, including alerts that have no ``team`` at all.

    >>> s = Silence(
    ...     "s1",
    ...     ['alertname="DiskFull"'],
    ...     datetime(2026, 1, 5, 10, tzinfo=UTC),
    ...     datetime(2026, 1, 5, 11, tzinfo=UTC),
    ... )
    >>> s.mutes({"alertname": "DiskFull"}, datetime(2026, 1, 5, 10, tzinfo=UTC))
    True
    >>> s.mutes({"alertname": "DiskFull"}, datetime(2026, 1, 5, 11, tzinfo=UTC))
    False
    """

    id: str = attrs.field(converter=_id)
    matchers: tuple[Matcher, ...] = attrs.field(converter=_matchers)
    start: datetime = attrs.field(converter=_start)
    end: datetime = attrs.field(converter=_end)
    created_by: str = attrs.field(default="", kw_only=True, converter=_text)
    comment: str = attrs.field(default="", kw_only=True, converter=_text)

    def __attrs_post_init__(self) -> None:
        if not self.matchers:
            msg = "a silence needs at least one matcher"
            raise InvalidInput("matchers", msg)
        if all(m.matches_value("") for m in self.matchers):
            msg = "at least one matcher must not match the empty string (it would mute everything)"
            raise InvalidInput("matchers", msg)
        _check_span(self.start, self.end)

    def active(self, at: datetime) -> bool:
        """Whether the silence is in force at ``at`` (``start <= at < end``)."""
        return _active(self.start, self.end, require_aware(at, "at"))

    def mutes(self, target: Target, at: datetime) -> bool:
        """Whether this silence mutes ``target`` at ``at``."""
        labels, event = labels_of(target)
        return self.active(at) and all(m.test(labels, event) for m in self.matchers)

    def describe(self) -> str:
        """A one-line description for decisions and explanations."""
        what = "{" + ", ".join(str(m) for m in self.matchers) + "}"
        span = f"{self.start.isoformat()} to {self.end.isoformat()}"
        by = f" by {self.created_by}" if self.created_by else ""
        why = f": {self.comment}" if self.comment else ""
        return f"silence {self.id} {what} from {span}{by}{why}"


def _service(value: object) -> str:
    return identifier(value, "service")


def _services(value: object) -> tuple[str, ...]:
    required = "a maintenance window needs at least one service"
    return unique_strings(value, "services", required=required)


@attrs.frozen
class MaintenanceWindow:
    """Mute every alert routed to ``services`` while ``start <= now < end`` (PagerDuty)."""

    id: str = attrs.field(converter=_id)
    services: tuple[str, ...] = attrs.field(converter=_services)
    start: datetime = attrs.field(converter=_start)
    end: datetime = attrs.field(converter=_end)
    description: str = attrs.field(default="", kw_only=True, converter=_text)

    def __attrs_post_init__(self) -> None:
        _check_span(self.start, self.end)

    def active(self, at: datetime) -> bool:
        """Whether the window is in force at ``at``."""
        return _active(self.start, self.end, require_aware(at, "at"))

    def covers(self, service: str, at: datetime) -> bool:
        """Whether ``service`` is in maintenance at ``at``."""
        return _service(service) in self.services and self.active(at)

    def describe(self) -> str:
        """A one-line description for decisions and explanations."""
        span = f"{self.start.isoformat()} to {self.end.isoformat()}"
        why = f": {self.description}" if self.description else ""
        return f"maintenance window {self.id} on {', '.join(self.services)} from {span}{why}"


def _silence_list(value: Iterable[object]) -> tuple[Silence, ...]:
    return typed_tuple(value, Silence, "silences")


def _window_list(value: Iterable[object]) -> tuple[MaintenanceWindow, ...]:
    return typed_tuple(value, MaintenanceWindow, "maintenance")


@attrs.frozen
class SilenceSet:
    """Every silence and maintenance window, indexed for fast lookups.

    ``silencing(alert, at)`` checks only the silences whose equality matchers the
    alert can satisfy (see :class:`~tocsin.routing.MatcherIndex`), so a thousand
    silences cost a few dictionary lookups per alert, not a thousand checks.
    Silence ids must be unique.
    """

    silences: tuple[Silence, ...] = attrs.field(default=(), converter=_silence_list)
    maintenance: tuple[MaintenanceWindow, ...] = attrs.field(
        default=(), kw_only=True, converter=_window_list
    )
    _index: MatcherIndex[Silence] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for i, silence in enumerate(self.silences):
            if silence.id in seen:
                where = f"silences[{i}].id"
                msg = f"silence id {silence.id!r} is used twice"
                raise InvalidInput(where, msg)
            seen.add(silence.id)
        index = MatcherIndex((s.matchers, s) for s in self.silences)
        object.__setattr__(self, "_index", index)

    def silencing(self, target: Target, at: datetime) -> tuple[Silence, ...]:
        """The silences muting ``target`` at ``at``, in the order given."""
        now = require_aware(at, "at").astimezone(UTC)
        labels, event = labels_of(target)
        index = self._index
        return tuple(
            silence
            for position in index.matching_positions(labels, event)
            if (silence := index.item(position)).start <= now < silence.end
        )

    def in_maintenance(self, service: str | None, at: datetime) -> tuple[MaintenanceWindow, ...]:
        """The maintenance windows covering ``service`` at ``at`` (none without a service)."""
        require_aware(at, "at")
        if service is None:
            return ()
        _service(service)
        return tuple(w for w in self.maintenance if w.covers(service, at))
