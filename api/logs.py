"""Structured JSON logs on stderr (one object per line)."""

from __future__ import annotations

import asyncio
import atexit
import logging
import sys
import time

import orjson

_STD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for k, v in record.__dict__.items():
            if k not in _STD:
                out[k] = v
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(out, default=str).decode()


def setup(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("api")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


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
        fields["ts"] = round(time.time(), 3)
        fields["msg"] = "access"
        self._lines.append(orjson.dumps(fields, option=orjson.OPT_APPEND_NEWLINE))
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
