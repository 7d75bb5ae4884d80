"""A shared input check: every item of a collection is of the expected type."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from tocsin.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Iterable

_T = TypeVar("_T")


def instances(values: Iterable[object], kind: type[_T], field: str) -> tuple[_T, ...]:
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
