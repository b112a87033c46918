"""Response models shared by the routes."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ReadAt(BaseModel):
    """The checkpoint of one chain the answer was read at."""

    chain_id: int
    block: int = Field(description="last indexed block: every event up to it is included")
    finalized_block: int = Field(description="rows at or below it are final")


class Envelope(BaseModel):
    read_at: list[ReadAt]
    final: bool = Field(
        description="true when every row of the answer is at or below the "
        "finalized block of its chain"
    )


class PageEnvelope(Envelope):
    next_cursor: str | None = Field(
        None, description="pass as `cursor` for the next page; null on the last page"
    )


class Location(BaseModel):
    chain_id: int
    block_number: int
    tx_hash: str
    log_index: int
    final: bool
