"""A test hook: pause an import at a named point so a test can SIGKILL it there.

Set ``TRUSTLENS_PAUSE_AT`` to a checkpoint name (``file:3`` = after the third data file of the
store transaction, ``records`` = inside the records transaction after the loaders, ``manifest``
= after the new manifest is written and before the pointer switch) and
``TRUSTLENS_PAUSE_MARKER`` to a path: the process writes that file and sleeps until killed.
Unset (always, outside tests) it costs one dictionary look-up per checkpoint.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def checkpoint(name: str) -> None:
    if os.environ.get("TRUSTLENS_PAUSE_AT") != name:
        return
    marker = os.environ.get("TRUSTLENS_PAUSE_MARKER")
    if marker:
        Path(marker).write_text(f"{os.getpid()} paused at {name}\n")
    while True:  # pragma: no cover - killed by the test
        time.sleep(1)
