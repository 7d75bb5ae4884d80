"""Input checks shared by the escalation values: every error names its field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tocsin._checks import identifier
from tocsin.errors import InvalidInput


def items_of(
    value: object,
    kinds: type[Any] | tuple[type[Any], ...],
    field: str,
    *,
    noun: str,
    empty: str | None = None,
) -> tuple[Any, ...]:
    """``value`` as a tuple of ``kinds`` instances; one instance alone is a 1-tuple.

    ``noun`` describes one item in messages ("a UserTarget or ScheduleTarget");
    ``empty``, when given, is the message for an empty collection, which is then an
    error.
    """
    if isinstance(value, kinds):
        return (value,)
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = f"expected a list of {noun}, got {value!r}"
        raise InvalidInput(field, msg)
    items = tuple(value)
    if empty is not None and not items:
        raise InvalidInput(field, empty)
    for i, item in enumerate(items):
        if not isinstance(item, kinds):
            msg = f"expected {noun}, got {item!r}"
            where = f"{field}[{i}]"
            raise InvalidInput(where, msg)
    return items


def names_of(value: object, field: str, *, empty: str | None = None) -> tuple[str, ...]:
    """``value`` as a tuple of non-empty strings (a single string is a 1-tuple)."""
    items: tuple[str, ...] = items_of(value, str, field, noun="a user name", empty=empty)
    for i, item in enumerate(items):
        identifier(item, f"{field}[{i}]")
    return items
