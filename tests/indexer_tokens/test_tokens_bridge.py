"""Bridge messages (sent and received) on one chain, indexed into bridge_messages; a batch a
child CCR learns from a deposit, indexed into carbon_batches."""

from eth_abi import encode
from eth_account import Account

from bridge.message import Transfer
from esg.deploy import WAD, Deployment
from tests.support import ecosystem as tok
from tests.support import indexing as helpers
from tests.support.api import ApiServer

REMOTE_CHAIN = 999
REMOTE_TOKEN = "0x00000000000000000000000000000000000000aa"


def test_bridge_messages(project, who, chain, chain_id, rpc_url, tmp_path):
    validator = Account.create()
    d = Deployment(contracts={}, receipts={})
    d.contracts["GST"] = gst = project.GST.deploy(10**9 * WAD, False, sender=who.admin)
    d.contracts["Bridge"] = bridge = project.Bridge.deploy(
        [validator.address], 1, 0, 0, sender=who.admin
    )
    d.contracts["ECR"] = ecr = project.ECR.deploy("ipfs://ecr/", sender=who.admin)
    d.contracts["CCR"] = ccr = project.CCR.deploy("ipfs://ccr/", ecr, False, sender=who.admin)
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
    ccr.grantRole(ccr.ISSUER_ROLE(), who.admin, sender=who.admin)
    ccr.add_registry("Verra", sender=who.admin)
    ccr.tokenize(who.alice, 1, "VCS-1", 2024, "VM0042", 1, 50, "", sender=who.admin)
    bridge.set_token(ccr, 1155, False, sender=who.admin)
    bridge.map_token(ccr, REMOTE_CHAIN, REMOTE_TOKEN, sender=who.admin)
    ccr.setApprovalForAll(bridge, True, sender=who.alice)
    batch_sent = bridge.send_erc1155(ccr, 1, 7, who.carol, REMOTE_CHAIN, sender=who.alice)
    src_tx = bytes(range(32))
    msg = Transfer(
        src_chain_id=REMOTE_CHAIN,
        src_tx_hash=src_tx,
        src_log_index=3,
        dest_chain_id=chain_id,
        token=str(gst.address),
        id=0,
        amount=40 * WAD,
        recipient=str(who.bob.address),
    )
    _, args = msg.call([msg.sign(validator, str(bridge.address))])
    received = bridge.receive_message(*args, sender=who.carol)

    manifest = tok.write_manifest(tmp_path / "m.json", d, chain_id, rpc_url)
    url = helpers.new_database("tokbridge")
    helpers.index_once(url, manifest, chain_id)
    rows = helpers.query(url, "SELECT * FROM bridge_messages ORDER BY block_number, log_index")
    assert [r["direction"] for r in rows] == ["sent", "sent", "sent", "received"]
    batch_row = rows.pop(2)
    assert "0x" + bytes(batch_row["tx_hash"]).hex() == str(batch_sent.txn_hash)
    assert (int(batch_row["token_id"]), int(batch_row["amount"])) == (1, 7)
    assert bytes(batch_row["data"]) == bytes(ccr.bridge_metadata(1))
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
        assert bytes(r["data"]) == b""
    r = rows[2]
    assert "0x" + bytes(r["tx_hash"]).hex() == str(received.txn_hash)
    assert bytes(r["message_id"]) == bytes(bridge.message_id(REMOTE_CHAIN, src_tx, 3))
    assert bytes(r["src_tx_hash"]) == src_tx and int(r["src_log_index"]) == 3
    assert int(r["amount"]) == 40 * WAD and r["sender"] is None and r["data"] is None
    assert "0x" + bytes(r["recipient"]).hex() == str(who.bob.address).lower()
    assert bridge.is_processed(REMOTE_CHAIN, src_tx, 3)
    locked = helpers.query(
        url,
        "SELECT amount FROM balances WHERE token = $1 AND holder = $2",
        bytes.fromhex(str(gst.address)[2:]),
        bytes.fromhex(str(bridge.address)[2:]),
    )[0][0]
    assert int(locked) == gst.balanceOf(bridge) == 310 * WAD


def test_a_batch_bridged_to_a_child_chain_is_listed_there(
    project, who, chain, chain_id, rpc_url, tmp_path
):
    """A child CCR learns a batch from its first deposit (BatchBridged): the index lists it with
    the root chain's metadata, and so does /carbon/batches, with the supply the deposits
    minted."""
    root_ecr = project.ECR.deploy("ipfs://ecr/", sender=who.admin)
    root_ccr = project.CCR.deploy("ipfs://ccr/", root_ecr, False, sender=who.admin)
    root_ccr.grantRole(root_ccr.ISSUER_ROLE(), who.admin, sender=who.admin)
    root_ccr.add_registry("Verra", sender=who.admin)
    root_ccr.add_registry("GoldStandard", sender=who.admin)
    root_ccr.tokenize(who.alice, 2, "GS-7", 2021, "GS-TPDDTEC", 100, 149, "", sender=who.admin)
    metadata = root_ccr.bridge_metadata(1)

    d = Deployment(contracts={}, receipts={})
    d.contracts["ECR"] = ecr = project.ECR.deploy("ipfs://ecr/", sender=who.admin)
    d.contracts["CCR"] = ccr = project.CCR.deploy("ipfs://ccr/", ecr, True, sender=who.admin)
    for name, c in d.contracts.items():
        d.receipts[name] = chain.get_receipt(c.txn_hash)
    ccr.grantRole(ccr.DEPOSITOR_ROLE(), who.bridge, sender=who.admin)
    kinds = ["uint256[]", "uint256[]", "bytes"]
    ccr.deposit(who.carol, encode(kinds, [[1], [7], metadata]), sender=who.bridge)
    ccr.deposit(who.bob, encode(kinds, [[1], [3], b""]), sender=who.bridge)

    manifest = tok.write_manifest(tmp_path / "m.json", d, chain_id, rpc_url)
    url = helpers.new_database("tokbridged")
    helpers.index_once(url, manifest, chain_id)
    (row,) = helpers.query(url, "SELECT * FROM carbon_batches")
    assert row["bridged"] and int(row["batch_id"]) == 1
    assert (row["registry"], int(row["registry_id"]), row["project_id"], row["vintage"]) == (
        "GoldStandard",
        2,
        "GS-7",
        2021,
    )
    assert (int(row["serial_start"]), int(row["serial_end"])) == (100, 149)
    assert row["recipient"] is None and row["issuer"] is None and row["amount"] is None

    server = ApiServer(database_url=url, manifest=manifest)
    try:
        (batch,) = server.get("/api/v1/carbon/batches").json()["items"]
        assert (batch["chain_id"], batch["batch_id"], batch["bridged"]) == (chain_id, "1", True)
        assert batch["supply"] == "10" and batch["amount"] is None
        one = server.get(f"/api/v1/carbon/batches/{chain_id}/1").json()["batch"]
        assert one["methodology"] == "GS-TPDDTEC" and one["registry"] == "GoldStandard"
    finally:
        server.stop()
