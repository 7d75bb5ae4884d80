"""Teams and services: who owns what, and how a service wants to be paged."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from tocsin._checks import text, unique_strings
from tocsin.errors import InvalidEvent, InvalidInput
from tocsin.events import Link
from tocsin.services._hours import SupportHours
from tocsin.services._urgency import UrgencyRule

__all__ = ["Team", "Service"]


def _identifier(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        msg = f"expected a non-empty string, got {value!r}"
        raise InvalidInput(field, msg)
    return value


def _optional_identifier(value: object, field: str) -> str | None:
    return None if value is None else _identifier(value, field)


def _strings(value: object, field: str) -> tuple[str, ...]:
    return unique_strings(value, field)


def _id(value: object) -> str:
    return _identifier(value, "id")


def _team(value: object) -> str | None:
    return _optional_identifier(value, "team")


def _policy(value: object) -> str | None:
    return _optional_identifier(value, "escalation_policy")


def _members(value: object) -> tuple[str, ...]:
    return _strings(value, "members")


def _tags(value: object) -> tuple[str, ...]:
    return _strings(value, "tags")


def _depends_on(value: object) -> tuple[str, ...]:
    return _strings(value, "depends_on")


def _name(value: object) -> str:
    return text(value, "name")


def _links(value: object) -> tuple[Link, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        msg = f"expected a list of Link or URL strings, got {value!r}"
        raise InvalidInput("runbooks", msg)
    links: list[Link] = []
    for i, item in enumerate(value):
        try:
            links.append(item if isinstance(item, Link) else Link(item))
        except InvalidEvent as err:
            where = f"runbooks[{i}]"
            raise InvalidInput(where, err.reason) from err
    return tuple(links)


def _support_hours(value: object) -> SupportHours | None:
    if value is None or isinstance(value, SupportHours):
        return value
    msg = f"expected SupportHours or None, got {type(value).__name__}"
    raise InvalidInput("support_hours", msg)


def _urgency(value: object) -> UrgencyRule:
    if isinstance(value, UrgencyRule):
        return value
    msg = f"expected an UrgencyRule, got {type(value).__name__}"
    raise InvalidInput("urgency", msg)


@attrs.frozen
class Team:
    """A team that owns services; ``members`` are user ids, in no particular order."""

    id: str = attrs.field(converter=_id)
    name: str = attrs.field(default="", converter=_name)
    members: tuple[str, ...] = attrs.field(default=(), converter=_members)


@attrs.frozen
class Service:
    """Something that can break and be paged for: PagerDuty's service.

    ``depends_on`` lists the ids of the services this one needs (its upstream); the
    :class:`ServiceCatalog` checks they exist and form no cycle.  ``escalation_policy``
    is a reference (an id), resolved by whoever escalates.  ``support_hours`` and
    ``urgency`` decide the urgency of a new incident, as PagerDuty's service settings.

    >>> api = Service("api", "Public API", team="web", depends_on=("db",))
    >>> api.depends_on, api.urgency.during
    (('db',), <Urgency.HIGH: 'high'>)
    """

    id: str = attrs.field(converter=_id)
    name: str = attrs.field(default="", converter=_name)
    team: str | None = attrs.field(default=None, kw_only=True, converter=_team)
    escalation_policy: str | None = attrs.field(default=None, kw_only=True, converter=_policy)
    tags: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_tags)
    runbooks: tuple[Link, ...] = attrs.field(default=(), kw_only=True, converter=_links)
    depends_on: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_depends_on)
    support_hours: SupportHours | None = attrs.field(
        default=None, kw_only=True, converter=_support_hours
    )
    urgency: UrgencyRule = attrs.field(factory=UrgencyRule, kw_only=True, converter=_urgency)

    def __attrs_post_init__(self) -> None:
        if self.id in self.depends_on:
            msg = f"service {self.id!r} cannot depend on itself"
            raise InvalidInput("depends_on", msg)

    @property
    def display_name(self) -> str:
        """``name``, or the id when the service has no name."""
        return self.name or self.id
