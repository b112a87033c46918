"""Running the project's modules as processes, and looking at processes, from the tests."""

from __future__ import annotations

import os
import subprocess
import sys


def run_module(module: str, *args: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    """``python -m module args`` with this interpreter and ``env``; its output captured as text.
    ``kwargs`` go to ``subprocess.run`` (``check``, ``timeout``, ``cwd``...)."""
    return subprocess.run(
        [sys.executable, "-m", module, *args], env=env, capture_output=True, text=True, **kwargs
    )


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
