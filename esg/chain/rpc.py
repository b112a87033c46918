"""JSON-RPC over HTTP: keep-alive, retries with backoff, URL failover, adaptive log ranges.

Node URLs are secrets (hosted providers put the API key in them): an endpoint is named by its
index and host only, in metrics labels, log lines and error messages alike.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from dataclasses import dataclass, field

import aiohttp
import msgspec
import orjson
from prometheus_client import Counter, Histogram

from esg.redact import redact_url, scrub

log = logging.getLogger("esg.chain.rpc")

# Fragments of error messages meaning "ask for a smaller block range" (geth, erigon, besu,
# alchemy, infura, quicknode, anvil wording).
_TOO_LARGE = (
    "more than",
    "too many",
    "too large",
    "limit exceeded",
    "exceed",
    "response size",
    "block range",
    "range is too",
    "query timeout",
    "timeout",
    "try with this block range",
    "log response size",
)


class Log(msgspec.Struct, gc=False):
    """One eth_getLogs entry (fields the indexer does not use are skipped while parsing); not
    tracked by the cyclic garbage collector (it holds no cycles)."""

    address: str
    topics: list[str]
    data: str
    blockNumber: str  # noqa: N815
    blockHash: str  # noqa: N815
    transactionHash: str  # noqa: N815
    logIndex: str  # noqa: N815
    removed: bool = False


class _LogsAnswer(msgspec.Struct):
    result: list[Log] | None = None
    error: dict | None = None


_decode_logs_answer = msgspec.json.Decoder(_LogsAnswer).decode


class BlockHeader(msgspec.Struct, gc=False):
    """The fields of an eth_getBlockByNumber answer that following a chain needs (the rest,
    transaction hashes and bloom included, is skipped while parsing)."""

    number: str
    hash: str
    parentHash: str  # noqa: N815
    timestamp: str


class _HeaderItem(msgspec.Struct):
    id: int | str | None = None
    result: BlockHeader | None = None
    error: dict | None = None


_decode_header_batch = msgspec.json.Decoder(list[_HeaderItem]).decode


class RPCError(Exception):
    """A JSON-RPC error answer (the node understood and refused); ``data`` holds revert data
    where the node gives it."""

    def __init__(self, code: int, message: str, data: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.data = data

    @property
    def too_large(self) -> bool:
        m = self.message.lower()
        return self.code == -32005 or any(f in m for f in _TOO_LARGE)


class RangeTooLarge(Exception):
    """eth_getLogs refused or failed for this block range; split it."""


class Unavailable(Exception):
    """Every endpoint failed for longer than the retry budget."""


@dataclass(frozen=True)
class RPCMetrics:
    """Where a service counts its RPC traffic: a latency histogram labelled (chain, method) and
    an error counter labelled (chain, endpoint, kind)."""

    latency: Histogram
    errors: Counter


@dataclass
class Endpoint:
    url: str = field(repr=False)
    # Largest block span known to work for eth_getLogs here (learned from failures).
    max_span: int
    failures: int = 0
    down_until: float = 0.0
    label: str = field(default="")


def endpoint_label(index: int, url: str) -> str:
    """``<index>:<host[:port]>``: names an endpoint without its credentials."""
    return f"{index}:{redact_url(url).split('://', 1)[-1].removesuffix('/…')}"


class RPC:
    """A JSON-RPC client for one chain over several URLs (first healthy one wins)."""

    def __init__(
        self,
        chain_id: int,
        urls: list[str],
        *,
        timeout: float = 30.0,
        max_backoff: float = 10.0,
        max_span: int = 100_000,
        retry_budget: float = 600.0,
        metrics: RPCMetrics | None = None,
    ) -> None:
        if not urls:
            raise ValueError(f"chain {chain_id}: no RPC URL")
        self.chain = str(chain_id)
        self.endpoints = [
            Endpoint(u, max_span, label=endpoint_label(i, u)) for i, u in enumerate(urls)
        ]
        self.metrics = metrics
        self.timeout = timeout
        self.max_backoff = max_backoff
        self.retry_budget = retry_budget
        self._session: aiohttp.ClientSession | None = None
        self._id = 0

    async def __aenter__(self) -> RPC:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=16, keepalive_timeout=60),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                json_serialize=lambda o: orjson.dumps(o).decode(),
            )
        return self._session

    def _pick(self) -> Endpoint:
        now = time.monotonic()
        healthy = [e for e in self.endpoints if e.down_until <= now]
        if healthy:
            return healthy[0]
        return min(self.endpoints, key=lambda e: e.down_until)

    async def _post(self, ep: Endpoint, body: bytes, method: str, parse=orjson.loads) -> object:
        t0 = time.perf_counter()
        async with self._http().post(
            ep.url, data=body, headers={"Content-Type": "application/json"}
        ) as resp:
            raw = await resp.read()
            if resp.status == 429 or resp.status >= 500:
                raise _Transient(f"http {resp.status}", "http_" + str(resp.status))
            if resp.status != 200:
                raise _Transient(f"http {resp.status}", "http_other")
        if self.metrics is not None:
            self.metrics.latency.labels(self.chain, method).observe(time.perf_counter() - t0)
        try:
            return parse(raw)
        except (orjson.JSONDecodeError, msgspec.DecodeError) as exc:
            raise _Transient("invalid JSON (truncated body?)", "bad_body") from exc

    async def _request(
        self, body_obj: object, method: str, *, ranged: bool = False, parse=orjson.loads
    ) -> object:
        """POST with retries and failover; ``ranged`` turns size errors into RangeTooLarge."""
        body = orjson.dumps(body_obj)
        delay = 0.05
        attempts = 0
        deadline = time.monotonic() + self.retry_budget
        while True:
            ep = self._pick()
            wait = ep.down_until - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                out = await self._post(ep, body, method, parse)
                err = (
                    out.error
                    if isinstance(out, _LogsAnswer)
                    else (out.get("error", False) if isinstance(out, dict) else False)
                )
                if err is not False and err is not None:
                    err = err or {}
                    data = err.get("data")
                    e = RPCError(
                        int(err.get("code", 0)),
                        str(err.get("message", "")),
                        data if isinstance(data, str) else None,
                    )
                    if ranged and e.too_large:
                        self._count_error(ep.label, "too_large")
                        raise RangeTooLarge(e.message)
                    transient = e.code in (-32005, -32603, -32000, 429) or (
                        "rate" in e.message.lower()
                    )
                    # Server-side errors are retried a few times; then the caller decides
                    # (e.g. "header not found" right after a reorg).
                    if transient and attempts < 5:
                        attempts += 1
                        raise _Transient(e.message, "rpc_" + str(e.code))
                    raise e
                ep.failures = 0
                return out
            except (TimeoutError, _Transient, aiohttp.ClientError, OSError) as exc:
                kind = exc.kind if isinstance(exc, _Transient) else type(exc).__name__
                self._count_error(ep.label, kind)
                if ranged and isinstance(exc, asyncio.TimeoutError):
                    raise RangeTooLarge("timeout") from exc
                ep.failures += 1
                # Take the endpoint out of rotation for a moment so the next one is tried.
                ep.down_until = time.monotonic() + min(self.max_backoff, delay)
                error = self._safe(str(exc) or kind)
                if time.monotonic() > deadline:
                    raise Unavailable(f"chain {self.chain}: {method}: {error}") from None
                log.warning(
                    "rpc retry",
                    extra={
                        "chain": self.chain,
                        "endpoint": ep.label,
                        "method": method,
                        "error": error,
                    },
                )
                await asyncio.sleep(delay * (0.5 + random.random()))
                delay = min(self.max_backoff, delay * 2)

    def _count_error(self, endpoint: str, kind: str) -> None:
        if self.metrics is not None:
            self.metrics.errors.labels(self.chain, endpoint, kind).inc()

    def _safe(self, text: str) -> str:
        """``text`` without any of this client's node URLs (or their secret parts)."""
        return scrub(text, (e.url for e in self.endpoints))

    def _next_id(self) -> int:
        self._id += 1
        return self._id

    async def call(self, method: str, params: list) -> object:
        out = await self._request(
            {"jsonrpc": "2.0", "id": self._next_id(), "method": method, "params": params}, method
        )
        return out["result"]

    async def batch(
        self, calls: list[tuple[str, list]], *, allow_errors: bool = False
    ) -> list[object]:
        """Several calls in one HTTP request; results in call order (a failed item raises, or
        gives None with ``allow_errors``)."""
        if not calls:
            return []
        base = self._next_id()
        self._id += len(calls)
        body = [
            {"jsonrpc": "2.0", "id": base + i, "method": m, "params": p}
            for i, (m, p) in enumerate(calls)
        ]
        while True:
            out = await self._request(body, calls[0][0] + "[batch]")
            if not isinstance(out, list) or len(out) != len(calls):
                self._count_error("batch", "bad_batch")
                await asyncio.sleep(0.05)
                continue
            by_id = {o.get("id"): o for o in out}
            results = []
            for i in range(len(calls)):
                o = by_id.get(base + i)
                if o is None or "error" in o:
                    if allow_errors:
                        results.append(None)
                        continue
                    err = (o or {}).get("error") or {}
                    raise RPCError(int(err.get("code", 0)), str(err.get("message", "missing")))
                results.append(o["result"])
            return results

    async def headers(self, numbers: list[int], per_request: int = 250) -> list[BlockHeader | None]:
        """Headers of blocks ``numbers``, in order (None where the node has none): batched
        eth_getBlockByNumber requests of ``per_request`` blocks, all in flight together."""
        tasks = [
            asyncio.ensure_future(self._header_batch(numbers[i : i + per_request]))
            for i in range(0, len(numbers), per_request)
        ]
        try:
            answers = await asyncio.gather(*tasks)
        finally:
            for t in tasks:
                t.cancel()
        return [h for part in answers for h in part]

    async def _header_batch(self, numbers: list[int]) -> list[BlockHeader | None]:
        base = self._next_id()
        self._id += len(numbers)
        body = [
            {
                "jsonrpc": "2.0",
                "id": base + i,
                "method": "eth_getBlockByNumber",
                "params": [hex(n), False],
            }
            for i, n in enumerate(numbers)
        ]
        while True:
            out = await self._request(
                body, "eth_getBlockByNumber[batch]", parse=_decode_header_batch
            )
            if len(out) == len(numbers):
                break
            self._count_error("batch", "bad_batch")
            await asyncio.sleep(0.05)
        by_id = {o.id: o for o in out}
        results: list[BlockHeader | None] = []
        for i in range(len(numbers)):
            o = by_id.get(base + i)
            results.append(None if o is None or o.error is not None else o.result)
        return results

    async def get_logs(
        self, addresses: list[str], start: int, end: int, topics: list | None = None
    ) -> list[Log]:
        """eth_getLogs of ``addresses`` over blocks ``start``..``end`` (optionally filtered by
        ``topics``); RangeTooLarge when the node refuses the span."""
        query: dict = {"fromBlock": hex(start), "toBlock": hex(end), "address": addresses}
        if topics is not None:
            query["topics"] = topics
        params = [query]
        out = await self._request(
            {"jsonrpc": "2.0", "id": self._next_id(), "method": "eth_getLogs", "params": params},
            "eth_getLogs",
            ranged=True,
            parse=_decode_logs_answer,
        )
        if out.result is None:
            raise RangeTooLarge("no result")
        return out.result

    @property
    def max_span(self) -> int:
        return self._pick().max_span

    def shrink_span(self, span: int) -> None:
        """Remember that ``span`` blocks was too much for the current endpoint."""
        ep = self._pick()
        ep.max_span = max(1, min(ep.max_span, span // 2))


class _Transient(Exception):
    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind
