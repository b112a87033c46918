"""Two chains for the bridge tests: ape's anvil is the root chain, a second anvil started here
(chain id 80002) is the child chain. Root contracts are deployed with ape, child contracts with
web3.py from the same compiled bytecode."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from eth_account import Account
from web3 import Web3
from web3.logs import DISCARD

from bridge.config import DEV_THRESHOLD, dev_account, dev_validators
from bridge.message import Message, collect_signatures
from esg.manifest import ChainDeployment, DeployedContract, Manifest
from esg.paths import PROJECT_ROOT

CHILD_CHAIN_ID = 80002
ERC20, ERC1155 = 20, 1155
CCR_ID = 7
ROOT_SUPPLY = 1_000_000 * 10**18
ROOT_UNITS = 5_000
ANVIL = PROJECT_ROOT / "node_modules" / ".bin" / "anvil"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def abi_of(contract_type) -> list[dict]:
    return [item.model_dump(by_alias=True, mode="json") for item in contract_type.abi]


@dataclass
class ChildChain:
    """The child chain: its node, web3 connection and contracts."""

    w3: Web3
    uri: str
    bridge: object
    token20: object
    token1155: object
    deploy_blocks: dict[str, int]

    def transact(self, fn, sender: str) -> dict:
        tx_hash = fn.transact({"from": sender})
        return self.w3.eth.wait_for_transaction_receipt(tx_hash)


@dataclass
class RootChain:
    bridge: object
    token20: object
    token1155: object


@pytest.fixture(scope="session")
def child_node():
    """A second anvil with its own chain id; stopped (by its pid) at the end of the session."""
    port = _free_port()
    proc = subprocess.Popen(
        [str(ANVIL), "--port", str(port), "--chain-id", str(CHILD_CHAIN_ID), "--silent"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    uri = f"http://127.0.0.1:{port}"
    w3 = Web3(Web3.HTTPProvider(uri))
    deadline = time.monotonic() + 30
    while not w3.is_connected():
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("child anvil did not start")
        time.sleep(0.1)
    yield w3, uri
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def validators():
    """The development validator keys the relayer uses by default."""
    return dev_validators()


@pytest.fixture(scope="session")
def relayer_account():
    return dev_account(9)


@pytest.fixture(scope="session")
def root(project, admin, alice, validators):
    """Root side: bridge locking the mock tokens; alice holds the whole supply."""
    bridge = project.Bridge.deploy([v.address for v in validators], DEV_THRESHOLD, sender=admin)
    token20 = project.MockRootERC20.deploy(sender=admin)
    token1155 = project.MockRootERC1155.deploy(sender=admin)
    token20.mint(alice, ROOT_SUPPLY, sender=admin)
    token1155.safe_mint(alice, CCR_ID, ROOT_UNITS, b"", sender=admin)
    bridge.set_token(token20, ERC20, False, sender=admin)
    bridge.set_token(token1155, ERC1155, False, sender=admin)
    token20.approve(bridge, 2**256 - 1, sender=alice)
    token1155.setApprovalForAll(bridge, True, sender=alice)
    return RootChain(bridge=bridge, token20=token20, token1155=token1155)


@pytest.fixture(scope="session")
def child(child_node, project, admin, validators):
    """Child side: bridge minting the mock child tokens, which grant it DEPOSITOR_ROLE."""
    w3, uri = child_node
    blocks: dict[str, int] = {}

    def deploy(name: str, *args):
        ct = project.get_contract(name).contract_type
        factory = w3.eth.contract(abi=abi_of(ct), bytecode=ct.deployment_bytecode.bytecode)
        receipt = w3.eth.wait_for_transaction_receipt(
            factory.constructor(*args).transact({"from": admin.address})
        )
        blocks[name] = receipt["blockNumber"]
        return w3.eth.contract(address=receipt["contractAddress"], abi=abi_of(ct))

    bridge = deploy("Bridge", [v.address for v in validators], DEV_THRESHOLD)
    token20 = deploy("MockChildERC20")
    token1155 = deploy("MockChildERC1155")
    chain = ChildChain(w3, uri, bridge, token20, token1155, blocks)
    for token in (token20, token1155):
        role = token.functions.DEPOSITOR_ROLE().call()
        chain.transact(token.functions.grantRole(role, bridge.address), admin.address)
    chain.transact(bridge.functions.set_token(token20.address, ERC20, True), admin.address)
    chain.transact(bridge.functions.set_token(token1155.address, ERC1155, True), admin.address)
    return chain


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
    """A deployment manifest naming both chains' Bridge and token contracts."""
    (tmp_path / "abi").mkdir()
    (tmp_path / "abi" / "Bridge.json").write_text(json.dumps(abi_of(root.bridge.contract_type)))
    now = datetime.now(UTC).isoformat()
    start = chain.blocks.head.number

    def entry(address: str, block: int) -> DeployedContract:
        return DeployedContract(address=str(address), block=block, tx="0x", abi="abi/Bridge.json")

    manifest = Manifest(path=tmp_path / "manifest.json")
    manifest.chains[chain.chain_id] = ChainDeployment(
        chain_id=chain.chain_id,
        network="ethereum:local:foundry",
        rpc_urls=[chain.provider.uri],
        deployed_at=now,
        contracts={
            "Bridge": entry(root.bridge.address, start),
            "GST": entry(root.token20.address, start),
            "CCR": entry(root.token1155.address, start),
        },
    )
    manifest.chains[CHILD_CHAIN_ID] = ChainDeployment(
        chain_id=CHILD_CHAIN_ID,
        network="polygon:local:foundry",
        rpc_urls=[child.uri],
        deployed_at=now,
        contracts={
            "Bridge": entry(child.bridge.address, child.w3.eth.block_number),
            "GST": entry(child.token20.address, child.deploy_blocks["MockChildERC20"]),
            "CCR": entry(child.token1155.address, child.deploy_blocks["MockChildERC1155"]),
        },
    )
    manifest.save()
    return manifest.path


