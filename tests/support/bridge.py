"""The two chains of the bridge tests and the bridge services run in-process.

ape's anvil is the root chain; ``start_anvil`` starts the child chain (chain id 80002). Both
carry the real bridged tokens: on the root GST and CCR (with its ECR) as originals, on the child
their child copies, deployed with web3.py from the same compiled bytecode (``web3_deployer``).
``make_services`` gives the validators' and the relayer's settings for one test's database and
manifest; the fixtures that build the chains are in ``tests/bridge/conftest.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_account import Account
from eth_utils import keccak
from web3 import Web3
from web3.logs import DISCARD

from bridge.message import Transfer, ordered
from bridge.relayer import Relayer
from bridge.service import serve
from bridge.settings import RelayerSettings, ValidatorSettings
from bridge.validator import Validator
from esg.paths import PROJECT_ROOT
from esg.personas import DEV_THRESHOLD, dev_account
from tests.support.indexing import free_port

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
    abis: dict[str, list]

    def transact(self, fn, sender: str) -> dict:
        tx_hash = fn.transact({"from": sender})
        return self.w3.eth.wait_for_transaction_receipt(tx_hash)

    def mine(self, blocks: int = 1) -> None:
        self.w3.provider.make_request("anvil_mine", [hex(blocks)])

    def send_erc1155_home(
        self, sender: str, recipient: str, amount: int, dest_chain_id: int, token_id: int = CCR_ID
    ) -> dict:
        """``sender`` lets the bridge take its CCR copies and sends ``amount`` of ``token_id``
        back to ``recipient`` on ``dest_chain_id``; the receipt of the send."""
        self.transact(self.token1155.functions.setApprovalForAll(self.bridge.address, True), sender)
        send = self.bridge.functions.send_erc1155(
            self.token1155.address, token_id, amount, recipient, dest_chain_id
        )
        return self.transact(send, sender)


@dataclass
class RootChain:
    bridge: object
    token20: object
    token1155: object
    ecr: object


def start_anvil(chain_id: int) -> tuple[subprocess.Popen, Web3, str]:
    """An anvil with ``chain_id`` on a free port (the caller stops it by its pid)."""
    port = free_port()
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
