"""The service catalog: services, teams and the dependency graph between services.

Edges point from a service to what it needs: ``api.depends_on = ("db",)`` makes
``db`` upstream of ``api`` and ``api`` downstream of ``db``.  When ``db`` fails,
everything downstream of it is impacted, and of several failing services the likely
causes are those that do not themselves depend on anything failing.
"""

from __future__ import annotations

from collections import deque
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import flag, identifier, typed_tuple
from tocsin._rebuild import by_constructor
from tocsin.errors import InvalidInput, NotFoundError
from tocsin.services._service import Service, Team

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

__all__ = ["ServiceCatalog", "Impact"]


def _impacted(value: object) -> str:
    return identifier(value, "service")


def _path(value: object) -> tuple[str, ...]:
    return typed_tuple(value, str, "path")


@attrs.frozen
class Impact:
    """A service impacted by a failure, with the dependency path that carries it.

    ``path`` runs from the failing service to ``service``; each service in it depends
    on the one before.  ``distance`` is the number of hops (``len(path) - 1``).
    """

    service: str = attrs.field(converter=_impacted)
    path: tuple[str, ...] = attrs.field(converter=_path)

    def __attrs_post_init__(self) -> None:
        if len(self.path) < 2 or self.path[-1] != self.service:  # noqa: PLR2004
            msg = f"expected a path from the failing service to {self.service!r}, got {self.path}"
            raise InvalidInput("path", msg)

    @property
    def distance(self) -> int:
        """Hops from the failing service (1 for a direct dependent)."""
        return len(self.path) - 1


def _services(value: Iterable[object]) -> tuple[Service, ...]:
    return typed_tuple(value, Service, "services")


def _teams(value: Iterable[object]) -> tuple[Team, ...]:
    return typed_tuple(value, Team, "teams")


