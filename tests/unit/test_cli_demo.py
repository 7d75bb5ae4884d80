"""The ``demo`` subcommand: a follow-the-sun schedule, pinned to an instant with ``--at``.

After the schedule comes an incident, end to end, told from the same instant.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import tocsin
from tocsin._demo import PAYLOADS, payload
from tocsin.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# 2026-03-10 is in the weeks when New York is on summer time and London is not: the
# January tiling has a 60-minute hole at 21:00Z and a 60-minute overlap at 13:00Z
# (reference/schedules.md section 5.2, table B).
EXPECTED_MARCH_10 = """\
  APAC  09:00-17:00 Australia/Sydney  ana, ali
  EMEA  06:00-14:00 Europe/London  eve, eli
  AMER  09:00-17:00 America/New_York  amy, abe
Where two regions overlap, the one listed later is on call.

Now: Tue 10 Mar 14:00 UTC
On call now: abe (AMER, Tue 10 Mar 10:00 EDT local)

The next seven days, in each region's local time:
APAC (Australia/Sydney)
  Wed 11 Mar 09:00-17:00 AEDT  ali
  Thu 12 Mar 09:00-17:00 AEDT  ali
  Fri 13 Mar 09:00-17:00 AEDT  ali
  Sat 14 Mar 09:00-17:00 AEDT  ali
  Sun 15 Mar 09:00-17:00 AEDT  ali
  Mon 16 Mar 09:00-17:00 AEDT  ana
  Tue 17 Mar 09:00-17:00 AEDT  ana
EMEA (Europe/London)
  Wed 11 Mar 06:00-13:00 GMT  eli
  Thu 12 Mar 06:00-13:00 GMT  eli
  Fri 13 Mar 06:00-13:00 GMT  eli
  Sat 14 Mar 06:00-13:00 GMT  eli
  Sun 15 Mar 06:00-13:00 GMT  eli
  Mon 16 Mar 06:00-13:00 GMT  eve
  Tue 17 Mar 06:00-13:00 GMT  eve
AMER (America/New_York)
  Tue 10 Mar 10:00-17:00 EDT  abe
  Wed 11 Mar 09:00-17:00 EDT  abe
  Thu 12 Mar 09:00-17:00 EDT  abe
  Fri 13 Mar 09:00-17:00 EDT  abe
  Sat 14 Mar 09:00-17:00 EDT  abe
  Sun 15 Mar 09:00-17:00 EDT  abe
  Mon 16 Mar 09:00-17:00 EDT  amy
  Tue 17 Mar 09:00-10:00 EDT  amy

Coverage: 95.83%; 7 gaps (420 min), 7 overlaps (420 min)
  gap      Tue 10 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Wed 11 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Thu 12 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Fri 13 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Sat 14 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Sun 15 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Mon 16 Mar 21:00 UTC - 22:00 UTC  60 min
  overlap  Wed 11 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Thu 12 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Fri 13 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Sat 14 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Sun 15 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Mon 16 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Tue 17 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
"""

# The incident starts at "now": abe is the AMER primary (10:00 EDT), mia the manager in
# London, still on GMT.  Abe acknowledges at 14:12, after mia was paged at 14:10; the
# resolve payload arrives at 14:40.  40 one-minute slices of 43,200 at 99.9 % spend
# 40 / 43.2 = 92.6 % of the budget.
INCIDENT_MARCH_10 = """\
An incident from now on (times in UTC), replaying real webhook payloads:
  14:00  alertmanager  trigger  Something is on fire  ops: paged, opened I1 (high urgency)
  14:02  grafana       trigger  High memory usage     sandbox: silenced by sil-1 (eve: rule tuning)
  14:05  alertmanager  trigger  Something is on fire  ops: duplicate, I1 is open: not paged
  14:40  alertmanager  resolve  Something is on fire  ops: resolves I1
Escalation 'ops': follow-the-sun, then mia after 10 min; 2 passes
  14:00  page abe via follow-the-sun (level 1): Tue 10 Mar 10:00 EDT for abe
  14:10  page mia directly (level 2): Tue 10 Mar 14:10 GMT for mia
  14:12  abe acknowledged after 12 min: escalation stops
  14:40  I1 resolved by the alert's resolve: 2 pages in all, 0 after it
