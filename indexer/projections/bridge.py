"""Bridge messages: MessageSent on the source chain, MessageReceived on the destination; and the
governance calls one chain's admin sends to another's bridge (AdminMessage*)."""

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

bridge_admin_messages = append_table(
    "bridge_admin_messages",
    "Bridge admin messages: step 'sent' (AdminMessageSent, on the governing chain), 'queued' "
    "(AdminMessageQueued: accepted, waits until eta), 'executed' or 'canceled' (on the governed "
    "chain).",
    columns="""
        step           text                                 # sent, queued, executed or canceled
        target         address  null                        # the contract called
        src_chain_id   uint     null                        # the governing chain (sent only)
        dest_chain_id  uint     null                        # the governed chain (sent only)
        sequence       uint     null                        # the sender bridge's counter (sent)
        message_id     bytes    null entity=bridge_message  # id of the accepted message
        eta            uint     null                        # when it may run (queued only)
        payload        bytes    null                        # the call's data (sent, queued)
    """,
)
feed(bridge_admin_messages, "Bridge.AdminMessageSent", step="sent")
feed(bridge_admin_messages, "Bridge.AdminMessageQueued", step="queued")
feed(bridge_admin_messages, "Bridge.AdminMessageExecuted", step="executed")
feed(bridge_admin_messages, "Bridge.AdminMessageCanceled", step="canceled")
