"""Escalation: the incident lifecycle and escalation policies as a pure state machine.

:func:`step` applies one command to one incident at an instant and returns the new
incident and the effects (notifications, timers, log entries) as data; the shell
carries them out.  :func:`simulate` runs a whole scenario, firing timers at their
times.  The transition table is :data:`TRANSITIONS`; the docs' lifecycle diagram is
generated from it.
"""

from __future__ import annotations

from tocsin.escalation._commands import (
    Acknowledge,
    AddResponders,
    Command,
    Escalate,
    Merge,
    Reassign,
    Resolve,
    ResponderTarget,
    SetUrgency,
    Snooze,
    TimerFired,
    Trigger,
    from_event,
)
from tocsin.escalation._diagram import lifecycle_diagram
from tocsin.escalation._effects import (
    AppendLog,
    CancelTimer,
    Dropped,
    DropReason,
    Effect,
    Merged,
    NobodyOnCall,
    Notify,
    NotifyReason,
    ScheduleTimer,
    Timer,
    TimerKind,
    Transition,
    Unassigned,
)
from tocsin.escalation._incident import AlertKey, AssignedVia, Incident, LogEntry, LogKind, Status
from tocsin.escalation._machine import TRANSITIONS, Rule, step
from tocsin.escalation._policy import (
    AckTimeoutMode,
    EmptyLevelMode,
    EscalationLevel,
    EscalationPolicy,
    ScheduleTarget,
    Target,
    UserTarget,
)
from tocsin.escalation._simulate import At, Notification, Timeline, TimelineEntry, simulate
from tocsin.services import Urgency

__all__ = [
    # policies
    "EscalationPolicy",
    "EscalationLevel",
    "UserTarget",
    "ScheduleTarget",
    "Target",
    "AckTimeoutMode",
    "EmptyLevelMode",
    # incidents
    "Incident",
    "Status",
    "Urgency",
    "AssignedVia",
    "AlertKey",
    "LogEntry",
    "LogKind",
    # commands
    "Command",
    "Trigger",
    "Acknowledge",
    "Resolve",
    "Snooze",
    "Reassign",
    "Escalate",
    "Merge",
    "AddResponders",
    "ResponderTarget",
    "SetUrgency",
    "TimerFired",
    "from_event",
    # effects
    "Effect",
    "Transition",
    "Notify",
    "NotifyReason",
    "ScheduleTimer",
    "CancelTimer",
    "Timer",
    "TimerKind",
    "AppendLog",
    "Dropped",
    "DropReason",
    "NobodyOnCall",
    "Unassigned",
    "Merged",
    # the machine
    "step",
    "TRANSITIONS",
    "Rule",
    "lifecycle_diagram",
    # simulation
    "simulate",
    "At",
    "Timeline",
    "TimelineEntry",
    "Notification",
]
