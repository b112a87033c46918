"""Bridge messages: MessageSent on the source chain, MessageReceived on the destination."""

from __future__ import annotations

from indexer.projections import F, feed
from indexer.projections.schema import append_table

bridge_messages = append_table(
    "bridge_messages",
    "Bridge messages: direction 'sent' (MessageSent: sender, sequence, dest_chain_id, dest_token)"
    " or 'received' (MessageReceived: message_id, src_tx_hash, src_log_index).",
    columns="""
        direction      text
        token          address
        sender         address  null entity=account
        recipient      address  entity=account
        src_chain_id   uint
        sequence       uint     null
        dest_chain_id  uint     null
        dest_token     address  null
        message_id     bytes    null entity=bridge_message
        src_tx_hash    bytes    null
        src_log_index  uint     null
        token_id       uint
        amount         uint
    """,
)
feed(bridge_messages, "Bridge.MessageSent", direction="sent", token_id=F.id)
feed(bridge_messages, "Bridge.MessageReceived", direction="received", token_id=F.id)
