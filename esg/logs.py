"""Structured logs of every service (indexer, API, bridge, oracle, web): one JSON object per
line on stderr, with the record's ``extra`` fields beside the message.

``setup`` installs the one formatter on the root logger (or on one service's logger, e.g. the
API's when it runs inside another process); the uvicorn-served services pass ``log_config=None``
to uvicorn so that its own records go through the same handler. ``AccessLog`` writes the API's
per-request lines in the same shape, in batches.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import sys
import time

import orjson

_STD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


# The last second formatted (an access-log line a request: most share their second).
_second: tuple[int, str] = (-1, "")


def timestamp(created: float) -> str:
    """UTC time with milliseconds, ISO 8601 (``2025-01-31T12:00:00.123Z``)."""
    global _second
    whole = int(created)
    if whole != _second[0]:
        _second = (whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)))
    return f"{_second[1]}.{int(created * 1000) % 1000:03d}Z"


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": timestamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for k, v in record.__dict__.items():
            if k not in _STD:
                out[k] = v
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(out, default=str, option=orjson.OPT_NON_STR_KEYS).decode()


def setup(level: str = "INFO", logger: str | None = None) -> None:
    """JSON lines on stderr at ``level`` for the root logger, or for ``logger`` alone (which then
    no longer passes its records on to the root's handlers)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONFormatter())
    target = logging.getLogger(logger)
    target.handlers[:] = [handler]
    target.setLevel(level.upper())
    if logger is not None:
        target.propagate = False
    logging.getLogger("aiohttp").setLevel(logging.WARNING)


class AccessLog:
    """One JSON line per request on stderr, written in batches: lines are collected and written
    with one system call when 64 have gathered or 0.2 s after the first of a batch (and at exit),
    rather than a write per request."""

    BATCH = 64
    DELAY = 0.2

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.out = sys.stderr
        self._lines: list[bytes] = []
        self._timer = None
        atexit.register(self.flush)

    def write(self, **fields) -> None:
        if not self.enabled:
            return
        line = {"ts": timestamp(time.time()), "level": "info", "logger": "api.access"}
        line["msg"] = "access"
        line.update(fields)
        self._lines.append(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))
        if len(self._lines) >= self.BATCH:
            self.flush()
        elif self._timer is None:
            try:
                self._timer = asyncio.get_running_loop().call_later(self.DELAY, self.flush)
            except RuntimeError:  # no event loop: write now
                self.flush()

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._lines:
            return
        data, self._lines = b"".join(self._lines), []
        out = getattr(self.out, "buffer", None)
        if out is not None:
            self.out.flush()
            out.write(data)
            out.flush()
        else:
            self.out.write(data.decode())
