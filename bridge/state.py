"""The relayer's progress, kept in one SQLite file so a crash at any point loses nothing.

A scanned block range and the messages found in it are committed in one transaction: after a
kill -9 either both are recorded or neither is, and the range is scanned again. Message status
only guides the relayer; the contract's `is_processed` is the truth it checks before submitting.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bridge.message import Message

PENDING = "pending"
SUBMITTED = "submitted"
DELIVERED = "delivered"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cursor (
    chain_id   INTEGER PRIMARY KEY,
    last_block INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS message (
    src_chain_id  INTEGER NOT NULL,
    src_tx_hash   TEXT    NOT NULL,
    src_log_index INTEGER NOT NULL,
    dest_chain_id INTEGER NOT NULL,
    token         TEXT    NOT NULL,
    token_id      TEXT    NOT NULL,
    amount        TEXT    NOT NULL,
    recipient     TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'pending',
    dest_tx_hash  TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    PRIMARY KEY (src_chain_id, src_tx_hash, src_log_index)
);
CREATE INDEX IF NOT EXISTS message_open ON message (dest_chain_id, status);
"""


@dataclass(frozen=True)
class StoredMessage:
    """A message with the relayer's bookkeeping."""

    message: Message
    status: str
    dest_tx_hash: str | None
    attempts: int
    last_error: str | None


class StateStore:
    """Cursor per chain and status per message, in SQLite (journaled, fsynced commits)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def last_block(self, chain_id: int) -> int | None:
        row = self._db.execute(
            "SELECT last_block FROM cursor WHERE chain_id = ?", (chain_id,)
        ).fetchone()
        return row[0] if row else None

    def record_scan(self, chain_id: int, last_block: int, messages: Iterable[Message]) -> None:
        """Store the messages found up to `last_block` and advance the cursor, atomically."""
        with self._transaction():
            self._db.executemany(
                "INSERT OR IGNORE INTO message (src_chain_id, src_tx_hash, src_log_index,"
                " dest_chain_id, token, token_id, amount, recipient) VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        m.src_chain_id,
                        "0x" + m.src_tx_hash.hex(),
                        m.src_log_index,
                        m.dest_chain_id,
                        m.token,
                        str(m.id),
                        str(m.amount),
                        m.recipient,
                    )
                    for m in messages
                ],
            )
            self._db.execute(
                "INSERT INTO cursor (chain_id, last_block) VALUES (?, ?) ON CONFLICT (chain_id)"
                " DO UPDATE SET last_block = excluded.last_block",
                (chain_id, last_block),
            )

    def open_messages(self, dest_chain_id: int) -> list[StoredMessage]:
        """Messages to `dest_chain_id` not yet known delivered, oldest first."""
        rows = self._db.execute(
            "SELECT * FROM message WHERE dest_chain_id = ? AND status != ? ORDER BY rowid",
            (dest_chain_id, DELIVERED),
        ).fetchall()
        return [self._row(r) for r in rows]

    def all_messages(self) -> list[StoredMessage]:
        return [self._row(r) for r in self._db.execute("SELECT * FROM message ORDER BY rowid")]

    def mark(
        self,
        message: Message,
        status: str,
        dest_tx_hash: str | None = None,
        error: str | None = None,
        attempt: bool = False,
    ) -> None:
        """Record a status change (and the submitted tx, the last error, one more attempt)."""
        src_chain_id, tx_hash, log_index = message.key
        self._db.execute(
            "UPDATE message SET status = ?, dest_tx_hash = COALESCE(?, dest_tx_hash),"
            " last_error = ?, attempts = attempts + ? WHERE src_chain_id = ? AND src_tx_hash = ?"
            " AND src_log_index = ?",
            (status, dest_tx_hash, error, int(attempt), src_chain_id, tx_hash, log_index),
        )

    def _transaction(self):
        db = self._db

        class _Tx:
            def __enter__(self) -> None:
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self, exc_type, exc, tb) -> None:
                db.execute("ROLLBACK" if exc_type else "COMMIT")

        return _Tx()

    @staticmethod
    def _row(row: tuple) -> StoredMessage:
        (src, tx, idx, dest, token, token_id, amount, recipient, status, dtx, att, err) = row
        return StoredMessage(
            message=Message(
                src_chain_id=src,
                src_tx_hash=bytes.fromhex(tx[2:]),
                src_log_index=idx,
                dest_chain_id=dest,
                token=token,
                id=int(token_id),
                amount=int(amount),
                recipient=recipient,
            ),
            status=status,
            dest_tx_hash=dtx,
            attempts=att,
            last_error=err,
        )
