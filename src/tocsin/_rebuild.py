"""Pickling and deep copies of frozen values, through their public constructors.

Read-only mappings (``types.MappingProxyType``) cannot be pickled or deep-copied, and
values that keep compiled caches (regex checks, indexes) hold closures that cannot be
pickled either.  Such a value travels as its constructor's arguments instead, with
its read-only mappings as plain dicts, and is built (and so checked) again on arrival:
a pickle from an untrusted place cannot smuggle in a value the constructor refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

_T = TypeVar("_T")


def by_constructor(value: Any, **replaced: object) -> tuple[object, ...]:  # noqa: ANN401
    """A ``__reduce__`` value: rebuild ``value`` from its ``init`` fields.

    A field holding a read-only mapping is passed as a plain ``dict`` copy;
    ``replaced`` gives a field's argument outright (frozen JSON thawed, say).
    """
    fields: dict[str, object] = {}
    for field in attrs.fields(type(value)):
        if field.init:
            item = getattr(value, field.name)
            fields[field.alias] = dict(item) if isinstance(item, Mapping) else item
    fields.update(replaced)
    return rebuild, (type(value), fields)


def rebuild(kind: type[_T], fields: dict[str, object]) -> _T:
    """Build ``kind`` from keyword arguments (what :func:`by_constructor` pickles)."""
    return kind(**fields)
