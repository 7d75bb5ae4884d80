"""Prometheus Alertmanager webhooks (``webhook_config``, version 4; version 3 tolerated).

One event per alert in the group:

* **dedup key**: the alert's ``fingerprint`` as sent, or, in payloads too old to carry
  one, :func:`tocsin.events.fingerprint` of its labels, which is what Alertmanager
  would have sent.  Not the group key: Alertmanager's own PagerDuty notifier keys by
  group, so one alert resolving inside a still-firing group is never seen.
* **action**: each alert's ``status`` (``firing`` -> trigger, ``resolved`` ->
  resolve); the group's ``status`` only for an alert that has none.
* **severity**: the ``severity`` label through :data:`SEVERITIES`; anything else
  (no label, an unknown value) is ``default_severity``, ``error`` as in
  Alertmanager's PagerDuty notifier.
* **summary**: the first of the ``summary``, ``title``, ``message``, ``description``
  annotations and the ``alertname`` label, else the label set; cut to 1024
  characters with an ellipsis.
* **source**: the ``instance`` label, else ``job``, else ``externalURL``.
* **timestamp**: ``startsAt`` for a trigger, ``endsAt`` for a resolve.
* **custom_details**: the whole alert object as sent (``labels``, ``annotations``,
  ``startsAt``, ...) plus the group's fields under ``"group"``.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from tocsin.events import Event, Severity
from tocsin.events._plain import Irregular
from tocsin.events._wire import ROOT, Payload, guarded, load_object
from tocsin.integrations._am_plain import plain_alert_events
from tocsin.integrations._am_shape import Options, alert_events
from tocsin.integrations._common import Reader, check_severity, severity_table

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["SEVERITIES", "parse"]

#: Values of the ``severity`` label (compared lower-cased) and what they become.
#: The names people actually use, from Prometheus rule collections and the OpsGenie
#: and PagerDuty notifier docs; pass ``severities=`` to replace it.
SEVERITIES: Mapping[str, Severity] = MappingProxyType(
    {
        "critical": Severity.CRITICAL,
        "crit": Severity.CRITICAL,
        "page": Severity.CRITICAL,
        "p1": Severity.CRITICAL,
        "fatal": Severity.CRITICAL,
        "emergency": Severity.CRITICAL,
        "error": Severity.ERROR,
        "err": Severity.ERROR,
        "major": Severity.ERROR,
        "high": Severity.ERROR,
        "p2": Severity.ERROR,
        "warning": Severity.WARNING,
        "warn": Severity.WARNING,
        "minor": Severity.WARNING,
        "medium": Severity.WARNING,
        "p3": Severity.WARNING,
        "info": Severity.INFO,
        "informational": Severity.INFO,
        "notice": Severity.INFO,
        "low": Severity.INFO,
        "none": Severity.INFO,
        "p4": Severity.INFO,
        "p5": Severity.INFO,
    }
)


@guarded
def parse(
    payload: Payload,
    *,
    severities: Mapping[str, Severity] | None = None,
    default_severity: Severity = Severity.ERROR,
    severity_label: str = "severity",
) -> list[Event]:
    """Events from an Alertmanager webhook body (JSON bytes or text, or a mapping).

    ``severities`` replaces :data:`SEVERITIES` (merge it yourself to extend it);
    ``severity_label`` names the label that holds the severity.  Raises
    :class:`~tocsin.errors.InvalidEvent` naming the field for anything that is not an
    Alertmanager webhook, and nothing else.

    >>> [
    ...     (e.action.value, e.dedup_key, e.severity.value)
    ...     for e in parse(
    ...         b'{"version": "4", "status": "firing", "alerts": [{"status": "resolved",'
    ...         b' "labels": {"alertname": "alert1", "severity": "critical"}}]}'
    ...     )
    ... ]
    [('resolve', '0223b772b51c29e1', 'critical')]
    """
    options = Options(
        client="Alertmanager",
        severities=severity_table(severities, SEVERITIES),
        default_severity=check_severity(default_severity, "default_severity"),
        severity_label=severity_label,
        grafana=False,
    )
    try:
        return plain_alert_events(payload, options)
    except (Irregular, RecursionError):
        pass  # the careful way accepts it or says what is wrong, with the field
    return alert_events(Reader(load_object(payload), ROOT), options)
