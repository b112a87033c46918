"""The envelope every answer shares: the block each chain was read at, finality, and paging."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, Self, TypeVar

from pydantic import BaseModel, Field

from api.db import Heads
from api.fields import Row

T = TypeVar("T", bound=Row)


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

    @classmethod
    def of(
        cls, heads: Heads, chains: Iterable[int] | None, rows: Iterable[Row], **fields: Any
    ) -> Self:
        """The answer read at ``heads`` on ``chains`` (None: all), final if all ``rows`` are."""
        rows = list(rows)
        return cls(
            read_at=heads.read_at(None if chains is None else list(chains)),
            final=all(r.final for r in rows),
            **fields,
        )


class Page(Envelope, Generic[T]):
    """One page of a list, newest or lowest key first as the route says."""

    items: list[T]
    next_cursor: str | None = Field(
        None, description="pass as `cursor` for the next page; null on the last page"
    )

    @classmethod
    def of_items(
        cls, heads: Heads, chains: Iterable[int] | None, items: list[T], cursor: str | None, **extra
    ) -> Self:
        return cls.of(heads, chains, items, items=items, next_cursor=cursor, **extra)


def rows_of(model: type[T], heads: Heads, records: Iterable) -> list[T]:
    """Read models from database records, each with its ``final`` flag."""
    final = heads.is_final
    return [
        model.model_validate({**r, "final": final(r["chain_id"], r["block_number"])})
        for r in records
    ]
