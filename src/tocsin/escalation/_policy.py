"""Escalation policies: who is paged, in what order, and how long each level waits.

The model is PagerDuty's and GoAlert's (reference/escalation.md section 1.5): a policy
is an ordered list of levels, each with targets and a delay; the incident climbs a
level when the delay runs out without an acknowledgement, and the whole path repeats
``loops`` more times.  Grafana OnCall's "programs" and Opsgenie's rules compile to it.
"""

from __future__ import annotations

import enum
from datetime import timedelta  # noqa: TC003 - the docstring examples use it
from typing import TypeAlias

import attrs

from tocsin._checks import duration, enum_member, identifier, whole_number
from tocsin.errors import InvalidInput
from tocsin.escalation._checks import items_of
from tocsin.services import SupportHours, UrgencyRule


class AckTimeoutMode(enum.StrEnum):
    """Where escalation starts again when an acknowledgement times out (decision 4)."""

    #: From level 1, with a fresh loop count (PagerDuty's older wording, Grafana OnCall).
    RESTART = "restart"
    #: From the level the incident was on when it was acknowledged (PagerDuty's newer
    #: wording, "the escalation process resumes").
    RESUME = "resume"


class EmptyLevelMode(enum.StrEnum):
    """What a level with nobody on call does (decision 5)."""

    #: Move to the next level at once (PagerDuty, incident.io).
    SKIP = "skip"
    #: Wait out the level's delay before moving on (GoAlert).
    WAIT = "wait"


@attrs.frozen
class UserTarget:
    """Page one user directly, whoever is on call.

    >>> UserTarget("alice")
    UserTarget(user='alice')
    """

    user: str

    def __attrs_post_init__(self) -> None:
        identifier(self.user, "user")


@attrs.frozen
class ScheduleTarget:
    """Page whoever is on call on the named schedule when the level is entered.

    The name is looked up in the ``on_call`` mapping handed to
    :func:`~tocsin.escalation.step`, so a policy stays plain data that can be stored,
    compared and snapshotted.

    >>> ScheduleTarget("db-primary")
    ScheduleTarget(schedule='db-primary')
    """

    schedule: str

    def __attrs_post_init__(self) -> None:
        identifier(self.schedule, "schedule")


#: What a level can page.
Target: TypeAlias = UserTarget | ScheduleTarget


def _targets(value: object) -> tuple[Target, ...]:
    return items_of(
        value,
        (UserTarget, ScheduleTarget),
        "targets",
        noun="a UserTarget or ScheduleTarget",
        empty="a level needs at least one target",
    )


def _delay(value: object) -> timedelta:
    return duration(value, "delay")


@attrs.frozen
class EscalationLevel:
    """One rung of a policy: who to page, and how long to wait for an acknowledgement.

    ``delay`` counts from the moment the incident enters this level (decision 10), and
    it is elapsed time: a 30-minute delay is 30 minutes across a DST change too.

    >>> level = EscalationLevel([ScheduleTarget("db-primary")], timedelta(minutes=15))
    >>> level.delay
    datetime.timedelta(seconds=900)
    """

    targets: tuple[Target, ...] = attrs.field(converter=_targets)
    delay: timedelta = attrs.field(converter=_delay)


def _levels(value: object) -> tuple[EscalationLevel, ...]:
    return items_of(
        value,
        EscalationLevel,
        "levels",
        noun="an EscalationLevel",
        empty="a policy needs at least one level",
    )


def _loops(value: object) -> int:
    return whole_number(value, "loops", minimum=0)


def _ack_mode(value: object) -> AckTimeoutMode:
    return enum_member(AckTimeoutMode, value, "on_ack_timeout")


def _empty_mode(value: object) -> EmptyLevelMode:
    return enum_member(EmptyLevelMode, value, "empty_level")


def _ack_timeout(value: object) -> timedelta | None:
    return None if value is None else duration(value, "ack_timeout")


def _auto_resolve(value: object) -> timedelta | None:
    return None if value is None else duration(value, "auto_resolve")


def _support_hours(value: object) -> SupportHours | None:
    if value is None or isinstance(value, SupportHours):
        return value
    msg = f"expected tocsin.services.SupportHours or None, got {value!r}"
    raise InvalidInput("support_hours", msg)


