"""Bridge messages: MessageSent on the source chain, MessageReceived on the destination."""

from __future__ import annotations

from indexer.projections import Batch, Ctx, on
from indexer.projections.schema import (
    ACCOUNT,
    BRIDGE_MESSAGE,
    Address,
    Bytes,
    Text,
    Uint,
    append_table,
)

bridge_messages = append_table(
    "bridge_messages",
    "Bridge messages: direction 'sent' (MessageSent: sender, sequence, dest_chain_id, dest_token)"
    " or 'received' (MessageReceived: message_id, src_tx_hash, src_log_index).",
    direction=Text(),
    token=Address(),
    sender=Address(entity=ACCOUNT, nullable=True),
    recipient=Address(entity=ACCOUNT),
    src_chain_id=Uint(),
    sequence=Uint(nullable=True),
    dest_chain_id=Uint(nullable=True),
    dest_token=Address(nullable=True),
    message_id=Bytes(entity=BRIDGE_MESSAGE, nullable=True),
    src_tx_hash=Bytes(nullable=True),
    src_log_index=Uint(nullable=True),
    token_id=Uint(),
    amount=Uint(),
)


@on("MessageSent", contract="Bridge")
def bridge_message_sent(b: Batch, c: Ctx, ev) -> None:
    bridge_messages.put(b, c, ev, direction="sent", token_id=ev.id)


@on("MessageReceived", contract="Bridge")
def bridge_message_received(b: Batch, c: Ctx, ev) -> None:
    bridge_messages.put(b, c, ev, direction="received", token_id=ev.id)
