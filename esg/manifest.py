"""The deployment manifest: which contracts live where, shared by scripts, indexer and API.

One JSON file (``deployments/<name>.json``; ``local.json`` for the local profiles) holds one entry
per chain id::

    {
      "version": 1,
      "chains": {
        "2025": {
          "chain_id": 2025,
          "network": "besu:local:node",
          "rpc_urls": ["http://127.0.0.1:8545"],
          "deployed_at": "2026-11-29T16:00:00+00:00",
          "start_block": 1,
          "contracts": {
            "GST": {"address": "0x...", "block": 3, "tx": "0x...", "abi": "abi/GST.json"},
            ...
          }
        }
      }
    }

ABI paths are relative to the manifest's folder, so a manifest and its ``abi/`` folder can be
copied anywhere together.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from esg.paths import deployments_dir
from esg.settings import local_settings

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class DeployedContract:
    """One deployed contract: where it is, when it appeared, and where its ABI lies."""

    address: str
    block: int
    tx: str
    abi: str


@dataclass
class ChainDeployment:
    """Every contract of the ecosystem deployed on one chain."""

    chain_id: int
    network: str
    rpc_urls: list[str]
    deployed_at: str
    contracts: dict[str, DeployedContract] = field(default_factory=dict)

    @property
    def start_block(self) -> int:
        """The first block that can hold an event of this deployment."""
        return min((c.block for c in self.contracts.values()), default=0)


@dataclass
class Manifest:
    """All chain deployments recorded in one manifest file."""

    path: Path
    chains: dict[int, ChainDeployment] = field(default_factory=dict)

    def abi(self, chain_id: int, name: str) -> list[dict]:
        """The ABI of contract ``name`` on ``chain_id``, loaded from its file."""
        entry = self.chains[chain_id].contracts[name]
        return json.loads((self.path.parent / entry.abi).read_text())

    def save(self) -> None:
        """Write the manifest atomically (a crash leaves the old file or the new one)."""
        data = {
            "version": MANIFEST_VERSION,
            "chains": {
                str(cid): {
                    **{k: v for k, v in asdict(dep).items() if k != "contracts"},
                    "start_block": dep.start_block,
                    "contracts": {n: asdict(c) for n, c in dep.contracts.items()},
                }
                for cid, dep in sorted(self.chains.items())
            },
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")
        os.replace(tmp, self.path)


def manifest_path(name: str = "local") -> Path:
    """The manifest file for a deployment set (``local`` for the local profiles)."""
    return deployments_dir() / f"{name}.json"


def load_manifest(path: Path | str | None = None) -> Manifest:
    """Read a manifest; a missing file gives an empty one bound to that path."""
    path = Path(path) if path else (local_settings().manifest or manifest_path())
    if not path.exists():
        return Manifest(path=path)
    raw = json.loads(path.read_text())
    if raw.get("version") != MANIFEST_VERSION:
        raise ValueError(f"{path}: unsupported manifest version {raw.get('version')!r}")
    chains = {}
    for cid, entry in raw["chains"].items():
        contracts = {n: DeployedContract(**c) for n, c in entry["contracts"].items()}
        chains[int(cid)] = ChainDeployment(
            chain_id=int(entry["chain_id"]),
            network=entry["network"],
            rpc_urls=list(entry["rpc_urls"]),
            deployed_at=entry["deployed_at"],
            contracts=contracts,
        )
    return Manifest(path=path, chains=chains)
