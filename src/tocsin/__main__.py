"""``python -m tocsin``."""

from __future__ import annotations

import sys

from tocsin.cli import main

if __name__ == "__main__":
    sys.exit(main())
