"""The relayer loop: scan every chain for `MessageSent`, deliver each message to its
destination bridge with validator signatures, exactly once.

Exactly once rests on two things: the state store advances a chain's cursor in the same
transaction that records the messages found (nothing is lost), and before every submission the
destination bridge is asked `is_processed` (nothing is sent twice knowingly; the contract rejects
a replay anyway, so a crash between submitting and recording costs one reverted transaction).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from web3 import AsyncHTTPProvider, AsyncWeb3
from web3.contract import AsyncContract
from web3.exceptions import ContractLogicError, TimeExhausted, TransactionNotFound

from bridge.abi import BRIDGE_ABI
from bridge.config import RelayerConfig
from bridge.message import Message, collect_signatures
from bridge.state import DELIVERED, PENDING, SUBMITTED, StateStore, StoredMessage
from esg.manifest import load_manifest

log = logging.getLogger("bridge.relayer")

BRIDGE = "Bridge"
RECEIPT_TIMEOUT = 120.0


@dataclass
class ChainLink:
    """One chain's node connection and bridge contract."""

    chain_id: int
    w3: AsyncWeb3
    bridge: AsyncContract
    start_block: int


def connect(chain_id: int, rpc_url: str, bridge_address: str, start_block: int) -> ChainLink:
    w3 = AsyncWeb3(AsyncHTTPProvider(rpc_url, request_kwargs={"timeout": 30}))
    bridge = w3.eth.contract(address=AsyncWeb3.to_checksum_address(bridge_address), abi=BRIDGE_ABI)
    return ChainLink(chain_id=chain_id, w3=w3, bridge=bridge, start_block=start_block)


