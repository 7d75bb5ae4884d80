"""Ordered routing rules in the style of PagerDuty event orchestration.

A :class:`Rule` has conditions and actions.  It applies when **any** of its
conditions holds (PagerDuty: "a rule matches if any of its conditions match"); a
condition is a list of matchers that must **all** hold.  A rule with no conditions
always applies (a catch-all).  Rules are tried in order and the first that applies
ends the evaluation unless it says ``continue_`` (as GoAlert's
``ContinueAfterMatch`` and Opsgenie's "continue to next policy").

Actions: set the severity or the priority, suppress (kept, marked, never paged), drop
(PagerDuty's ``drop_event``: no alert at all, but the decision still records it),
route to a service, or derive the service from an event field (dynamic routing,
PagerDuty's ``dynamic_route_to``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence

import attrs

from tocsin._checks import enum_member, flag, optional_name, optional_text
from tocsin.errors import InvalidInput
from tocsin.events import Event, Severity
from tocsin.routing._fields import Target, check_field_path
from tocsin.routing._matcher import Matcher, as_matchers, labels_of

__all__ = ["Rule", "DynamicRoute", "Lookup"]


class Lookup(enum.StrEnum):
    """How a dynamic route's extracted value names a service (PagerDuty's ``lookup_by``)."""

    SERVICE_ID = "service_id"
    SERVICE_NAME = "service_name"


def _source(value: object) -> str:
    return check_field_path(value, "source")


def _pattern(value: object) -> re.Pattern[str] | None:
    if value is None or isinstance(value, re.Pattern):
        return value
    if not isinstance(value, str):
        msg = f"expected a regular expression string or None, got {value!r}"
        raise InvalidInput("regex", msg)
    try:
        pattern = re.compile(value)
    except re.error as err:
        msg = f"invalid regular expression {value!r}: {err}"
        raise InvalidInput("regex", msg) from err
    return pattern


def _lookup(value: object) -> Lookup:
    return enum_member(Lookup, value, "lookup")


@attrs.frozen
class DynamicRoute:
    r"""Derive the destination service from an event field.

    ``source`` is a field path; ``regex``, if given, is searched in the value and its
    first capture group (or the whole match, if it has no group) becomes the service
    id or name, as PagerDuty's ``dynamic_route_to``.  When nothing matches or no service
    has that id or name, the rule does not route and evaluation goes on, as in
    PagerDuty.

    >>> DynamicRoute("event.custom_details.service", regex=r"svc-(\w+)").extract("svc-db")
    'db'
    """

    source: str = attrs.field(converter=_source)
    regex: re.Pattern[str] | None = attrs.field(default=None, converter=_pattern)
    lookup: Lookup = attrs.field(default=Lookup.SERVICE_ID, kw_only=True, converter=_lookup)

    def extract(self, value: str | None) -> str | None:
        """The service id or name found in ``value``, or ``None``."""
        optional_text(value, "value")
        if value is None or value == "":
            return None
        if self.regex is None:
            return value
        found = self.regex.search(value)
        if found is None:
            return None
        extracted = found.group(1) if self.regex.groups else found.group(0)
        return extracted or None

    def describe(self) -> str:
        """A short description for explanations."""
        how = f" via /{self.regex.pattern}/" if self.regex is not None else ""
        return f"{self.lookup} from {self.source}{how}"


def _conditions(value: object) -> tuple[tuple[Matcher, ...], ...]:
    if isinstance(value, str | Matcher):
        return (as_matchers(value, "when[0]"),)
    if not isinstance(value, Sequence):
        msg = f"expected a list of conditions (each a matcher list), got {type(value).__name__}"
        raise InvalidInput("when", msg)
    conditions: list[tuple[Matcher, ...]] = []
    for i, item in enumerate(value):
        matchers = as_matchers(item, f"when[{i}]")
        if not matchers:
            where = f"when[{i}]"
            msg = "an empty condition would match everything; leave `when` empty instead"
            raise InvalidInput(where, msg)
        conditions.append(matchers)
    return tuple(conditions)


def _severity(value: object) -> Severity | None:
    return None if value is None else enum_member(Severity, value, "set_severity")


def _text(field: str, value: object) -> str | None:
    return optional_name(value, field)


def _priority(value: object) -> str | None:
    return _text("set_priority", value)


def _route_to(value: object) -> str | None:
    return _text("route_to", value)


def _rule_name(value: object) -> str:
    if not isinstance(value, str) or not value:
        msg = f"expected a non-empty rule name, got {value!r}"
        raise InvalidInput("name", msg)
    return value


def _dynamic(value: object) -> DynamicRoute | None:
    if value is None or isinstance(value, DynamicRoute):
        return value
    msg = f"expected a DynamicRoute or None, got {type(value).__name__}"
    raise InvalidInput("dynamic_route", msg)


def _suppress(value: object) -> bool:
    return flag(value, "suppress")


def _drop(value: object) -> bool:
    return flag(value, "drop")


def _continue(value: object) -> bool:
    return flag(value, "continue_")


@attrs.frozen
class Rule:
    """One ordered routing rule: when any condition holds, apply the actions.

    ``name`` appears in every decision the rule takes part in, so it should say what
    the rule is for.

    >>> rule = Rule(
    ...     "db pages",
    ...     when=['{team="db", severity=~"critical|error"}', 'event.source=~"db-.*"'],
    ...     route_to="db",
    ... )
    >>> rule.applies_to({"team": "db", "severity": "error"})
    True
    """

    name: str = attrs.field(converter=_rule_name)
    when: tuple[tuple[Matcher, ...], ...] = attrs.field(
        default=(), kw_only=True, converter=_conditions
    )
    set_severity: Severity | None = attrs.field(default=None, kw_only=True, converter=_severity)
    set_priority: str | None = attrs.field(default=None, kw_only=True, converter=_priority)
    suppress: bool = attrs.field(default=False, kw_only=True, converter=_suppress)
    drop: bool = attrs.field(default=False, kw_only=True, converter=_drop)
    route_to: str | None = attrs.field(default=None, kw_only=True, converter=_route_to)
    dynamic_route: DynamicRoute | None = attrs.field(default=None, kw_only=True, converter=_dynamic)
    continue_: bool = attrs.field(default=False, kw_only=True, converter=_continue)

    def __attrs_post_init__(self) -> None:
        if self.route_to is not None and self.dynamic_route is not None:
            msg = "a rule routes either to a fixed service or dynamically, not both"
            raise InvalidInput("dynamic_route", msg)
        if self.drop and (
            self.suppress or self.route_to or self.dynamic_route or self.set_severity
        ):
            msg = "a dropped event goes nowhere; drop cannot be combined with other actions"
            raise InvalidInput("drop", msg)
        if not (
            self.drop
            or self.suppress
            or self.route_to
            or self.dynamic_route
            or self.set_severity
            or self.set_priority
        ):
            msg = "a rule needs at least one action"
            raise InvalidInput("name", msg)

    def applies_to(self, target: Target) -> bool:
        """Whether any condition holds for the event or label set ``target``."""
        labels, event = labels_of(target)
        return self.matching_condition(labels, event) is not None

    def matching_condition(
        self, labels: Mapping[str, str], event: Event | None
    ) -> tuple[Matcher, ...] | None:
        """The first condition that holds (``()`` for a catch-all), or ``None``.

        The fast path: ``labels`` and ``event`` are what :func:`labels_of` returns and
        are not checked again.
        """
        if not self.when:
            return ()
        for condition in self.when:
            if all(m.test(labels, event) for m in condition):
                return condition
        return None

    def actions(self) -> tuple[str, ...]:
        """The rule's actions, described for explanations."""
        found: list[str] = []
        if self.drop:
            found.append("drop the event")
        if self.suppress:
            found.append("suppress")
        if self.set_severity is not None:
            found.append(f"set severity {self.set_severity}")
        if self.set_priority is not None:
            found.append(f"set priority {self.set_priority}")
        if self.route_to is not None:
            found.append(f"route to {self.route_to}")
        if self.dynamic_route is not None:
            found.append(f"route by {self.dynamic_route.describe()}")
        return tuple(found)
