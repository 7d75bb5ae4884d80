"""Build attrs values the library computed itself, without re-validating them.

Public constructors check everything a caller hands over (types, time zones, field
paths), and that costs: on the routing hot path a validated ``RoutingDecision``
would cost about as much again as the routing itself.  Values the library has just
computed from already-checked inputs do not need the checks, so hot paths build them
with :func:`unchecked` (a constructor) and :func:`replacer` (an ``evolve``) generated
for the class: the same fields and defaults as the attrs ``__init__``, minus the
converters, validators and ``__attrs_post_init__``.  A unit test checks that each
one builds values equal to the validated constructor's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")

_KEEP = object()


def _fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    # A class whose __attrs_post_init__ only validates may be built unchecked; one
    # that computes fields after __init__ may not (they would be missing).
    fields: tuple[attrs.Attribute[Any], ...] = tuple(attrs.fields(cls))
    computed = [f.name for f in fields if not f.init]
    if computed:
        msg = f"{cls.__name__} computes {computed} after __init__; build it normally"
        raise TypeError(msg)
    return fields


def unchecked(cls: type[T]) -> Callable[..., T]:
    """A constructor for the attrs class ``cls`` that skips its converters.

    It takes the same arguments as ``cls`` (positional where ``cls`` allows it,
    defaults and factories included), so a call site reads like the real one.
    """
    namespace: dict[str, object] = {"_new": object.__new__, "_set": object.__setattr__}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = ["    self = _new(_cls)"]
    for field in _fields(cls):
        name = field.alias or field.name
        default: object = field.default
        if default is attrs.NOTHING:
            param = name
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"_factory_{name}"] = cast("Any", default).factory
            namespace["_NOTHING"] = attrs.NOTHING
            param = f"{name}=_NOTHING"
            body.append(f"    if {name} is _NOTHING: {name} = _factory_{name}()")
        else:
            namespace[f"_default_{name}"] = default
            param = f"{name}=_default_{name}"
        (keyword if field.kw_only else positional).append(param)
        body.append(f"    _set(self, {field.name!r}, {name})")
    namespace["_cls"] = cls
    params = ", ".join([*positional, *(["*", *keyword] if keyword else [])])
    source = "\n".join([f"def make({params}):", *body, "    return self"])
    exec(compile(source, f"<unchecked {cls.__qualname__}>", "exec"), namespace)  # noqa: S102
    return cast("Callable[..., T]", namespace["make"])


def replacer(cls: type[T]) -> Callable[..., T]:
    """An ``attrs.evolve`` for ``cls`` that skips its converters: ``replace(value, **changes)``."""
    namespace: dict[str, object] = {
        "_new": object.__new__,
        "_set": object.__setattr__,
        "_KEEP": _KEEP,
        "_cls": cls,
    }
    fields = _fields(cls)
    aliases = [(f.name, f.alias or f.name) for f in fields]
    params = ", ".join(f"{alias}=_KEEP" for _, alias in aliases)
    body = ["    new = _new(_cls)"]
    body.extend(
        f"    _set(new, {name!r}, old.{name} if {alias} is _KEEP else {alias})"
        for name, alias in aliases
    )
    source = "\n".join([f"def replace(old, *, {params}):", *body, "    return new"])
    exec(compile(source, f"<replacer {cls.__qualname__}>", "exec"), namespace)  # noqa: S102
    return cast("Callable[..., T]", namespace["replace"])
