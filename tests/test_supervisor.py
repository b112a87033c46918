"""The local stack's process manager with real processes: a service killed with SIGKILL is
restarted and the others keep running; quick failures back off; stop() ends them all."""

from __future__ import annotations

import json
import os
import signal
import sys
import time

import pytest

from esg.supervisor import Supervisor, describe_exit
from tests.support.processes import pid_alive

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]
CRASHER = [sys.executable, "-c", "import sys; sys.exit(3)"]


def _wait(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def supervisor(tmp_path):
    lines: list[str] = []
    sup = Supervisor(
        tmp_path, say=lines.append, base_delay=0.2, max_delay=0.8, stable_after=5, interval=0.05
    )
    sup.lines = lines
    yield sup
    sup.stop()


def test_describe_exit():
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(3) == "exit code 3"


def test_killed_service_is_restarted_and_the_others_keep_running(supervisor, tmp_path):
    supervisor.add("indexer", SLEEPER)
    supervisor.add("api", SLEEPER)
    supervisor.start()
    first, api = supervisor.pid("indexer"), supervisor.pid("api")
    os.kill(first, signal.SIGKILL)
    _wait(lambda: supervisor.pid("indexer") not in (None, first))
    second = supervisor.pid("indexer")
    assert pid_alive(second) and not pid_alive(first)
    assert supervisor.pid("api") == api  # untouched
    said = "\n".join(supervisor.lines)
    assert f"[supervisor] indexer (pid {first}) killed by SIGKILL" in said
    assert "restarting in 0.2s" in said
    assert f"indexer restarted (pid {second}, restart 1)" in said
    status = json.loads((tmp_path / "services.json").read_text())
    assert status["indexer"]["pid"] == second and status["indexer"]["restarts"] == 1
    assert status["indexer"]["exits"] == ["killed by SIGKILL"]
    supervisor.stop()
    assert not pid_alive(second) and not pid_alive(api)
    # Stopped on request: nothing is restarted any more.
    time.sleep(0.3)
    assert supervisor.pid("indexer") is None and supervisor.pid("api") is None


def test_quick_failures_back_off_up_to_the_limit(supervisor):
    supervisor.add("crasher", CRASHER)
    supervisor.start()
    _wait(lambda: supervisor.services["crasher"].restarts >= 4)
    delays = [
        line.split("restarting in ")[1].split("s;")[0]
        for line in supervisor.lines
        if "crasher" in line and "restarting in" in line
    ]
    assert delays[:5] == ["0.2", "0.4", "0.8", "0.8", "0.8"][: len(delays[:5])]
    assert len(delays) >= 4
    assert all("exit code 3" in line for line in supervisor.lines if "restarting" in line)
