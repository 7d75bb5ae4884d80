from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

import tocsin
from tocsin.cli import main


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert tocsin.__version__ in capsys.readouterr().out


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "required" in capsys.readouterr().err


class _ClosedPipe(io.StringIO):
    """A stdout whose reader has gone away (``tocsin demo | head`` after head exits)."""

    def write(self, text: str) -> int:  # noqa: ARG002 - nothing is written
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_ends_the_demo_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["demo", "--at", "2026-03-10T14:00Z"]) == 141
    assert capsys.readouterr().err == ""


def test_a_closed_pipe_prints_no_traceback_from_the_real_command() -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first line is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tocsin", "demo", "--at", "2026-03-10T14:00Z"],
            stdout=writer,
            stderr=subprocess.PIPE,
            check=False,
            timeout=60,
        )
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (141, b"")
