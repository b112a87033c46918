"""The bridge's state in PostgreSQL (schema ``bridge``, see ``bridge/schema.sql``).

Crash safety: a follower's cursor moves in the same transaction that records what it found in
the range (messages for the relayer, signatures for a validator), so after a kill -9 a range is
either fully recorded or read again; re-reading is harmless (messages and signatures are keyed,
and a validator's signature of the same message is the same bytes). Exactly once rests on the
destination bridge, which accepts each message id once: the relayer asks it before every
submission and treats "already processed" as delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from bridge.message import ADMIN, AdminCall, Message, Transfer
from esg.chain.abi import hex_bytes

SCHEMA = Path(__file__).with_name("schema.sql")
# Held while the schema is applied, so services starting together do not race.
_SCHEMA_LOCK = 0x45534742

PENDING, SUBMITTED, QUEUED = "pending", "submitted", "queued"
DELIVERED, EXECUTED, CANCELED, FAILED = "delivered", "executed", "canceled", "failed"
# Messages the relayer still works on; of them, pending and submitted are the backlog.
OPEN = (PENDING, SUBMITTED, QUEUED)
BACKLOG = (PENDING, SUBMITTED)


async def connect(url: str | None) -> asyncpg.Pool:
    """A pool on ``url`` (or the embedded server, as the other services) with the schema."""
    if not url:
        from esg.database import database_url

        url = await database_url()
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    async with pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock($1)", _SCHEMA_LOCK)
        try:
            await conn.execute(SCHEMA.read_text())
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _SCHEMA_LOCK)
    return pool


@dataclass(frozen=True)
class Stored:
    """A message with the relayer's bookkeeping."""

    message: Message
    status: str
    attempts: int
    dest_tx_hash: str | None
    last_error: str | None
    eta: int | None


def _key(m: Message) -> tuple[int, bytes, int]:
    return (m.src_chain_id, m.src_tx_hash, m.src_log_index)


def _addr(value: str | None) -> bytes | None:
    return hex_bytes(value) if value else None


def _hex_addr(raw: bytes | None) -> str:
    from eth_utils import to_checksum_address

    return to_checksum_address(raw) if raw else ""


