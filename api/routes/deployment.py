"""/deployment: contract addresses and ABIs per chain, for wallets and frontends.

The manifest's RPC URLs are left out on purpose: a live network's URL may carry an API key, and
a frontend reaches the chain through the user's wallet (or its own configuration), not through
the URLs the indexer uses. The manifest changes when a chain is redeployed, not with the indexed
heads: the answer is read again when the manifest file changes, never from the response cache.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from api.deps import SettingsDep
from api.errors import ApiError
from api.fields import AddressStr
from esg.manifest import Manifest, load_manifest

router = APIRouter(prefix="/deployment", tags=["deployment"])


class ContractOut(BaseModel):
    address: AddressStr
    block: int = Field(description="block of the deploy transaction")
    abi: str = Field(description="key of the contract's ABI in `abis`")


class ChainDeploymentOut(BaseModel):
    chain_id: int
    network: str = Field(description="ape network choice, e.g. besu:local:node")
    start_block: int
    contracts: dict[str, ContractOut]


class DeploymentOut(BaseModel):
    chains: list[ChainDeploymentOut]
    abis: dict[str, list[dict[str, Any]]] = Field(
        description="ABIs by key; chains running the same code share one"
    )


# (manifest path, mtime) -> answer: the manifest only changes when a chain is redeployed.
_cache: dict[tuple[Path, float], DeploymentOut] = {}


def deployment_of(manifest: Manifest) -> DeploymentOut:
    """The public part of a manifest: no RPC URL, no deploy transaction, ABIs once each."""
    abis: dict[str, list] = {}
    chains = []
    for chain_id, dep in sorted(manifest.chains.items()):
        contracts = {}
        for name, c in dep.contracts.items():
            if c.abi not in abis:
                abis[c.abi] = json.loads((manifest.path.parent / c.abi).read_text())
            contracts[name] = ContractOut(address=c.address, block=c.block, abi=c.abi)
        chains.append(
            ChainDeploymentOut(
                chain_id=chain_id,
                network=dep.network,
                start_block=dep.start_block,
                contracts=contracts,
            )
        )
    return DeploymentOut(chains=chains, abis=abis)


@router.get("", summary="Contract addresses and ABIs per chain (from the deployment manifest)")
async def deployment(settings: SettingsDep, response: Response) -> DeploymentOut:
    response.headers["Cache-Control"] = "no-store"
    try:
        manifest = load_manifest(settings.manifest)
        if not manifest.chains:
            raise ApiError(503, "no chain is deployed yet", {"Retry-After": "5"})
        key = (manifest.path, manifest.path.stat().st_mtime)
        body = _cache.get(key)
        if body is None:
            body = deployment_of(manifest)
            _cache.clear()
            _cache[key] = body
    except (OSError, ValueError, KeyError) as exc:
        raise ApiError(503, "the deployment manifest cannot be read", {"Retry-After": "5"}) from exc
    return body
