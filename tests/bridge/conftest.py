"""Two chains for the bridge tests: ape's anvil is the root chain, a second anvil started here
(chain id 80002) is the child chain. Both carry the real bridged tokens: on the root GST and CCR
(with its ECR) as originals, on the child their child copies, deployed with web3.py from the same
compiled bytecode. The child bridge is governed from the root chain (admin messages).

The bridge services (validators and relayer) keep their state in a fresh PostgreSQL database per
test (the embedded server unless DATABASE_URL names one) and read a manifest written here.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from eth_account import Account
from eth_utils import keccak
from web3 import Web3
from web3.logs import DISCARD

from bridge.keys import DEV_THRESHOLD, dev_account, dev_validators
from bridge.message import Transfer, ordered
from bridge.relayer import Relayer
from bridge.service import serve
from bridge.settings import RelayerSettings, ValidatorSettings
from bridge.validator import Validator
from esg.database import embedded_url, ensure_database, with_database
from esg.manifest import ChainDeployment, DeployedContract, Manifest
from esg.paths import PROJECT_ROOT

CHILD_CHAIN_ID = 80002
ERC20, ERC1155 = 20, 1155
CAP = 10**9 * 10**18
ROOT_SUPPLY = 1_000_000 * 10**18
ROOT_UNITS = 5_000
# The first batch tokenized on the root CCR.
CCR_ID = 1
# Seconds a child bridge waits before executing an admin message.
ADMIN_DELAY = 60
ANVIL = PROJECT_ROOT / "node_modules" / ".bin" / "anvil"
ADMIN_ROLE = b"\x00" * 32
DEPOSITOR_ROLE = keccak(text="DEPOSITOR_ROLE")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def abi_of(contract_type) -> list[dict]:
    return [item.model_dump(by_alias=True, mode="json") for item in contract_type.abi]


def fresh_database(prefix: str = "bridge") -> str:
    """A new, empty database on the test PostgreSQL server."""
    server = os.environ.get("DATABASE_URL") or embedded_url()
    url = with_database(server, f"{prefix}_{uuid.uuid4().hex[:12]}")
    asyncio.run(ensure_database(url))
    return url


async def _fetch(url: str, sql: str, *args) -> list:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


def rows_of(url: str, sql: str, *args) -> list:
    """The rows of one SQL statement on the bridge services' database."""
    return asyncio.run(_fetch(url, sql, *args))


@dataclass
class ChildChain:
    """The child chain: its node, web3 connection and contracts."""

    w3: Web3
    uri: str
    bridge: object
    token20: object
    token1155: object
    deploy_blocks: dict[str, int]
    abis: dict[str, list]

    def transact(self, fn, sender: str) -> dict:
        tx_hash = fn.transact({"from": sender})
        return self.w3.eth.wait_for_transaction_receipt(tx_hash)

    def mine(self, blocks: int = 1) -> None:
        self.w3.provider.make_request("anvil_mine", [hex(blocks)])


@dataclass
class RootChain:
    bridge: object
    token20: object
    token1155: object
    ecr: object


