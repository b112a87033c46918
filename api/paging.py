"""Keyset pages: an opaque cursor holding the sort key of the last row shown.

Every list is ordered by a unique key; a page is ``limit + 1`` rows read after (or before) the
cursor's key, the extra row telling whether another page follows. Rows added while a client pages
never shift the pages it has not read yet.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from api.errors import bad_request

BIG = 2**62
_INVALID = "invalid cursor: not a cursor this API returned"


def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


def _int(v: Any) -> int:
    if not isinstance(v, int) or isinstance(v, bool) or not -(2**63) <= v < 2**63:
        raise bad_request(_INVALID)
    return v


def _digits(v: Any) -> str:
    """A numeric(78, 0) key, kept as text for PostgreSQL to cast."""
    if not isinstance(v, str) or not v.isascii() or not v.isdigit() or len(v) > 78:
        raise bad_request(_INVALID)
    return v


def _hex(v: Any) -> bytes:
    try:
        return bytes.fromhex(v)
    except (TypeError, ValueError):
        raise bad_request(_INVALID) from None


INT, DIGITS, HEX = "int", "digits", "hex"
_DECODE = {INT: _int, DIGITS: _digits, HEX: _hex}
_ENCODE = {INT: int, DIGITS: str, HEX: lambda b: b.hex()}


@dataclass(frozen=True)
class Keyset:
    """The sort key of a list: the row fields it is made of, their kinds (``INT``, ``DIGITS``
    for numeric ids, ``HEX`` for bytea) and the key values that come before the first row."""

    fields: tuple[str, ...]
    kinds: tuple[str, ...]
    start: tuple

    def after(self, cursor: str | None) -> list:
        """The key values to read after: the cursor's, or the start of the list."""
        if cursor is None:
            return list(self.start)
        try:
            values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        except (ValueError, orjson.JSONDecodeError):
            raise bad_request(_INVALID) from None
        if not isinstance(values, list) or len(values) != len(self.kinds):
            raise bad_request(_INVALID)
        return [_DECODE[k](v) for k, v in zip(self.kinds, values, strict=True)]

    def split(self, rows: Sequence, limit: int) -> tuple[Sequence, str | None]:
        """This page's rows (``limit + 1`` were read) and the next page's cursor, or None."""
        if len(rows) <= limit:
            return rows, None
        rows = rows[:limit]
        last = rows[-1]
        return rows, encode_cursor(
            [_ENCODE[k](last[f]) for f, k in zip(self.fields, self.kinds, strict=True)]
        )


# Newest first over (block, chain, log index): append tables.
NEWEST = Keyset(("block_number", "chain_id", "log_index"), (INT, INT, INT), (BIG, BIG, BIG))
