"""The one key of a bridge process: loaded from an ape keystore with a passphrase from the
environment or a file, or derived from the public development mnemonic when asked; never shown
in settings, errors or log lines."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from eth_account import Account

from bridge.keys import KeyConfigError, load_account
from bridge.settings import RelayerSettings, ValidatorSettings
from esg.personas import dev_account

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def keystore(tmp_path):
    account = Account.create()
    path = tmp_path / "validator.json"
    path.write_text(json.dumps(Account.encrypt(account.key, PASSPHRASE)))
    return account, path


def test_keystore_with_passphrase(keystore):
    account, path = keystore
    settings = ValidatorSettings(key_file=path, passphrase=PASSPHRASE)
    assert load_account(settings, "BRIDGE_VALIDATOR_").address == account.address
    assert PASSPHRASE not in repr(settings) and PASSPHRASE not in str(settings.model_dump())


def test_keystore_with_passphrase_file_and_ape_alias(keystore, tmp_path, monkeypatch):
    account, path = keystore
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n")
    settings = ValidatorSettings(key_file=path, passphrase_file=secret)
    assert load_account(settings, "BRIDGE_VALIDATOR_").address == account.address
    (tmp_path / "ape" / "accounts").mkdir(parents=True)
    path.rename(tmp_path / "ape" / "accounts" / "validator-1.json")
    monkeypatch.setenv("APE_DATA_FOLDER", str(tmp_path / "ape"))
    settings = ValidatorSettings(account_alias="validator-1", passphrase_file=secret)
    assert load_account(settings, "BRIDGE_VALIDATOR_").address == account.address


def test_key_errors_name_the_setting_not_the_secret(keystore, tmp_path):
    account, path = keystore
    with pytest.raises(KeyConfigError) as wrong:
        load_account(ValidatorSettings(key_file=path, passphrase="nope"), "BRIDGE_VALIDATOR_")
    assert "wrong passphrase" in str(wrong.value) and "nope" not in str(wrong.value)
    with pytest.raises(KeyConfigError, match="BRIDGE_VALIDATOR_PASSPHRASE"):
        load_account(ValidatorSettings(key_file=path), "BRIDGE_VALIDATOR_")
    with pytest.raises(KeyConfigError, match="cannot be read"):
        load_account(
            ValidatorSettings(key_file=tmp_path / "missing.json", passphrase="x"),
            "BRIDGE_VALIDATOR_",
        )
    with pytest.raises(KeyConfigError, match="no signing key"):
        load_account(RelayerSettings(), "BRIDGE_RELAYER_")


def test_development_account_is_explicit():
    settings = RelayerSettings(dev_account=9)
    # anvil's funded account 9 of the public mnemonic
    assert load_account(settings, "BRIDGE_RELAYER_").address == dev_account(9).address
    assert dev_account(9).address == "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"


def test_bad_finality_rule_is_refused():
    with pytest.raises(ValueError, match="finality 'deep'"):
        ValidatorSettings(finality={1: "deep"})


def test_validator_never_prints_its_key(wired, services, keystore, alice, bob):
    """A validator run on a keystore logs its address, never its key or passphrase."""
    root, _ = wired
    account, path = keystore
    root.bridge.send_erc20(root.token20, 5, bob, 80002, sender=alice)
    env = {
        **services.env,
        "BRIDGE_VALIDATOR_KEY_FILE": str(path),
        "BRIDGE_VALIDATOR_PASSPHRASE": PASSPHRASE,
        "BRIDGE_VALIDATOR_LOG_LEVEL": "DEBUG",
    }
    run = subprocess.run(
        [sys.executable, "-m", "bridge.validator", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert account.address in output
    for secret in (account.key.hex(), account.key.hex().removeprefix("0x"), PASSPHRASE):
        assert secret not in output
