"""The cast of the demo scenario and the tests: one funded account per role, by name.

``PERSONAS`` orders them as the local node's (and ape's) test accounts: the admin is account 0,
alice account 1, and so on; the bridge relayer and mallory (an account without any role) close
the list.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from esg.deploy import Operators

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
