"""Inhibition: a firing alert mutes others that it explains (Alertmanager's rules).

A target alert T is inhibited by a rule when T matches the rule's ``target``
matchers and some *other* firing alert S matches its ``source`` matchers with the
same values for every ``equal`` name (a missing value and an empty one are the same,
as in Alertmanager).  If T also matches the ``source`` matchers, sources that also
match ``target`` are ignored, so a rule never lets an alert mute its own kind
(Alertmanager's guard against self-inhibition).

tocsin adds one guard Alertmanager lacks: two rules can make S mute T while T mutes
S, and Alertmanager then mutes both, hiding the outage entirely.  tocsin drops both
inhibitions in such a pair, so inhibition never mutes the alert that causes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from tocsin._checks import (
    instance,
    listed,
    optional_name,
    typed_tuple,
    unique_strings,
    whole_number,
)
from tocsin._trusted import unchecked
from tocsin.errors import InvalidInput
from tocsin.events import Event
from tocsin.routing import Matcher, Target, check_field_path, labels_of
from tocsin.routing._matcher import as_matchers

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["InhibitRule", "Inhibition", "Inhibitor"]


def _source(value: object) -> tuple[Matcher, ...]:
    return as_matchers(value, "source")


def _target(value: object) -> tuple[Matcher, ...]:
    return as_matchers(value, "target")


def _equal(value: object) -> tuple[str, ...]:
    return unique_strings(value, "equal", check=check_field_path)


def _name(value: object) -> str | None:
    return optional_name(value, "name")


@attrs.frozen
class InhibitRule:
    """Mute ``target`` alerts while a ``source`` alert with the same ``equal`` values fires.

    >>> rule = InhibitRule(
    ...     source=['severity="critical"'],
    ...     target=['severity="warning"'],
    ...     equal=("cluster",),
    ... )
    >>> Inhibitor((rule,)).inhibited(
    ...     {"severity": "warning", "cluster": "c1"},
    ...     firing=[{"severity": "critical", "cluster": "c1"}],
    ... )
    True
    """

    source: tuple[Matcher, ...] = attrs.field(converter=_source)
    target: tuple[Matcher, ...] = attrs.field(converter=_target)
    equal: tuple[str, ...] = attrs.field(default=(), converter=_equal)
    name: str | None = attrs.field(default=None, kw_only=True, converter=_name)
    _readers: tuple[Matcher, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # A matcher knows how to read any field path; reuse that to read equal names.
        object.__setattr__(self, "_readers", tuple(Matcher(n, "=", "") for n in self.equal))
        if not self.source:
            msg = "an inhibit rule needs source matchers (otherwise every alert is a source)"
            raise InvalidInput("source", msg)
        if not self.target:
            msg = "an inhibit rule needs target matchers (otherwise it mutes every alert)"
            raise InvalidInput("target", msg)

    def describe(self) -> str:
        """A one-line description for decisions."""
        source = "{" + ", ".join(str(m) for m in self.source) + "}"
        target = "{" + ", ".join(str(m) for m in self.target) + "}"
        equal = f" with equal {list(self.equal)}" if self.equal else ""
        label = f"inhibit rule {self.name}" if self.name else "inhibit rule"
        return f"{label}: {source} mutes {target}{equal}"


def _rule(value: object) -> InhibitRule:
    return instance(value, InhibitRule, "rule")


def _rule_index(value: object) -> int:
    return whole_number(value, "rule_index", minimum=0)


def _source_alert(value: object) -> Target:
    labels_of(value, "source")  # type: ignore[arg-type]
    return value  # type: ignore[return-value]


@attrs.frozen
class Inhibition:
    """Why an alert is muted: which rule, and which firing alert is the source."""

    rule: InhibitRule = attrs.field(converter=_rule)
    rule_index: int = attrs.field(converter=_rule_index)
    source: Target = attrs.field(converter=_source_alert)

    def describe(self) -> str:
        """A one-line description for decisions."""
        labels, event = labels_of(self.source)
        who = event.dedup_key if event is not None else _render(labels)
        return f"inhibited by {who} ({self.rule.describe()})"


def _render(labels: Mapping[str, str]) -> str:
    return "{" + ", ".join(f"{k}={labels[k]!r}" for k in sorted(labels)) + "}"


def _identity(target: Target) -> object:
    # The same alert is the same dedup key (events) or the same label set (label maps).
    if isinstance(target, Event):
        return ("event", target.dedup_key)
    return ("labels", frozenset(target.items()))


def _rules(value: Iterable[object]) -> tuple[InhibitRule, ...]:
    return typed_tuple(value, InhibitRule, "rules")


@attrs.frozen
class _Alert:
    target: Target
    labels: Mapping[str, str]
    event: Event | None
    identity: object


def _alert(target: Target, field: str) -> _Alert:
    labels, event = labels_of(target, field)
    return _Alert(target, labels, event, _identity(target))


def _alerts(value: object) -> Iterable[Target]:
    return listed(value, "firing", "alerts (Events or label mappings)")  # type: ignore[return-value]


@attrs.frozen
class Inhibitor:
    """A set of inhibit rules: which firing alerts mute a given alert, and why."""

    rules: tuple[InhibitRule, ...] = attrs.field(converter=_rules)

    def inhibitions(self, target: Target, firing: Iterable[Target]) -> tuple[Inhibition, ...]:
        """Every (rule, source) pair muting ``target``, given the alerts now ``firing``.

        ``firing`` are the alerts that have not resolved (muted ones included: a
        silenced alert still inhibits, as in Alertmanager).  ``target`` itself may be
        among them; an alert never inhibits itself.
        """
        subject = _alert(target, "target")
        sources = [
            _Alert(s, s.labels, s, ("event", s.dedup_key))
            if isinstance(s, Event)  # the pipeline's case, kept fast
            else _alert(s, f"firing[{i}]")
            for i, s in enumerate(_alerts(firing))
        ]
        found: list[Inhibition] = []
        for index, rule in enumerate(self.rules):
            if not _all(rule.target, subject):
                continue
            target_is_source = _all(rule.source, subject)
            key = _key(rule, subject)
            for source in sources:
                if source.identity == subject.identity:
                    continue
                if not _all(rule.source, source) or _key(rule, source) != key:
                    continue
                if target_is_source and _all(rule.target, source):
                    continue
                if self._raw(source, subject):
                    # Mutual: subject would also mute source.  Drop both directions.
                    continue
                found.append(make_inhibition(rule, index, source.target))
        return tuple(found)

    def inhibited(self, target: Target, firing: Iterable[Target]) -> bool:
        """Whether any rule mutes ``target`` given the ``firing`` alerts."""
        return bool(self.inhibitions(target, firing))

    def _raw(self, target: _Alert, source: _Alert) -> bool:
        # Would ``source`` mute ``target`` under Alertmanager's rules alone?
        for rule in self.rules:
            if not _all(rule.target, target) or not _all(rule.source, source):
                continue
            if _key(rule, source) != _key(rule, target):
                continue
            if _all(rule.source, target) and _all(rule.target, source):
                continue
            return True
        return False


def _all(matchers: tuple[Matcher, ...], alert: _Alert) -> bool:
    return all(m.test(alert.labels, alert.event) for m in matchers)


def _key(rule: InhibitRule, alert: _Alert) -> tuple[str, ...]:
    # Missing and empty are the same value, as in Alertmanager's equal-label check.
    # Compared as exact tuples: Alertmanager compares 64-bit fingerprints of these
    # values, which can (very rarely) collide; a tuple cannot.
    return tuple(reader.read(alert.labels, alert.event) for reader in rule._readers)  # noqa: SLF001


#: A builder for the inhibitor's own, already-checked findings (see :mod:`tocsin._trusted`).
make_inhibition = unchecked(Inhibition)
