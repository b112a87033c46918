"""Indexed balances, supplies, roles and pauses equal the chain's after random activity."""

import random

from eth_utils import keccak

from tests.support import indexing as helpers

ZERO = "0x" + "00" * 20


def test_balances_and_supplies_match_chain(emitter, accounts, chain, chain_id, db_url):
    token, receipt, manifest = emitter
    rng = random.Random(42)
    # ERC-1155 ids start at 1: id 0 is where the ERC-20 side of the same contract is booked.
    users = [accounts[i] for i in range(1, 6)]
    for u in users:
        token.mint(u, rng.randint(1, 10**24), sender=accounts[0])
        for token_id in range(1, 4):
            token.mint1155(u, token_id, rng.randint(1, 1000), sender=accounts[0])
    for _ in range(40):
        a, b = rng.sample(users, 2)
        action = rng.random()
        if action < 0.5:
            token.transfer(b, rng.randint(0, token.balanceOf(a)), sender=a)
        elif action < 0.6:
            token.burn(rng.randint(0, token.balanceOf(a)), sender=a)
        elif action < 0.9:
            ids = rng.sample(range(1, 4), rng.randint(1, 3))
            amounts = [rng.randint(0, token.balanceOf1155(a, i)) for i in ids]
            to = ZERO if rng.random() < 0.2 else b
            token.transfer1155_batch(to, ids, amounts, sender=a)
        else:
            token.mint1155(b, rng.randint(1, 3), rng.randint(1, 50), sender=accounts[0])
    role = keccak(text="MINTER_ROLE")
    token.emit_role(role, users[0], True, sender=accounts[0])
    token.emit_role(role, users[1], True, sender=accounts[0])
    token.emit_role(role, users[0], False, sender=accounts[0])
    token.emit_pause(True, sender=accounts[0])
    # An empty TransferBatch moves nothing: no transfer row, but still an event.
    token.emit_batches(2, 99, 0, sender=accounts[0])

    helpers.index_once(db_url, manifest, chain_id)

    t = bytes.fromhex(token.address[2:])
    # Every log of the contract is in the event log exactly once, decoded.
    logs = helpers.node_logs(chain.provider, token.address, receipt.block_number)
    events = helpers.query(
        db_url,
        "SELECT block_number, log_index, event, args FROM events "
        "WHERE contract = $1 ORDER BY block_number, log_index",
        t,
    )
    assert [(int(lg["blockNumber"], 16), int(lg["logIndex"], 16)) for lg in logs] == [
        (r[0], r[1]) for r in events
    ]
    assert {r[2] for r in events} >= {
        "Transfer",
        "TransferSingle",
        "TransferBatch",
        "RoleGranted",
        "RoleRevoked",
        "Paused",
    }

    rows = helpers.query(
        db_url,
        "SELECT token_id, holder, amount FROM balances WHERE chain_id = $1 AND token = $2",
        chain_id,
        t,
    )
    indexed = {(int(r[0]), "0x" + r[1].hex()): int(r[2]) for r in rows}
    for u in users:
        assert indexed.get((0, u.address.lower()), 0) == token.balanceOf(u)
        for token_id in range(1, 4):
            assert indexed.get((token_id, u.address.lower()), 0) == token.balanceOf1155(u, token_id)
    supplies = {
        int(r[0]): int(r[1])
        for r in helpers.query(
            db_url,
            "SELECT token_id, supply FROM supplies WHERE chain_id = $1 AND token = $2",
            chain_id,
            t,
        )
    }
    assert supplies[0] == token.totalSupply()
    for token_id in range(1, 4):
        assert supplies[token_id] == token.totalSupply1155(token_id)

    roles = helpers.query(
        db_url, "SELECT account, granted FROM role_members WHERE contract = $1 ORDER BY account", t
    )
    got = {"0x" + r[0].hex(): r[1] for r in roles}
    assert got == {users[0].address.lower(): False, users[1].address.lower(): True}
    assert helpers.query(db_url, "SELECT paused FROM pauses WHERE contract = $1", t)[0][0] is True

    # Re-running changes nothing.
    before = helpers.dump(db_url)
    helpers.index_once(db_url, manifest, chain_id)
    helpers.assert_same(before, helpers.dump(db_url))


def test_bulk_events_decode_like_eth_abi(emitter, accounts, chain, chain_id):
    from eth_abi import decode

    token, receipt, manifest = emitter
    token.emit_transfers(300, 1, sender=accounts[0])
    token.emit_singles(200, 2, sender=accounts[0])
    token.emit_batches(100, 3, 4, sender=accounts[0])
    url = helpers.new_database()
    helpers.index_once(url, manifest, chain_id)
    # The event log rebuilds transfer events from `transfers` with the ABI's argument names.
    t_sig = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
    s_sig = "0x" + keccak(text="TransferSingle(address,address,address,uint256,uint256)").hex()
    all_logs = helpers.node_logs(chain.provider, token.address, receipt.block_number)
    by_loc = {(int(lg["blockNumber"], 16), int(lg["logIndex"], 16)): lg for lg in all_logs}
    seen = set()
    for bn, li, event, args in helpers.query(
        url, "SELECT block_number, log_index, event, args FROM events ORDER BY 1, 2"
    ):
        lg = by_loc[(bn, li)]
        seen.add(event)
        if event == "Transfer":
            assert lg["topics"][0] == t_sig
            assert args == {
                "sender": "0x" + lg["topics"][1][26:],
                "receiver": "0x" + lg["topics"][2][26:],
                "value": str(int(lg["data"], 16)),
            }
        elif event == "TransferSingle":
            assert lg["topics"][0] == s_sig
            token_id, value = decode(["uint256", "uint256"], bytes.fromhex(lg["data"][2:]))
            assert args == {
                "_operator": "0x" + lg["topics"][1][26:],
                "_from": "0x" + lg["topics"][2][26:],
                "_to": "0x" + lg["topics"][3][26:],
                "_id": str(token_id),
                "_value": str(value),
            }
    assert len(by_loc) == len(helpers.query(url, "SELECT 1 FROM events")), (
        "every log exactly once in the event log"
    )
    assert seen == {"Transfer", "TransferSingle", "TransferBatch"}
    rows = helpers.query(
        url,
        "SELECT event, args FROM events WHERE event = 'TransferBatch' "
        "ORDER BY block_number, log_index LIMIT 50",
    )
    assert len(rows) == 50
    logs = [
        lg
        for lg in helpers.node_logs(chain.provider, token.address, receipt.block_number)
        if len(lg["topics"]) == 4
        and lg["topics"][0]
        == "0x" + keccak(text="TransferBatch(address,address,address,uint256[],uint256[])").hex()
    ][:50]
    for lg, (_, args) in zip(logs, rows, strict=True):
        ids, values = decode(["uint256[]", "uint256[]"], bytes.fromhex(lg["data"][2:]))
        assert [int(x) for x in args["_ids"]] == list(ids)
        assert [int(x) for x in args["_values"]] == list(values)
        assert args["_from"] == "0x" + lg["topics"][2][26:]
    n = helpers.query(
        url, "SELECT count(*) FROM transfers WHERE token = $1", bytes.fromhex(token.address[2:])
    )[0][0]
    assert n == 300 + 200 + 100 * 4
