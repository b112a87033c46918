"""Keyset pages: a cursor holding the sort key of the last row shown.

Every list is ordered by a unique key; a page is ``limit + 1`` rows read after the cursor's key,
the extra row telling whether another page follows. Rows added while a client pages never shift
the pages it has not read yet. A cursor is the key's values joined by dots (``120.31337.4``); its
pattern in the OpenAPI document admits exactly the cursors the route can read, so a cursor is
either refused by that pattern or designates a place in the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BIG = 2**62

INT, DIGITS, HEX = "int", "digits", "hex"
# Each kind of key value: its pattern, decoding and encoding. INT values fit a bigint (below
# 9 * 10**18), DIGITS a numeric(78, 0) id, HEX a bytea key of up to 32 bytes.
_PATTERN = {
    INT: "(?:0|[1-9][0-9]{0,17}|[1-8][0-9]{18})",
    DIGITS: "[0-9]{1,78}",
    HEX: "(?:[0-9a-f]{2}){0,32}",
}
_DECODE = {INT: int, DIGITS: str, HEX: bytes.fromhex}
_ENCODE = {INT: str, DIGITS: str, HEX: bytes.hex}


@dataclass(frozen=True)
class Keyset:
    """The sort key of a list: the row fields it is made of, their kinds (``INT``, ``DIGITS``
    for numeric ids, ``HEX`` for bytea) and the key values that come before the first row."""

    fields: tuple[str, ...]
    kinds: tuple[str, ...]
    start: tuple

    @property
    def pattern(self) -> str:
        return "^" + r"\.".join(_PATTERN[k] for k in self.kinds) + "$"

    def after(self, cursor: str | None) -> list:
        """The key values to read after: the cursor's (already matched by ``pattern``), or the
        start of the list."""
        if cursor is None:
            return list(self.start)
        return [_DECODE[k](v) for k, v in zip(self.kinds, cursor.split("."), strict=True)]

    def split(self, rows: Sequence, limit: int) -> tuple[Sequence, str | None]:
        """This page's rows (``limit + 1`` were read) and the next page's cursor, or None."""
        if len(rows) <= limit:
            return rows, None
        rows = rows[:limit]
        last = rows[-1]
        return rows, ".".join(
            _ENCODE[k](last[f]) for f, k in zip(self.fields, self.kinds, strict=True)
        )


# Newest first over (block, chain, log index): append tables.
NEWEST = Keyset(("block_number", "chain_id", "log_index"), (INT, INT, INT), (BIG, BIG, BIG))


def by_chain_and(key: str) -> Keyset:
    """Latest-state rows in (chain, ``key``) order, ``key`` a numeric id."""
    return Keyset(("chain_id", key), (INT, DIGITS), (-1, "-1"))
