"""Pin the public surface: every public module's ``__all__`` is listed in ``api/``.

A public module is any ``tocsin`` module whose dotted path has no part starting with
an underscore.  Adding or removing a public name means editing ``api/<module>.txt``
in the same change, so API changes are always deliberate and reviewed.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import tocsin

API_DIR = Path(__file__).parent / "api"


def public_modules() -> list[str]:
    names = ["tocsin"]
    for info in pkgutil.walk_packages(tocsin.__path__, prefix="tocsin."):
        parts = info.name.split(".")
        if any(part.startswith("_") for part in parts):
            continue
        names.append(info.name)
    return sorted(names)


def pinned(module: str) -> list[str]:
    path = API_DIR / f"{module}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return sorted(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def test_every_public_module_is_pinned() -> None:
    listed = sorted(p.stem for p in API_DIR.glob("*.txt"))
    assert listed == public_modules()


@pytest.mark.parametrize("module", public_modules())
def test_all_matches_pin(module: str) -> None:
    mod = importlib.import_module(module)
    exported = getattr(mod, "__all__", None)
    assert exported is not None, f"{module} has no __all__"
    assert len(exported) == len(set(exported)), f"{module}.__all__ has duplicates"
    assert sorted(exported) == pinned(module)


@pytest.mark.parametrize("module", public_modules())
def test_every_exported_name_exists(module: str) -> None:
    mod = importlib.import_module(module)
    missing = [name for name in mod.__all__ if not hasattr(mod, name)]
    assert missing == []
