"""Relayer configuration: from environment variables, optionally a JSON file, else local
development defaults.

Environment (all optional):
    ESG_MANIFEST                 deployment manifest (default deployments/local.json)
    ESG_BRIDGE_CONFIG            JSON file with any of the keys below (lower-case, without prefix)
    ESG_BRIDGE_VALIDATOR_KEYS    comma-separated validator private keys
    ESG_BRIDGE_RELAYER_KEY       private key of the account that pays for `receive_message`
    ESG_BRIDGE_STATE             state database (default <runtime dir>/bridge/relayer.sqlite)
    ESG_BRIDGE_POLL_INTERVAL     seconds between scans (default 1.0)
    ESG_BRIDGE_CONFIRMATIONS     blocks a `MessageSent` must be buried under (default 0)
    ESG_BRIDGE_BLOCK_RANGE       most blocks per eth_getLogs call (default 2000)

Environment variables win over the file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount

from esg.manifest import manifest_path
from esg.paths import runtime_dir

# DEVELOPMENT ONLY: the public mnemonic every anvil/hardhat node uses. Keys derived from it
# guard nothing; never configure them on a network that holds value.
DEV_MNEMONIC = "test test test test test test test test test test test junk"
# Anvil's accounts 10-12 sign as validators, account 9 relays (anvil funds 0-9 by default).
DEV_VALIDATOR_INDEXES = (10, 11, 12)
DEV_RELAYER_INDEX = 9
DEV_THRESHOLD = 2


def dev_account(index: int) -> LocalAccount:
    """Account `index` of the development mnemonic (DEVELOPMENT ONLY)."""
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")


def dev_validators() -> list[LocalAccount]:
    """The development validator accounts (DEVELOPMENT ONLY)."""
    return [dev_account(i) for i in DEV_VALIDATOR_INDEXES]


@dataclass
class RelayerConfig:
    """Everything the relayer needs besides the manifest's chains and addresses."""

    manifest: Path
    validator_keys: list[LocalAccount]
    relayer_key: LocalAccount
    state_path: Path
    poll_interval: float = 1.0
    confirmations: int = 0
    block_range: int = 2000
    dev_keys: bool = field(default=False)

    @classmethod
    def load(cls, **overrides: object) -> RelayerConfig:
        """Read the file named by ESG_BRIDGE_CONFIG, then the environment, then `overrides`."""
        values: dict[str, object] = {}
        cfg_file = os.environ.get("ESG_BRIDGE_CONFIG")
        if cfg_file:
            values.update(json.loads(Path(cfg_file).read_text()))
        for key in (
            "validator_keys",
            "relayer_key",
            "state",
            "poll_interval",
            "confirmations",
            "block_range",
        ):
            env = os.environ.get(f"ESG_BRIDGE_{key.upper()}")
            if env:
                values[key] = env
        values.update({k: v for k, v in overrides.items() if v is not None})

        keys = values.get("validator_keys")
        if isinstance(keys, str):
            keys = [k.strip() for k in keys.split(",") if k.strip()]
        dev = not keys or not values.get("relayer_key")
        validators = [Account.from_key(k) for k in keys] if keys else dev_validators()
        relayer_key = values.get("relayer_key")
        relayer = Account.from_key(relayer_key) if relayer_key else dev_account(DEV_RELAYER_INDEX)
        state = values.get("state") or runtime_dir() / "bridge" / "relayer.sqlite"
        return cls(
            manifest=Path(
                str(values.get("manifest") or os.environ.get("ESG_MANIFEST") or manifest_path())
            ),
            validator_keys=validators,
            relayer_key=relayer,
            state_path=Path(str(state)),
            poll_interval=float(values.get("poll_interval", 1.0)),
            confirmations=int(values.get("confirmations", 0)),
            block_range=int(values.get("block_range", 2000)),
            dev_keys=dev,
        )