class Relayer:
    """Moves messages between all chains of a manifest that have a Bridge."""

    def __init__(self, config: RelayerConfig) -> None:
        self.config = config
        self.store = StateStore(config.state_path)
        manifest = load_manifest(config.manifest)
        self.links: dict[int, ChainLink] = {}
        for chain_id, dep in manifest.chains.items():
            entry = dep.contracts.get(BRIDGE)
            if entry is None or not dep.rpc_urls:
                continue
            self.links[chain_id] = connect(chain_id, dep.rpc_urls[0], entry.address, entry.block)
        if len(self.links) < 2:
            log.warning("manifest %s has a Bridge on %d chain(s)", config.manifest, len(self.links))

    async def run(self, once: bool = False) -> None:
        """Scan and deliver until cancelled (or one round with `once`)."""
        if self.config.dev_keys:
            log.warning("using the DEVELOPMENT validator/relayer keys (public mnemonic)")
        while True:
            await self.round()
            if once:
                return
            await asyncio.sleep(self.config.poll_interval)

    async def round(self) -> None:
        """One scan of every chain followed by one delivery pass per destination."""
        await asyncio.gather(*(self._guard(self.scan, link) for link in self.links.values()))
        await asyncio.gather(*(self._guard(self.deliver_all, link) for link in self.links.values()))

    async def scan(self, link: ChainLink) -> None:
        """Record every `MessageSent` up to the confirmed head of `link`'s chain."""
        head = await link.w3.eth.block_number - self.config.confirmations
        last = self.store.last_block(link.chain_id)
        start = link.start_block if last is None else last + 1
        event = link.bridge.events.MessageSent()
        topic = event.topic
        while start <= head:
            end = min(head, start + self.config.block_range - 1)
            logs = await link.w3.eth.get_logs(
                {
                    "address": link.bridge.address,
                    "topics": [topic],
                    "fromBlock": start,
                    "toBlock": end,
                }
            )
            messages = []
            for raw in logs:
                args = event.process_log(raw)["args"]
                if args["src_chain_id"] != link.chain_id:
                    continue
                messages.append(
                    Message(
                        src_chain_id=link.chain_id,
                        src_tx_hash=bytes(raw["transactionHash"]),
                        src_log_index=raw["logIndex"],
                        dest_chain_id=args["dest_chain_id"],
                        token=args["dest_token"],
                        id=args["id"],
                        amount=args["amount"],
                        recipient=args["recipient"],
                    )
                )
            self.store.record_scan(link.chain_id, end, messages)
            for m in messages:
                log.info("seen %s -> chain %d amount %d", m.key, m.dest_chain_id, m.amount)
            start = end + 1

    async def deliver_all(self, link: ChainLink) -> None:
        """Deliver the open messages bound for `link`'s chain, one after another."""
        pending = self.store.open_messages(link.chain_id)
        if not pending:
            return
        threshold = await link.bridge.functions.threshold().call()
        keys = [
            k
            for k in self.config.validator_keys
            if await link.bridge.functions.is_validator(k.address).call()
        ]
        for stored in pending:
            await self.deliver(link, stored, keys, threshold)

    async def deliver(
        self, link: ChainLink, stored: StoredMessage, keys: list[LocalAccount], threshold: int
    ) -> None:
        """Deliver one message unless the destination already accepted it."""
        m = stored.message
        if await self._processed(link, m):
            self.store.mark(m, DELIVERED)
            log.info("delivered %s (found on chain)", m.key)
            return
        if (
            stored.status == SUBMITTED
            and stored.dest_tx_hash
            and await self._await_earlier(link, stored)
        ):
            return
        signatures = collect_signatures(m, link.bridge.address, keys, threshold)
        if len(signatures) < threshold:
            self.store.mark(m, PENDING, error=f"{len(keys)} usable validator keys < {threshold}")
            log.error("cannot sign %s: too few validator keys for %d", m.key, link.chain_id)
            return
        relayer = self.config.relayer_key
        call = link.bridge.functions.receive_message(*m.call_args(signatures))
        try:
            tx = await call.build_transaction(
                {
                    "from": relayer.address,
                    "chainId": link.chain_id,
                    "nonce": await link.w3.eth.get_transaction_count(relayer.address, "pending"),
                }
            )
        except ContractLogicError as exc:
            if "already processed" in str(exc):
                self.store.mark(m, DELIVERED)
            else:
                self.store.mark(m, PENDING, error=str(exc))
                log.error("%s would revert on chain %d: %s", m.key, link.chain_id, exc)
            return
        signed = relayer.sign_transaction(tx)
        tx_hash = await link.w3.eth.send_raw_transaction(signed.raw_transaction)
        self.store.mark(m, SUBMITTED, dest_tx_hash="0x" + bytes(tx_hash).hex(), attempt=True)
        log.info("submitted %s on chain %d: 0x%s", m.key, link.chain_id, bytes(tx_hash).hex())
        receipt = await link.w3.eth.wait_for_transaction_receipt(tx_hash, RECEIPT_TIMEOUT)
        await self._settle(link, m, receipt["status"])

    async def _await_earlier(self, link: ChainLink, stored: StoredMessage) -> bool:
        """A submission recorded before a restart: wait for it if the node still knows it."""
        try:
            await link.w3.eth.get_transaction(stored.dest_tx_hash)
        except TransactionNotFound:
            return False
        try:
            receipt = await link.w3.eth.wait_for_transaction_receipt(
                stored.dest_tx_hash, RECEIPT_TIMEOUT
            )
        except TimeExhausted:
            return False
        await self._settle(link, stored.message, receipt["status"])
        return True

    async def _settle(self, link: ChainLink, m: Message, status: int) -> None:
        if status == 1 or await self._processed(link, m):
            self.store.mark(m, DELIVERED)
            log.info("delivered %s on chain %d", m.key, link.chain_id)
        else:
            self.store.mark(m, PENDING, error="receive_message reverted")
            log.error("receive_message for %s reverted on chain %d", m.key, link.chain_id)

    async def _processed(self, link: ChainLink, m: Message) -> bool:
        return await link.bridge.functions.is_processed(
            m.src_chain_id, m.src_tx_hash, m.src_log_index
        ).call()

    async def _guard(self, step, link: ChainLink) -> None:
        """Run one chain's step; a node that is down must not stop the other chains."""
        try:
            await step(link)
        except Exception:
            log.exception("chain %d: %s failed; retrying next round", link.chain_id, step.__name__)
