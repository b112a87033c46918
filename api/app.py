"""The application factory."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import cors, errors, logs
from api.cache import make_cache
from api.db import HeadTracker, create_pool
from api.middleware import EdgeMiddleware
from api.routes import (
    accounts,
    ai_ethics,
    bridge,
    carbon,
    certificates,
    chains,
    deployment,
    governance,
    health,
    metrics,
    profile,
    scores,
    tokens,
)
from api.settings import Settings

log = logging.getLogger("api")

ROUTERS = (
    profile,
    tokens,
    accounts,
    carbon,
    certificates,
    scores,
    metrics,
    ai_ethics,
    governance,
    chains,
    deployment,
    bridge,
)


def _rpc_urls(settings: Settings) -> dict[int, list[str]]:
    from esg.manifest import load_manifest

    try:
        manifest = load_manifest(settings.manifest)
    except (OSError, ValueError):
        return {}
    return {cid: list(c.rpc_urls) for cid, c in manifest.chains.items()}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    logs.setup(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        url = settings.database_read_url or settings.database_url
        if not url:
            from esg.database import database_url

            url = await database_url()
        app.state.pool = await create_pool(
            url,
            min_size=settings.pool_min,
            max_size=settings.pool_max,
            statement_timeout_ms=settings.statement_timeout_ms,
        )
        app.state.profile_pool = await create_pool(
            url,
            min_size=settings.pool_min,
            max_size=settings.pool_max,
            statement_timeout_ms=settings.statement_timeout_ms,
            generic_plans=True,
        )
        app.state.cache = make_cache(settings.redis_url, settings.cache_prefix)
        app.state.heads = HeadTracker(app.state.pool, settings.head_poll_interval)
        app.state.rpc_urls = _rpc_urls(settings)
        await app.state.heads.start()
        log.info(
            "api started",
            extra={
                "cache": app.state.cache.kind,
                "chains": [c.chain_id for c in app.state.heads.heads.chains],
            },
        )
        try:
            yield
        finally:
            await app.state.heads.stop()
            await app.state.cache.close()
            await app.state.pool.close()
            await app.state.profile_pool.close()

    app = FastAPI(
        title="ESG Token Ecosystem API",
        version="1.0.0",
        description="Read-only view of the indexed ESG tokens on every chain. Every answer "
        "says the block it was read at (`read_at`) and whether its rows are final.",
        lifespan=lifespan,
        # No OpenTelemetry here (Prometheus metrics come from the edge middleware); off, FastAPI
        # skips looking up the global providers on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        responses={
            400: {"model": errors.ErrorBody},
            404: {"model": errors.ErrorBody},
            429: {"model": errors.ErrorBody},
            503: {"model": errors.ErrorBody},
        },
    )
    app.state.settings = settings
    for module in ROUTERS:
        app.include_router(module.router, prefix="/api/v1")
    app.include_router(health.router)
    errors.install(app)
    app.add_middleware(EdgeMiddleware, state=app.state)
    cors.install(app, settings)
    return app