SLO 99.9% over 30 days: 40 min down (burn rate 1000x) used 92.6% of the 43.2 min error budget
"""


def test_demo_pinned_on_march_10(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--at", "2026-03-10T14:00:00Z"]) == 0
    out = capsys.readouterr().out
    header = f"tocsin {tocsin.__version__}: schedule 'follow-the-sun'\n"
    assert out == header + EXPECTED_MARCH_10 + "\n" + INCIDENT_MARCH_10


def test_demo_fits_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--at", "2026-03-10T14:00:00Z"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) <= 64
    assert max(map(len, lines)) <= 100


def test_demo_incident_in_the_evening_gap_pages_the_manager_then_sydney(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 21:55Z on 10 March: New York's 09:00-17:00 EDT ended at 21:00Z, Sydney's 09:00 AEDT
    # starts at 22:00Z.  Level 1 finds nobody and is skipped, so mia is paged at once;
    # the second pass enters level 1 at 22:05Z, on Wednesday morning in Sydney.
    assert main(["demo", "--at", "2026-03-10T21:55:00Z"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("""\
Escalation 'ops': follow-the-sun, then mia after 10 min; 2 passes
  21:55  nobody on call for follow-the-sun: level 1 skipped
  21:55  page mia directly (level 2): Tue 10 Mar 21:55 GMT for mia
  22:05  page ali via follow-the-sun (level 1): Wed 11 Mar 09:05 AEDT for ali
  22:07  mia acknowledged after 12 min: escalation stops
  22:35  I1 resolved by the alert's resolve: 2 pages in all, 0 after it
SLO 99.9% over 30 days: 40 min down (burn rate 1000x) used 92.6% of the 43.2 min error budget
""")


def test_demo_incident_in_july_shows_london_summer_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 22:30Z on 15 July is in a two-hour hole of the schedule (see above): both passes
    # skip level 1, so mia is paged twice, at 23:30 and 23:40 BST.
    assert main(["demo", "--at", "2026-07-15T22:30:00Z"]) == 0
    out = capsys.readouterr().out
    assert (
        """\
  22:30  nobody on call for follow-the-sun: level 1 skipped
  22:30  page mia directly (level 2): Wed 15 Jul 23:30 BST for mia
  22:40  nobody on call for follow-the-sun: level 1 skipped
  22:40  page mia directly (level 2): Wed 15 Jul 23:40 BST for mia
  22:42  mia acknowledged after 12 min: escalation stops
  23:10  I1 resolved by the alert's resolve: 2 pages in all, 0 after it
"""
        in out
    )


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_demo_payloads_are_the_fixtures_byte_for_byte(name: str) -> None:
    # The package ships copies (the demo must run from a wheel); they stay the
    # published payloads whose provenance tests/fixtures/INDEX.md records.
    source, _, rest = PAYLOADS[name].partition("-")
    assert payload(name) == (FIXTURES / source / rest).read_bytes()


def test_demo_payloads_have_their_provenance_beside_them() -> None:
    package = Path(tocsin.__file__).parent / "_demo" / "payloads"
    provenance = (package / "PROVENANCE.md").read_text(encoding="utf-8")
    shipped = sorted(p.name for p in package.glob("*.json"))
    assert shipped == sorted(PAYLOADS.values())
    for file in shipped:
        assert f"| `{file}` |" in provenance


def test_demo_when_nobody_is_on_call(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--at", "2026-07-15T22:30:00+00:00"]) == 0
    out = capsys.readouterr().out
    assert "On call now: nobody; next: ali at Wed 15 Jul 23:00 UTC\n" in out
    # Sydney is on standard time and London on summer time: EMEA takes APAC's last two hours.
    assert "  Thu 16 Jul 09:00-15:00 AEST  ali\n" in out
    # 30 min from now, six 120-minute holes, and 90 min up to the window end.
    assert "Coverage: 91.67%; 8 gaps (840 min), 7 overlaps (840 min)\n" in out


def test_demo_accepts_any_offset_for_now(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--at", "2026-03-11T01:00:00+11:00"]) == 0
    assert "Now: Tue 10 Mar 14:00 UTC\n" in capsys.readouterr().out


def test_demo_refuses_a_naive_instant(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["demo", "--at", "2026-03-10T14:00"])
    assert info.value.code == 2
    assert "has no UTC offset" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["demo", "--at", "yesterday"])


def test_demo_reads_the_system_clock_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "\nNow: " in out
    assert "The next seven days, in each region's local time:" in out
