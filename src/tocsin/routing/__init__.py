"""Routing: where an event goes, at what urgency, and why.

* :class:`Matcher` conditions (``=``, ``!=``, ``=~``, ``!~``; regexes fully anchored;
  missing reads as empty) over labels and event fields, named by *field paths*: a
  plain name is a label, ``event.<field>`` an Events v2 field (``event.severity``,
  ``event.source``), ``event.custom_details.<key>...`` a custom detail.
* A :class:`RoutingTree` of :class:`Route` nodes with Alertmanager's semantics.
* Ordered :class:`Rule` values in the style of PagerDuty event orchestration,
  including dynamic routing (:class:`DynamicRoute`).
* A :class:`Router` that applies rules, then the tree, then each service's urgency
  rule and support hours, and returns a :class:`RoutingDecision` recording every
  step, so "why did this page me (or not)?" always has an answer.
"""

from __future__ import annotations

from tocsin.routing._decision import Destination, Disposition, RoutingDecision, Stage, Step
from tocsin.routing._fields import EVENT_FIELDS, Target, check_field_path, field_value
from tocsin.routing._index import MatcherIndex
from tocsin.routing._matcher import Matcher, MatchOp, labels_of, matches_all, parse_matchers
from tocsin.routing._router import Router
from tocsin.routing._rules import DynamicRoute, Lookup, Rule
from tocsin.routing._tree import ALL_LABELS, DEFAULT_TIMING, Route, RouteMatch, RoutingTree

__all__ = [
    "Matcher",
    "MatchOp",
    "parse_matchers",
    "matches_all",
    "labels_of",
    "field_value",
    "check_field_path",
    "EVENT_FIELDS",
    "Target",
    "MatcherIndex",
    "Route",
    "RouteMatch",
    "RoutingTree",
    "ALL_LABELS",
    "DEFAULT_TIMING",
    "Rule",
    "DynamicRoute",
    "Lookup",
    "Router",
    "RoutingDecision",
    "Destination",
    "Disposition",
    "Step",
    "Stage",
]