@pytest.fixture
def relayer_env(tmp_path, manifest_file, relayer_account) -> dict[str, str]:
    """Environment for a relayer process bound to this test's manifest and state file."""
    return {
        **os.environ,
        "ESG_MANIFEST": str(manifest_file),
        "ESG_BRIDGE_STATE": str(tmp_path / "relayer.sqlite"),
        "ESG_BRIDGE_RELAYER_KEY": relayer_account.key.hex(),
        "ESG_BRIDGE_VALIDATOR_KEYS": ",".join(v.key.hex() for v in dev_validators()),
        "ESG_BRIDGE_POLL_INTERVAL": "0.2",
        "PYTHONPATH": str(PROJECT_ROOT),
    }


def root_message(receipt, bridge) -> Message:
    """The message of the `MessageSent` log in an ape receipt of the root bridge."""
    (event,) = receipt.decode_logs(bridge.MessageSent)
    return Message(
        src_chain_id=event.src_chain_id,
        src_tx_hash=bytes.fromhex(receipt.txn_hash.removeprefix("0x")),
        src_log_index=event.log_index,
        dest_chain_id=event.dest_chain_id,
        token=event.dest_token,
        id=event.id,
        amount=event.amount,
        recipient=event.recipient,
    )


def child_message(receipt, bridge) -> Message:
    """The message of the `MessageSent` log in a web3 receipt of the child bridge."""
    (event,) = bridge.events.MessageSent().process_receipt(receipt, errors=DISCARD)
    args = event["args"]
    return Message(
        src_chain_id=args["src_chain_id"],
        src_tx_hash=bytes(event["transactionHash"]),
        src_log_index=event["logIndex"],
        dest_chain_id=args["dest_chain_id"],
        token=args["dest_token"],
        id=args["id"],
        amount=args["amount"],
        recipient=args["recipient"],
    )


def signed(message: Message, dest_bridge: str, keys, threshold: int = DEV_THRESHOLD):
    return collect_signatures(message, dest_bridge, list(keys), threshold)


def stranger():
    return Account.create()
