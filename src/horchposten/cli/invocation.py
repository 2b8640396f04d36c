"""How to call ``horchposten`` again from the user's shell, for hints we print."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def horchposten_command() -> str:
    """``horchposten`` if the shell finds this very program, else the path to it.

    Without an activated virtual environment ``horchposten`` is not on PATH, so
    hints name the executable that runs now (e.g. ``.venv/bin/horchposten``).
    """
    running = Path(sys.argv[0])
    if running.name == "__main__.py":
        return f"{sys.executable} -m horchposten"
    if running.name != "horchposten" or not running.exists():
        return "horchposten"  # called from Python (a test, a script): nothing better to say
    found = shutil.which("horchposten")
    if found is not None and Path(found).resolve() == running.resolve():
        return "horchposten"
    try:
        return str(running.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(running.resolve())
