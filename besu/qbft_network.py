"""Lay out a QBFT network of Besu nodes: keys, genesis with the validators, per-node configuration.

    esg besu-layout --out besu/network --validators 4     (or python -m besu.qbft_network)

writes, for ``N`` validators::

    <out>/genesis.json                 besu/genesis.json with extraData naming the N validators
    <out>/permissions_config.toml      node allowlist: the N enode URLs
    <out>/static-nodes.json            the N enode URLs (every node dials the others)
    <out>/node-<i>/data/key            node i's private key (0x-prefixed hex, Besu's format)
    <out>/node-<i>/config.toml         node i's Besu options (p2p 30303+i-1, RPC 8545+i-1)

Node keys are generated fresh on every run and never belong in version control. ``--dev-keys``
derives them instead from the public development mnemonic (``test test ... junk``, path
``m/44'/60'/1'/0/i``); that reproduces the validators of the committed ``besu/genesis.json`` and
is only for throwaway local networks, since anyone can derive those keys.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import click
import rlp
from eth_account import Account
from eth_keys import keys

from esg.personas import DEV_ACCOUNT_PATH, DEV_MNEMONIC

BESU_DIR = Path(__file__).resolve().parent
TEMPLATE_GENESIS = BESU_DIR / "genesis.json"
TEMPLATE_CONFIG = BESU_DIR / "config.toml"

DEV_VALIDATOR_PATH = "m/44'/60'/1'/0/{}"
DEV_ACCOUNT_COUNT = 20

VANITY_LENGTH = 32

BASE_P2P_PORT = 30303
BASE_RPC_PORT = 8545


@dataclass(frozen=True)
class NodeKey:
    """A node's secp256k1 key; its address is the QBFT validator address."""

    private_key: bytes

    @property
    def public_key(self) -> bytes:
        """The 64-byte uncompressed public key (without the 0x04 prefix)."""
        return keys.PrivateKey(self.private_key).public_key.to_bytes()

    @property
    def address(self) -> str:
        """The checksummed validator address derived from the public key."""
        return keys.PrivateKey(self.private_key).public_key.to_checksum_address()

    def enode(self, host: str, port: int) -> str:
        """The node's enode URL at ``host:port`` (discovery on the same port)."""
        return f"enode://{self.public_key.hex()}@{host}:{port}"


def random_keys(count: int) -> list[NodeKey]:
    """``count`` fresh node keys from the operating system's randomness."""
    result = []
    while len(result) < count:
        raw = secrets.token_bytes(32)
        # A valid secp256k1 scalar is in [1, n-1]; a random 32 bytes almost always is.
        try:
            keys.PrivateKey(raw)
        except Exception:  # noqa: BLE001 - eth_keys raises a bare ValidationError here
            continue
        result.append(NodeKey(raw))
    return result


def _derive(path: str) -> bytes:
    Account.enable_unaudited_hdwallet_features()
    return bytes(Account.from_mnemonic(DEV_MNEMONIC, account_path=path).key)


def dev_validator_keys(count: int) -> list[NodeKey]:
    """Validator node keys derived from the public development mnemonic (local use only)."""
    return [NodeKey(_derive(DEV_VALIDATOR_PATH.format(i))) for i in range(count)]


def dev_accounts(count: int = DEV_ACCOUNT_COUNT) -> list[str]:
    """Addresses of the development accounts that the genesis prefunds (ape's test accounts)."""
    return [Account.from_key(_derive(DEV_ACCOUNT_PATH.format(i))).address for i in range(count)]


def encode_extra_data(validators: list[str]) -> str:
    """QBFT genesis extraData: RLP([32-byte vanity, [validators], no vote, round 0, no seals])."""
    addresses = [bytes.fromhex(a.removeprefix("0x")) for a in sorted(validators, key=str.lower)]
    if any(len(a) != 20 for a in addresses):
        raise ValueError("validator addresses must be 20 bytes")
    return "0x" + rlp.encode([b"\x00" * VANITY_LENGTH, addresses, [], 0, []]).hex()


def decode_extra_data(extra_data: str) -> list[str]:
    """The validator addresses listed in a QBFT extraData (raises ValueError when malformed)."""
    try:
        items = rlp.decode(bytes.fromhex(extra_data.removeprefix("0x")))
    except Exception as exc:
        raise ValueError(f"extraData is not valid RLP: {exc}") from exc
    if not isinstance(items, list) or len(items) != 5:
        raise ValueError("QBFT extraData must be a list of 5 items")
    vanity, validators, vote, round_number, seals = items
    if not isinstance(vanity, bytes) or len(vanity) != VANITY_LENGTH:
        raise ValueError("extraData vanity must be 32 bytes")
    if not isinstance(validators, list) or not validators:
        raise ValueError("extraData must list at least one validator")
    if any(not isinstance(v, bytes) or len(v) != 20 for v in validators):
        raise ValueError("extraData validators must be 20-byte addresses")
    if not isinstance(vote, list) or not isinstance(seals, list):
        raise ValueError("extraData vote and seals must be lists")
    if not isinstance(round_number, bytes) or len(round_number) > 4:
        raise ValueError("extraData round must be an integer")
    return ["0x" + v.hex() for v in validators]


