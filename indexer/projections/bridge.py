"""Bridge messages: MessageSent on the source chain, MessageReceived on the destination."""

from __future__ import annotations

from indexer.projections import F, feed
from indexer.projections.schema import append_table

bridge_messages = append_table(
    "bridge_messages",
    "Bridge messages: direction 'sent' (MessageSent: sender, sequence, dest_chain_id, dest_token)"
    " or 'received' (MessageReceived: message_id, src_tx_hash, src_log_index).",
    columns="""
        direction      text                                 # sent or received
        token          address                              # the token bridged
        sender         address  null entity=account         # who sent (sent only)
        recipient      address  entity=account              # who receives
        src_chain_id   uint                                 # the source chain
        sequence       uint     null                        # the sender bridge's counter
        dest_chain_id  uint     null                        # the destination chain
        dest_token     address  null                        # the token on the destination
        message_id     bytes    null entity=bridge_message  # id of the delivered message
        src_tx_hash    bytes    null                        # source transaction
        src_log_index  uint     null                        # source log index
        token_id       uint                                 # ERC-1155 id (0 for ERC-20)
        amount         uint                                 # units bridged
        data           bytes    null                        # the token's metadata (sent only)
    """,
)
feed(bridge_messages, "Bridge.MessageSent", direction="sent", token_id=F.id)
feed(bridge_messages, "Bridge.MessageReceived", direction="received", token_id=F.id)
