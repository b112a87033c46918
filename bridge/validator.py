"""``python -m bridge.validator``: one bridge validator, holding one key.

Each validator runs as its own process with its own key (see ``bridge.settings``) and, ideally,
its own nodes. It follows every source chain's bridge itself, behind the chain's finality rule
(``esg.chain.finality``), and for each message in a final block:

1. reads the log again at signing time (``esg.chain.follower.reread_final``): the block is still
   final and canonical, and the receipt and ``eth_getLogs`` by that block hash hold the same log;
2. checks the message: the destination bridge pairs the destination token back with the source
   token (the source bridge wrote the pairing into the event), amount and recipient are non-zero,
   and the transaction really moved that amount of the token into the source bridge; an admin
   message comes from the chain that governs the destination bridge;
3. signs it under the destination bridge's EIP-712 domain and publishes the signature in the
   ``bridge.signatures`` table, together with its progress (one transaction).

A message that fails step 2 is never signed (the refusal is logged); a log that fails step 1
stops this chain's round without moving the cursor, so it is tried again next round.
"""

from __future__ import annotations

import asyncio
import logging
import sys

import click
from eth_abi import decode as abi_decode
from eth_utils import keccak

from bridge import metrics, service
from bridge.chains import ChainLink
from bridge.message import Message, Transfer, decode
from bridge.settings import ValidatorSettings
from esg.chain.abi import hex_bytes
from esg.chain.follower import reread_final
from esg.chain.rpc import Log
from esg.cli import run as run_command
from esg.cli.settings import apply, settings_options

log = logging.getLogger("bridge.validator")

ZERO = "0x0000000000000000000000000000000000000000"
_TRANSFER = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
_TRANSFER_SINGLE = (
    "0x" + keccak(text="TransferSingle(address,address,address,uint256,uint256)").hex()
)


class Invalid(Exception):
    """The message must never be signed; the text says why."""


class NotYet(Exception):
    """The log could not be confirmed final and canonical right now."""


def _topic_address(topic: str) -> str:
    return "0x" + topic[-40:].lower()


def arrived(receipt: dict, m: Transfer, bridge: str, message_log: Log) -> int:
    """Units of ``m``'s source token that moved into ``bridge`` in the message's transaction,
    between the bridge's previous message log (if any) and this one."""
    bridge = bridge.lower()
    index = int(message_log.logIndex, 16)
    total = 0
    for entry in receipt["logs"]:
        i = int(entry["logIndex"], 16)
        if i >= index:
            break
        if (
            entry["address"].lower() == bridge
            and entry["topics"][0].lower() == message_log.topics[0].lower()
        ):
            total = 0  # an earlier message of the same transaction: count afresh
            continue
        if entry["address"].lower() != m.src_token.lower() or not entry["topics"]:
            continue
        topic = entry["topics"][0].lower()
        data = hex_bytes(entry["data"])
        if topic == _TRANSFER and len(entry["topics"]) == 3:
            if _topic_address(entry["topics"][2]) == bridge:
                total += abi_decode(["uint256"], data)[0]
        elif topic == _TRANSFER_SINGLE and len(entry["topics"]) == 4:
            token_id, value = abi_decode(["uint256", "uint256"], data)
            if _topic_address(entry["topics"][3]) == bridge and token_id == m.id:
                total += value
    return total


class Validator(service.Process):
    """Follows the source chains and signs their final messages (see the module notes)."""

    settings: ValidatorSettings

    async def round(self) -> None:
        """Follow every chain once; a failing chain does not stop the others."""
        await asyncio.gather(
            *(
                service.guarded("follow", self._follow(link), link.chain_id)
                for link in self.links.values()
            )
        )

    async def _follow(self, link: ChainLink) -> None:
        try:
            await self.follow(link)
        except NotYet as exc:
            log.warning("waiting to confirm a log", extra={"chain": link.chain_id, "why": str(exc)})

    async def follow(self, link: ChainLink) -> None:
        """Sign the messages of the final blocks of ``link`` not yet covered."""
        head, final = await link.follower.heads()
        label = str(link.chain_id)
        metrics.HEAD.labels(label).set(head)
        metrics.FINALIZED.labels(label).set(final)
        last = await self.store.cursor(self.address.lower(), link.chain_id)
        after = link.start_block - 1 if last is None else last
        async for end, found in link.follower.ranges(after, final):
            signed = []
            for lg in found:
                m = decode(link.abi, link.chain_id, lg)
                if m is None:
                    continue
                try:
                    digest, signature = await self.sign(link, m, lg)
                except Invalid as exc:
                    log.error(
                        "refused to sign", extra={"bridge_message": m.label(), "reason": str(exc)}
                    )
                    continue
                signed.append((m, digest, signature))
            await self.store.record_signatures(self.address, link.chain_id, end, signed)
            for m, _, _ in signed:
                metrics.SIGNED.labels(self.address, label).inc()
                log.info(
                    "signed",
                    extra={
                        "bridge_message": m.label(),
                        "kind": m.kind,
                        "dest_chain": m.dest_chain_id,
                    },
                )

    async def sign(self, link: ChainLink, m: Message, lg: Log) -> tuple[bytes, bytes]:
        """(digest, signature) of ``m`` after the checks of the module notes."""
        receipt = await reread_final(link.rpc, link.finality, lg)
        if receipt is None:
            raise NotYet(f"{m.label()}: not final or not canonical at signing time")
        dest = self.links.get(m.dest_chain_id)
        if dest is None:
            raise Invalid(f"destination chain {m.dest_chain_id} has no bridge in the manifest")
        if isinstance(m, Transfer):
            await self._check_transfer(link, dest, m, lg, receipt)
        else:
            governor = await dest.bridge.call("GOVERNANCE_CHAIN_ID")
            if governor != m.src_chain_id:
                raise Invalid(f"chain {m.dest_chain_id} is not governed by chain {m.src_chain_id}")
        dest_bridge = dest.bridge.address
        return m.digest(dest_bridge), m.sign(self.account, dest_bridge)

    async def _check_transfer(
        self, link: ChainLink, dest: ChainLink, m: Transfer, lg: Log, receipt: dict
    ) -> None:
        if m.amount == 0 or m.recipient == ZERO:
            raise Invalid("zero amount or zero recipient")
        back = await dest.bridge.call("remote_token", m.token, m.src_chain_id)
        if back.lower() != m.src_token.lower():
            raise Invalid(f"destination bridge pairs {m.token} with {back}, not {m.src_token}")
        moved = arrived(receipt, m, link.bridge.address, lg)
        if moved < m.amount:
            raise Invalid(
                f"the transaction moved {moved} into the bridge, the message says {m.amount}"
            )


@click.command(name="validator")
@click.option("--once", is_flag=True, help="One round over every chain, then exit.")
@settings_options(ValidatorSettings)
def cli(once: bool, **values) -> None:
    """One bridge validator: follows the source chains itself and signs final messages. Its key
    comes from the environment (BRIDGE_VALIDATOR_KEY_FILE, _ACCOUNT_ALIAS, _PASSPHRASE,
    _PASSPHRASE_FILE, _DEV_ACCOUNT; docs/bridge.md), never from the command line."""
    settings = apply(ValidatorSettings, values)
    click.get_current_context().exit(
        service.run("validator", "bridge.validator", settings, Validator, once)
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m bridge.validator [--once]`` (the same as ``esg validator``)."""
    return run_command(cli, argv, "python -m bridge.validator")


if __name__ == "__main__":
    sys.exit(main())
