"""Root governance reaches the child bridge through the validators and the relayer: an admin
message is signed once final, delivered, held for the child bridge's delay, then executed."""

from __future__ import annotations

from bridge.store import EXECUTED, QUEUED
from tests.support.bridge import ADMIN_DELAY, CHILD_CHAIN_ID, stranger
from tests.support.indexing import query as rows_of


def test_root_governance_adds_a_child_validator(wired, services, database, admin):
    root, child = wired
    bridge = child.bridge
    child.transact(bridge.functions.grantRole(b"\x00" * 32, bridge.address), admin.address)
    child.transact(bridge.functions.renounceRole(b"\x00" * 32, admin.address), admin.address)
    newcomer = stranger().address
    payload = bytes.fromhex(bridge.functions.add_validator(newcomer)._encode_transaction_data()[2:])
    root.bridge.send_admin(CHILD_CHAIN_ID, bridge.address, payload, sender=admin)

    services.round()
    (row,) = rows_of(database, "SELECT kind, status, eta FROM bridge.messages")
    assert (row["kind"], row["status"]) == ("admin", QUEUED)
    assert not bridge.functions.is_validator(newcomer).call()
    services.relay()
    assert not bridge.functions.is_validator(newcomer).call(), "executed before its delay"

    child.w3.provider.make_request("evm_increaseTime", [ADMIN_DELAY + 1])
    child.mine(1)
    services.relay()
    assert bridge.functions.is_validator(newcomer).call()
    (row,) = rows_of(database, "SELECT status FROM bridge.messages")
    assert row["status"] == EXECUTED
