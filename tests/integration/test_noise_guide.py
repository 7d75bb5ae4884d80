"""The numbers in the alert-fatigue guide are computed, not typed.

This runs every ``{doctest}`` block of ``docs/guides/reducing-alert-fatigue.md`` (the
same code ``make doctest`` checks line by line) and then compares the guide's
before/after table, which is prose, with what that code computed.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guides" / "reducing-alert-fatigue.md"


def run_guide() -> dict[str, object]:
    text = GUIDE.read_text(encoding="utf-8")
    namespace: dict[str, object] = {}
    parser = doctest.DocTestParser()
    for block in re.findall(r"```\{doctest\}\n(.*?)```", text, flags=re.DOTALL):
        for example in parser.get_examples(block):
            code = compile(example.source, str(GUIDE), "exec")
            exec(code, namespace)  # noqa: S102 - the guide's own example code, run as written
    return namespace


def summary_table() -> list[tuple[str, int, int]]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Before and after", 1)[1].split("\n\n", 2)[1]
    rows = []
    for line in section.splitlines()[2:]:
        label, pages, orphaned = (cell.strip() for cell in line.strip("|").split("|"))
        rows.append((label, int(pages), int(orphaned)))
    return rows


@pytest.fixture(scope="module")
def guide() -> dict[str, object]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        return run_guide()


def test_the_before_after_table_matches_the_code(guide: dict[str, object]) -> None:
    results = guide["results"]
    assert isinstance(results, dict)
    rows = summary_table()
    label, pages, orphaned = rows[0]
    assert label == "a webhook straight to a pager"
    assert (pages, orphaned) == (guide["triggers"], 0)
    assert {label: (pages, orphaned) for label, pages, orphaned in rows[1:]} == results
    assert [label for label, _, _ in rows[1:]] == list(results)


def test_the_introduction_quotes_the_same_numbers(guide: dict[str, object]) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    intro = text.split("\n## ", 1)[0]
    assert f"{guide['triggers']} alert notifications" in intro
    assert f"{guide['triggers']} pages" in intro
    results = guide["results"]
    assert isinstance(results, dict)
    assert results["+ threshold"] == (4, 0)
    assert "four\npages" in intro or "four pages" in intro
