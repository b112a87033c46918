"""The application factory."""

from __future__ import annotations

import asyncio
import gc
import logging
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi

from api import cors, errors
from api.changes import ChangeFeed
from api.db import HeadTracker, create_pool
from api.deps import known_query
from api.middleware import Edge, HeadCache
from api.routes import (
    accounts,
    ai_ethics,
    bridge,
    carbon,
    chains,
    deployment,
    governance,
    health,
    profile,
    scores,
    tokens,
)
from api.settings import Settings
from esg import logs

log = logging.getLogger("api")

ROUTERS = (tokens, accounts, carbon, scores, ai_ethics, governance, chains, deployment, bridge)

# What every operation may answer besides its 200.
ERRORS = {
    304: {"description": "not modified since the ETag given in If-None-Match"},
    400: {
        "model": errors.ErrorBody,
        "description": "a parameter is invalid (the detail says which)",
    },
    404: {"model": errors.ErrorBody, "description": "no such resource"},
    429: {"model": errors.ErrorBody, "description": "rate limit exceeded (see Retry-After)"},
    503: {"model": errors.ErrorBody, "description": "database unavailable or too slow"},
}


def _rpc_urls(settings: Settings) -> dict[int, list[str]]:
    from esg.manifest import load_manifest

    try:
        manifest = load_manifest(settings.manifest)
    except (OSError, ValueError):
        return {}
    return {cid: list(c.rpc_urls) for cid, c in manifest.chains.items()}


def _openapi(app: FastAPI):
    """The OpenAPI document, with 400 (the API's answer to invalid parameters) in place of
    FastAPI's default 422."""

    def build() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        for path in doc["paths"].values():
            for op in path.values():
                op["responses"].pop("422", None)
        schemas = doc.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        app.openapi_schema = doc
        return doc

    return build


def _invalidate(app: FastAPI, changes) -> None:
    """Drop what the caches hold of the changed entities (api.changes)."""
    cache = getattr(app.state, "response_cache", None)
    if cache is not None:
        cache.invalidate(changes)
    if app.state.redis is not None:
        task = asyncio.get_running_loop().create_task(
            profile.forget_in_redis(app.state.redis, app.state.settings.cache_prefix, changes)
        )
        _PENDING.add(task)
        task.add_done_callback(_PENDING.discard)


# Redis deletions under way (a task the loop holds only weakly would be collected).
_PENDING: set = set()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    logs.setup(settings.log_level, "api")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        url = settings.database_read_url or settings.database_url
        if not url:
            from esg.database import database_url

            url = await database_url()
        pool_args = dict(
            min_size=settings.pool_min,
            max_size=settings.pool_max,
            statement_timeout_ms=settings.statement_timeout_ms,
        )
        app.state.pool = await create_pool(url, **pool_args)
        app.state.profile_pool = await create_pool(url, **pool_args, generic_plans=True)
        app.state.redis = None
        if settings.redis_url:
            import redis.asyncio as redis

            app.state.redis = redis.from_url(
                settings.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5
            )
        feed = ChangeFeed(app.state.pool, url, listen=settings.listen_changes)
        feed.subscribe(lambda changes: _invalidate(app, changes))
        app.state.heads = HeadTracker(app.state.pool, settings.head_poll_interval, feed)
        app.state.rpc_urls = _rpc_urls(settings)
        await app.state.heads.start()
        # What start-up built (modules, routes, models: most of the worker's objects) lives as
        # long as the worker: out of the collector's way, a full collection no longer walks it
        # in the middle of requests.
        gc.collect()
        gc.freeze()
        log.info(
            "api started",
            extra={
                "cache": "redis" if app.state.redis is not None else "memory",
                "chains": [c.chain_id for c in app.state.heads.heads.chains],
            },
        )
        try:
            yield
        finally:
            await app.state.heads.stop()
            if app.state.redis is not None:
                await app.state.redis.aclose()
            await app.state.pool.close()
            await app.state.profile_pool.close()

    app = FastAPI(
        title="ESG Token Ecosystem API",
        version="1.0.0",
        description="Read-only view of the indexed ESG tokens on every chain. Every answer "
        "says the block it was read at (`read_at`) and whether its rows are final. Every "
        "answer, errors included, carries its request id in `X-Request-ID` (and errors in "
        "`request_id`); a query parameter a route does not take is refused with 400.",
        lifespan=lifespan,
        # No OpenTelemetry here (Prometheus metrics come from the Observe middleware); off,
        # FastAPI skips looking up the global providers on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        dependencies=[Depends(known_query)],
    )
    app.state.settings = settings
    profile.install(app, "/api/v1", ERRORS)
    for module in ROUTERS:
        app.include_router(module.router, prefix="/api/v1", responses=ERRORS)
    app.include_router(health.router, responses={429: ERRORS[429]})
    app.openapi = _openapi(app)
    errors.install(app)
    # Innermost first: the response cache sits right around the routes, the edge (request id,
    # rate limit, metrics) outside it so that every answer, a 429 too, carries the request id.
    app.add_middleware(
        HeadCache,
        state=app.state,
        max_entries=settings.response_cache_entries,
        max_age=settings.max_age,
    )
    app.add_middleware(
        Edge,
        access_log=settings.access_log,
        per_minute=settings.rate_limit,
        redis_url=settings.redis_url,
        prefix=settings.cache_prefix,
    )
    cors.install(app, settings)
    return app
