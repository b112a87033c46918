"""/health (database, cache, nodes and indexer lag), /ready and /metrics, outside /api/v1."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Component(BaseModel):
    ok: bool
    detail: str | None = None
    latency_ms: float | None = None


class ChainHealth(BaseModel):
    chain_id: int
    network: str
    node: Component
    node_head: int | None
    indexed_block: int
    finalized_block: int
    lag_blocks: int | None


class HealthOut(BaseModel):
    status: str
    database: Component
    cache: Component
    chains: list[ChainHealth]
    timestamp: datetime


class ReadyOut(BaseModel):
    ready: bool
    detail: str | None = None


async def _timed(coro) -> Component:
    t = time.perf_counter()
    try:
        ok = bool(await coro)
        return Component(ok=ok, latency_ms=round((time.perf_counter() - t) * 1000, 2))
    except Exception as e:  # any failure of a dependency is the answer here, not an error
        return Component(ok=False, detail=f"{type(e).__name__}: {e}"[:200])


async def _node_head(client: httpx.AsyncClient, urls: list[str]) -> tuple[Component, int | None]:
    last = "no RPC URL configured"
    for i, url in enumerate(urls):
        t = time.perf_counter()
        try:
            r = await client.post(
                url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []}
            )
            head = int(r.json()["result"], 16)
            return Component(ok=True, latency_ms=round((time.perf_counter() - t) * 1000, 2)), head
        except Exception as e:  # an unreachable node is reported, never raised
            # Named by its position only: a node URL may carry an API key.
            last = f"node {i}: {type(e).__name__}"
    return Component(ok=False, detail=last), None


async def _in_process() -> bool:
    return True


def _probe(path: str, model: type[BaseModel], summary: str, unavailable: str):
    """A probe route: ``model`` with 200, or with 503 when ``unavailable``."""
    return router.get(
        path,
        response_model=model,
        summary=summary,
        responses={503: {"model": model, "description": unavailable}},
    )


@_probe("/health", HealthOut, "Database, cache, nodes, indexer lag", "the database is unreachable")
async def health(request: Request) -> JSONResponse:
    state = request.app.state
    db = _timed(state.pool.fetchval("SELECT 1"))
    cache = _timed(state.redis.ping() if state.redis is not None else _in_process())
    heads = state.heads.heads
    rpc = state.rpc_urls
    async with httpx.AsyncClient(timeout=state.settings.node_timeout) as client:
        results = await asyncio.gather(
            db, cache, *(_node_head(client, rpc.get(c.chain_id, [])) for c in heads.chains)
        )
    db_c, cache_c, nodes = results[0], results[1], results[2:]
    chains = []
    for c, (node, head) in zip(heads.chains, nodes, strict=True):
        ref = head if head is not None else c.head_block
        chains.append(
            ChainHealth(
                chain_id=c.chain_id,
                network=c.network,
                node=node,
                node_head=head,
                indexed_block=c.indexed_block,
                finalized_block=c.finalized_block,
                lag_blocks=None if ref < 0 else max(0, ref - c.indexed_block),
            )
        )
    healthy = db_c.ok and cache_c.ok and all(ch.node.ok for ch in chains)
    body = HealthOut(
        status="healthy" if healthy else "degraded",
        database=db_c,
        cache=cache_c,
        chains=chains,
        timestamp=datetime.now(UTC),
    )
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=200 if db_c.ok else 503,
        headers={"Cache-Control": "no-store"},
    )


@_probe("/ready", ReadyOut, "Ready to serve (database reachable)", "not ready")
async def ready(request: Request) -> JSONResponse:
    tracker = request.app.state.heads
    if not tracker.ok:
        return JSONResponse({"ready": False, "detail": "database unreachable"}, 503)
    if not tracker.heads.chains:
        return JSONResponse({"ready": False, "detail": "nothing indexed yet"}, 503)
    return JSONResponse({"ready": True, "detail": None})


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}},
)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
