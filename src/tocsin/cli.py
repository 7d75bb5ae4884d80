"""The ``tocsin`` command line (``python -m tocsin`` works too).

``main(argv)`` returns an exit code, so tests call it directly.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import tocsin
from tocsin._demo import incident_lines, run_incident
from tocsin._demo import regions as demo_regions
from tocsin._demo import schedule as demo_schedule
from tocsin.time import SystemClock

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tocsin.protocols import Clock

__all__ = ["main", "build_parser"]


def _clock(at: datetime) -> str:
    return at.strftime("%a %d %b %H:%M %Z")


def _span(start: datetime, end: datetime) -> str:
    """``Wed 11 Mar 09:00-17:00 AEDT``, or both dates when the span crosses midnight."""
    if start.date() == end.date() and start.tzname() == end.tzname():
        return f"{start:%a %d %b %H:%M}-{end:%H:%M %Z}"
    return f"{_clock(start)} - {_clock(end)}"


def _minutes(span: timedelta) -> str:
    minutes = span / timedelta(minutes=1)
    return f"{minutes:g} min"


def _demo(args: argparse.Namespace) -> int:
    """A follow-the-sun schedule (now and the next seven days), then an incident end to end.

    The clock is read once, here; everything after it is the pure core's answer for
    that instant (see :mod:`tocsin._demo`).
    """
    clock: Clock = SystemClock() if args.at is None else _PinnedClock(args.at)
    now = clock.now().astimezone(UTC)
    _schedule_section(now)
    sys.stdout.write("\n")
    sys.stdout.writelines(f"{line}\n" for line in incident_lines(run_incident(now)))
    return 0


def _schedule_section(now: datetime) -> None:
    """Who is on call at ``now``, and the next seven days, for the follow-the-sun schedule."""
    regions = demo_regions()
    zones = {region.name: region.tz for region in regions}
    schedule = demo_schedule()
    week = (now, now + timedelta(days=7))
    out = sys.stdout
    out.write(f"tocsin {tocsin.__version__}: schedule {schedule.name!r}\n")
    for region in regions:
        hours = f"{region.start:%H:%M}-{region.end:%H:%M}"
        out.write(f"  {region.name}  {hours} {region.tz}  {', '.join(map(str, region.users))}\n")
    out.write("Where two regions overlap, the one listed later is on call.\n")
    out.write(f"\nNow: {_clock(now)}\n")
    user = schedule.on_call_at(now)
    if user is None:
        nxt = next(schedule.shifts(*week), None)
        then = "" if nxt is None else f"; next: {nxt.user} at {_clock(nxt.start)}"
        out.write(f"On call now: nobody{then}\n")
    else:
        [current] = schedule.shifts(now, now + timedelta(microseconds=1))
        name = getattr(current.sources[0], "name", "override")
        local = now.astimezone(zones[name]) if name in zones else now
        out.write(f"On call now: {user} ({name}, {_clock(local)} local)\n")
    out.write("\nThe next seven days, in each region's local time:\n")
    shifts = list(schedule.shifts(*week))
    for region in regions:
        out.write(f"{region.name} ({region.tz})\n")
        for shift in shifts:
            if getattr(shift.sources[0], "name", None) != region.name:
                continue
            start, end = shift.start.astimezone(region.tz), shift.end.astimezone(region.tz)
            out.write(f"  {_span(start, end)}  {shift.user}\n")
    report = schedule.coverage_report(*week)
    out.write(
        f"\nCoverage: {float(report.coverage):.2%}; "
        f"{len(report.gaps)} gaps ({_minutes(report.gap_time)}), "
        f"{len(report.overlaps)} overlaps ({_minutes(report.overlap_time)})\n"
    )
    for gap in report.gaps:
        out.write(
            f"  gap      {_clock(gap.start)} - {gap.end:%H:%M %Z}  {_minutes(gap.duration)}\n"
        )
    for overlap in report.overlaps:
        both = " and ".join(overlap.layers)
        out.write(
            f"  overlap  {_span(overlap.start, overlap.end)}  "
            f"{_minutes(overlap.duration)}  {both}\n"
        )


class _PinnedClock:
    """The clock for ``--at``: always reads the instant given."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at


def _instant(text: str) -> datetime:
    """An aware ISO-8601 instant for ``--at`` (``Z`` or an offset is required)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        msg = f"not an ISO-8601 date-time: {text!r}"
        raise argparse.ArgumentTypeError(msg) from exc
    if value.tzinfo is None:
        msg = f"{text!r} has no UTC offset; add one, e.g. {text}Z or {text}+10:00"
        raise argparse.ArgumentTypeError(msg)
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, exposed for documentation tools."""
    parser = argparse.ArgumentParser(prog="tocsin", description=tocsin.__doc__)
    parser.add_argument("--version", action="version", version=f"tocsin {tocsin.__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser(
        "demo",
        help=(
            "who is on call now and the next seven days, for a follow-the-sun schedule; "
            "then an incident from intake to resolve"
        ),
    )
    demo.add_argument(
        "--at",
        type=_instant,
        default=None,
        metavar="ISO-8601",
        help="use this instant as now (default: the system clock), e.g. 2026-03-10T14:00Z",
    )
    demo.set_defaults(func=_demo)
    return parser


#: The exit status for a reader that went away: what a command killed by SIGPIPE
#: reports (128 + 13), as ``yes | head`` shows.
_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    If whoever reads stdout stops early (``tocsin demo | head``), the command stops
    quietly with status 141 instead of printing a traceback.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    func = args.func
    try:
        result: int = func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except BrokenPipeError:
        _discard_stdout()
        return _BROKEN_PIPE
    return result


def _discard_stdout() -> None:
    """Point stdout's file descriptor at the null device.

    Python flushes stdout once more at exit; with the pipe gone that flush would fail
    and print "Exception ignored ...".  (The recipe of the Python docs, "Note on
    SIGPIPE".)
    """
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file: nothing to flush
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)
