"""Sphinx configuration: MyST Markdown, furo, autodoc and doctests."""

from __future__ import annotations

from importlib.metadata import version as _version

project = "tocsin"
author = "The tocsin developers"
copyright = "2026, the tocsin developers"
release = _version("tocsin")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]

html_theme = "furo"
html_title = "tocsin"

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}

# Doctest blocks in the docs run with PYTHONTZPATH="" (see the Makefile), so they
# use the pinned tzdata like the test suite.
doctest_global_setup = """
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo
"""

# Docstring examples are run by pytest --doctest-modules with their module's globals;
# here only the explicit ``{doctest}`` blocks of the docs pages run.
doctest_test_doctest_blocks = ""