def build_genesis(validators: list[str], template: Path = TEMPLATE_GENESIS) -> dict:
    """The template genesis with its extraData replaced by one naming ``validators``."""
    genesis = copy.deepcopy(json.loads(template.read_text()))
    genesis["extraData"] = encode_extra_data(validators)
    return genesis


def toml_value(value: object) -> str:
    """A TOML literal for the scalar and list values Besu's options take."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def node_options(
    node_dir: Path, out: Path, index: int, host: str, bootnodes: list[str]
) -> dict[str, object]:
    """Options of node ``index`` (0-based): besu/config.toml with the node's paths and ports."""
    options = tomllib.loads(TEMPLATE_CONFIG.read_text())
    options.update(
        {
            "genesis-file": str(out / "genesis.json"),
            "data-path": str(node_dir / "data"),
            "node-private-key-file": str(node_dir / "data" / "key"),
            "p2p-host": host,
            "p2p-port": BASE_P2P_PORT + index,
            "rpc-http-port": BASE_RPC_PORT + index,
            "permissions-nodes-config-file": str(out / "permissions_config.toml"),
            "static-nodes-file": str(out / "static-nodes.json"),
            "bootnodes": bootnodes,
        }
    )
    return options


def render_toml(options: dict[str, object], header: str) -> str:
    """Besu's flat TOML config: one ``option=value`` line per option."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += [f"{key}={toml_value(value)}" for key, value in options.items()]
    return "\n".join(lines) + "\n"


def layout(
    out: Path, validators: int, host: str = "127.0.0.1", dev_keys: bool = False
) -> list[NodeKey]:
    """Write a ``validators``-node QBFT network under ``out``; return the node keys."""
    if validators < 1:
        raise ValueError("a QBFT network needs at least one validator")
    out = out.resolve()
    node_keys = dev_validator_keys(validators) if dev_keys else random_keys(validators)
    enodes = [k.enode(host, BASE_P2P_PORT + i) for i, k in enumerate(node_keys)]
    out.mkdir(parents=True, exist_ok=True)

    genesis = build_genesis([k.address for k in node_keys])
    (out / "genesis.json").write_text(json.dumps(genesis, indent=2) + "\n")
    (out / "static-nodes.json").write_text(json.dumps(enodes, indent=2) + "\n")
    (out / "permissions_config.toml").write_text(
        render_toml({"nodes-allowlist": enodes}, "Node allowlist: the validators of this network.")
    )
    for i, key in enumerate(node_keys):
        node_dir = out / f"node-{i + 1}"
        (node_dir / "data").mkdir(parents=True, exist_ok=True)
        key_file = node_dir / "data" / "key"
        key_file.write_text("0x" + key.private_key.hex())
        os.chmod(key_file, 0o600)
        options = node_options(node_dir, out, i, host, enodes[:1] if i else [])
        header = (
            f"Besu node {i + 1} of {validators}: validator {key.address}\n"
            f"Start with: besu --config-file={node_dir / 'config.toml'}"
        )
        (node_dir / "config.toml").write_text(render_toml(options, header))
    return node_keys


@click.command(name="besu-layout")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the network into.",
)
@click.option(
    "--validators",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Validator nodes.",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="IP address the nodes advertise."
)
@click.option(
    "--dev-keys",
    is_flag=True,
    help="Derive node keys from the public development mnemonic (local use only).",
)
def cli(out: Path, validators: int, host: str, dev_keys: bool) -> None:
    """Lay out a QBFT network of Besu nodes: keys, genesis with the validators, node configs."""
    node_keys = layout(out, validators, host, dev_keys)
    click.echo(f"QBFT network of {len(node_keys)} validators written to {out.resolve()}")
    for i, key in enumerate(node_keys):
        node_dir = out.resolve() / f"node-{i + 1}"
        rpc = f"http://{host}:{BASE_RPC_PORT + i}"
        click.echo(f"  node-{i + 1}: validator {key.address}, rpc {rpc}")
        click.echo(f"    besu --config-file={node_dir / 'config.toml'}")


def main(argv: list[str] | None = None) -> int:
    """``python -m besu.qbft_network`` (the same as ``esg besu-layout``)."""
    from esg.cli import run

    return run(cli, argv, "python -m besu.qbft_network")


if __name__ == "__main__":
    sys.exit(main())
