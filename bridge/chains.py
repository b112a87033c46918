"""The chains a bridge process works with: every chain of the deployment manifest that has a
``Bridge``, each with its RPC client, finality rule, bridge contract and log follower."""

from __future__ import annotations

from dataclasses import dataclass

from bridge import metrics
from bridge.settings import RelayerSettings, ValidatorSettings
from esg.chain.abi import Contract, ContractABI
from esg.chain.finality import Finality
from esg.chain.follower import LogFollower
from esg.chain.rpc import RPC
from esg.manifest import Manifest, load_manifest

BRIDGE = "Bridge"


class ConfigError(Exception):
    """The manifest or the settings do not describe a usable bridge."""


@dataclass
class ChainLink:
    """One chain: its node, finality rule, Bridge contract and a follower of its bridge logs."""

    chain_id: int
    network: str
    rpc: RPC
    finality: Finality
    bridge: Contract
    follower: LogFollower
    start_block: int

    @property
    def abi(self) -> ContractABI:
        return self.bridge.abi

    def contract(self, address: str, abi: ContractABI) -> Contract:
        return Contract(self.rpc, address, abi)


def links(
    settings: RelayerSettings | ValidatorSettings, manifest: Manifest | None = None
) -> dict[int, ChainLink]:
    """A link per manifest chain with a Bridge; RPC URLs from the settings, else the manifest."""
    manifest = manifest or load_manifest(settings.manifest)
    out: dict[int, ChainLink] = {}
    for chain_id, dep in sorted(manifest.chains.items()):
        entry = dep.contracts.get(BRIDGE)
        if entry is None:
            continue
        urls = settings.rpc_urls.get(chain_id) or dep.rpc_urls
        if not urls:
            raise ConfigError(
                f"chain {chain_id}: no RPC URL (the manifest records none; set RPC_URLS)"
            )
        rpc = RPC(
            chain_id, urls, timeout=settings.rpc_timeout, retry_budget=60.0, metrics=metrics.RPC
        )
        finality = Finality.for_network(dep.network, settings.finality.get(chain_id))
        abi = ContractABI.from_manifest(manifest, chain_id, BRIDGE)
        topics = [[abi.event("MessageSent").topic0, abi.event("AdminMessageSent").topic0]]
        out[chain_id] = ChainLink(
            chain_id=chain_id,
            network=dep.network,
            rpc=rpc,
            finality=finality,
            bridge=Contract(rpc, entry.address, abi),
            follower=LogFollower(rpc, finality, [entry.address], topics, settings.block_range),
            start_block=entry.block,
        )
    if len(out) < 2:
        raise ConfigError(
            f"{manifest.path}: a bridge needs a Bridge on two chains, found {len(out)}"
        )
    return out


async def close(chain_links: dict[int, ChainLink]) -> None:
    for link in chain_links.values():
        await link.rpc.close()
