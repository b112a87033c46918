"""Attestations on-chain: signed transactions stored before they are sent, exactly once per key.

Each ``oracle.attestations`` row is one contract call. The submitter takes queued rows in order
and, inside one PostgreSQL transaction, reserves the signer's next nonce (``oracle.senders``,
row-locked), signs the transaction and stores it raw with its hash; only after that commit is
it broadcast. A crash therefore leaves either nothing signed (the row is still queued and is
signed afresh) or the exact signed transaction on file, which is rebroadcast until a receipt
appears: the node's nonce rule lets at most one transaction per (sender, nonce) be mined. ECT
action ids and AET nonces are derived from the row's once-only key, and are checked on-chain
before signing, so a case whose call already landed is marked skipped rather than repeated.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

import asyncpg
import httpx
from eth_abi import decode as abi_decode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3 import Web3

from esg.manifest import load_manifest
from esg.signing import Attestation, sign_attestation

log = logging.getLogger("oracle.chain")
ATTESTATION_TTL = 3_600  # seconds an AET attestation stays valid after signing


class RPCError(Exception):
    """A JSON-RPC error answer."""


class Rpc:
    """A small async JSON-RPC client."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.AsyncClient(timeout=10)
        self._id = 0

    async def call(self, method: str, *params):
        self._id += 1
        body = {"jsonrpc": "2.0", "id": self._id, "method": method, "params": list(params)}
        answer = (await self.http.post(self.url, json=body)).json()
        if answer.get("error"):
            raise RPCError(answer["error"].get("message", str(answer["error"])))
        return answer["result"]

    async def close(self) -> None:
        await self.http.aclose()


@dataclass
class Contracts:
    """Addresses and encoders of ECS, ECT and AET on one chain."""

    chain_id: int
    rpc_url: str
    address: dict[str, str]
    encoder: dict

    @classmethod
    def from_manifest(cls, path, chain_id: int | None, rpc_url: str | None) -> Contracts:
        manifest = load_manifest(path)
        if not manifest.chains:
            raise RuntimeError(f"oracle: no deployment in {path}")
        chain_id = chain_id or sorted(manifest.chains)[0]
        chain = manifest.chains.get(chain_id)
        if chain is None:
            raise RuntimeError(
                f"oracle: chain {chain_id} is not in {path} ({sorted(manifest.chains)})"
            )
        w3 = Web3()
        names = ("ECS", "ECT", "AET")
        return cls(
            chain_id=chain_id,
            rpc_url=rpc_url or chain.rpc_urls[0],
            address={n: chain.contracts[n].address for n in names},
            encoder={
                n: w3.eth.contract(
                    address=chain.contracts[n].address, abi=manifest.abi(chain_id, n)
                )
                for n in names
            },
        )

    def calldata(self, contract: str, function: str, args: list) -> str:
        c = self.encoder[contract]
        fn = c.get_function_by_name(function)
        types = [i["type"] for i in fn.abi["inputs"]]
        return c.encode_abi(function, args=[_typed(t, a) for t, a in zip(types, args, strict=True)])


def _typed(abi_type: str, value):
    if abi_type.startswith("bytes") and isinstance(value, str):
        return bytes.fromhex(value.removeprefix("0x"))
    if abi_type == "address":
        return to_checksum_address(value)
    if abi_type.startswith(("uint", "int")) and isinstance(value, str):
        return int(value)  # stored as text: jsonb numbers would lose 256-bit precision
    return value


async def view(
    rpc: Rpc, contracts: Contracts, contract: str, function: str, args: list, out: list[str]
):
    data = contracts.calldata(contract, function, args)
    raw = await rpc.call("eth_call", {"to": contracts.address[contract], "data": data}, "latest")
    values = abi_decode(out, bytes.fromhex(raw.removeprefix("0x")))
    return values[0] if len(values) == 1 else values


