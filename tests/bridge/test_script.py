"""`ape run bridge`: its send and wait helpers in process, and the command end to end against
the child chain with validator and relayer processes running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from bridge.transfer import send_tokens, sent_transfer, wait_for_arrival
from esg.chain.abi import ContractABI
from esg.paths import PROJECT_ROOT
from tests.support.bridge import CCR_ID, CHILD_CHAIN_ID


def test_send_approves_and_waits(wired, services, alice, carol, bob):
    root, child = wired
    abi = ContractABI(child.abis["Bridge"])
    root.token20.transfer(carol, 50, sender=alice)
    root.token1155.safeTransferFrom(alice, carol, CCR_ID, 4, b"", sender=alice)
    # carol has approved nothing: the helper approves exactly what it needs
    receipt = send_tokens(root.bridge, root.token20, 0, 40, bob.address, CHILD_CHAIN_ID, carol)
    assert root.token20.allowance(carol, root.bridge) == 0
    erc20 = sent_transfer(receipt, str(root.bridge.address), abi)
    assert (erc20.amount, erc20.recipient, erc20.token) == (
        40,
        bob.address,
        child.token20.address,
    )
    receipt = send_tokens(
        root.bridge, root.token1155, CCR_ID, 3, bob.address, CHILD_CHAIN_ID, carol
    )
    assert root.token1155.isApprovedForAll(carol, root.bridge)
    erc1155 = sent_transfer(receipt, str(root.bridge.address), abi)
    assert (erc1155.id, erc1155.amount) == (CCR_ID, 3)
    with pytest.raises(TimeoutError, match="relayer and validators running"):
        wait_for_arrival([child.uri], child.bridge.address, abi, erc20, timeout=0.5)

    worker = threading.Thread(target=services.round)
    worker.start()
    for sent in (erc20, erc1155):
        wait_for_arrival([child.uri], child.bridge.address, abi, sent, timeout=60)
    worker.join(60)
    assert child.token20.functions.balanceOf(bob.address).call() == 40
    assert child.token1155.functions.balanceOf(bob.address, CCR_ID).call() == 3


def test_ape_run_bridge_end_to_end(wired, services, manifest_file, alice, bob, chain):
    """`ape run bridge` on the child chain sends back to the root and waits for the delivery."""
    root, child = wired
    # chain id 80002 is Polygon Amoy to ape, which waits for one confirmation: mine blocks
    child.w3.provider.make_request("evm_setIntervalMining", [1])
    env = services.env
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", module],
            env={**env, **extra},
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for module, extra in (
            ("bridge", {}),
            ("bridge.validator", {"BRIDGE_VALIDATOR_DEV_ACCOUNT": "10"}),
            ("bridge.validator", {"BRIDGE_VALIDATOR_DEV_ACCOUNT": "11"}),
        )
    ]
    try:
        root.bridge.send_erc20(root.token20, 100, bob, CHILD_CHAIN_ID, sender=alice)
        run = subprocess.run(
            [
                "ape", "run", "bridge",
                "--network", child.uri,
                "--account", "TEST::2",
                "--token", "GST",
                "--amount", "60",
                "--to", alice.address,
                "--dest-chain", str(chain.chain_id),
                "--timeout", "60",
            ],
            env=env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=180,
        )  # fmt: skip
    finally:
        for proc in procs:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        child.w3.provider.make_request("evm_setIntervalMining", [0])
        child.w3.provider.make_request("evm_setAutomine", [True])
    assert run.returncode == 0, run.stdout + run.stderr
    assert "arrived on chain" in run.stdout
    assert child.token20.functions.balanceOf(bob.address).call() == 40
    assert child.token20.functions.totalSupply().call() == 40
    assert root.token20.balanceOf(root.bridge) == 40
