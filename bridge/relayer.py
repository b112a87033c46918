"""The relayer: finds final messages, collects the validators' signatures, submits them.

It holds no validator key and no authority: it follows every chain's bridge behind the chain's
finality rule (recording each message and its progress in one transaction), reads the signatures
the validators published, keeps those that recover to a current validator of the destination
bridge over the exact digest, orders ``threshold`` of them by signer address and submits
``receive_message`` (or ``receive_admin``, later ``execute_admin``) from its own account, which
only pays gas. Anyone else holding the signatures could do the same.

Exactly once: the destination bridge accepts a message id once, and the relayer asks it
(``is_processed``) before every submission and treats "already processed" as delivered. A
submission is recorded (with its transaction hash) before it is sent, so after a crash it is
awaited, not repeated blindly. A message that cannot be delivered is retried with exponential
backoff and, after ``max_attempts``, marked failed with its reason (metrics, the API's
``/api/v1/bridge/messages``); a paused destination or missing signatures only make it wait.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys

import click
from eth_account.signers.local import LocalAccount

from bridge import metrics, service
from bridge.chains import ChainLink
from bridge.message import AdminCall, Message, Transfer, decode, ordered
from bridge.service import guarded
from bridge.settings import RelayerSettings
from bridge.store import (
    CANCELED,
    DELIVERED,
    EXECUTED,
    QUEUED,
    SUBMITTED,
    Store,
    Stored,
    connect,
)
from esg import logs
from esg.chain.abi import Reverted, hex_bytes
from esg.chain.tx import TxSender, succeeded
from esg.cli import run as run_command
from esg.cli.settings import apply, settings_options

log = logging.getLogger("bridge.relayer")

# Revert reasons that mean "wait", not "this attempt failed".
_WAIT_REASONS = ("contract is paused", "not enough signatures", "admin delay not passed")


class Relayer(service.Process):
    """Moves messages between all chains of a manifest that have a Bridge."""

    settings: RelayerSettings

    def __init__(
        self,
        settings: RelayerSettings,
        account: LocalAccount,
        chain_links: dict[int, ChainLink],
        store: Store,
    ) -> None:
        super().__init__(settings, account, chain_links, store)
        self.senders = {cid: TxSender(link.rpc, account, cid) for cid, link in chain_links.items()}
        # Validator set per destination chain, followed from its Validator{Added,Removed} logs.
        self._validators: dict[int, tuple[set[str], int]] = {}

    async def round(self) -> None:
        """Scan every chain, then deliver to every chain, then update the gauges."""
        links_ = self.links.values()
        await asyncio.gather(*(guarded("scan", self.scan(x), x.chain_id) for x in links_))
        await asyncio.gather(*(guarded("deliver", self.deliver_all(x), x.chain_id) for x in links_))
        await guarded("report", self.report())

    # ------------------------------------------------------------------ scanning

    async def scan(self, link: ChainLink) -> None:
        """Record the messages of the final blocks of ``link`` not yet scanned."""
        _, final = await link.follower.heads()
        last = await self.store.cursor("relayer", link.chain_id)
        after = link.start_block - 1 if last is None else last
        async for end, found in link.follower.ranges(after, final):
            messages = []
            for lg in found:
                m = decode(link.abi, link.chain_id, lg)
                if m is not None:
                    messages.append((m, int(lg.blockNumber, 16), hex_bytes(lg.blockHash)))
            for m in await self.store.record_messages(link.chain_id, end, messages):
                metrics.SEEN.labels(str(m.src_chain_id), str(m.dest_chain_id)).inc()
                log.info(
                    "seen",
                    extra={
                        "bridge_message": m.label(),
                        "kind": m.kind,
                        "dest_chain": m.dest_chain_id,
                    },
                )

    # ------------------------------------------------------------------ delivery

    async def deliver_all(self, dest: ChainLink) -> None:
        """Work on the due messages bound for ``dest``, one after another, after checking that
        acceptances in blocks not yet final are still there."""
        _, final = await dest.follower.heads()
        for stored in await self.store.unsettled(dest.chain_id, final):
            if not await dest.bridge.call("is_processed", *stored.message.key):
                await self.store.reopen(stored.message)
                log.warning(
                    "delivery removed by a reorg; delivering again",
                    extra={"bridge_message": stored.message.label(), "dest_chain": dest.chain_id},
                )
        known: dict[str, bool] = {}
        for stored in await self.store.due(dest.chain_id):
            if stored.status == QUEUED:
                await self._execute(dest, stored)
            else:
                await self.deliver(dest, stored, known)

    async def deliver(self, dest: ChainLink, stored: Stored, known: dict[str, bool]) -> None:
        """Deliver one message unless the destination already accepted it."""
        m = stored.message
        if await dest.bridge.call("is_processed", *m.key):
            await self._accepted(dest, m, await self._head(dest))
            return
        sender = self.senders[dest.chain_id]
        if stored.status == SUBMITTED and stored.dest_tx_hash:
            receipt = await dest.rpc.call("eth_getTransactionReceipt", [stored.dest_tx_hash])
            if receipt is None and await sender.known(stored.dest_tx_hash):
                return  # still pending: wait for it
            if receipt is not None and not succeeded(receipt):
                await self._attempt_failed(dest, m, "the submitted transaction reverted")
                return
        if isinstance(m, Transfer) and await dest.bridge.call("paused"):
            return  # a paused bridge loses nothing: the message waits
        threshold = await dest.bridge.call("threshold")
        signatures = await self._valid_signatures(dest, m, known)
        if len(signatures) < threshold:
            return
        name, args = m.call(ordered(signatures, threshold))
        try:
            tx_hash, raw = await sender.prepare(
                dest.bridge.address, dest.bridge.calldata(name, *args)
            )
        except Reverted as exc:
            if "already processed" in exc.reason:
                await self._accepted(dest, m, await self._head(dest))
            elif not any(w in exc.reason for w in _WAIT_REASONS):
                await self._attempt_failed(dest, m, exc.reason)
            return
        await self.store.set_status(m, SUBMITTED, dest_tx_hash=tx_hash)
        await sender.submit(raw)
        log.info(
            "submitted",
            extra={"bridge_message": m.label(), "dest_chain": dest.chain_id, "tx": tx_hash},
        )
        receipt = await sender.receipt(tx_hash, self.settings.receipt_timeout)
        if receipt is None:
            return  # the next round looks again
        if succeeded(receipt) or await dest.bridge.call("is_processed", *m.key):
            await self._accepted(dest, m, int(receipt["blockNumber"], 16))
        else:
            await self._attempt_failed(
                dest, m, f"{name} reverted in block {int(receipt['blockNumber'], 16)}"
            )

    async def _valid_signatures(
        self, dest: ChainLink, m: Message, known: dict[str, bool]
    ) -> dict[str, bytes]:
        """Published signatures that recover to a current validator over the exact digest."""
        digest = m.digest(dest.bridge.address)
        out = {}
        for validator, (signed_digest, signature) in (await self.store.signatures(m)).items():
            if signed_digest != digest or m.signer(signature, dest.bridge.address) != validator:
                log.warning(
                    "ignored a signature that does not match",
                    extra={"bridge_message": m.label(), "validator": validator},
                )
                continue
            if validator not in known:
                known[validator] = await dest.bridge.call("is_validator", validator)
            if known[validator]:
                out[validator] = signature
        return out

    @staticmethod
    async def _head(link: ChainLink) -> int:
        return int(await link.rpc.call("eth_blockNumber", []), 16)

    async def _accepted(self, dest: ChainLink, m: Message, block: int) -> None:
        """The destination accepted ``m`` in ``block`` (or earlier): a transfer is delivered; an
        admin message is queued until its delay passes (or already applied, for a
        cancellation)."""
        status, eta = DELIVERED, None
        if isinstance(m, AdminCall):
            eta = await dest.bridge.call("admin_eta", m.message_id)
            if eta:
                status = QUEUED
        await self.store.set_status(m, status, eta=eta, dest_block=block)
        metrics.DELIVERED.labels(str(m.src_chain_id), str(dest.chain_id)).inc()
        log.info(
            "delivered",
            extra={"bridge_message": m.label(), "dest_chain": dest.chain_id, "status": status},
        )

    async def _execute(self, dest: ChainLink, stored: Stored) -> None:
        """Execute a queued admin message once its delay has passed."""
        m = stored.message
        assert isinstance(m, AdminCall)
        eta = await dest.bridge.call("admin_eta", m.message_id)
        if eta == 0:
            executed = await dest.rpc.get_logs(
                [dest.bridge.address],
                dest.start_block,
                int(await dest.rpc.call("eth_blockNumber", []), 16),
                [dest.abi.event("AdminMessageExecuted").topic0, "0x" + m.message_id.hex()],
            )
            await self.store.set_status(m, EXECUTED if executed else CANCELED)
            return
        latest = await dest.rpc.call("eth_getBlockByNumber", ["latest", False])
        if int(latest["timestamp"], 16) < eta:
            return
        name, args = m.execute_call()
        sender = self.senders[dest.chain_id]
        try:
            tx_hash, raw = await sender.prepare(
                dest.bridge.address, dest.bridge.calldata(name, *args)
            )
        except Reverted as exc:
            if not any(w in exc.reason for w in _WAIT_REASONS):
                await self._attempt_failed(dest, m, exc.reason)
            return
        await sender.submit(raw)
        receipt = await sender.receipt(tx_hash, self.settings.receipt_timeout)
        if receipt is not None and succeeded(receipt):
            await self.store.set_status(m, EXECUTED, dest_tx_hash=tx_hash)
            log.info(
                "admin message executed",
                extra={"bridge_message": m.label(), "dest_chain": dest.chain_id},
            )
        elif receipt is not None:
            await self._attempt_failed(dest, m, "execute_admin reverted")

    async def _attempt_failed(self, dest: ChainLink, m: Message, reason: str) -> None:
        s = self.settings
        failed = await self.store.attempt_failed(
            m, reason, max_attempts=s.max_attempts, base=s.backoff_base, cap=s.backoff_max
        )
        if failed:
            metrics.FAILED.labels(str(dest.chain_id)).inc()
            log.error(
                "delivery failed for good",
                extra={"bridge_message": m.label(), "dest_chain": dest.chain_id, "reason": reason},
            )
        else:
            log.warning(
                "delivery attempt failed",
                extra={"bridge_message": m.label(), "dest_chain": dest.chain_id, "reason": reason},
            )

    # ------------------------------------------------------------------ gauges

    async def report(self) -> None:
        """Backlog per destination, missing signatures per validator, balance per chain."""
        backlog = await self.store.backlog()
        for cid in self.links:
            metrics.BACKLOG.labels(str(cid)).set(backlog.get(cid, 0))
        validators: set[str] = set()
        for link in self.links.values():
            validators |= await self._validator_set(link)
        for validator, n in (await self.store.missing_signatures(sorted(validators))).items():
            metrics.MISSING.labels(validator).set(n)
        for cid, sender in self.senders.items():
            metrics.BALANCE.labels(str(cid)).set(await sender.balance())

    async def _validator_set(self, link: ChainLink) -> set[str]:
        current, last = self._validators.get(link.chain_id, (set(), link.start_block - 1))
        head = int(await link.rpc.call("eth_blockNumber", []), 16)
        added = link.abi.event("ValidatorAdded")
        removed = link.abi.event("ValidatorRemoved")
        start = last + 1
        while start <= head:
            end = min(head, start + self.settings.block_range - 1)
            for lg in await link.rpc.get_logs(
                [link.bridge.address], start, end, [[added.topic0, removed.topic0]]
            ):
                if lg.removed:
                    continue
                event = added if lg.topics[0].lower() == added.topic0 else removed
                validator = event.decode(lg.topics, lg.data)["validator"]
                (current.add if event is added else current.discard)(validator)
            start = end + 1
        self._validators[link.chain_id] = (current, head)
        return set(current)


async def _status(settings: RelayerSettings) -> None:
    store = Store(await connect(settings.database_url))
    try:
        for s in await store.all_messages():
            m = s.message
            row = {
                "message": m.label(),
                "kind": m.kind,
                "dest_chain_id": m.dest_chain_id,
                "status": s.status,
                "attempts": s.attempts,
                "dest_tx_hash": s.dest_tx_hash,
                "last_error": s.last_error,
            }
            if isinstance(m, Transfer):
                row.update(token=m.token, id=m.id, amount=str(m.amount), recipient=m.recipient)
            else:
                row.update(target=m.target, eta=s.eta)
            print(json.dumps(row), flush=True)
    finally:
        await store.close()


async def _retry(settings: RelayerSettings, label: str) -> bool:
    src, tx, index = label.split("/")
    store = Store(await connect(settings.database_url))
    try:
        return await store.retry((int(src), hex_bytes(tx), int(index)))
    finally:
        await store.close()


@click.command(name="relay")
@click.argument(
    "action", type=click.Choice(["run", "status", "retry"]), default="run", metavar="[ACTION]"
)
@click.argument("message", required=False)
@click.option("--once", is_flag=True, help="One round, then exit.")
@settings_options(RelayerSettings)
def cli(action: str, message: str | None, once: bool, **values) -> None:
    """The bridge relayer. ACTION ``run`` (the default) follows every chain and submits signed
    messages; ``status`` prints every message as a JSON line; ``retry
    SRC_CHAIN/0xTX_HASH/LOG_INDEX`` gives a failed message new attempts.

    The signing key comes from the environment (BRIDGE_RELAYER_KEY_FILE, _ACCOUNT_ALIAS,
    _PASSPHRASE, _PASSPHRASE_FILE; docs/bridge.md), never from the command line."""
    if action == "retry" and (not message or message.count("/") != 2):
        raise click.BadParameter(
            f"{message!r}: retry needs a message as SRC_CHAIN/0xTX_HASH/LOG_INDEX",
            param_hint="MESSAGE",
        )
    if message and action != "retry":
        raise click.BadParameter(f"{message!r}: only retry takes a message", param_hint="MESSAGE")
    settings = apply(RelayerSettings, values)
    ctx = click.get_current_context()
    if action == "status":
        logs.setup(settings.log_level)
        asyncio.run(_status(settings))
    elif action == "retry":
        logs.setup(settings.log_level)
        if not asyncio.run(_retry(settings, message)):
            click.echo(f"bridge: no failed message {message}", err=True)
            ctx.exit(1)
    else:
        ctx.exit(service.run("relayer", "bridge", settings, Relayer, once))


def main(argv: list[str] | None = None) -> int:
    """``python -m bridge [run|status|retry MESSAGE]`` (the same as ``esg relay``)."""
    return run_command(cli, argv, "python -m bridge")


if __name__ == "__main__":
    sys.exit(main())
