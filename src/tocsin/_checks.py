"""Small input checks shared across tocsin's domain packages.

Each raises :class:`~tocsin.errors.InvalidInput` naming the field, so constructors can
use them as attrs converters and stay one line each.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta, tzinfo
from typing import TypeVar

from tocsin.errors import InvalidInput
from tocsin.time import to_utc

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


def instances(values: Iterable[object], kind: type[T], field: str) -> tuple[T, ...]:
    """``values`` as a tuple, each checked to be a ``kind``; errors name ``field[i]``.

    Callers without type checking may pass anything, and a wrong item should be
    reported where it is, not as an ``AttributeError`` three calls later.
    """
    items = tuple(values)
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            where = f"{field}[{i}]"
            msg = f"expected {kind.__name__}, got {type(item).__name__}"
            raise InvalidInput(where, msg)
    return items  # type: ignore[return-value]  # every item was checked above


def instance(value: object, kind: type[T], field: str) -> T:
    """``value`` itself, checked to be a ``kind``; an error naming ``field`` otherwise."""
    if not isinstance(value, kind):
        msg = f"expected {kind.__name__}, got {type(value).__name__}"
        raise InvalidInput(field, msg)
    return value


def typed_tuple(value: object, kind: type[T], field: str) -> tuple[T, ...]:
    """``value`` as a tuple, every item a ``kind``; errors name ``field[i]``.

    A string or a non-iterable is refused whole, naming ``field``, rather than read
    character by character.
    """
    return instances(listed(value, field, kind.__name__), kind, field)


def listed(value: object, field: str, kind: str = "values") -> tuple[object, ...]:
    """``value`` as a tuple; a string or a non-iterable is refused whole, naming ``field``.

    For lists whose items the caller checks one by one (counts, samples).
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        msg = f"expected a list of {kind}, got {type(value).__name__}"
        raise InvalidInput(field, msg)
    return tuple(value)


def enum_member(kind: type[E], value: object, field: str) -> E:
    """The member of ``kind`` whose value is ``value`` (members pass through)."""
    if isinstance(value, kind):
        return value
    for member in kind:
        if member.value == value:
            return member
    allowed = ", ".join(repr(m.value) for m in kind)
    msg = f"expected one of {allowed}, got {value!r}"
    raise InvalidInput(field, msg)


def duration(value: object, field: str, *, allow_zero: bool = False) -> timedelta:
    """A positive ``timedelta`` (or zero, when allowed)."""
    if (
        not isinstance(value, timedelta)
        or value < timedelta(0)
        or (value == timedelta(0) and not allow_zero)
    ):
        bound = ">= 0" if allow_zero else "above 0"
        msg = f"expected a timedelta {bound}, got {value!r}"
        raise InvalidInput(field, msg)
    return value


def whole_number(value: object, field: str, *, minimum: int) -> int:
    """An ``int`` (not a ``bool``) at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        msg = f"expected a whole number >= {minimum}, got {value!r}"
        raise InvalidInput(field, msg)
    return value


def optional_name(value: object, field: str) -> str | None:
    """``None`` or a non-empty string."""
    if value is not None and (not isinstance(value, str) or not value):
        msg = f"expected a non-empty string or None, got {value!r}"
        raise InvalidInput(field, msg)
    return value


def text(value: object, field: str) -> str:
    """Any string (empty included)."""
    if not isinstance(value, str):
        msg = f"expected a string, got {type(value).__name__}"
        raise InvalidInput(field, msg)
    return value


def optional_text(value: object, field: str) -> str | None:
    """``None`` or any string."""
    return None if value is None else text(value, field)


def unique_strings(
    value: object,
    field: str,
    *,
    check: Callable[[object, str], object] | None = None,
    required: str | None = None,
) -> tuple[str, ...]:
    """A list of distinct non-empty strings, each passed to ``check(item, "field[i]")``.

    ``required``, when given, is the message for an empty list.
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        msg = f"expected a list of strings, got {value!r}"
        raise InvalidInput(field, msg)
    items = tuple(value)
    if required is not None and not items:
        raise InvalidInput(field, required)
    for i, item in enumerate(items):
        where = f"{field}[{i}]"
        if not isinstance(item, str) or not item:
            msg = f"expected a non-empty string, got {item!r}"
            raise InvalidInput(where, msg)
        if check is not None:
            check(item, where)
        if item in items[:i]:
            msg = f"{item!r} is listed twice"
            raise InvalidInput(where, msg)
    return items


def flag(value: object, field: str) -> bool:
    """A real ``bool``: ``"no"`` or ``0`` would silently read as a truth value."""
    if not isinstance(value, bool):
        msg = f"expected True or False, got {value!r}"
        raise InvalidInput(field, msg)
    return value


def identifier(value: object, field: str) -> str:
    """A non-empty string: an id or a name that must be there."""
    if not isinstance(value, str) or not value:
        msg = f"expected a non-empty string, got {value!r}"
        raise InvalidInput(field, msg)
    return value


def time_of_day(value: object, field: str, *, fold: bool = True) -> time:
    """A naive ``datetime.time``: a wall-clock reading whose zone is given elsewhere.

    ``fold=False`` also refuses ``fold=1`` where a time names the first occurrence of
    a repeated hour and the second could only be a mistake.
    """
    if not isinstance(value, time) or value.tzinfo is not None:
        msg = f"expected a naive wall-clock time such as time(9, 0), got {value!r}"
        raise InvalidInput(field, msg)
    if value.fold and not fold:
        msg = f"fold=1 is not supported here; the time names its first occurrence, got {value!r}"
        raise InvalidInput(field, msg)
    return value


def optional_instance(value: object, kind: type[T], field: str) -> T | None:
    """``None``, or a ``kind``."""
    return None if value is None else instance(value, kind, field)


#: Python's datetimes stop at the years 1 and 9999; arithmetic past either end raises
#: an untyped ``OverflowError`` that these checks turn into a typed one.
_DATETIME_RANGE = "the years 1-9999 that Python's datetime can hold"


def utc_instant(value: object, field: str) -> datetime:
    """An aware ``datetime`` as the same instant in UTC.

    An instant UTC cannot show (``0001-01-01T00:00+05:00`` is in the year 0 in UTC)
    is refused naming ``field``, rather than failing later in some subtraction.
    """
    return to_utc(value, field)  # type: ignore[arg-type]  # to_utc checks the type


def shifted(at: datetime, delta: timedelta, field: str) -> datetime:
    """``at + delta``, or an error naming ``field`` when that leaves the datetime range."""
    try:
        return at + delta
    except OverflowError:
        sign = "+" if delta >= timedelta(0) else "-"
        msg = f"{at.isoformat()} {sign} {abs(delta)} lies outside {_DATETIME_RANGE}"
        raise InvalidInput(field, msg) from None


def in_zone(at: datetime, tz: tzinfo, field: str) -> datetime:
    """``at`` on the wall clock of ``tz``, or an error naming ``field`` past year 9999."""
    try:
        return at.astimezone(tz)
    except OverflowError:
        msg = f"{at.isoformat()} lies outside {_DATETIME_RANGE} on the wall clock of {tz}"
        raise InvalidInput(field, msg) from None