class Submitter:
    """Signs, stores, sends and follows the oracle's transactions."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        contracts: Contracts,
        signer: LocalAccount,
        auditor: LocalAccount | None,
        *,
        rebroadcast_after: float = 5.0,
    ) -> None:
        self.pool = pool
        self.contracts = contracts
        self.signer = signer
        self.auditor = auditor
        self.rpc = Rpc(contracts.rpc_url)
        self.rebroadcast_after = rebroadcast_after
        self.wake = asyncio.Event()

    async def run(self, interval: float) -> None:
        """Work until cancelled: a pass every ``interval`` seconds or when woken."""
        while True:
            try:
                await self.step()
            except (RPCError, httpx.HTTPError, OSError) as e:
                log.warning("submitter: node unavailable (%s); retrying", e)
            except asyncpg.PostgresError as e:
                log.warning("submitter: database error (%s); retrying", e)
            except Exception:
                # Whatever went wrong with one row, the others must keep moving.
                log.exception("submitter: pass failed; retrying")
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), interval)

    async def step(self) -> None:
        """One pass: follow signed transactions, then sign and send queued rows."""
        for row in await self.pool.fetch(
            "SELECT * FROM oracle.attestations WHERE status = 'signed' AND chain_id = $1 ORDER BY tx_nonce",
            self.contracts.chain_id,
        ):
            await self._follow(row)
        for row in await self.pool.fetch(
            "SELECT id FROM oracle.attestations WHERE status = 'queued' AND chain_id = $1 ORDER BY id",
            self.contracts.chain_id,
        ):
            signed = await self._sign_and_store(row["id"])
            if signed is not None:
                await self._send(*signed)

    async def _follow(self, row) -> None:
        tx_hash = "0x" + bytes(row["tx_hash"]).hex()
        # The nonce is read before the receipt: if the nonce was already used and our receipt is
        # still missing afterwards, the transaction that used it was not ours (read the other way
        # round, a block mined between the two reads would look like a stolen nonce).
        mined_nonce = int(
            await self.rpc.call("eth_getTransactionCount", row["sender"], "latest"), 16
        )
        receipt = await self.rpc.call("eth_getTransactionReceipt", tx_hash)
        if receipt is not None:
            ok = int(receipt["status"], 16) == 1
            block = int(receipt["blockNumber"], 16)
            await self.pool.execute(
                "UPDATE oracle.attestations SET status = $2, block_number = $3, mined_at = now(),"
                " error = $4 WHERE id = $1",
                row["id"],
                "mined" if ok else "reverted",
                block,
                None if ok else "reverted on-chain",
            )
            log.info(
                "attestation %s %s in block %s", row["id"], "mined" if ok else "reverted", block
            )
            return
        if mined_nonce > row["tx_nonce"]:
            # Another transaction took this nonce and ours has no receipt: ours can never be
            # mined now, so the row is signed again with a fresh nonce.
            await self.pool.execute(
                "UPDATE oracle.attestations SET status = 'queued', tx_nonce = NULL, raw_tx = NULL,"
                " tx_hash = NULL, sent_at = NULL WHERE id = $1 AND status = 'signed'",
                row["id"],
            )
            log.warning(
                "attestation %s: nonce %s taken by another transaction; re-signing",
                row["id"],
                row["tx_nonce"],
            )
            return
        sent = row["sent_at"]
        if sent is None or time.time() - sent.timestamp() > self.rebroadcast_after:
            await self._send(row["id"], bytes(row["raw_tx"]))

    async def _send(self, row_id: int, raw: bytes) -> None:
        try:
            await self.rpc.call("eth_sendRawTransaction", "0x" + raw.hex())
        except RPCError as e:
            # "already known" / "nonce too low": the transaction (or its nonce) is on the node
            # already; the receipt check of the next pass settles it.
            log.info("attestation %s: send answered %s", row_id, e)
        await self.pool.execute(
            "UPDATE oracle.attestations SET sent_at = now() WHERE id = $1", row_id
        )

    async def _landed(self, row) -> bool:
        """Whether the call behind this row is already on-chain (ECT action id, AET nonce)."""
        key = "0x" + bytes(row["idem_key"]).hex()
        if row["kind"] == "ect_reward":
            return await view(self.rpc, self.contracts, "ECT", "action_rewarded", [key], ["bool"])
        if row["kind"] == "aet_audit" and self.auditor is not None:
            return await view(
                self.rpc,
                self.contracts,
                "AET",
                "nonce_used",
                [self.auditor.address, int(key, 16)],
                ["bool"],
            )
        return False

    async def _final_args(self, row) -> list:
        args = list(row["args"])
        if row["kind"] != "aet_audit":
            return args
        if self.auditor is None:
            raise RuntimeError("oracle: an AET audit needs ORACLE_AUDITOR_KEY")
        block = await self.rpc.call("eth_getBlockByNumber", "latest", False)
        deadline = int(block["timestamp"], 16) + ATTESTATION_TTL
        recipient, model_id, t, b, h, env, kwh, kg, nonce = args[:9]
        att = Attestation(
            recipient=recipient,
            model_id=bytes.fromhex(model_id.removeprefix("0x")),
            transparency=t,
            bias=b,
            human_alignment=h,
            environmental_impact=env,
            energy_kwh=int(kwh),
            kg_co2e=int(kg),
            nonce=int(nonce),
            deadline=deadline,
        )
        signature = sign_attestation(
            self.auditor.key,
            att,
            chain_id=self.contracts.chain_id,
            aet=self.contracts.address["AET"],
        )
        return [*args[:9], str(deadline), "0x" + signature.hex()]

    async def _sign_and_store(self, row_id: int) -> tuple[int, bytes] | None:
        chain_id = self.contracts.chain_id
        sender = self.signer.address
        async with self.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                "SELECT * FROM oracle.attestations WHERE id = $1 AND status = 'queued' FOR UPDATE",
                row_id,
            )
            if row is None:
                return None
            if await self._landed(row):
                await conn.execute(
                    "UPDATE oracle.attestations SET status = 'skipped',"
                    " error = 'already on-chain' WHERE id = $1",
                    row_id,
                )
                return None
            args = await self._final_args(row)
            data = self.contracts.calldata(row["contract"], row["function"], args)
            to = self.contracts.address[row["contract"]]
            try:
                gas = int(
                    await self.rpc.call(
                        "eth_estimateGas", {"from": sender, "to": to, "data": data}
                    ),
                    16,
                )
            except RPCError as e:
                await conn.execute(
                    "UPDATE oracle.attestations SET status = 'reverted', error = $2 WHERE id = $1",
                    row_id,
                    str(e)[:500],
                )
                log.warning("attestation %s would revert: %s", row_id, e)
                return None
            await conn.execute(
                "INSERT INTO oracle.senders (chain_id, address, next_nonce) VALUES ($1, $2, 0)"
                " ON CONFLICT DO NOTHING",
                chain_id,
                sender,
            )
            reserved = await conn.fetchval(
                "SELECT next_nonce FROM oracle.senders WHERE chain_id = $1 AND address = $2 FOR UPDATE",
                chain_id,
                sender,
            )
            pending = int(await self.rpc.call("eth_getTransactionCount", sender, "pending"), 16)
            nonce = max(reserved, pending)
            tx = {
                "chainId": chain_id,
                "nonce": nonce,
                "to": to,
                "data": data,
                "value": 0,
                "gas": gas + gas // 5,
                "gasPrice": int(await self.rpc.call("eth_gasPrice"), 16),
            }
            signed = Account.sign_transaction(tx, self.signer.key)
            raw = bytes(signed.raw_transaction)
            await conn.execute(
                "UPDATE oracle.attestations SET status = 'signed', sender = $2, tx_nonce = $3,"
                " raw_tx = $4, tx_hash = $5, args = $6 WHERE id = $1",
                row_id,
                sender,
                nonce,
                raw,
                bytes(signed.hash),
                args,
            )
            await conn.execute(
                "UPDATE oracle.senders SET next_nonce = $3 WHERE chain_id = $1 AND address = $2",
                chain_id,
                sender,
                nonce + 1,
            )
        log.info(
            "attestation %s signed: nonce %s, tx 0x%s", row_id, nonce, bytes(signed.hash).hex()
        )
        return row_id, raw

    async def close(self) -> None:
        await self.rpc.close()
