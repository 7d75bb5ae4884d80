"""The routing tree, with Alertmanager's semantics.

* Depth first, children in order.  A route whose matchers fail matches nothing.
* Otherwise its children are tried in order; the first child that matches stops the
  search unless that child says ``continue_``.  If no child matches, the route itself
  is the match.
* Children inherit ``service`` (Alertmanager's receiver), ``group_by``,
  ``group_wait``, ``group_interval`` and ``repeat_interval`` unless they set them.
* The root must match everything: it has no matchers and names a service.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Final

import attrs

from tocsin._checks import duration, flag, identifier, instance, optional_name, text, typed_tuple
from tocsin.errors import InvalidInput
from tocsin.routing._fields import Target, check_field_path, field_value
from tocsin.routing._index import MatcherIndex
from tocsin.routing._matcher import Matcher, MatchOp, as_matchers, labels_of

if TYPE_CHECKING:
    from tocsin.events import Event

__all__ = ["Route", "RoutingTree", "RouteMatch", "ALL_LABELS", "DEFAULT_TIMING"]

#: ``group_by=ALL_LABELS`` groups by every label, Alertmanager's ``['...']``, which in
#: effect turns aggregation off.
ALL_LABELS: Final = "..."

#: Alertmanager's defaults: group_wait 30 s, group_interval 5 min, repeat_interval 4 h.
DEFAULT_TIMING: Final = (timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=4))


def _route_matchers(value: object) -> tuple[Matcher, ...]:
    return as_matchers(value, "matchers")


def _optional_service(value: object) -> str | None:
    return optional_name(value, "service")


def _group_by(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if value == ALL_LABELS:
        return (ALL_LABELS,)
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = f"expected a list of label names (or '...'), got {value!r}"
        raise InvalidInput("group_by", msg)
    names = tuple(value)
    for i, name in enumerate(names):
        where = f"group_by[{i}]"
        if name == ALL_LABELS and len(names) > 1:
            msg = "'...' means every label and cannot be combined with names"
            raise InvalidInput(where, msg)
        if name != ALL_LABELS:
            check_field_path(name, where)
        if name in names[:i]:
            msg = f"{name!r} is listed twice"
            raise InvalidInput(where, msg)
    return names


def _duration(field: str, value: object) -> timedelta | None:
    return None if value is None else duration(value, field)


def _group_wait(value: object) -> timedelta | None:
    # group_wait may be zero in Alertmanager: notify at once.
    return None if value is None else duration(value, "group_wait", allow_zero=True)


def _group_interval(value: object) -> timedelta | None:
    return _duration("group_interval", value)


def _repeat_interval(value: object) -> timedelta | None:
    return _duration("repeat_interval", value)


def _children(value: object) -> tuple[Route, ...]:
    return typed_tuple(value, Route, "routes")


def _name(value: object) -> str | None:
    return optional_name(value, "name")


def _continue(value: object) -> bool:
    return flag(value, "continue_")


def _path(value: object) -> tuple[int, ...]:
    positions = typed_tuple(value, int, "path")
    for i, position in enumerate(positions):
        if isinstance(position, bool) or position < 0:
            where = f"path[{i}]"
            msg = f"expected a child position >= 0, got {position!r}"
            raise InvalidInput(where, msg)
    return positions


def _a_route(value: object) -> Route:
    return instance(value, Route, "route")


def _match_service(value: object) -> str:
    return identifier(value, "service")


def _match_group_by(value: object) -> tuple[str, ...]:
    names = _group_by(value)
    if names is None:
        msg = "expected the label names grouped by (empty for none)"
        raise InvalidInput("group_by", msg)
    return names


def _match_wait(value: object) -> timedelta:
    return duration(value, "group_wait", allow_zero=True)


def _match_interval(value: object) -> timedelta:
    return duration(value, "group_interval")


def _match_repeat(value: object) -> timedelta:
    return duration(value, "repeat_interval")


def _route_key(value: object) -> str:
    return text(value, "route_key")


def _trail(value: object) -> tuple[str, ...]:
    return typed_tuple(value, str, "trail")


def _label(value: object) -> str:
    return text(value, "label")


@attrs.frozen
class Route:
    """One node of a routing tree: matchers, settings, and child routes.

    Matchers may be :class:`Matcher` values or strings (``'team="db"'``, or one string
    ``'{team="db", severity="critical"}'``).  Settings left as ``None`` are inherited
    from the parent.  ``continue_`` is Alertmanager's ``continue``.

    >>> Route('{team="db"}', service="db-oncall").matchers
    (Matcher(name='team', op=<MatchOp.EQUAL: '='>, value='db'),)
    """

    matchers: tuple[Matcher, ...] = attrs.field(default=(), converter=_route_matchers)
    service: str | None = attrs.field(default=None, kw_only=True, converter=_optional_service)
    group_by: tuple[str, ...] | None = attrs.field(default=None, kw_only=True, converter=_group_by)
    group_wait: timedelta | None = attrs.field(default=None, kw_only=True, converter=_group_wait)
    group_interval: timedelta | None = attrs.field(
        default=None, kw_only=True, converter=_group_interval
    )
    repeat_interval: timedelta | None = attrs.field(
        default=None, kw_only=True, converter=_repeat_interval
    )
    continue_: bool = attrs.field(default=False, kw_only=True, converter=_continue)
    routes: tuple[Route, ...] = attrs.field(default=(), kw_only=True, converter=_children)
    name: str | None = attrs.field(default=None, kw_only=True, converter=_name)


@attrs.frozen
class RouteMatch:
    """A route an alert matched, with the settings it ends up with after inheritance.

    ``path`` gives the child positions from the root (``()`` is the root, ``(2, 0)``
    the first child of the third child).  ``trail`` renders each route on the way, for
    explanations.
    """

    path: tuple[int, ...] = attrs.field(converter=_path)
    route: Route = attrs.field(converter=_a_route)
    service: str = attrs.field(converter=_match_service)
    group_by: tuple[str, ...] = attrs.field(converter=_match_group_by)
    group_wait: timedelta = attrs.field(converter=_match_wait)
    group_interval: timedelta = attrs.field(converter=_match_interval)
    repeat_interval: timedelta = attrs.field(converter=_match_repeat)
    route_key: str = attrs.field(converter=_route_key)
    trail: tuple[str, ...] = attrs.field(converter=_trail)
    #: A short name for this route: its ``name``, or its position (``routes[2].routes[0]``).
    label: str = attrs.field(converter=_label)

    def group_labels(self, target: Target) -> Mapping[str, str]:
        """The alert's ``group_by`` values (all labels for ``'...'``).

        Missing and empty values are left out: Alertmanager drops empty-valued labels
        when an alert arrives, so ``team=""`` and no ``team`` share a group.
        """
        labels, event = labels_of(target)
        if self.group_by == (ALL_LABELS,):
            return {name: value for name, value in labels.items() if value}
        found: dict[str, str] = {}
        for name in self.group_by:
            value = field_value(event if event is not None else labels, name)
            if value:
                found[name] = value
        return found

    def group_key(self, target: Target) -> str:
        """Alertmanager's aggregation group key: ``route key + ":" + group labels``.

        >>> tree = RoutingTree(
        ...     Route(
        ...         service="default",
        ...         group_by=("alertname",),
        ...         routes=(Route('severity="page"', service="pager"),),
        ...     )
        ... )
        >>> match = tree.match({"alertname": "HighLatency", "severity": "page"})[0]
        >>> match.group_key({"alertname": "HighLatency", "severity": "page"})
        '{}/{severity="page"}:{alertname="HighLatency"}'
        """
        labels = self.group_labels(target)
        rendered = ", ".join(f"{k}={_quote(labels[k])}" for k in sorted(labels))
        return f"{self.route_key}:{{{rendered}}}"

    def group_key_hash(self, target: Target) -> str:
        """SHA-256 of :meth:`group_key`, hex: what Alertmanager sends as PagerDuty ``dedup_key``."""
        return hashlib.sha256(self.group_key(target).encode()).hexdigest()


def _quote(value: str) -> str:
    return str(Matcher("x", "=", value))[2:]


@attrs.frozen
class _Node:
    match: RouteMatch
    matchers: tuple[Matcher, ...]
    continue_: bool
    children: tuple[_Node, ...]
    index: MatcherIndex[int] | None


#: Go's labels.MatchType values: MatchEqual, MatchNotEqual, MatchRegexp, MatchNotRegexp.
_OP_ORDER = {
    op: i
    for i, op in enumerate((MatchOp.EQUAL, MatchOp.NOT_EQUAL, MatchOp.REGEX, MatchOp.NOT_REGEX))
}


def _matchers_key(matchers: tuple[Matcher, ...]) -> str:
    # Alertmanager sorts a route's matchers (by name, then value, then type in Go's
    # order =, !=, =~, !~) and renders them comma-separated in braces: {a="x",b=~"y"}.
    ordered = sorted(matchers, key=lambda m: (m.name, m.value, _OP_ORDER[m.op]))
    return "{" + ",".join(str(m) for m in ordered) + "}"


def _compile(
    route: Route,
    path: tuple[int, ...],
    parent: RouteMatch | None,
    field: str,
) -> _Node:
    service = route.service or (parent.service if parent else None)
    if service is None:
        msg = "the root route must name a service (Alertmanager's receiver)"
        where = f"{field}.service"
        raise InvalidInput(where, msg)
    wait, interval, repeat = DEFAULT_TIMING
    key = _matchers_key(route.matchers)
    match = RouteMatch(
        path=path,
        route=route,
        service=service,
        group_by=route.group_by
        if route.group_by is not None
        else parent.group_by
        if parent
        else (),
        group_wait=_pick(route.group_wait, parent.group_wait if parent else wait),
        group_interval=_pick(route.group_interval, parent.group_interval if parent else interval),
        repeat_interval=_pick(route.repeat_interval, parent.repeat_interval if parent else repeat),
        route_key=key if parent is None else f"{parent.route_key}/{key}",
        trail=(*(parent.trail if parent else ()), _describe(route, path)),
        label=route.name or (".".join(f"routes[{i}]" for i in path) if path else "root"),
    )
    children = tuple(
        _compile(child, (*path, i), match, f"{field}.routes[{i}]")
        for i, child in enumerate(route.routes)
    )
    index = (
        MatcherIndex((child.matchers, i) for i, child in enumerate(children)) if children else None
    )
    return _Node(match, route.matchers, route.continue_, children, index)


def _pick(own: timedelta | None, inherited: timedelta) -> timedelta:
    return inherited if own is None else own


def _describe(route: Route, path: tuple[int, ...]) -> str:
    where = route.name or ("root" if not path else f"routes[{path[-1]}]")
    if not route.matchers:
        return where
    return f"{where} {{{', '.join(str(m) for m in route.matchers)}}}"


def _walk(node: _Node) -> Iterable[_Node]:
    yield node
    for child in node.children:
        yield from _walk(child)


@attrs.frozen
class RoutingTree:
    """A compiled routing tree: ``match(alert)`` gives every route the alert lands on.

    Each route's children are indexed by one equality matcher (see
    :class:`MatcherIndex`), so a tree with hundreds of routes checks only the children
    that can match; the result is exactly Alertmanager's.

    >>> tree = RoutingTree(
    ...     Route(
    ...         service="ops",
    ...         routes=(
    ...             Route('team="db"', service="db", continue_=True),
    ...             Route('severity="critical"', service="pager"),
    ...             Route('team="db"', service="never-reached"),
    ...         ),
    ...     )
    ... )
    >>> [m.service for m in tree.match({"team": "db", "severity": "critical"})]
    ['db', 'pager']
    >>> [m.service for m in tree.match({"team": "web"})]
    ['ops']
    """

    root: Route
    _compiled: _Node = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        root: object = self.root
        if not isinstance(root, Route):
            msg = f"expected a Route, got {type(root).__name__}"
            raise InvalidInput("root", msg)
        if self.root.matchers:
            msg = "the root route must match every alert; move its matchers to a child"
            raise InvalidInput("root.matchers", msg)
        object.__setattr__(self, "_compiled", _compile(self.root, (), None, "root"))

    @property
    def routes(self) -> tuple[RouteMatch, ...]:
        """Every route in depth-first order, with its inherited settings."""
        return tuple(node.match for node in _walk(self._compiled))

    @property
    def services(self) -> frozenset[str]:
        """Every service some route can send to."""
        return frozenset(match.service for match in self.routes)

    def match(self, target: Target) -> tuple[RouteMatch, ...]:
        """The routes ``target`` lands on, in order; never empty (the root matches all)."""
        labels, event = labels_of(target)
        return tuple(self._match(self._compiled, labels, event))

    def match_labels(self, labels: Mapping[str, str], event: Event | None) -> list[RouteMatch]:
        """:meth:`match` for labels already read out of the event (the fast path).

        ``labels`` and ``event`` are what :func:`labels_of` returns and are not checked
        again.
        """
        return self._match(self._compiled, labels, event)

    def _match(
        self, node: _Node, labels: Mapping[str, str], event: Event | None
    ) -> list[RouteMatch]:
        found: list[RouteMatch] = []
        if node.index is not None:
            children = node.children
            for position in node.index.candidates(labels, event):
                child = children[position]
                for matcher in child.matchers:
                    if not matcher.test(labels, event):
                        break
                else:
                    found.extend(self._match(child, labels, event))
                    if not child.continue_:
                        break
        if not found:
            found.append(node.match)
        return found

    def trace(self, target: Target) -> tuple[tuple[RouteMatch, str], ...]:
        """Every route tried for ``target``, each with why it matched or not (for explanations)."""
        labels, event = labels_of(target)
        notes: list[tuple[RouteMatch, str]] = []
        self._trace(self._compiled, labels, event, notes)
        return tuple(notes)

    def _trace(
        self,
        node: _Node,
        labels: Mapping[str, str],
        event: Event | None,
        notes: list[tuple[RouteMatch, str]],
    ) -> bool:
        failed = next((m for m in node.matchers if not m.test(labels, event)), None)
        if failed is not None:
            value = failed.read(labels, event)
            notes.append((node.match, f"did not match: {failed} (value {_quote(value)})"))
            return False
        notes.append((node.match, "matched"))
        any_child = False
        for child in node.children:
            if self._trace(child, labels, event, notes):
                any_child = True
                if not child.continue_:
                    notes.append((node.match, f"stopped after {child.match.label} (no continue)"))
                    break
        if node.children and not any_child:
            notes.append((node.match, "no child matched, so this route is the destination"))
        return True
