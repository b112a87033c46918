"""The cast of the demo scenario and the tests, and the development keys: one place for both.

``PERSONAS`` orders them as the local node's (and ape's) test accounts: the admin is account 0,
alice account 1, and so on; the bridge persona (the depositor of the contract tests) and mallory
(an account without any role) close the list.

The keys of these accounts, and of the bridge's development validators and relayer, derive from
the public mnemonic every anvil and Hardhat node funds (``dev_account``): DEVELOPMENT ONLY. Keys
derived from it guard nothing; never configure them on a network that holds value.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from eth_account import Account
from eth_account.signers.local import LocalAccount

from esg.deploy import Operators

# DEVELOPMENT ONLY: the public mnemonic of every anvil/Hardhat node and of ape's test accounts.
DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_ACCOUNT_PATH = "m/44'/60'/0'/0/{}"
# Accounts 10-12 sign as the bridge's validators (threshold two), account 9 relays (anvil funds
# 0-9 by default; the relayer pays its own gas).
DEV_VALIDATOR_INDEXES = (10, 11, 12)
DEV_THRESHOLD = 2
DEV_RELAYER_INDEX = 9

PERSONAS = (
    "admin",
    "alice",
    "bob",
    "carol",
    "oracle",
    "verifier",
    "auditor",
    "pauser",
    "bridge",
    "mallory",
)


@dataclass
class Personas:
    """The accounts of the cast."""

    admin: object
    alice: object
    bob: object
    carol: object
    oracle: object
    verifier: object
    auditor: object
    pauser: object
    bridge: object
    mallory: object

    @classmethod
    def from_accounts(cls, accounts) -> Personas:
        return cls(*(accounts[i] for i in range(len(fields(cls)))))

    def operators(self) -> Operators:
        """Role holders for the deploy: the admin issues and mints, the rest hold their namesake."""
        return Operators(
            {
                "ORACLE_ROLE": self.oracle,
                "VERIFIER_ROLE": self.verifier,
                "AUDITOR_ROLE": self.auditor,
                "PAUSER_ROLE": self.pauser,
            }
        )


def dev_account(index: int) -> LocalAccount:
    """Account ``index`` of the public development mnemonic (DEVELOPMENT ONLY)."""
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(DEV_MNEMONIC, account_path=DEV_ACCOUNT_PATH.format(index))


def dev_validators() -> list[LocalAccount]:
    """The bridge's development validator accounts (DEVELOPMENT ONLY)."""
    return [dev_account(i) for i in DEV_VALIDATOR_INDEXES]


def persona_account(name: str) -> LocalAccount:
    """The development account of persona ``name`` (DEVELOPMENT ONLY)."""
    return dev_account(PERSONAS.index(name))
