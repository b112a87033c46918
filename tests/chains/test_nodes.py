"""Local chain profiles: start/stop round trip, idempotent start, port conflicts, besu genesis."""

import json
import socket
import time

import pytest

from esg import nodes
from esg.paths import PROJECT_ROOT
from tests.support.processes import pid_alive

GENESIS = json.loads((PROJECT_ROOT / "besu" / "genesis.json").read_text())


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_start_stop_round_trip(node_env):
    urls = nodes.start(["ethereum"])
    assert urls == {"ethereum": nodes.rpc_url("ethereum")}
    port = nodes.PROFILES["ethereum"].port
    assert urls["ethereum"] == f"http://127.0.0.1:{port}"

    st = nodes.status(["ethereum"])["ethereum"]
    assert st.running and st.chain_id == 31337 and st.block == 0
    pid = st.pid
    assert pid_alive(pid)
    assert (nodes.node_dir() / "ethereum.pid").read_text().strip() == str(pid)
    assert (nodes.node_dir() / "ethereum.log").stat().st_size > 0

    nodes.stop(["ethereum"])
    assert not pid_alive(pid)
    assert not (nodes.node_dir() / "ethereum.pid").exists()
    assert not nodes.status(["ethereum"])["ethereum"].running
    assert not listening(port)


def test_start_twice_does_not_start_twice(node_env):
    log = nodes.node_dir() / "polygon.log"
    nodes.start(["polygon"])
    pid = nodes.status(["polygon"])["polygon"].pid
    launches = log.read_text().count("$ ")
    nodes.start(["polygon"])
    nodes.start("all")
    assert nodes.status(["polygon"])["polygon"].pid == pid
    assert log.read_text().count("$ ") == launches
    nodes.stop()


def test_taken_port_is_a_clear_error(node_env):
    profile = nodes.PROFILES["ethereum"]
    with socket.socket() as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", profile.port))
        blocker.listen()
        with pytest.raises(nodes.PortInUseError) as exc:
            nodes.start(["ethereum"])
    message = str(exc.value)
    assert str(profile.port) in message and "ethereum" in message and profile.port_env in message
    assert not (nodes.node_dir() / "ethereum.pid").exists()


def test_stale_pid_file_is_ignored(node_env):
    # Above the kernel's pid_max: no such process can exist.
    (nodes.node_dir() / "polygon.pid").write_text("999999999\n")
    assert not nodes.status(["polygon"])["polygon"].running
    nodes.start(["polygon"])
    assert nodes.status(["polygon"])["polygon"].running
    nodes.stop(["polygon"])


def test_profiles_have_distinct_chain_ids(node_env):
    urls = nodes.start()
    chain_ids = {name: int(nodes.rpc_call(url, "eth_chainId"), 16) for name, url in urls.items()}
    assert chain_ids == {name: p.chain_id for name, p in nodes.PROFILES.items()}
    assert len(set(chain_ids.values())) == 3
    assert len(set(urls.values())) == 3
    nodes.stop()


def test_besu_profile_boots_the_genesis(node_env):
    nodes.stop(["besu"])  # a fresh chain: genesis balances untouched by other tests
    url = nodes.start(["besu"])["besu"]
    assert int(nodes.rpc_call(url, "eth_chainId"), 16) == GENESIS["config"]["chainId"] == 2025
    for address, account in GENESIS["alloc"].items():
        balance = nodes.rpc_call(url, "eth_getBalance", [address, "latest"])
        assert int(balance, 16) == int(account["balance"], 16), address
    block = nodes.rpc_call(url, "eth_getBlockByNumber", ["latest", False])
    assert int(block["baseFeePerGas"], 16) == 0
    assert int(block["gasLimit"], 16) == int(GENESIS["gasLimit"], 16)


def test_besu_profile_has_free_gas(node_env):
    url = nodes.start(["besu"])["besu"]
    sender, receiver = list(GENESIS["alloc"])[:2]
    before = int(nodes.rpc_call(url, "eth_getBalance", [sender, "latest"]), 16)
    tx = {"from": sender, "to": receiver, "value": "0x5", "gasPrice": "0x0"}
    tx_hash = nodes.rpc_call(url, "eth_sendTransaction", [tx])
    deadline = time.monotonic() + 10
    while (receipt := nodes.rpc_call(url, "eth_getTransactionReceipt", [tx_hash])) is None:
        assert time.monotonic() < deadline, "transaction not mined"
        time.sleep(0.1)
    assert int(receipt["status"], 16) == 1
    assert int(nodes.rpc_call(url, "eth_getBalance", [sender, "latest"]), 16) == before - 5


def test_block_time_mines_without_transactions(node_env):
    nodes.stop(["polygon"])
    url = nodes.start(["polygon"], block_time=1)["polygon"]
    deadline = time.monotonic() + 10
    while int(nodes.rpc_call(url, "eth_blockNumber"), 16) < 2:
        assert time.monotonic() < deadline, "no blocks mined with a block time"
        time.sleep(0.2)
    nodes.stop(["polygon"])


def test_unknown_profile(node_env):
    with pytest.raises(nodes.NodeError, match="unknown profile"):
        nodes.start(["solana"])


def test_cli(node_env, capsys):
    assert nodes.main(["start", "--profile", "besu"]) == 0
    assert nodes.main(["status", "--profile", "besu"]) == 0
    out = capsys.readouterr().out
    assert "chain id 2025" in out and nodes.rpc_url("besu") in out
    assert nodes.main(["stop", "--profile", "besu"]) == 0
    assert nodes.main(["status", "--profile", "besu"]) == 0
    assert "besu: stopped" in capsys.readouterr().out
