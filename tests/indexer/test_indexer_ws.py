"""Live following with an `eth_subscribe ["newHeads"]` wake-up: new events are committed well
before the poll interval would allow; with the WebSocket unreachable the indexer still indexes by
polling."""

import signal
import socket
import time

from indexer.heads import derive_ws_url, ws_url_for
from tests.support import indexing as helpers

POLL = 5.0  # long enough that only a notification can explain a fast commit
FAST = 1.5


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _committed(url: str, txn_hash: str) -> bool:
    rows = helpers.query(
        url, "SELECT count(*) FROM events WHERE tx_hash = $1", bytes.fromhex(txn_hash[2:])
    )
    return rows[0][0] > 0


def _latency(url: str, send, proc, timeout: float) -> float:
    """Seconds from sending a transaction until its events are committed."""
    t0 = time.monotonic()
    receipt = send()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise AssertionError(f"indexer exited: {proc.stderr.read().decode()[-3000:]}")
        if _committed(url, receipt.txn_hash):
            return time.monotonic() - t0
        time.sleep(0.02)
    raise AssertionError(f"{receipt.txn_hash} not committed within {timeout} s")


def _stop(proc) -> str:
    proc.send_signal(signal.SIGTERM)
    proc.wait(20)
    return proc.stderr.read().decode()


def test_ws_url_derivation():
    assert derive_ws_url("http://127.0.0.1:8545") == "ws://127.0.0.1:8545"
    assert derive_ws_url("http://localhost:9000/rpc") == "ws://localhost:9000/rpc"
    assert derive_ws_url("https://127.0.0.1:8545") is None
    assert derive_ws_url("http://10.0.0.5:8545") is None
    assert derive_ws_url("https://polygon-rpc.com") is None
    http = ["https://rpc.example", "http://127.0.0.1:8545"]
    assert ws_url_for(1, {}, http, True) == ("ws://127.0.0.1:8545", True)
    assert ws_url_for(1, {}, http, False) == (None, False)
    assert ws_url_for(1, {1: "wss://node.example/ws"}, http, True) == (
        "wss://node.example/ws",
        False,
    )
    assert ws_url_for(1, {1: ""}, http, True) == (None, False)


def test_subscription_wakes_the_poll_loop(emitter, accounts, chain, chain_id, rpc_url):
    assert rpc_url.startswith("http://127.0.0.1:")
    token, receipt, manifest = emitter
    url = helpers.new_database("ws")
    # No INDEXER_WS_URLS: the ws:// counterpart of anvil's local HTTP URL is derived.
    proc = helpers.spawn(url, manifest, chain_id, poll_interval=str(POLL), log_level="INFO")
    try:
        token.emit_transfers(3, 1, sender=accounts[0])
        helpers.wait_synced(url, chain.provider, chain_id, timeout=3 * POLL, proc=proc)
        time.sleep(0.5)
        seen = []
        for i in range(4):
            seen.append(
                _latency(
                    url,
                    lambda i=i: token.emit_transfers(2 + i, 100 + i, sender=accounts[0]),
                    proc,
                    timeout=2 * POLL,
                )
            )
            # A new block lands at an arbitrary point of the poll loop's wait.
            time.sleep(0.3 + 0.4 * i)
        helpers.wait_synced(url, chain.provider, chain_id, timeout=3 * POLL, proc=proc)
    finally:
        err = _stop(proc)
    print("subscription latencies (s):", [round(x, 3) for x in seen])
    assert max(seen) < FAST, (seen, err[-3000:])
    assert "following by subscription" in err
    assert "subscription lost" not in err


def test_unreachable_ws_falls_back_to_polling(emitter, accounts, chain, chain_id):
    token, receipt, manifest = emitter
    url = helpers.new_database("wsdown")
    proc = helpers.spawn(
        url,
        manifest,
        chain_id,
        poll_interval="0.3",
        ws_urls={str(chain_id): f"ws://127.0.0.1:{_closed_port()}"},
        ws_max_backoff="1",
        log_level="INFO",
    )
    try:
        token.emit_transfers(3, 1, sender=accounts[0])
        helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
        seen = [
            _latency(
                url,
                lambda i=i: token.emit_singles(2 + i, 200 + i, sender=accounts[0]),
                proc,
                timeout=30,
            )
            for i in range(3)
        ]
        helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
        # Still polling after several reconnection attempts, and still indexing.
        time.sleep(1.5)
        assert proc.poll() is None
        last = token.emit_transfers(1, 999, sender=accounts[0])
        helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
        assert _committed(url, last.txn_hash)
    finally:
        err = _stop(proc)
    print("polling latencies (s):", [round(x, 3) for x in seen])
    assert "following by polling: subscription failed, retrying" in err
    assert "following by subscription" not in err