def start_anvil(chain_id: int) -> tuple[subprocess.Popen, Web3, str]:
    """An anvil with ``chain_id`` on a free port (the caller stops it by its pid)."""
    port = _free_port()
    proc = subprocess.Popen(
        [str(ANVIL), "--port", str(port), "--chain-id", str(chain_id), "--silent"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    uri = f"http://127.0.0.1:{port}"
    w3 = Web3(Web3.HTTPProvider(uri))
    deadline = time.monotonic() + 30
    while not w3.is_connected():
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail(f"anvil for chain {chain_id} did not start")
        time.sleep(0.1)
    return proc, w3, uri


def web3_deployer(w3: Web3, project, sender: str, blocks: dict, abis: dict):
    """``deploy(name, *args)``: deploy a project contract with web3 from ``sender``."""

    def deploy(name: str, *args):
        ct = project.get_contract(name).contract_type
        abis[name] = abi_of(ct)
        factory = w3.eth.contract(abi=abis[name], bytecode=ct.deployment_bytecode.bytecode)
        receipt = w3.eth.wait_for_transaction_receipt(
            factory.constructor(*args).transact({"from": sender})
        )
        blocks[name] = receipt["blockNumber"]
        return w3.eth.contract(address=receipt["contractAddress"], abi=abis[name])

    return deploy


@pytest.fixture(scope="session")
def child_node():
    """A second anvil with its own chain id; stopped (by its pid) at the end of the session."""
    proc, w3, uri = start_anvil(CHILD_CHAIN_ID)
    yield w3, uri
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def validators():
    """The three development validator keys (DEVELOPMENT ONLY), threshold two."""
    return dev_validators()


@pytest.fixture(scope="session")
def relayer_account():
    return dev_account(9)


@pytest.fixture(scope="session")
def root(project, admin, alice, validators):
    """Root side: GST and CCR originals locked by the root bridge; alice holds them all."""
    bridge = project.Bridge.deploy(
        [v.address for v in validators], DEV_THRESHOLD, 0, 0, sender=admin
    )
    gst = project.GST.deploy(CAP, False, sender=admin)
    ecr = project.ECR.deploy("ipfs://ecr/", sender=admin)
    ccr = project.CCR.deploy("ipfs://ccr/", ecr, False, sender=admin)
    ecr.grantRole(ecr.CERTIFIER_ROLE(), ccr, sender=admin)
    gst.grantRole(gst.MINTER_ROLE(), admin, sender=admin)
    gst.mint(alice, ROOT_SUPPLY, sender=admin)
    ccr.grantRole(ccr.ISSUER_ROLE(), admin, sender=admin)
    registry = ccr.add_registry("Verra", sender=admin).return_value
    ccr.tokenize(alice, registry, "VCS-981", 2022, "VM0042", 1, ROOT_UNITS, "", sender=admin)
    for token, standard in ((gst, ERC20), (ccr, ERC1155)):
        bridge.set_token(token, standard, False, sender=admin)
        token.grantRole(DEPOSITOR_ROLE, bridge, sender=admin)
    gst.approve(bridge, 2**256 - 1, sender=alice)
    ccr.setApprovalForAll(bridge, True, sender=alice)
    return RootChain(bridge=bridge, token20=gst, token1155=ccr, ecr=ecr)


@pytest.fixture(scope="session")
def child(child_node, project, admin, validators, chain):
    """Child side: child copies of GST and CCR, minted only by the child bridge, which is
    governed from the root chain (ape's chain id) by admin messages."""
    w3, uri = child_node
    blocks: dict[str, int] = {}
    abis: dict[str, list] = {}
    deploy = web3_deployer(w3, project, admin.address, blocks, abis)

    bridge = deploy(
        "Bridge", [v.address for v in validators], DEV_THRESHOLD, chain.chain_id, ADMIN_DELAY
    )
    gst = deploy("GST", CAP, True)
    ecr = deploy("ECR", "ipfs://ecr/")
    ccr = deploy("CCR", "ipfs://ccr/", ecr.address, True)
    child = ChildChain(w3, uri, bridge, gst, ccr, blocks, abis)
    child.transact(
        ecr.functions.grantRole(keccak(text="CERTIFIER_ROLE"), ccr.address), admin.address
    )
    for token, standard in ((gst, ERC20), (ccr, ERC1155)):
        child.transact(token.functions.grantRole(DEPOSITOR_ROLE, bridge.address), admin.address)
        child.transact(bridge.functions.set_token(token.address, standard, True), admin.address)
    return child


@pytest.fixture(scope="session")
def wired(root, child, admin, chain):
    """Both bridges with their token pairs mapped to each other."""
    root_id = chain.chain_id
    root.bridge.map_token(root.token20, CHILD_CHAIN_ID, child.token20.address, sender=admin)
    root.bridge.map_token(root.token1155, CHILD_CHAIN_ID, child.token1155.address, sender=admin)
    for local, remote in ((child.token20, root.token20), (child.token1155, root.token1155)):
        child.transact(
            child.bridge.functions.map_token(local.address, root_id, remote.address), admin.address
        )
    return root, child


@pytest.fixture(autouse=True)
def child_isolation(request):
    """Revert the child chain after every test that touched it (ape isolates the root)."""
    if "child" not in request.fixturenames and "wired" not in request.fixturenames:
        yield
        return
    w3 = request.getfixturevalue("child").w3
    snap = w3.provider.make_request("evm_snapshot", [])["result"]
    yield
    w3.provider.make_request("evm_revert", [snap])


@pytest.fixture
def manifest_file(tmp_path, root, child, chain) -> Path:
    """A deployment manifest naming both chains' Bridge, GST and CCR, with their ABIs."""
    abi_dir = tmp_path / "abi"
    abi_dir.mkdir()
    for name, abi in child.abis.items():
        (abi_dir / f"{name}.json").write_text(json.dumps(abi))
    now = datetime.now(UTC).isoformat()
    start = chain.blocks.head.number

    def entry(address: str, block: int, name: str) -> DeployedContract:
        return DeployedContract(address=str(address), block=block, tx="0x", abi=f"abi/{name}.json")

    manifest = Manifest(path=tmp_path / "manifest.json")
    manifest.chains[chain.chain_id] = ChainDeployment(
        chain_id=chain.chain_id,
        network="ethereum:local:foundry",
        rpc_urls=[chain.provider.uri],
        deployed_at=now,
        contracts={
            "Bridge": entry(root.bridge.address, start, "Bridge"),
            "GST": entry(root.token20.address, start, "GST"),
            "CCR": entry(root.token1155.address, start, "CCR"),
        },
    )
    manifest.chains[CHILD_CHAIN_ID] = ChainDeployment(
        chain_id=CHILD_CHAIN_ID,
        network="polygon:local:foundry",
        rpc_urls=[child.uri],
        deployed_at=now,
        contracts={
            "Bridge": entry(child.bridge.address, child.w3.eth.block_number, "Bridge"),
            "GST": entry(child.token20.address, child.deploy_blocks["GST"], "GST"),
            "CCR": entry(child.token1155.address, child.deploy_blocks["CCR"], "CCR"),
        },
    )
    manifest.save()
    return manifest.path


@pytest.fixture
def database():
    """A fresh database for the bridge services of one test."""
    return fresh_database()


@dataclass
class Services:
    """Settings of the validators and the relayer of one test, run in this process."""

    validators: list[ValidatorSettings]
    relayer: RelayerSettings
    env: dict[str, str]

    def validate(self, *which: int) -> None:
        """One round of the validators ``which`` (default: all three)."""
        for i in which or range(len(self.validators)):
            settings = self.validators[i]
            account = dev_account(settings.dev_account)
            asyncio.run(serve("validator", settings, account, Validator, once=True))

    def relay(self) -> None:
        """One round of the relayer."""
        asyncio.run(serve("relayer", self.relayer, dev_account(9), Relayer, once=True))

    def round(self, *validators: int) -> None:
        self.validate(*validators)
        self.relay()


def finality(root_chain_id: int, root: str = "instant", child: str = "instant") -> dict:
    return {root_chain_id: root, CHILD_CHAIN_ID: child}


@pytest.fixture
def services(manifest_file, database, chain) -> Services:
    """Three validators (accounts 10-12) and the relayer (account 9), instant finality on both
    chains; tests that exercise finality set their own rule with ``with_finality``."""
    return make_services(manifest_file, database, finality(chain.chain_id))


def make_services(manifest: Path, database: str, rules: dict, **relayer_kw) -> Services:
    common = dict(
        database_url=database,
        manifest=manifest,
        finality={k: v for k, v in rules.items()},
        poll_interval=0.1,
        metrics_port=0,
        log_level="WARNING",
    )
    validators = [ValidatorSettings(**common, dev_account=i) for i in (10, 11, 12)]
    relayer = RelayerSettings(**common, dev_account=9, receipt_timeout=30, **relayer_kw)
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "ESG_MANIFEST": str(manifest),
        "BRIDGE_RELAYER_DEV_ACCOUNT": "9",
        "BRIDGE_RELAYER_POLL_INTERVAL": "0.2",
        "BRIDGE_RELAYER_METRICS_PORT": "0",
        "BRIDGE_RELAYER_FINALITY": json.dumps({str(k): v for k, v in rules.items()}),
        "BRIDGE_VALIDATOR_POLL_INTERVAL": "0.2",
        "BRIDGE_VALIDATOR_METRICS_PORT": "0",
        "BRIDGE_VALIDATOR_FINALITY": json.dumps({str(k): v for k, v in rules.items()}),
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    return Services(validators, relayer, env)


def root_message(receipt, bridge) -> Transfer:
    """The message of the `MessageSent` log in an ape receipt of the root bridge."""
    (event,) = receipt.decode_logs(bridge.MessageSent)
    tx_hash = bytes.fromhex(receipt.txn_hash.removeprefix("0x"))
    return Transfer.from_event(event.src_chain_id, tx_hash, event.log_index, event.event_arguments)


def child_message(receipt, bridge) -> Transfer:
    """The message of the `MessageSent` log in a web3 receipt of a bridge deployed with web3."""
    (event,) = bridge.events.MessageSent().process_receipt(receipt, errors=DISCARD)
    args = event["args"]
    return Transfer.from_event(
        args["src_chain_id"], bytes(event["transactionHash"]), event["logIndex"], args
    )


def signed(message, dest_bridge: str, keys, threshold: int = DEV_THRESHOLD) -> list[bytes]:
    """``threshold`` signatures of ``keys`` over ``message``, ordered as the contract wants."""
    return ordered({k.address: message.sign(k, dest_bridge) for k in keys}, threshold)


def stranger():
    return Account.create()


def supply_across_chains(root, child) -> tuple[int, int]:
    """ERC-20 and CCR units in circulation on both chains (root supply minus locked, plus child)."""
    erc20 = (
        root.token20.totalSupply()
        - root.token20.balanceOf(root.bridge)
        + child.token20.functions.totalSupply().call()
    )
    units = (
        root.token1155.total_supply(CCR_ID)
        - root.token1155.balanceOf(root.bridge, CCR_ID)
        + child.token1155.functions.total_supply(CCR_ID).call()
    )
    return erc20, units
