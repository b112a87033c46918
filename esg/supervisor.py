"""A small process manager for the services of the local stack (``make demo``).

Each service is a command run in its own session (process group) with its output appended to
``<log dir>/<name>.log``. When one exits while the stack is up (a crash, an ``kill -9``), the
supervisor says so and starts it again after a backoff that doubles with each quick failure
(``base_delay`` up to ``max_delay``) and starts over once the service has stayed up for
``stable_after`` seconds; the other services and the chains keep running. A thread of the
supervisor checks the services every ``interval`` seconds from :meth:`start` on. Only :meth:`stop`
(the demo calls it on Ctrl-C or SIGTERM) stops them: SIGTERM to each process group, then SIGKILL
for those still running after ``grace`` seconds.

The PIDs and restart counts are kept in ``<log dir>/services.json`` for operators and tools.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path


def describe_exit(code: int) -> str:
    """``exit code 3`` or ``killed by SIGKILL`` for a Popen return code."""
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


@dataclass
class Service:
    name: str
    argv: list[str]
    # Variables set on top of the supervisor's own environment.
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    # Quick failures in a row (decides the next delay); 0 once the service has run long enough.
    failures: int = 0
    restart_at: float | None = None
    history: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Supervisor:
    """Start services, restart crashed ones with backoff, stop them all on request."""

    log_dir: Path
    _: KW_ONLY
    cwd: Path | None = None
    say: Callable[[str], None] = print
    base_delay: float = 1.0
    max_delay: float = 30.0
    stable_after: float = 30.0
    grace: float = 10.0
    interval: float = 0.5
    services: dict[str, Service] = field(default_factory=dict, init=False)
    stopping: bool = field(default=False, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _halt: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)

    def add(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        """Register a service (started by :meth:`start`), run with ``env`` added to the
        environment."""
        if name in self.services:
            raise ValueError(f"supervisor: service {name!r} is already registered")
        self.services[name] = Service(name, argv, dict(env or {}))

    def remove(self, name: str) -> None:
        """Stop one service on purpose and forget it (it is not restarted)."""
        with self._lock:
            service = self.services.pop(name)
            self._terminate([service])

    def start(self) -> None:
        """Start every registered service that is not running, and the supervising thread."""
        with self._lock:
            for service in self.services.values():
                if service.proc is None:
                    self._spawn(service)
            self._write_status()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="supervisor", daemon=True)
            self._thread.start()

    def pid(self, name: str) -> int | None:
        """The PID of a running service, else None."""
        proc = self.services[name].proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def delay(self, failures: int) -> float:
        """Seconds to wait before the restart that follows ``failures`` quick failures."""
        return min(self.max_delay, self.base_delay * 2 ** max(0, failures - 1))

    def tick(self, now: float | None = None) -> None:
        """Notice exited services and restart those whose backoff has passed (the supervising
        thread calls it every ``interval`` seconds)."""
        if self.stopping:
            return
        now = time.monotonic() if now is None else now
        changed = False
        for s in self.services.values():
            if s.proc is not None and s.restart_at is None:
                code = s.proc.poll()
                if code is None:
                    continue
                ran = now - s.started_at
                s.failures = 1 if ran >= self.stable_after else s.failures + 1
                wait = self.delay(s.failures)
                s.restart_at = now + wait
                s.history.append(describe_exit(code))
                self.say(
                    f"[supervisor] {s.name} (pid {s.proc.pid}) {describe_exit(code)} after"
                    f" {ran:.1f}s; restarting in {wait:.1f}s; log: {self.log_dir / s.name}.log"
                )
            if s.restart_at is not None and now >= s.restart_at:
                s.restart_at = None
                s.restarts += 1
                self._spawn(s)
                self.say(
                    f"[supervisor] {s.name} restarted (pid {s.proc.pid}, restart {s.restarts})"
                )
                changed = True
        if changed:
            self._write_status()

    def watch(self) -> None:
        """Block until interrupted (KeyboardInterrupt: Ctrl-C, or SIGTERM turned into it) while
        the supervising thread does its work."""
        while True:
            time.sleep(1)

    def stop(self) -> None:
        """Stop every service: SIGTERM to each process group, SIGKILL after the grace period."""
        self._halt.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self.stopping = True
            self._terminate(list(self.services.values()))

    def _run(self) -> None:
        while not self._halt.wait(self.interval):
            with self._lock:
                self.tick()

    def _terminate(self, services: list[Service]) -> None:
        running = [s.proc for s in services if s.proc and s.proc.poll() is None]
        for proc in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for proc in running:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self._write_status()

    def _spawn(self, service: Service) -> None:
        with open(self.log_dir / f"{service.name}.log", "ab") as log:
            service.proc = subprocess.Popen(
                service.argv,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, **service.env} if service.env else None,
            )
        service.started_at = time.monotonic()

    def _write_status(self) -> None:
        status = {
            s.name: {
                "pid": self.pid(s.name),
                "restarts": s.restarts,
                "exits": s.history,
                "argv": s.argv,
            }
            for s in self.services.values()
        }
        path = self.log_dir / "services.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(status, indent=2) + "\n")
        tmp.replace(path)
