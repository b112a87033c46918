"""The edge of the app as one pure ASGI middleware: request id, rate limit, response cache
keyed by the indexed head with ETag/304, access log and Prometheus metrics.

One layer rather than several keeps the per-request overhead small; each concern is a method.
"""

from __future__ import annotations

import logging
import os
import time
import zlib
from collections import OrderedDict
from types import SimpleNamespace

import orjson
from prometheus_client import Counter, Histogram

from api.errors import ApiError
from api.logs import AccessLog
from api.params import parse_address
from api.routes.profile import profile_body

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
PROFILE_PREFIX = API_PREFIX + "/esg/unified-profile/"
# What the metrics label a profile answered by the middleware with (the route's path).
PROFILE_ROUTE = SimpleNamespace(path=PROFILE_PREFIX + "{address}")


class ResponseCache:
    """Whole 200 bodies of GET /api/v1 answers, keyed by (head token, path, query)."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[tuple, tuple[bytes, list]] = OrderedDict()
        self._token = ""

    def get(self, token: str, key: bytes):
        if token != self._token:
            # The head moved: everything cached belongs to an older state.
            self._data.clear()
            self._token = token
            return None
        item = self._data.get(key)
        if item is not None:
            self._data.move_to_end(key)
        return item

    def put(self, token: str, key: bytes, body: bytes, headers: list) -> None:
        if token != self._token or self.max_entries <= 0:
            return
        self._data[key] = (body, headers)
        if len(self._data) > self.max_entries:
            self._data.popitem(last=False)


def _header(scope, name: bytes) -> bytes | None:
    for k, v in scope["headers"]:
        if k == name:
            return v
    return None


def _etag_matches(inm: bytes | None, etag: bytes) -> bool:
    if inm is None:
        return False
    if inm.strip() == b"*":
        return True
    tags = [t.strip().removeprefix(b"W/") for t in inm.split(b",")]
    return etag in tags


class EdgeMiddleware:
    def __init__(self, app, state) -> None:
        self.app = app
        self.state = state  # the FastAPI app.state (settings, heads, cache filled by lifespan)
        self.responses: ResponseCache | None = None
        self.access = AccessLog(True)
        # (route, method, status) -> the Prometheus children, looked up once.
        self._metrics: dict[tuple, tuple] = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        settings = self.state.settings
        if self.responses is None:
            self.responses = ResponseCache(settings.response_cache_entries)
            self.access.enabled = settings.access_log
        rid = (_header(scope, b"x-request-id") or b"")[:64].decode("latin-1") or os.urandom(8).hex()
        scope.setdefault("state", {})["request_id"] = rid
        rid_header = (b"x-request-id", rid.encode("latin-1"))
        client = scope.get("client")
        ip = client[0] if client else "-"
        status_box = [0]

        async def send_tracked(message):
            if message["type"] == "http.response.start":
                status_box[0] = message["status"]
                message["headers"] = list(message.get("headers", [])) + [rid_header]
            await send(message)

        try:
            limited = await self._rate_limit(ip, settings.rate_limit)
            if limited is not None:
                await self._send_json(send_tracked, 429, limited[0], [(b"retry-after", limited[1])])
            elif scope["method"] in ("GET", "HEAD") and scope["path"].startswith(API_PREFIX):
                await self._cached(scope, receive, send_tracked, settings)
            else:
                await self.app(scope, receive, send_tracked)
        except Exception:
            # The app's catch-all handler has answered and logged errors raised in routes; this
            # catches what fails around them, so the client always gets an answer.
            log.exception("unhandled error", extra={"request_id": rid})
            if status_box[0] == 0:
                await self._send_json(
                    send_tracked,
                    500,
                    {"status": 500, "detail": "internal error", "request_id": rid},
                    [],
                )
        finally:
            route = scope.get("route")
            label = route.path if route is not None else "unmatched"
            elapsed = time.perf_counter() - started
            self._observe(label, scope["method"], status_box[0], elapsed)
            if self.access.enabled:
                self.access.write(
                    method=scope["method"],
                    path=scope["path"],
                    query=scope["query_string"].decode("latin-1"),
                    status=status_box[0],
                    ms=round(elapsed * 1000, 2),
                    ip=ip,
                    request_id=rid,
                )

    def _observe(self, label: str, method: str, status: int, elapsed: float) -> None:
        key = (label, method, status)
        children = self._metrics.get(key)
        if children is None:
            children = self._metrics[key] = (
                REQUESTS.labels(label, method, str(status)),
                LATENCY.labels(label),
            )
        children[0].inc()
        children[1].observe(elapsed)

    async def _profile(self, scope, heads) -> bytes | None:
        """The unified profile answered here, without FastAPI's routing and dependencies, when
        the in-process cache is in use and the address is valid; None hands the request to the
        app (bad input, Redis, errors: the route answers them)."""
        state = self.state
        if state.cache.shared:
            return None
        try:
            address = parse_address(scope["path"][len(PROFILE_PREFIX) :])
        except ApiError:
            return None
        try:
            body = await profile_body(state.profile_pool, address, heads)
        except Exception:
            # Timeouts and lost connections get their 503 (and logging) from the route.
            return None
        scope["route"] = PROFILE_ROUTE
        return body

    async def _rate_limit(self, ip: str, limit: int):
        """(body, retry-after) when ``ip`` is over its per-minute limit, else None."""
        if limit <= 0:
            return None
        now = time.time()
        window = int(now // 60)
        n = await self.state.cache.incr(f"ratelimit:{ip}:{window}", 61)
        if n <= limit:
            return None
        RATE_LIMITED.inc()
        retry = max(1, int(60 - now % 60 + 0.999))
        body = {
            "status": 429,
            "detail": f"rate limit of {limit} requests per minute exceeded; retry in {retry} s",
        }
        return body, str(retry).encode()

    async def _send_json(self, send, status: int, body: dict, headers: list) -> None:
        raw = orjson.dumps(body)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(raw)).encode()),
                    *headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": raw})

    async def _cached(self, scope, receive, send, settings) -> None:
        heads = self.state.heads.heads
        token = heads.token
        key = scope["path"].encode() + b"?" + scope["query_string"]
        etag = b'"' + f"{token}-{zlib.crc32(key):08x}".encode() + b'"'
        inm = _header(scope, b"if-none-match")
        hit = self.responses.get(token, key)
        if hit is not None:
            CACHE_HIT.inc()
            body, headers = hit
            if _etag_matches(inm, etag):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 304,
                        "headers": [h for h in headers if h[0] != b"content-length"],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send(
                {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
            )
            return
        CACHE_MISS.inc()
        if scope["method"] == "GET" and scope["path"].startswith(PROFILE_PREFIX):
            body = await self._profile(scope, heads)
            if body is not None:
                start = {
                    "status": 200,
                    "headers": [
                        (b"content-length", str(len(body)).encode()),
                        (b"content-type", b"application/json"),
                    ],
                }
                await self._finish(scope, send, start, body, token, key, etag, inm, settings)
                return

        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await self._finish(
                scope, send, start, b"".join(chunks), token, key, etag, inm, settings
            )

        await self.app(scope, receive, capture)

    async def _finish(self, scope, send, start, body, token, key, etag, inm, settings) -> None:
        status = start["status"]
        headers = list(start.get("headers", []))
        if status != 200:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        if not any(h[0] == b"cache-control" for h in headers):
            headers.append((b"cache-control", f"public, max-age={settings.max_age}".encode()))
        headers.append((b"etag", etag))
        cacheable = not any(h[0] == b"cache-control" and b"no-store" in h[1] for h in headers)
        if cacheable:
            self.responses.put(token, key, body, [h for h in headers if h[0] != b"x-request-id"])
        if _etag_matches(inm, etag):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [h for h in headers if h[0] != b"content-length"],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
