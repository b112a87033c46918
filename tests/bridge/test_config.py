"""Relayer configuration: environment, JSON file, development defaults; and the state store."""

from __future__ import annotations

import json
import sqlite3

import pytest
from eth_account import Account

from bridge.config import DEV_THRESHOLD, RelayerConfig, dev_validators
from bridge.message import Message
from bridge.state import DELIVERED, PENDING, SUBMITTED, StateStore

ENV = (
    "ESG_BRIDGE_CONFIG",
    "ESG_BRIDGE_VALIDATOR_KEYS",
    "ESG_BRIDGE_RELAYER_KEY",
    "ESG_BRIDGE_STATE",
    "ESG_BRIDGE_POLL_INTERVAL",
    "ESG_BRIDGE_CONFIRMATIONS",
    "ESG_BRIDGE_BLOCK_RANGE",
    "ESG_MANIFEST",
)


def _clean(monkeypatch, tmp_path):
    for key in ENV:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ESG_HOME", str(tmp_path / "home"))


def test_development_defaults(monkeypatch, tmp_path):
    _clean(monkeypatch, tmp_path)
    config = RelayerConfig.load()
    assert config.dev_keys
    assert [k.address for k in config.validator_keys] == [v.address for v in dev_validators()]
    assert len(config.validator_keys) > DEV_THRESHOLD
    # the development relayer is anvil's funded account 9
    assert config.relayer_key.address == "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"
    assert config.state_path == tmp_path / "home" / "bridge" / "relayer.sqlite"
    assert config.manifest.name == "local.json"


def test_file_then_environment_then_overrides(monkeypatch, tmp_path):
    _clean(monkeypatch, tmp_path)
    keys = [Account.create() for _ in range(3)]
    relayer = Account.create()
    cfg = tmp_path / "bridge.json"
    cfg.write_text(
        json.dumps(
            {
                "validator_keys": [k.key.hex() for k in keys],
                "relayer_key": relayer.key.hex(),
                "poll_interval": 5,
                "confirmations": 12,
                "manifest": str(tmp_path / "m.json"),
            }
        )
    )
    monkeypatch.setenv("ESG_BRIDGE_CONFIG", str(cfg))
    monkeypatch.setenv("ESG_BRIDGE_CONFIRMATIONS", "3")
    monkeypatch.setenv("ESG_BRIDGE_VALIDATOR_KEYS", ",".join(k.key.hex() for k in keys[:2]))
    config = RelayerConfig.load(poll_interval=0.5, state=str(tmp_path / "s.sqlite"))
    assert not config.dev_keys
    assert [k.address for k in config.validator_keys] == [k.address for k in keys[:2]]
    assert config.relayer_key.address == relayer.address
    assert (config.poll_interval, config.confirmations) == (0.5, 3)
    assert config.state_path == tmp_path / "s.sqlite"
    assert config.manifest == tmp_path / "m.json"


def _message(n: int) -> Message:
    return Message(
        src_chain_id=2025,
        src_tx_hash=bytes([n]) * 32,
        src_log_index=n,
        dest_chain_id=80002,
        token="0x" + "11" * 20,
        id=0,
        amount=10**30 + n,
        recipient="0x" + "22" * 20,
    )


def test_state_store_survives_reopen(tmp_path):
    path = tmp_path / "state.sqlite"
    store = StateStore(path)
    assert store.last_block(2025) is None
    store.record_scan(2025, 10, [_message(1), _message(2)])
    store.record_scan(2025, 20, [_message(2), _message(3)])  # a rescanned message is kept once
    store.mark(_message(1), SUBMITTED, dest_tx_hash="0xabc", attempt=True)
    store.mark(_message(2), DELIVERED)
    store.close()

    store = StateStore(path)
    assert store.last_block(2025) == 20
    rows = {s.message.src_log_index: s for s in store.all_messages()}
    assert sorted(rows) == [1, 2, 3]
    assert rows[1].message == _message(1)
    assert (rows[1].status, rows[1].dest_tx_hash, rows[1].attempts) == (SUBMITTED, "0xabc", 1)
    assert [s.message.src_log_index for s in store.open_messages(80002)] == [1, 3]
    assert rows[3].status == PENDING
    assert store.open_messages(2025) == []
    store.close()


def test_failed_scan_records_nothing(tmp_path):
    store = StateStore(tmp_path / "state.sqlite")
    store.record_scan(2025, 5, [])
    # the second row cannot be bound, after the first was inserted: neither message nor the
    # cursor may survive
    unbindable = Message(**{**_message(5).__dict__, "token": object()})
    with pytest.raises(sqlite3.Error):
        store.record_scan(2025, 9, [_message(4), unbindable])
    assert store.last_block(2025) == 5
    assert store.all_messages() == []
    store.close()
