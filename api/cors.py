"""Cross-origin access for browser frontends served from another origin."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from api.settings import Settings


def install(app: FastAPI, settings: Settings) -> None:
    """Answer CORS preflights and tag responses for the configured origins (none: no CORS).

    Added last, so it wraps every other layer and its headers reach 304s and 429s too.
    """
    if not settings.cors_origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["ETag", "X-Request-Id", "Retry-After"],
        max_age=600,
    )
