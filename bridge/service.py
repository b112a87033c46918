"""What the validator and relayer processes share: their start (key, chains, database, metrics),
the round loop and the way a failing round is reported."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Protocol

from eth_account.signers.local import LocalAccount

from bridge import metrics
from bridge.chains import ChainLink, ConfigError, close, links
from bridge.keys import KeyConfigError, load_account
from bridge.settings import RelayerSettings, ValidatorSettings
from bridge.store import Store, connect
from esg import logs

log = logging.getLogger("bridge")

Settings = RelayerSettings | ValidatorSettings


class Service(Protocol):
    async def round(self) -> None: ...


class Process:
    """What a validator and the relayer are made of: their settings, key, chains and store."""

    def __init__(
        self,
        settings: Settings,
        account: LocalAccount,
        chain_links: dict[int, ChainLink],
        store: Store,
    ) -> None:
        self.settings = settings
        self.account = account
        self.address = account.address
        self.links = chain_links
        self.store = store


async def rounds(service: Service, poll_interval: float, once: bool) -> None:
    """``service.round()`` every ``poll_interval`` seconds until cancelled (once with ``once``)."""
    while True:
        await service.round()
        if once:
            return
        await asyncio.sleep(poll_interval)


async def guarded(what: str, step: Awaitable[None], chain_id: int | None = None) -> None:
    """Run one step of a round; a node or database hiccup is logged and retried next round."""
    try:
        await step
    except Exception as exc:  # noqa: BLE001 - any failure of one step must not stop the others
        log.error(
            f"{what} failed", extra={"chain": chain_id, "error": f"{type(exc).__name__}: {exc}"}
        )


Factory = Callable[[Settings, LocalAccount, dict[int, ChainLink], Store], Service]


async def serve(
    role: str, settings: Settings, account: LocalAccount, make: Factory, once: bool = False
) -> None:
    """Start a bridge process of ``role`` on ``settings`` and run its rounds until cancelled."""
    chain_links = links(settings)
    store = Store(await connect(settings.database_url))
    try:
        if not once:
            metrics.serve(settings.metrics_port, settings.metrics_host)
        log.info(
            f"{role} start",
            extra={
                role: account.address,
                "chains": {str(cid): str(link.finality) for cid, link in chain_links.items()},
            },
        )
        service = make(settings, account, chain_links, store)
        await rounds(service, settings.poll_interval, once)
    finally:
        await store.close()
        await close(chain_links)


def run(role: str, prog: str, settings: Settings, make: Factory, once: bool) -> int:
    """Load the key and serve; configuration problems end with a message naming the setting."""
    logs.setup(settings.log_level)
    prefix = "BRIDGE_RELAYER_" if isinstance(settings, RelayerSettings) else "BRIDGE_VALIDATOR_"
    try:
        account = load_account(settings, prefix)
    except KeyConfigError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(role, settings, account, make, once=once))
    except ConfigError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    return 0