@attrs.frozen
class ServiceCatalog:
    """Every service and team, and the dependency graph between services.

    Construction checks that ids are unique, that every ``team`` and ``depends_on``
    reference exists, and that dependencies form no cycle; a cycle is reported with
    its path (``services[2].depends_on: dependency cycle api -> db -> api``).  Lookups
    of unknown ids raise :class:`~tocsin.errors.NotFoundError`.

    >>> catalog = ServiceCatalog(
    ...     [
    ...         Service("db"),
    ...         Service("api", depends_on=("db",)),
    ...         Service("web", depends_on=("api",)),
    ...     ]
    ... )
    >>> [(i.service, i.path) for i in catalog.impact("db")]
    [('api', ('db', 'api')), ('web', ('db', 'api', 'web'))]
    >>> catalog.likely_causes({"web", "db"})
    ('db',)
    """

    services: tuple[Service, ...] = attrs.field(converter=_services)
    teams: tuple[Team, ...] = attrs.field(default=(), converter=_teams)
    _by_id: Mapping[str, Service] = attrs.field(init=False, eq=False, repr=False)
    _order: Mapping[str, int] = attrs.field(init=False, eq=False, repr=False)
    _dependents: Mapping[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False)
    _team_ids: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_id: dict[str, Service] = {}
        for i, service in enumerate(self.services):
            if service.id in by_id:
                msg = f"service id {service.id!r} is used twice"
                where = f"services[{i}].id"
                raise InvalidInput(where, msg)
            by_id[service.id] = service
        team_ids: set[str] = set()
        for i, team in enumerate(self.teams):
            if team.id in team_ids:
                msg = f"team id {team.id!r} is used twice"
                where = f"teams[{i}].id"
                raise InvalidInput(where, msg)
            team_ids.add(team.id)
        dependents: dict[str, list[str]] = {sid: [] for sid in by_id}
        for i, service in enumerate(self.services):
            if service.team is not None and service.team not in team_ids and self.teams:
                msg = f"unknown team {service.team!r}; known teams: {sorted(team_ids)}"
                where = f"services[{i}].team"
                raise InvalidInput(where, msg)
            for j, dep in enumerate(service.depends_on):
                if dep not in by_id:
                    msg = f"unknown service {dep!r}"
                    where = f"services[{i}].depends_on[{j}]"
                    raise InvalidInput(where, msg)
                dependents[dep].append(service.id)
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))
        object.__setattr__(self, "_order", MappingProxyType({s: i for i, s in enumerate(by_id)}))
        object.__setattr__(
            self, "_dependents", MappingProxyType({k: tuple(v) for k, v in dependents.items()})
        )
        object.__setattr__(self, "_team_ids", frozenset(team_ids))
        self._reject_cycles()

    def __reduce__(self) -> tuple[object, ...]:
        # The indexes are read-only mappings, which do not pickle: travel as the
        # services and teams, indexed and checked again on arrival.
        return by_constructor(self)

    def _reject_cycles(self) -> None:
        # Iterative depth-first search with three colours; the grey stack is the
        # current path, so a back edge names the cycle exactly.
        done: set[str] = set()
        for root in self._by_id:
            if root in done:
                continue
            path: list[str] = [root]
            on_path = {root}
            stack: list[Iterator[str]] = [iter(self._by_id[root].depends_on)]
            while stack:
                dep = next(stack[-1], None)
                if dep is None:
                    stack.pop()
                    finished = path.pop()
                    on_path.discard(finished)
                    done.add(finished)
                    continue
                if dep in on_path:
                    cycle = [*path[path.index(dep) :], dep]
                    index = self._order[cycle[-2]]
                    msg = "dependency cycle " + " -> ".join(cycle)
                    where = f"services[{index}].depends_on"
                    raise InvalidInput(where, msg)
                if dep in done:
                    continue
                path.append(dep)
                on_path.add(dep)
                stack.append(iter(self._by_id[dep].depends_on))

    def __getitem__(self, service_id: str) -> Service:
        try:
            return self._by_id[service_id]
        except KeyError:
            msg = f"no service {service_id!r} in the catalog"
            raise NotFoundError(msg) from None

    def __contains__(self, service_id: object) -> bool:
        return service_id in self._by_id

    def __iter__(self) -> Iterator[Service]:
        return iter(self.services)

    def __len__(self) -> int:
        return len(self.services)

    def get(self, service_id: str) -> Service | None:
        """The service with this id, or ``None``."""
        return self._by_id.get(identifier(service_id, "service_id"))

    def team(self, team_id: str) -> Team:
        """The team with this id (:class:`~tocsin.errors.NotFoundError` if unknown)."""
        identifier(team_id, "team_id")
        for team in self.teams:
            if team.id == team_id:
                return team
        msg = f"no team {team_id!r} in the catalog"
        raise NotFoundError(msg)

    def services_of(self, team_id: str) -> tuple[Service, ...]:
        """The services owned by a team, in catalog order."""
        identifier(team_id, "team_id")
        if self.teams and team_id not in self._team_ids:
            msg = f"no team {team_id!r} in the catalog"
            raise NotFoundError(msg)
        return tuple(s for s in self.services if s.team == team_id)

    def upstream(self, service_id: str, *, transitive: bool = False) -> tuple[str, ...]:
        """What ``service_id`` depends on: direct dependencies, or all of them.

        Transitive results are in breadth-first order (nearest first), ties in catalog
        order.
        """
        return self._walk(service_id, lambda s: self._by_id[s].depends_on, transitive=transitive)

    def downstream(self, service_id: str, *, transitive: bool = False) -> tuple[str, ...]:
        """What depends on ``service_id``: direct dependents, or all of them."""
        return self._walk(service_id, self._dependents.__getitem__, transitive=transitive)

    def impact(self, service_id: str) -> tuple[Impact, ...]:
        """Everything that depends on ``service_id``, transitively, each with a shortest path.

        Nearest first; among equally near services, catalog order.  The path is the
        first shortest one found walking dependents in catalog order.
        """
        self[identifier(service_id, "service_id")]
        paths: dict[str, tuple[str, ...]] = {service_id: (service_id,)}
        queue = deque([service_id])
        found: list[Impact] = []
        while queue:
            current = queue.popleft()
            for dependent in sorted(self._dependents[current], key=self._order.__getitem__):
                if dependent in paths:
                    continue
                paths[dependent] = (*paths[current], dependent)
                found.append(Impact(dependent, paths[dependent]))
                queue.append(dependent)
        return tuple(sorted(found, key=lambda i: (i.distance, self._order[i.service])))

    def likely_causes(self, failing: Iterable[str]) -> tuple[str, ...]:
        """The failing services none of whose dependencies, direct or transitive, fail.

        When ``db`` and ``web`` both fail and ``web`` needs ``api`` which needs ``db``,
        ``db`` is the likely cause even though ``api`` is not alerting: a failure can
        travel through a service that has no alert of its own.  Catalog order.
        """
        down = set()
        for i, service_id in enumerate(typed_tuple(failing, str, "failing")):
            if service_id not in self._by_id:
                msg = f"no service {service_id!r} in the catalog"
                where = f"failing[{i}]"
                raise InvalidInput(where, msg)
            down.add(service_id)
        return tuple(
            s.id
            for s in self.services
            if s.id in down and not down.intersection(self.upstream(s.id, transitive=True))
        )

    def _walk(
        self,
        service_id: str,
        neighbours: Callable[[str], tuple[str, ...]],
        *,
        transitive: bool,
    ) -> tuple[str, ...]:
        self[identifier(service_id, "service_id")]
        if not flag(transitive, "transitive"):
            return tuple(sorted(neighbours(service_id), key=self._order.__getitem__))
        seen = {service_id}
        order: list[str] = []
        queue = deque([service_id])
        while queue:
            for nxt in sorted(neighbours(queue.popleft()), key=self._order.__getitem__):
                if nxt not in seen:
                    seen.add(nxt)
                    order.append(nxt)
                    queue.append(nxt)
        return tuple(order)