def _urgency_rule(value: object) -> UrgencyRule | None:
    if value is None or isinstance(value, UrgencyRule):
        return value
    msg = f"expected tocsin.services.UrgencyRule or None, got {value!r}"
    raise InvalidInput("urgency_rule", msg)


@attrs.frozen
class EscalationPolicy:
    """An ordered list of levels, repeated ``loops`` more times after the last one.

    * ``loops`` counts repeats after the last level, so the path runs ``loops + 1``
      times in all (decision 9, as PagerDuty's ``num_loops`` and GoAlert's ``repeat``).
    * ``on_ack_timeout`` says where escalation starts again when an acknowledgement
      (or a snooze) runs out: ``"restart"`` from level 1 or ``"resume"`` at the level
      it was on (decision 4).
    * ``empty_level`` says what a level with nobody on call does: ``"skip"`` to the
      next one at once or ``"wait"`` out its delay (decision 5).
    * ``ack_timeout`` (PagerDuty's ``acknowledgement_timeout``; off by default, as in
      GoAlert) returns an acknowledged incident to triggered after that long.
    * ``auto_resolve`` (PagerDuty's ``auto_resolve_timeout``; off by default) resolves
      an incident left open that long after it was triggered.
    * ``support_hours`` and ``urgency_rule`` (:class:`tocsin.services.SupportHours` and
      :class:`~tocsin.services.UrgencyRule`, as on a :class:`~tocsin.services.Service`)
      decide a new incident's urgency when the trigger does not say: by the rule, inside
      or outside the hours; with hours and no rule, high inside and low outside
      (PagerDuty's "high during support hours, low otherwise"); with neither, high.  A
      low-urgency incident triggered outside the hours is raised to high when they next
      begin (PagerDuty's "raise urgency" scheduled action), if the rule gives it high
      inside them.

    PagerDuty keeps the last five on the service; tocsin keeps them on the policy (pass
    the service's), so the snapshot an incident takes when it triggers (decision 8)
    holds everything that decides its timers.

    >>> policy = EscalationPolicy(
    ...     "db",
    ...     [
    ...         EscalationLevel([ScheduleTarget("db-primary")], timedelta(minutes=10)),
    ...         EscalationLevel([UserTarget("carol")], timedelta(minutes=30)),
    ...     ],
    ...     loops=1,
    ... )
    >>> policy.passes, sorted(policy.schedules)
    (2, ['db-primary'])
    >>> EscalationPolicy("db", [], loops=1)
    Traceback (most recent call last):
    ...
    tocsin.errors.InvalidInput: levels: a policy needs at least one level
    """

    name: str = attrs.field()
    levels: tuple[EscalationLevel, ...] = attrs.field(converter=_levels)
    loops: int = attrs.field(default=0, converter=_loops)
    on_ack_timeout: AckTimeoutMode = attrs.field(
        default=AckTimeoutMode.RESTART,
        converter=_ack_mode,
    )
    empty_level: EmptyLevelMode = attrs.field(
        default=EmptyLevelMode.SKIP,
        converter=_empty_mode,
    )
    ack_timeout: timedelta | None = attrs.field(
        default=None,
        kw_only=True,
        converter=_ack_timeout,
    )
    auto_resolve: timedelta | None = attrs.field(
        default=None,
        kw_only=True,
        converter=_auto_resolve,
    )
    support_hours: SupportHours | None = attrs.field(
        default=None, kw_only=True, converter=_support_hours
    )
    urgency_rule: UrgencyRule | None = attrs.field(
        default=None, kw_only=True, converter=_urgency_rule
    )

    @name.validator
    def _check_name(self, _attr: attrs.Attribute[str], value: object) -> None:
        identifier(value, "name")

    @property
    def passes(self) -> int:
        """How many times the whole path runs at most: ``loops + 1``."""
        return self.loops + 1

    @property
    def schedules(self) -> frozenset[str]:
        """Every schedule name the levels page, to check against a config upfront."""
        return frozenset(
            target.schedule
            for level in self.levels
            for target in level.targets
            if isinstance(target, ScheduleTarget)
        )