class Store:
    """Reads and writes of the relayer and the validators."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def close(self) -> None:
        await self.pool.close()

    # ------------------------------------------------------------------ cursors

    async def cursor(self, follower: str, chain_id: int) -> int | None:
        return await self.pool.fetchval(
            "SELECT last_block FROM bridge.cursors WHERE follower = $1 AND chain_id = $2",
            follower,
            chain_id,
        )

    @staticmethod
    async def _advance(conn, follower: str, chain_id: int, last_block: int) -> None:
        await conn.execute(
            "INSERT INTO bridge.cursors (follower, chain_id, last_block) VALUES ($1, $2, $3)"
            " ON CONFLICT (follower, chain_id) DO UPDATE SET last_block = excluded.last_block",
            follower,
            chain_id,
            last_block,
        )

    # ------------------------------------------------------------------ relayer

    async def record_messages(
        self,
        chain_id: int,
        last_block: int,
        found: list[tuple[Message, int, bytes]],
    ) -> list[Message]:
        """Store ``found`` (message, block number, block hash) and move the relayer's cursor,
        atomically; returns the messages that were new."""
        new = []
        async with self.pool.acquire() as conn, conn.transaction():
            for m, number, block_hash in found:
                is_transfer = isinstance(m, Transfer)
                inserted = await conn.fetchval(
                    "INSERT INTO bridge.messages (src_chain_id, src_tx_hash, src_log_index, kind,"
                    " dest_chain_id, src_block_number, src_block_hash, sender, src_token, token,"
                    " token_id, amount, recipient, target, data)"
                    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)"
                    " ON CONFLICT DO NOTHING RETURNING true",
                    *_key(m),
                    m.kind,
                    m.dest_chain_id,
                    number,
                    block_hash,
                    _addr(m.sender) if is_transfer else None,
                    _addr(m.src_token) if is_transfer else None,
                    _addr(m.token) if is_transfer else None,
                    m.id if is_transfer else None,
                    m.amount if is_transfer else None,
                    _addr(m.recipient) if is_transfer else None,
                    None if is_transfer else _addr(m.target),
                    m.data if is_transfer else m.payload,
                )
                if inserted:
                    new.append(m)
            await self._advance(conn, "relayer", chain_id, last_block)
        return new

    async def due(self, dest_chain_id: int) -> list[Stored]:
        """Open messages to ``dest_chain_id`` whose next attempt is due, oldest first."""
        rows = await self.pool.fetch(
            "SELECT * FROM bridge.messages WHERE dest_chain_id = $1 AND status = ANY($2)"
            " AND next_attempt_at <= now() ORDER BY seq",
            dest_chain_id,
            list(OPEN),
        )
        return [self._stored(r) for r in rows]

    async def set_status(
        self,
        m: Message,
        status: str,
        *,
        dest_tx_hash: str | None = None,
        eta: int | None = None,
        error: str | None = None,
        dest_block: int | None = None,
    ) -> None:
        """Record a new status (and the submitted transaction, the admin ETA, the last error,
        the destination block of an acceptance)."""
        await self.pool.execute(
            "UPDATE bridge.messages SET status = $4,"
            " dest_tx_hash = COALESCE($5, dest_tx_hash), eta = COALESCE($6, eta),"
            " last_error = COALESCE($7, last_error), dest_block = COALESCE($9, dest_block),"
            " delivered_at = CASE WHEN $4 = ANY($8) THEN now() ELSE delivered_at END"
            " WHERE src_chain_id = $1 AND src_tx_hash = $2 AND src_log_index = $3",
            *_key(m),
            status,
            hex_bytes(dest_tx_hash) if dest_tx_hash else None,
            eta,
            error,
            [DELIVERED, EXECUTED, CANCELED],
            dest_block,
        )

    async def unsettled(self, dest_chain_id: int, finalized: int) -> list[Stored]:
        """Messages accepted by ``dest_chain_id`` in a block that is not final yet."""
        rows = await self.pool.fetch(
            "SELECT * FROM bridge.messages WHERE dest_chain_id = $1 AND status = ANY($2)"
            " AND dest_block > $3 ORDER BY seq",
            dest_chain_id,
            [DELIVERED, QUEUED],
            finalized,
        )
        return [self._stored(r) for r in rows]

    async def reopen(self, m: Message) -> None:
        """A reorg removed the acceptance of ``m``: deliver it again."""
        await self.pool.execute(
            "UPDATE bridge.messages SET status = 'pending', dest_block = NULL,"
            " delivered_at = NULL, next_attempt_at = now()"
            " WHERE src_chain_id = $1 AND src_tx_hash = $2 AND src_log_index = $3",
            *_key(m),
        )

    async def attempt_failed(
        self, m: Message, error: str, *, max_attempts: int, base: float, cap: float
    ) -> bool:
        """Count a failed attempt: back off exponentially, or give up after ``max_attempts``
        (status failed). Returns True when the message is now failed."""
        async with self.pool.acquire() as conn, conn.transaction():
            attempts = await conn.fetchval(
                "UPDATE bridge.messages SET attempts = attempts + 1, last_error = $4"
                " WHERE src_chain_id = $1 AND src_tx_hash = $2 AND src_log_index = $3"
                " RETURNING attempts",
                *_key(m),
                error[:1000],
            )
            failed = attempts >= max_attempts
            wait = timedelta(seconds=min(cap, base * 2 ** (attempts - 1)))
            await conn.execute(
                "UPDATE bridge.messages SET status = $4, next_attempt_at = $5"
                " WHERE src_chain_id = $1 AND src_tx_hash = $2 AND src_log_index = $3",
                *_key(m),
                FAILED if failed else PENDING,
                datetime.now(UTC) + wait,
            )
        return failed

    async def retry(self, key: tuple[int, bytes, int]) -> bool:
        """Put a failed message back in line (an operator's decision after fixing its cause)."""
        done = await self.pool.execute(
            "UPDATE bridge.messages SET status = 'pending', attempts = 0, next_attempt_at = now()"
            " WHERE src_chain_id = $1 AND src_tx_hash = $2 AND src_log_index = $3"
            " AND status = 'failed'",
            *key,
        )
        return done.endswith(" 1")

    async def signatures(self, m: Message) -> dict[str, tuple[bytes, bytes]]:
        """Published signatures of ``m``: validator address -> (digest, signature)."""
        rows = await self.pool.fetch(
            "SELECT validator, digest, signature FROM bridge.signatures"
            " WHERE src_chain_id = $1 AND src_tx_hash = $2 AND src_log_index = $3",
            *_key(m),
        )
        return {
            _hex_addr(r["validator"]): (bytes(r["digest"]), bytes(r["signature"])) for r in rows
        }

    async def backlog(self) -> dict[int, int]:
        """Open (pending or submitted) messages per destination chain."""
        rows = await self.pool.fetch(
            "SELECT dest_chain_id, count(*) AS n FROM bridge.messages WHERE status = ANY($1)"
            " GROUP BY dest_chain_id",
            list(BACKLOG),
        )
        return {r["dest_chain_id"]: r["n"] for r in rows}

    async def missing_signatures(self, validators: list[str]) -> dict[str, int]:
        """Per validator: backlog messages it has not signed."""
        rows = await self.pool.fetch(
            "SELECT v.validator, count(m.*) AS n FROM unnest($1::bytea[]) AS v(validator)"
            " LEFT JOIN bridge.messages m ON m.status = ANY($2) AND NOT EXISTS ("
            "  SELECT 1 FROM bridge.signatures s WHERE s.src_chain_id = m.src_chain_id"
            "  AND s.src_tx_hash = m.src_tx_hash AND s.src_log_index = m.src_log_index"
            "  AND s.validator = v.validator)"
            " GROUP BY v.validator",
            [hex_bytes(v) for v in validators],
            list(BACKLOG),
        )
        return {_hex_addr(r["validator"]): r["n"] for r in rows}

    async def all_messages(self) -> list[Stored]:
        rows = await self.pool.fetch("SELECT * FROM bridge.messages ORDER BY seq")
        return [self._stored(r) for r in rows]

    @staticmethod
    def _stored(r) -> Stored:
        key = (r["src_chain_id"], bytes(r["src_tx_hash"]), r["src_log_index"])
        m: Message
        if r["kind"] == ADMIN:
            m = AdminCall(*key, r["dest_chain_id"], _hex_addr(r["target"]), bytes(r["data"]))
        else:
            m = Transfer(
                *key,
                r["dest_chain_id"],
                token=_hex_addr(r["token"]),
                id=int(r["token_id"]),
                amount=int(r["amount"]),
                recipient=_hex_addr(r["recipient"]),
                data=bytes(r["data"]),
                src_token=_hex_addr(r["src_token"]),
                sender=_hex_addr(r["sender"]),
            )
        tx = r["dest_tx_hash"]
        return Stored(
            message=m,
            status=r["status"],
            attempts=r["attempts"],
            dest_tx_hash="0x" + bytes(tx).hex() if tx else None,
            last_error=r["last_error"],
            eta=r["eta"],
        )

    # ------------------------------------------------------------------ validators

    async def record_signatures(
        self,
        validator: str,
        chain_id: int,
        last_block: int,
        signed: list[tuple[Message, bytes, bytes]],
    ) -> None:
        """Publish ``signed`` (message, digest, signature) and move the validator's cursor on
        ``chain_id``, atomically."""
        async with self.pool.acquire() as conn, conn.transaction():
            if signed:
                await conn.executemany(
                    "INSERT INTO bridge.signatures (src_chain_id, src_tx_hash, src_log_index,"
                    " validator, digest, signature) VALUES ($1,$2,$3,$4,$5,$6)"
                    " ON CONFLICT DO NOTHING",
                    [(*_key(m), hex_bytes(validator), d, s) for m, d, s in signed],
                )
            await self._advance(conn, validator.lower(), chain_id, last_block)
