"""Default fee suggestions on every local profile: a wallet that prices a transaction with what
the node suggests (viem as the web app does, web3.py, ape) pays a sensible fee, never its
balance."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from web3 import Web3
from web3.middleware import SignAndSendRawMiddlewareBuilder

from esg import nodes
from esg.paths import PROJECT_ROOT
from esg.personas import dev_account

# A sensible local fee: at most 100 gwei per gas (the nodes suggest about 1-2 gwei).
MAX_SENSIBLE_PRICE = 100 * 10**9
FRONTEND = PROJECT_ROOT / "frontend"
PROFILES = list(nodes.PROFILES)


@pytest.fixture(scope="module")
def urls(node_env):
    return nodes.start(PROFILES)


def _check(before: int, after: int, value: int, gas_used: int, price: int, max_fee: int, gas: int):
    assert 0 < price <= MAX_SENSIBLE_PRICE, f"effective gas price {price} wei"
    assert before - after == value + gas_used * price
    # What the wallet must hold to send at all (gas limit x max fee) is a sliver of its balance.
    assert gas * max_fee < before // 1000, f"max fee {max_fee} wei x {gas} gas"


@pytest.mark.parametrize("profile", PROFILES)
def test_viem_default_fees(urls, profile):
    node = shutil.which("node")
    viem = FRONTEND / "node_modules" / "viem"
    if node is None or not viem.is_dir():
        pytest.fail("node and frontend/node_modules are needed: run `make install`")
    sender, receiver = dev_account(7), dev_account(9)
    out = subprocess.run(
        [
            node,
            "scripts/default-fee-transfer.mjs",
            urls[profile],
            "0x" + sender.key.hex(),
            receiver.address,
        ],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    r = json.loads(out)
    assert r["status"] == "success"
    assert int(r["suggestedMaxFeePerGas"]) <= MAX_SENSIBLE_PRICE
    _check(
        int(r["before"]),
        int(r["after"]),
        1,
        int(r["gasUsed"]),
        int(r["effectiveGasPrice"]),
        int(r["maxFeePerGas"]),
        int(r["gasLimit"]),
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_web3_default_fees(urls, profile):
    sender, receiver = dev_account(8), dev_account(9)
    w3 = Web3(Web3.HTTPProvider(urls[profile]))
    # Sign locally; web3.py fills gas and fees with its defaults (node tip + 2 x base fee).
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(sender), layer=0)
    before = w3.eth.get_balance(sender.address)
    tx_hash = w3.eth.send_transaction({"from": sender.address, "to": receiver.address, "value": 1})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash)
    tx = w3.eth.get_transaction(tx_hash)
    assert receipt["status"] == 1
    assert w3.eth.gas_price <= MAX_SENSIBLE_PRICE
    _check(
        before,
        w3.eth.get_balance(sender.address),
        1,
        receipt["gasUsed"],
        receipt["effectiveGasPrice"],
        tx.get("maxFeePerGas", tx["gasPrice"]),
        tx["gas"],
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_ape_default_fees(urls, profile):
    from ape import accounts

    from esg.networks import connect

    with connect(profile) as provider:
        sender, receiver = accounts.test_accounts[5], accounts.test_accounts[6]
        before = provider.get_balance(sender.address)
        receipt = sender.transfer(receiver, 1)
        after = provider.get_balance(sender.address)
        txn = receipt.transaction
        _check(before, after, 1, receipt.gas_used, receipt.gas_price, txn.max_fee, txn.gas_limit)
