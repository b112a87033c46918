"""The one key a bridge process signs with, loaded once and never shown.

A keystore file (ape's account format: standard encrypted JSON) is decrypted with its
passphrase; the passphrase and the key stay in memory, out of every log line, error message and
``repr``. ``DEV_ACCOUNT`` derives a key of the public anvil mnemonic instead
(``esg.personas.dev_account``): DEVELOPMENT ONLY.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount

from bridge.settings import RelayerSettings, ValidatorSettings
from esg.personas import dev_account

log = logging.getLogger("bridge.keys")


class KeyConfigError(Exception):
    """The key cannot be loaded; the message names the setting, never a secret."""


def ape_keyfile(alias: str) -> Path:
    """Where ape keeps the keystore of account ``alias``."""
    data = Path(os.environ.get("APE_DATA_FOLDER", Path.home() / ".ape"))
    return data / "accounts" / f"{alias}.json"


def load_account(settings: RelayerSettings | ValidatorSettings, prefix: str) -> LocalAccount:
    """The process's signing account from ``settings`` (``prefix`` names the settings in
    error messages, e.g. ``BRIDGE_VALIDATOR_``)."""
    if settings.key_file or settings.account_alias:
        path = settings.key_file or ape_keyfile(settings.account_alias or "")
        if settings.passphrase is not None:
            passphrase = settings.passphrase.get_secret_value()
        elif settings.passphrase_file is not None:
            try:
                passphrase = settings.passphrase_file.read_text().rstrip("\r\n")
            except OSError as exc:
                raise KeyConfigError(
                    f"{prefix}PASSPHRASE_FILE {settings.passphrase_file}: {exc.strerror}"
                ) from None
        else:
            raise KeyConfigError(f"{prefix}PASSPHRASE or {prefix}PASSPHRASE_FILE is required")
        try:
            keystore = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise KeyConfigError(
                f"keystore {path}: cannot be read ({type(exc).__name__})"
            ) from None
        try:
            key = Account.decrypt(keystore, passphrase)
        except (ValueError, TypeError, KeyError):
            raise KeyConfigError(f"keystore {path}: wrong passphrase or not a keystore") from None
        return Account.from_key(key)
    if settings.dev_account is not None:
        account = dev_account(settings.dev_account)
        log.warning(
            "DEVELOPMENT KEY: account of the public anvil mnemonic; never use it where value is",
            extra={"address": account.address, "dev_account": settings.dev_account},
        )
        return account
    raise KeyConfigError(
        f"no signing key: set {prefix}KEY_FILE or {prefix}ACCOUNT_ALIAS with {prefix}PASSPHRASE"
        f" (or {prefix}PASSPHRASE_FILE); {prefix}DEV_ACCOUNT=N for a local development chain"
    )
