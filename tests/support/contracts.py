"""Assertions the contract tests share: expected reverts, and the bridged-token interface that
GST and ECT both implement (root copies refuse the child calls, child copies issue nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import ape
from eth_abi import encode


def assert_each_reverts(cases: Iterable[tuple[str, Callable[[], object]]]) -> None:
    """Each ``(reason, call)``: calling ``call()`` reverts with ``reason``."""
    for reason, call in cases:
        with ape.reverts(reason):
            call()


def assert_root_refuses_child_interface(token, admin, holder, amount: int) -> None:
    """A root token's units move through the bridge by transfers: nobody may mint them by
    ``deposit`` (not even a DEPOSITOR_ROLE holder) nor burn them by ``withdraw`` (``holder``
    holds some)."""
    token.grantRole(token.DEPOSITOR_ROLE(), admin, sender=admin)
    assert not token.is_child()
    assert_each_reverts(
        [
            (
                "bridged_child: deposit on a root token",
                lambda: token.deposit(holder, encode(["uint256"], [amount]), sender=admin),
            ),
            ("bridged_child: withdraw on a root token", lambda: token.withdraw(1, sender=holder)),
        ]
    )


def assert_child_issues_nothing(token, role: str, admin, issue: Callable[[], object]) -> None:
    """A child token has no native issuance: ``issue()`` reverts even when ``admin`` holds the
    issuing ``role``, and the supply stays zero."""
    assert token.is_child()
    token.grantRole(getattr(token, role)(), admin, sender=admin)
    with ape.reverts("bridged_child: no native issuance on a child token"):
        issue()
    assert token.totalSupply() == 0
