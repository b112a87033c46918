"""Bridge messages (sent and received) on one chain, indexed into bridge_messages."""

from eth_account import Account

from bridge.message import Message, collect_signatures
from esg.deploy import WAD, Deployment
from tests.support import ecosystem as tok
from tests.support import indexing as helpers

REMOTE_CHAIN = 999
REMOTE_TOKEN = "0x00000000000000000000000000000000000000aa"


def test_bridge_messages(project, who, chain, chain_id, rpc_url, tmp_path):
    validator = Account.create()
    d = Deployment(contracts={}, receipts={})
    d.contracts["GST"] = gst = project.GST.deploy(10**9 * WAD, sender=who.admin)
    d.contracts["Bridge"] = bridge = project.Bridge.deploy([validator.address], 1, sender=who.admin)
    for name, c in d.contracts.items():
        d.receipts[name] = chain.get_receipt(c.txn_hash)
    gst.grantRole(gst.MINTER_ROLE(), who.admin, sender=who.admin)
    bridge.set_token(gst, 20, False, sender=who.admin)
    bridge.map_token(gst, REMOTE_CHAIN, REMOTE_TOKEN, sender=who.admin)
    gst.mint(who.alice, 1_000 * WAD, sender=who.admin)
    gst.approve(bridge, 1_000 * WAD, sender=who.alice)
    sent = [
        bridge.send_erc20(gst, amount * WAD, who.carol, REMOTE_CHAIN, sender=who.alice)
        for amount in (100, 250)
    ]
    src_tx = bytes(range(32))
    msg = Message(
        src_chain_id=REMOTE_CHAIN,
        src_tx_hash=src_tx,
        src_log_index=3,
        dest_chain_id=chain_id,
        token=str(gst.address),
        id=0,
        amount=40 * WAD,
        recipient=str(who.bob.address),
    )
    sigs = collect_signatures(msg, str(bridge.address), [validator], 1)
    received = bridge.receive_message(*msg.call_args(sigs), sender=who.carol)

    manifest = tok.write_manifest(tmp_path / "m.json", d, chain_id, rpc_url)
    url = helpers.new_database("tokbridge")
    helpers.index_once(url, manifest, chain_id)
    rows = helpers.query(url, "SELECT * FROM bridge_messages ORDER BY block_number, log_index")
    assert [r["direction"] for r in rows] == ["sent", "sent", "received"]
    for r, tx in zip(rows[:2], sent, strict=True):
        log = next(iter(bridge.MessageSent.from_receipt(tx)))
        assert "0x" + bytes(r["tx_hash"]).hex() == str(tx.txn_hash)
        assert (
            int(r["sequence"]),
            int(r["amount"]),
            int(r["src_chain_id"]),
            int(r["dest_chain_id"]),
        ) == (log.sequence, log.amount, chain_id, REMOTE_CHAIN)
        assert "0x" + bytes(r["sender"]).hex() == str(who.alice.address).lower()
        assert "0x" + bytes(r["dest_token"]).hex() == REMOTE_TOKEN
    r = rows[2]
    assert "0x" + bytes(r["tx_hash"]).hex() == str(received.txn_hash)
    assert bytes(r["message_id"]) == bytes(bridge.message_id(REMOTE_CHAIN, src_tx, 3))
    assert bytes(r["src_tx_hash"]) == src_tx and int(r["src_log_index"]) == 3
    assert int(r["amount"]) == 40 * WAD and r["sender"] is None
    assert "0x" + bytes(r["recipient"]).hex() == str(who.bob.address).lower()
    assert bridge.is_processed(REMOTE_CHAIN, src_tx, 3)
    locked = helpers.query(
        url,
        "SELECT amount FROM balances WHERE token = $1 AND holder = $2",
        bytes.fromhex(str(gst.address)[2:]),
        bytes.fromhex(str(bridge.address)[2:]),
    )[0][0]
    assert int(locked) == gst.balanceOf(bridge) == 310 * WAD
