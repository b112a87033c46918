"""Key-value caches: Redis when ``REDIS_URL`` is set, an in-process LRU otherwise.

Values are bytes. Callers put the indexed-head token inside keys or values, so an entry written
at an older head is never served; TTLs only bound how long dead entries occupy memory.
"""

from __future__ import annotations

import time
from collections import OrderedDict


class MemoryCache:
    """A bounded LRU with per-entry expiry, local to one worker process."""

    kind = "memory"
    # Local to one worker: callers that already cache per worker skip it.
    shared = False

    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._counters: dict[str, tuple[float, int]] = {}

    async def get_many(self, keys: list[str]) -> list[bytes | None]:
        now = time.monotonic()
        out: list[bytes | None] = []
        for k in keys:
            item = self._data.get(k)
            if item is None or item[0] < now:
                out.append(None)
            else:
                self._data.move_to_end(k)
                out.append(item[1])
        return out

    async def set_many(self, items: list[tuple[str, bytes, int]]) -> None:
        now = time.monotonic()
        for k, v, ttl in items:
            self._data[k] = (now + ttl, v)
            self._data.move_to_end(k)
        while len(self._data) > self.max_entries:
            self._data.popitem(last=False)

    async def incr(self, key: str, ttl: int) -> int:
        """Increment a counter that expires ``ttl`` seconds after its creation."""
        now = time.monotonic()
        exp, n = self._counters.get(key, (now + ttl, 0))
        if exp < now:
            exp, n = now + ttl, 0
        self._counters[key] = (exp, n + 1)
        if len(self._counters) > 100_000:
            self._counters = {k: v for k, v in self._counters.items() if v[0] >= now}
        return n + 1

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        self._data.clear()


class RedisCache:
    """The shared cache of all workers (the seed's Redis keys and TTLs)."""

    kind = "redis"
    shared = True

    def __init__(self, url: str, prefix: str = "") -> None:
        import redis.asyncio as redis

        self.client = redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.prefix = prefix

    async def get_many(self, keys: list[str]) -> list[bytes | None]:
        return await self.client.mget([self.prefix + k for k in keys])

    async def set_many(self, items: list[tuple[str, bytes, int]]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for k, v, ttl in items:
            pipe.set(self.prefix + k, v, ex=ttl)
        await pipe.execute()

    async def incr(self, key: str, ttl: int) -> int:
        pipe = self.client.pipeline(transaction=False)
        pipe.incr(self.prefix + key)
        pipe.expire(self.prefix + key, ttl, nx=True)
        n, _ = await pipe.execute()
        return int(n)

    async def ping(self) -> bool:
        return bool(await self.client.ping())

    async def close(self) -> None:
        await self.client.aclose()


def make_cache(redis_url: str | None, prefix: str = "") -> MemoryCache | RedisCache:
    return RedisCache(redis_url, prefix) if redis_url else MemoryCache()
