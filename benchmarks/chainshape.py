"""A chain shaped like a live ESG chain, for the indexer benchmark: many blocks with few logs.

Every block holds ``LOGS_PER_BLOCK`` logs in one to three transactions, mixing ERC-20 and
ERC-1155 transfers with the tokens' own events (CCR retirements, ECS score updates, EST stakes,
Governor votes). Each token is a copy of contracts/test/ShapeEmitter.vy registered under the
token's manifest name, so the token's projections index its events.

Building 50,000 blocks over JSON-RPC takes minutes, so the chain is built once (automine off,
each block's transactions in one batched request, then its ``evm_mine``) and kept as a gzipped
anvil state file under ``.run/bench-chains/``, keyed by a hash of the generator's code, the
contract, the block count and anvil's version. Later runs start anvil from that file.
"""

from __future__ import annotations

import gzip
import hashlib
import inspect
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.devnet import Anvil, anvil_exe
from esg.paths import PROJECT_ROOT, runtime_dir

SOURCE = PROJECT_ROOT / "contracts" / "test" / "ShapeEmitter.vy"
LOGS_PER_BLOCK = 10
# Manifest name → the emitter's role (see ShapeEmitter.ROLE).
ROLES = {"ECT": 0, "CCR": 1, "ECS": 2, "EST": 3, "Governor": 4}
TX_GAS = 3_000_000


def plan(block: int) -> list[tuple[str, int]]:
    """(contract name, events) of each transaction of the ``block``-th generated block."""
    others = ("CCR", "ECS", "EST", "Governor")
    k = 1 + block % 3
    turn = block // 3
    if k == 1:
        return [((("ECT",) + others)[turn % 5], LOGS_PER_BLOCK)]
    if k == 2:
        return [("ECT", 6), (others[turn % 4], 4)]
    return [("ECT", 4), ("CCR", 3), (others[1 + turn % 3], 3)]


@dataclass
class ShapeChain:
    """A running anvil holding the shaped chain."""

    node: Anvil
    # name → (address, deploy block, deploy tx)
    contracts: dict[str, tuple[str, int, str]]
    abi: list[dict]
    first_block: int
    last_block: int
    events: int


def compile_shape() -> tuple[list[dict], str]:
    import vyper

    out = vyper.compile_code(SOURCE.read_text(), output_formats=["abi", "bytecode"])
    return out["abi"], out["bytecode"]


def cache_key(blocks: int) -> str:
    version = subprocess.run(
        [anvil_exe(), "--version"], capture_output=True, text=True, check=True
    ).stdout
    h = hashlib.sha256()
    code = inspect.getsource(plan) + inspect.getsource(_build) + repr((LOGS_PER_BLOCK, ROLES))
    for part in (code.encode(), SOURCE.read_bytes(), str(blocks).encode()):
        h.update(hashlib.sha256(part).digest())
    h.update(version.encode())
    return h.hexdigest()[:16]


def _selector() -> str:
    from eth_utils import function_signature_to_4byte_selector

    return "0x" + function_signature_to_4byte_selector("emit_events(uint256,uint256)").hex()


def _build(node: Anvil, blocks: int) -> dict:
    abi, bytecode = compile_shape()
    contracts: dict[str, tuple[str, int, str]] = {}
    for name, role in ROLES.items():
        tx = node.call(
            "eth_sendTransaction",
            [{"from": node.account, "data": bytecode + f"{role:064x}", "gas": hex(3_000_000)}],
        )
        node.call("evm_mine", [])
        r = node.receipt(tx)
        if r["status"] != "0x1":
            raise RuntimeError(f"deploying the {name} emitter failed")
        contracts[name] = (r["contractAddress"], int(r["blockNumber"], 16), tx)
    nonce = int(node.call("eth_getTransactionCount", [node.account, "latest"]), 16)
    first = int(node.call("eth_blockNumber", []), 16) + 1
    sel = _selector()
    events = 0
    for b in range(blocks):
        calls: list[tuple[str, list]] = []
        for j, (name, n) in enumerate(plan(b)):
            data = sel + f"{n:064x}{b * 4 + j:064x}"
            calls.append(
                (
                    "eth_sendTransaction",
                    [
                        {
                            "from": node.account,
                            "to": contracts[name][0],
                            "data": data,
                            "gas": hex(TX_GAS),
                            "nonce": hex(nonce),
                        }
                    ],
                )
            )
            nonce += 1
            events += n
        # A batch's calls may run concurrently: the block is mined once they all answered.
        node.batch(calls)
        node.call("evm_mine", [])
    last = int(node.call("eth_blockNumber", []), 16)
    if last != first + blocks - 1:
        raise RuntimeError(f"built blocks {first}..{last}, expected {blocks} blocks")
    return {
        "contracts": contracts,
        "abi": abi,
        "first_block": first,
        "last_block": last,
        "events": events,
    }


def _check(node: Anvil, info: dict) -> None:
    """The chain holds what was built: its head, and every transaction of a sample of blocks
    mined with its logs (the batches kept each block's transactions in that block)."""
    head = int(node.call("eth_blockNumber", []), 16)
    if head != info["last_block"]:
        raise RuntimeError(f"chain head {head}, expected {info['last_block']}")
    first, last = info["first_block"], info["last_block"]
    for b in sorted({first, first + 1, first + 2, (first + last) // 2, last - 1, last}):
        logs = node.call("eth_getLogs", [{"fromBlock": hex(b), "toBlock": hex(b)}])
        want = [n for _, n in plan(b - first)]
        txs: dict[str, int] = {}
        for lg in logs:
            txs[lg["transactionHash"]] = txs.get(lg["transactionHash"], 0) + 1
        if sorted(txs.values()) != sorted(want):
            raise RuntimeError(f"block {b}: logs per transaction {txs}, expected {want}")


def start(blocks: int, cache: bool = True) -> ShapeChain:
    """An anvil holding the shaped chain of ``blocks`` blocks (built, or loaded from cache)."""
    folder = runtime_dir() / "bench-chains"
    folder.mkdir(parents=True, exist_ok=True)
    key = cache_key(blocks)
    state = folder / f"shape-{key}.json.gz"
    meta = folder / f"shape-{key}.meta.json"
    if cache and state.exists() and meta.exists():
        # --load-state reads plain JSON only: unpacked for the start, then removed.
        with tempfile.TemporaryDirectory(prefix="shape-") as tmp:
            plain = Path(tmp) / "state.json"
            with gzip.open(state) as src, plain.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            node = Anvil(load_state=plain, keep_states=False)
        info = json.loads(meta.read_text())
    else:
        node = Anvil(automine=False, keep_states=False)
        t0 = time.perf_counter()
        info = _build(node, blocks)
        print(
            f"built {blocks} blocks, {info['events']} events in {time.perf_counter() - t0:.0f} s",
            flush=True,
        )
    try:
        _check(node, info)
        if not state.exists() and cache:
            dump = node.call("anvil_dumpState", [])
            raw = bytes.fromhex(dump[2:])
            state.write_bytes(raw if raw[:2] == b"\x1f\x8b" else gzip.compress(raw))
            meta.write_text(json.dumps(info))
    except Exception:
        node.stop()
        raise
    contracts = {k: tuple(v) for k, v in info["contracts"].items()}
    return ShapeChain(
        node, contracts, info["abi"], info["first_block"], info["last_block"], info["events"]
    )
