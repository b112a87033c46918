"""Typed dependencies: the pool, the cache, the settings."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from api.cache import MemoryCache, RedisCache
from api.settings import Settings


async def get_pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


async def get_cache(request: Request) -> MemoryCache | RedisCache:
    return request.app.state.cache


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


PoolDep = Annotated[asyncpg.Pool, Depends(get_pool)]
CacheDep = Annotated[MemoryCache | RedisCache, Depends(get_cache)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
