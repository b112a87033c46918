"""New-head notifications over WebSocket (``eth_subscribe ["newHeads"]``): a wake-up signal for
the poll loop, never a source of data. Heads, logs and reorg checks stay on HTTP."""

from __future__ import annotations

import asyncio
import logging
import random
from urllib.parse import urlsplit, urlunsplit

import orjson
import websockets
from websockets.asyncio.client import connect

from esg.redact import redact_url, scrub
from indexer import metrics

log = logging.getLogger("indexer.heads")

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def derive_ws_url(http_url: str) -> str | None:
    """``ws://host:port/path`` for a plain-HTTP URL of this machine (a local anvil serves
    WebSocket on its HTTP port); None for anything else."""
    parts = urlsplit(http_url)
    if parts.scheme != "http" or parts.hostname not in _LOCAL_HOSTS:
        return None
    return urlunsplit(("ws", parts.netloc, parts.path, parts.query, ""))


def ws_url_for(chain_id: int, configured: dict[int, str], http_urls: list[str], derive: bool):
    """(URL, derived) for a chain: the configured URL (an empty string disables), else the
    first local HTTP URL's counterpart if ``derive``; (None, False) when there is none."""
    if chain_id in configured:
        return (configured[chain_id] or None), False
    if derive:
        for u in http_urls:
            ws = derive_ws_url(u)
            if ws is not None:
                return ws, True
    return None, False


class HeadSubscription:
    """Keeps one ``newHeads`` subscription open and sets ``event`` on each notification.

    A configured URL is reconnected with exponential backoff (up to ``max_backoff`` seconds)
    whenever it fails or closes; a derived URL is given up for good if its first connection
    attempt fails (the node has no WebSocket there). ``subscribed`` is true while notifications
    can arrive; the poll loop then waits for ``event`` or its poll interval, whichever is first."""

    def __init__(
        self,
        chain_id: int,
        url: str,
        *,
        derived: bool = False,
        open_timeout: float = 10.0,
        max_backoff: float = 30.0,
    ) -> None:
        self.chain_id = chain_id
        self.label = str(chain_id)
        self.url = url
        # What log lines name the endpoint by: a configured URL may carry an API key.
        self.shown_url = redact_url(url)
        self.derived = derived
        self.open_timeout = open_timeout
        self.max_backoff = max_backoff
        self.event = asyncio.Event()
        self.subscribed = False
        self.notifications = 0

    def _set_mode(self, subscribed: bool, **extra: object) -> None:
        if subscribed == self.subscribed:
            return
        self.subscribed = subscribed
        metrics.HEAD_SUBSCRIPTION.labels(self.label).set(1 if subscribed else 0)
        if subscribed:
            log.info(
                "following by subscription", extra={"chain": self.chain_id, "url": self.shown_url}
            )
        else:
            log.warning(
                "following by polling: subscription lost",
                extra={"chain": self.chain_id, "url": self.shown_url, **extra},
            )
        # Wake the loop either way: it re-reads the head now rather than after a full wait.
        self.event.set()

    async def run(self) -> None:
        delay = 0.25
        ever = False
        failures = 0
        try:
            while True:
                try:
                    await self._session()
                    error = "closed by the node"
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - any failure means: poll meanwhile
                    error = scrub(f"{type(exc).__name__}: {exc}", [self.url])
                if self.subscribed:
                    ever = True
                    delay = 0.25
                    failures = 0
                    self._set_mode(False, error=error)
                elif self.derived and not ever:
                    log.info(
                        "following by polling: no WebSocket at the derived URL",
                        extra={"chain": self.chain_id, "url": self.shown_url, "error": error},
                    )
                    return
                else:
                    failures += 1
                    (log.warning if failures == 1 else log.debug)(
                        "following by polling: subscription failed, retrying",
                        extra={
                            "chain": self.chain_id,
                            "url": self.shown_url,
                            "error": error,
                            "retry_in": round(delay, 2),
                        },
                    )
                await asyncio.sleep(delay * (0.5 + random.random()))
                delay = min(self.max_backoff, delay * 2)
        finally:
            self.subscribed = False
            metrics.HEAD_SUBSCRIPTION.labels(self.label).set(0)

    async def _session(self) -> None:
        async with connect(
            self.url, open_timeout=self.open_timeout, max_size=1 << 22, compression=None
        ) as ws:
            await ws.send(
                orjson.dumps(
                    {"jsonrpc": "2.0", "id": 1, "method": "eth_subscribe", "params": ["newHeads"]}
                ).decode()
            )
            async with asyncio.timeout(self.open_timeout):
                while True:
                    msg = orjson.loads(await ws.recv())
                    if isinstance(msg, dict) and msg.get("id") == 1:
                        break
            if msg.get("error") or not msg.get("result"):
                raise RuntimeError(f"eth_subscribe refused: {msg.get('error')}")
            self._set_mode(True)
            try:
                async for raw in ws:
                    msg = orjson.loads(raw)
                    if isinstance(msg, dict) and msg.get("method") == "eth_subscription":
                        self.notifications += 1
                        self.event.set()
            except websockets.ConnectionClosed as exc:
                raise ConnectionError(f"connection closed: {exc}") from exc
