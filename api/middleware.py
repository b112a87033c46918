"""What crosses every route, as pure ASGI middleware: request ids, the rate limit, metrics and
the access log (``Edge``), and the response cache, kept per entity or per indexed head, with
ETag/304 (``HeadCache``)."""

from __future__ import annotations

import logging
import math
import re
import time
import zlib
from random import getrandbits as _random_bits

import orjson
from asgi_correlation_id import correlation_id
from cachetools import LRUCache
from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import FixedWindowRateLimiter
from prometheus_client import Counter, Histogram

from esg.logs import AccessLog

log = logging.getLogger("api.error")

REQUESTS = Counter("api_requests_total", "HTTP requests", ["route", "method", "status"])
LATENCY = Histogram(
    "api_request_duration_seconds",
    "Time to answer",
    ["route"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
CACHE = Counter("api_response_cache_total", "Response cache lookups", ["result"])
CACHE_HIT = CACHE.labels("hit")
CACHE_MISS = CACHE.labels("miss")
RATE_LIMITED = Counter("api_rate_limited_total", "Requests refused with 429")

API_PREFIX = "/api/v1"
_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,64}$")


def _header(scope, name: bytes) -> bytes | None:
    for k, v in scope["headers"]:
        if k == name:
            return v
    return None


class Edge:
    """Per request: its id (the client's ``X-Request-ID`` if it is 1-64 characters out of
    ``A-Za-z0-9._:-``, else a new one; in asgi-correlation-id's context variable for the logs and
    error bodies, and in the answer's header), the per-client rate limit (``limits``, fixed
    one-minute windows, in Redis when ``redis_url`` is set so all workers share the counters;
    429 with Retry-After), request count and latency per route template (prometheus-client) and
    one access-log line.

    One layer rather than asgi-correlation-id's middleware plus one per concern: every ASGI
    layer wraps ``send`` again, and on an uncached unified profile, the API's hot path, the
    separate layers cost about 8 µs of CPU per request more (measured in-process against the
    benchmark's database: 229-231 µs with them, 219-227 µs with this one), a share of the
    request's whole CPU (about 0.5 ms with PostgreSQL's) that counts against its 5 % budget.

    A kept answer (``HeadCache.kept_answer``, when the response cache is the layer inside this
    one) is sent from here once the request has its id and passed the rate limit: the cache's
    layer and the wrapped ``send`` are skipped on the path most requests of a live chain take."""

    def __init__(self, app, access_log: bool, per_minute: int, redis_url: str | None, prefix: str):
        self.app = app
        self.cache = app if isinstance(app, HeadCache) else None
        self.access = AccessLog(access_log)
        # (route, method, status) -> the Prometheus children, looked up once.
        self._metrics: dict[tuple, tuple] = {}
        self.item = RateLimitItemPerMinute(per_minute) if per_minute > 0 else None
        self.redis_url = redis_url
        self.prefix = prefix
        self.limiter: FixedWindowRateLimiter | None = None

    def _storage(self):
        # Built on the first request: the memory storage schedules its expiry on the running loop.
        if self.redis_url:
            return RedisStorage(
                "async+" + self.redis_url,
                implementation="redispy",
                key_prefix=self.prefix + "ratelimit",
                socket_timeout=0.5,
                socket_connect_timeout=0.5,
            )
        return MemoryStorage()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = _header(scope, b"x-request-id")
        rid = given.decode("latin-1") if given and _REQUEST_ID.match(given) else None
        rid = rid or f"{_random_bits(64):016x}"
        correlation_id.set(rid)
        rid_header = (b"x-request-id", rid.encode())
        status = 0

        async def tracked(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), rid_header]
            await send(message)

        client = scope.get("client")
        ip = client[0] if client else "-"
        try:
            if self.item is not None and not await self._allowed(ip):
                await self._refuse(ip, tracked)
                return
            kept = self.cache.kept_answer(scope) if self.cache is not None else None
            if kept is None:
                # The cache's layer is entered past its own lookup, already made here.
                await (self.app if self.cache is None else self.cache.miss)(scope, receive, tracked)
                return
            status, headers, body = kept
            await send(
                {"type": "http.response.start", "status": status, "headers": [*headers, rid_header]}
            )
            await send({"type": "http.response.body", "body": body})
        except Exception:
            status = status or 500
            raise
        finally:
            self._observe(scope, status, time.perf_counter() - started, ip, rid)

    async def _allowed(self, ip: str) -> bool:
        if self.limiter is None:
            self.limiter = FixedWindowRateLimiter(self._storage())
        return await self.limiter.hit(self.item, ip)

    async def _refuse(self, ip: str, send) -> None:
        RATE_LIMITED.inc()
        reset, _ = await self.limiter.get_window_stats(self.item, ip)
        retry = max(1, math.ceil(reset - time.time()))
        body = orjson.dumps(
            {
                "status": 429,
                "detail": f"rate limit of {self.item.amount} requests per minute exceeded;"
                f" retry in {retry} s",
                "request_id": correlation_id.get(),
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(retry).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _observe(self, scope, status: int, elapsed: float, ip: str, rid: str) -> None:
        route = scope.get("route")
        label = route.path if route is not None else "unmatched"
        key = (label, scope["method"], status)
        children = self._metrics.get(key)
        if children is None:
            children = self._metrics[key] = (
                REQUESTS.labels(label, scope["method"], str(status)),
                LATENCY.labels(label),
            )
        children[0].inc()
        children[1].observe(elapsed)
        if self.access.enabled:
            self.access.write(
                method=scope["method"],
                path=scope["path"],
                query=scope["query_string"].decode("latin-1"),
                status=status,
                ms=round(elapsed * 1000, 2),
                ip=ip,
                request_id=rid,
            )


def _etag_matches(inm: bytes | None, etag: bytes) -> bool:
    if inm is None:
        return False
    if inm.strip() == b"*":
        return True
    tags = [t.strip().removeprefix(b"W/") for t in inm.split(b",")]
    return etag.removeprefix(b"W/") in tags


def _content_tag(key: bytes, body: bytes) -> tuple[bytes, bool]:
    """The ETag of an answer about one entity, and whether the answer says it is final.

    The tag is the request's and the answer's own, without the ``read_at`` it begins with (a
    kept answer says the block it was read at). Weak: answers read at different heads hold the
    same rows. A block that changes nothing in the answer leaves it, so a 304 survives unrelated
    blocks. The answer's ``final`` is the first after ``read_at`` (the envelope's: the unified
    profile's, after its ``address``); an answer without ``read_at`` or without a flag counts as
    not final."""
    view = memoryview(body)
    start = body.find(b'"read_at":')
    end = body.find(b"]", start) + 1 if start >= 0 else 0
    stamp = zlib.crc32(view[end:], zlib.crc32(view[: max(start, 0)]))
    flag = body.find(b'"final"', end) if start >= 0 else -1
    final = flag >= 0 and body[flag + 7 : flag + 14].lstrip(b" :").startswith(b"true")
    return b'W/"%08x-%08x"' % (zlib.crc32(key), stamp), final


# Routes whose answer is about one account (every row they read names it in an ``entity=account``
# column, or is a balance or transfer of it): kept until that account changes.
_ACCOUNT_PATH = re.compile(
    r"^/api/v1/(?:esg/unified-profile|accounts|scores|metrics)/(0x[0-9a-fA-F]{40})(?:/|$)"
)
WHOLE_CHAIN = ("chain", "*")
# Invalidations remembered to refuse an answer read before them but finished after them.
_REMEMBERED = 200_000


class _Invalidations(LRUCache):
    """(kind, key) -> {chain id: change number of its last invalidation}, least recently
    changed out first; ``forgotten`` keeps, per chain, the highest number pushed out, which then
    counts as an invalidation of every entity."""

    def __init__(self, maxsize: int) -> None:
        super().__init__(maxsize=maxsize)
        self.forgotten: dict[int, int] = {}

    def popitem(self):
        key, per_chain = super().popitem()
        for chain, seq in per_chain.items():
            if seq > self.forgotten.get(chain, 0):
                self.forgotten[chain] = seq
        return key, per_chain


class _KeptAnswers(LRUCache):
    """The kept answers, least recently used out first; an answer pushed out leaves its
    entity's index (``by_entity``) too, so the index stays as small as the cache."""

    def __init__(self, maxsize: int, by_entity: dict[tuple, set[bytes]]) -> None:
        super().__init__(maxsize=maxsize)
        self.by_entity = by_entity

    def popitem(self):
        key, kept = super().popitem()
        keys = self.by_entity.get(kept.entity)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self.by_entity[kept.entity]
        return key, kept


class Kept:
    """A kept answer about one entity: its body and headers, the entity, and, when some of its
    rows were not final, the blocks whose finality changes it ((chain id, block) pairs,
    ``pending``: the answer is read again once one of them is final)."""

    __slots__ = ("body", "headers", "etag", "entity", "pending")

    def __init__(self, body: bytes, headers: list, etag: bytes, entity: tuple, pending: tuple):
        self.body = body
        self.headers = headers
        self.etag = etag
        self.entity = entity
        self.pending = pending


class HeadCache:
    """Whole 200 answers of GET /api/v1, kept per worker, with an ETag (If-None-Match gives 304)
    and Cache-Control max-age. A route whose answer does not follow the index says
    ``Cache-Control: no-store``, and its answers are neither kept nor tagged.

    An answer about one account (the unified profile, /accounts/{address}/..., /scores/...,
    /metrics/...) is kept until the indexer records a change of that account (or of its whole
    chain; api.changes delivers the changes), and, if some of its rows were not final, until a
    chain finalizes one of them (the unified profile names their blocks; for the other routes,
    until a chain's finalized block moves). Its ETag is of the answer without its ``read_at``,
    so a 304 survives blocks that change nothing in it. An answer is kept only if no change of
    its account was learned while it was read (the answer may predate it). Other answers are
    kept while the indexed heads do not move (``Heads.token``), their ETag that of the head and
    the request."""

    def __init__(self, app, state, max_entries: int, max_age: int) -> None:
        self.app = app
        self.state = state  # app.state: ``heads`` and ``pool`` are filled by the lifespan
        self.max_age = f"public, max-age={max_age}".encode()
        self.entries: LRUCache = LRUCache(maxsize=max(1, max_entries))
        # (kind, key) -> cache keys of the kept answers about it
        self.by_entity: dict[tuple, set[bytes]] = {}
        self.kept = _KeptAnswers(max(1, max_entries), self.by_entity)
        self.invalidated = _Invalidations(_REMEMBERED)
        # chain id -> change number of its last whole-chain change
        self.whole: dict[int, int] = {}
        # chain id -> the highest change number learned. Replaced, never changed in place: a
        # request holds the one of its start (``since``), and the same object at its end means
        # that nothing was learned in between.
        self.learned: dict[int, int] = {}
        self.enabled = max_entries > 0
        self.token = ""
        state.response_cache = self

    def invalidate(self, changes) -> None:
        """Drop the answers about the changed entities (api.changes subscriber)."""
        kept, by_entity, invalidated = self.kept, self.by_entity, self.invalidated
        learned = dict(self.learned)
        for kind, key, chain, seq in changes:
            if seq > learned.get(chain, 0):
                learned[chain] = seq
            entity = (kind, key)
            if entity == WHOLE_CHAIN:
                self.whole[chain] = seq
                kept.clear()
                by_entity.clear()
                continue
            per_chain = invalidated.get(entity)
            if per_chain is None:
                invalidated[entity] = {chain: seq}
            else:
                per_chain[chain] = seq
            for k in by_entity.pop(entity, ()):
                kept.pop(k, None)
        self.learned = learned

    def fresh(self, entity: tuple, since: dict[int, int]) -> bool:
        """Whether an answer about ``entity`` read after the changes numbered up to ``since``
        (chain id -> change number: what this worker, or the one that read it, had learned when
        the reading began) is older than no change of it learned since."""
        if since is self.learned:
            return True
        invalidated = self.invalidated
        for changed in (self.whole, invalidated.forgotten, invalidated.get(entity)):
            if changed:
                for chain, seq in changed.items():
                    if seq > since.get(chain, 0):
                        return False
        return True

    def _token(self) -> str:
        """The indexed heads' token; the answers kept under another one are dropped."""
        token = self.state.heads.heads.token
        if token != self.token:
            # The head moved: everything kept belongs to an older state.
            self.entries.clear()
            self.token = token
        return token

    def kept_answer(self, scope) -> tuple[int, list, bytes] | None:
        """The kept answer to a GET or HEAD of /api/v1 as (status, headers, body): 304 without
        a body when If-None-Match names its ETag, no body to a HEAD; None when nothing kept
        answers it. Counts the hit; the caller sends it (Edge does, ahead of this layer)."""
        if scope["method"] not in ("GET", "HEAD") or not scope["path"].startswith(API_PREFIX):
            return None
        key = scope["path"].encode() + b"?" + scope["query_string"]
        hit = self.kept.get(key)
        if hit is not None:
            pending = hit.pending
            if pending is not None:
                by_chain = self.state.heads.heads.by_chain
                if any(c in by_chain and by_chain[c].finalized_block >= b for c, b in pending):
                    self._forget(key, hit)
                    return None
            etag, headers, body = hit.etag, hit.headers, hit.body
        else:
            self._token()
            entry = self.entries.get(key)
            if entry is None:
                return None
            body, headers, etag = entry
        CACHE_HIT.inc()
        inm = _header(scope, b"if-none-match")
        if inm is not None and _etag_matches(inm, etag):
            return 304, [h for h in headers if h[0] != b"content-length"], b""
        return 200, headers, b"" if scope["method"] == "HEAD" else body

    async def __call__(self, scope, receive, send):
        kept = self.kept_answer(scope) if scope["type"] == "http" else None
        if kept is not None:
            status, headers, body = kept
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.miss(scope, receive, send)

    async def miss(self, scope, receive, send):
        """A request that no kept answer answers (``kept_answer`` said None): the app answers
        it, and a 200 to a GET or HEAD of /api/v1 is tagged and kept."""
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not scope["path"].startswith(API_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        CACHE_MISS.inc()
        m = _ACCOUNT_PATH.match(scope["path"])
        if m is not None:
            await self._about(scope, receive, send, ("account", m.group(1)[2:].lower()))
            return
        token = self._token()
        key = scope["path"].encode() + b"?" + scope["query_string"]
        etag = b'"' + f"{token}-{zlib.crc32(key):08x}".encode() + b'"'
        inm = _header(scope, b"if-none-match")

        def keep(headers: list, body: bytes):
            headers.append((b"etag", etag))
            if self.enabled and token == self.token:
                self.entries[key] = (body, headers, etag)
            return etag

        await self.app(scope, receive, self._capture(scope, send, inm, keep))

    async def _about(self, scope, receive, send, entity: tuple) -> None:
        """An answer about ``entity`` that is not kept: read, and kept until it changes."""
        key = scope["path"].encode() + b"?" + scope["query_string"]
        inm = _header(scope, b"if-none-match")
        heads = self.state.heads.heads
        # What was learned before the reading begins; a route that answers from elsewhere (the
        # shared cache) puts there what the answer's reader had learned.
        scope["esg.since"] = self.learned

        def keep(headers: list, body: bytes):
            etag, final = _content_tag(key, body)
            headers.append((b"etag", etag))
            if self.enabled and self.fresh(entity, scope["esg.since"]):
                pending = None
                if not final:
                    # The rows not final yet, as the route gives them ((chain id, lowest such
                    # block) pairs); else any move of a finalized block may change the answer.
                    pending = scope.get("esg.pending") or tuple(
                        (c.chain_id, c.finalized_block + 1) for c in heads.chains
                    )
                self.kept[key] = Kept(body, headers, etag, entity, pending)
                self.by_entity.setdefault(entity, set()).add(key)
            return etag

        await self.app(scope, receive, self._capture(scope, send, inm, keep))

    def _forget(self, key: bytes, kept: Kept) -> None:
        self.kept.pop(key, None)
        keys = self.by_entity.get(kept.entity)
        if keys is not None:
            keys.discard(key)

    def _capture(self, scope, send, inm, keep):
        """A ``send`` that collects the route's answer, tags (``keep(headers, body)`` adds the
        ETag, keeps the answer when it may and returns the tag) and sends it."""
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            status, headers = start["status"], list(start.get("headers", []))
            control = next((v for k, v in headers if k == b"cache-control"), None)
            # Errors, and answers that do not follow the index (no-store), pass as they are.
            if status != 200 or (control is not None and b"no-store" in control):
                await self._answer(scope, send, status, headers, body, False)
                return
            if control is None:
                headers.append((b"cache-control", self.max_age))
            etag = keep(headers, body)
            matched = etag is not None and _etag_matches(inm, etag)
            await self._answer(scope, send, 200, headers, body, matched)

        return capture

    async def _answer(self, scope, send, status, headers, body, not_modified: bool) -> None:
        if not_modified:
            status, body = 304, b""
            headers = [h for h in headers if h[0] != b"content-length"]
        elif scope["method"] == "HEAD":
            body = b""
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
