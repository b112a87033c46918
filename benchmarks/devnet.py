"""A local anvil node with the test-only event emitter: shared by the benchmark and tests."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from esg.manifest import ChainDeployment, DeployedContract, Manifest
from esg.paths import PROJECT_ROOT

EMITTER_SOURCE = PROJECT_ROOT / "contracts" / "test" / "EventEmitter.vy"


def compile_emitter() -> tuple[list[dict], str]:
    """ABI and deployment bytecode of contracts/test/EventEmitter.vy."""
    import vyper

    out = vyper.compile_code(EMITTER_SOURCE.read_text(), output_formats=["abi", "bytecode"])
    return out["abi"], out["bytecode"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def anvil_exe() -> str:
    return shutil.which("anvil") or str(PROJECT_ROOT / "node_modules" / ".bin" / "anvil")


class Anvil:
    """An anvil process on a free port (stopped with ``stop``): automining unless
    ``automine`` is false (blocks then come from ``evm_mine``), started from an anvil state
    file if ``load_state`` names one, keeping the state of past blocks unless ``keep_states`` is
    false."""

    def __init__(
        self,
        gas_limit: int = 2_000_000_000,
        chain_id: int = 31337,
        automine: bool = True,
        load_state: Path | None = None,
        keep_states: bool = True,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.chain_id = chain_id
        extra = [] if automine else ["--no-mining"]
        if not keep_states:
            # Blocks, transactions and logs stay; the state after each block is not kept (anvil
            # would otherwise write every one to disk).
            extra.append("--prune-history")
        if load_state is not None:
            extra += ["--load-state", str(load_state)]
        self.proc = subprocess.Popen(
            [
                anvil_exe(),
                *extra,
                "--port",
                str(self.port),
                "--gas-limit",
                str(gas_limit),
                "--chain-id",
                str(chain_id),
                "--silent",
                "--base-fee",
                "0",
                "--gas-price",
                "0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.http = httpx.Client(timeout=120)
        deadline = time.time() + 300
        while True:
            try:
                self.call("eth_chainId", [])
                break
            except httpx.HTTPError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("anvil did not start") from None
                time.sleep(0.1)
        self.account = self.call("eth_accounts", [])[0]

    def call(self, method: str, params: list) -> object:
        r = self.http.post(
            self.url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        )
        out = r.json()
        if "error" in out:
            raise RuntimeError(f"{method}: {out['error']}")
        return out["result"]

    def batch(self, calls: list[tuple[str, list]]) -> list:
        """Answers of one batched request, in order; RuntimeError on any failed call."""
        body = [
            {"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(calls)
        ]
        out = sorted(self.http.post(self.url, json=body).json(), key=lambda a: a["id"])
        for a in out:
            if "error" in a:
                raise RuntimeError(f"{calls[a['id']][0]}: {a['error']}")
        return [a["result"] for a in out]

    def receipt(self, tx: str, timeout: float = 60) -> dict:
        deadline = time.time() + timeout
        while True:
            r = self.call("eth_getTransactionReceipt", [tx])
            if r is not None:
                return r
            if time.time() > deadline:
                raise TimeoutError(tx)
            time.sleep(0.01)

    def stop(self) -> None:
        self.http.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Emitter:
    """The deployed EventEmitter, driven by raw transactions from anvil's first account."""

    def __init__(self, node: Anvil) -> None:
        from eth_utils import function_signature_to_4byte_selector

        self.node = node
        self.abi, bytecode = compile_emitter()
        tx = node.call(
            "eth_sendTransaction", [{"from": node.account, "data": bytecode, "gas": hex(5_000_000)}]
        )
        receipt = node.receipt(tx)
        self.address = receipt["contractAddress"]
        self.block = int(receipt["blockNumber"], 16)
        self.tx = tx
        self._sel = {
            "emit_transfers": function_signature_to_4byte_selector(
                "emit_transfers(uint256,uint256)"
            ),
            "emit_singles": function_signature_to_4byte_selector("emit_singles(uint256,uint256)"),
            "emit_batches": function_signature_to_4byte_selector(
                "emit_batches(uint256,uint256,uint256)"
            ),
        }

    def send(self, fn: str, *args: int, gas: int = 150_000_000) -> str:
        data = "0x" + self._sel[fn].hex() + "".join(f"{a:064x}" for a in args)
        return self.node.call(
            "eth_sendTransaction",
            [{"from": self.node.account, "to": self.address, "data": data, "gas": hex(gas)}],
        )


def write_manifest(
    path: Path,
    chain_id: int,
    rpc_url: str,
    contracts: dict[str, tuple[str, int, str, list[dict]]],
    network: str = "ethereum:local:foundry",
) -> Manifest:
    """A manifest at ``path`` for ``contracts``: name → (address, block, tx, abi)."""
    path = Path(path)
    (path.parent / "abi").mkdir(parents=True, exist_ok=True)
    dep = ChainDeployment(
        chain_id=chain_id,
        network=network,
        rpc_urls=[rpc_url],
        deployed_at=datetime.now(UTC).isoformat(),
    )
    for name, (address, block, tx, abi) in contracts.items():
        rel = f"abi/{name}.json"
        (path.parent / rel).write_text(json.dumps(abi))
        dep.contracts[name] = DeployedContract(address=address, block=block, tx=tx, abi=rel)
    m = Manifest(path=path, chains={chain_id: dep})
    m.save()
    return m


def indexer_env(manifest: Path, database_url: str, **settings: object) -> dict[str, str]:
    """Environment for a ``python -m indexer`` subprocess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["INDEXER_MANIFEST"] = str(manifest)
    env["DATABASE_URL"] = database_url
    env.setdefault("INDEXER_METRICS_PORT", "0")
    for k, v in settings.items():
        env["INDEXER_" + k.upper()] = v if isinstance(v, str) else json.dumps(v)
    return env
