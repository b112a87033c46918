"""Structured JSON logs on stderr (one object per line)."""

from __future__ import annotations

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
    """Writes one JSON line per request straight to stderr (cheaper than a logging record)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.out = sys.stderr

    def write(self, **fields) -> None:
        if self.enabled:
            fields["ts"] = round(time.time(), 3)
            fields["msg"] = "access"
            self.out.write(orjson.dumps(fields).decode() + "\n")
