"""The ``tocsin`` command line (``python -m tocsin`` works too).

``main(argv)`` returns an exit code, so tests call it directly.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import tocsin

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main", "build_parser"]


def _demo(_args: argparse.Namespace) -> int:
    sys.stdout.write(f"tocsin {tocsin.__version__}\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, exposed for documentation tools."""
    parser = argparse.ArgumentParser(prog="tocsin", description=tocsin.__doc__)
    parser.add_argument("--version", action="version", version=f"tocsin {tocsin.__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the example job")
    demo.set_defaults(func=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = args.func
    result: int = func(args)
    return result
