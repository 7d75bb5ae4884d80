from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tocsin.errors import InvalidInput
from tocsin.services import Service, ServiceCatalog


@st.composite
def dags(draw: st.DrawFn) -> ServiceCatalog:
    # Service i may depend only on services before it: acyclic by construction.
    size = draw(st.integers(1, 12))
    services = []
    for i in range(size):
        deps = draw(st.lists(st.integers(0, i - 1), unique=True, max_size=3)) if i else []
        services.append(Service(f"s{i}", depends_on=tuple(f"s{d}" for d in deps)))
    order = draw(st.permutations(services))
    return ServiceCatalog(order)


@given(dags(), st.data())
def test_impact_paths_follow_dependency_edges(catalog: ServiceCatalog, data: st.DataObject) -> None:
    root = data.draw(st.sampled_from([s.id for s in catalog]))
    impacts = catalog.impact(root)
    assert {i.service for i in impacts} == set(catalog.downstream(root, transitive=True))
    for impact in impacts:
        assert impact.path[0] == root
        assert impact.path[-1] == impact.service
        for needed, needing in zip(impact.path, impact.path[1:], strict=False):
            assert needed in catalog[needing].depends_on
    distances = [i.distance for i in impacts]
    assert distances == sorted(distances)


@given(dags(), st.data())
def test_upstream_and_downstream_are_mirror_images(
    catalog: ServiceCatalog, data: st.DataObject
) -> None:
    a = data.draw(st.sampled_from([s.id for s in catalog]))
    for b in catalog.upstream(a, transitive=True):
        assert a in catalog.downstream(b, transitive=True)


@given(dags(), st.data())
def test_likely_causes_are_failing_roots(catalog: ServiceCatalog, data: st.DataObject) -> None:
    failing = data.draw(st.sets(st.sampled_from([s.id for s in catalog])))
    causes = catalog.likely_causes(failing)
    assert set(causes) <= failing
    for cause in causes:
        assert not failing.intersection(catalog.upstream(cause, transitive=True))
    # Every failing service is a cause or sits downstream of one.
    for service in failing:
        assert service in causes or any(
            service in catalog.downstream(c, transitive=True) for c in causes
        )


@given(dags(), st.data())
def test_closing_a_loop_is_rejected(catalog: ServiceCatalog, data: st.DataObject) -> None:
    ids = [s.id for s in catalog]
    a = data.draw(st.sampled_from(ids))
    ancestors = catalog.upstream(a, transitive=True)
    if not ancestors:
        return
    b = data.draw(st.sampled_from(ancestors))
    # b is upstream of a; making b depend on a closes a cycle.
    rebuilt = [Service(s.id, depends_on=(*s.depends_on, a)) if s.id == b else s for s in catalog]
    with pytest.raises(InvalidInput, match="dependency cycle"):
        ServiceCatalog(rebuilt)
