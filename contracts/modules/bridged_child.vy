# pragma version ~=0.4.3
"""
@title Bridged token: root or Polygon PoS child
@license GNU Affero General Public License v3.0 only
@notice Decides, once at deployment, whether a bridged token (GST, ECT, CCR) is the original on
        its root chain or a child copy on another chain, and enforces what follows from it.

        Child instance: units appear only through `deposit` by DEPOSITOR_ROLE (the bridge,
        after the same units were locked on the root chain) and leave through `withdraw`
        (burned, then released on the root chain). Every native issuance path of the token
        (GST `mint`, ECT `mint_for_action`, CCR `tokenize`) refuses on a child instance,
        whoever calls it, so no role on a child chain can create unbacked units.

        Root instance: `deposit` and `withdraw` refuse (the bridge locks and releases root
        units with ordinary transfers). DEPOSITOR_ROLE then only marks the bridge that holds
        the locked units, which the token protects (CCR refuses to invalidate them).
@dev The Polygon PoS child-token entry points themselves (`deposit(address,bytes)`,
     `withdraw` / `withdrawSingle`) stay in each token, because minting and burning differ
     per token (GST keeps vote checkpoints and a cap, CCR batch metadata); they start with
     `_check_deposit()` / `_check_withdraw()`. Compose with
         initializes: bridged_child[access_control := access_control]
     and export `bridged_child.DEPOSITOR_ROLE` and `bridged_child.is_child`.
"""

from snekmate.auth import access_control

uses: access_control


# @dev Role of the bridge: mints deposits on a child instance; holds locked units on a root one.
DEPOSITOR_ROLE: public(constant(bytes32)) = keccak256("DEPOSITOR_ROLE")


# @dev True when this instance is a child copy whose units come only from bridge deposits.
is_child: public(immutable(bool))


@deploy
def __init__(child: bool):
    """
    @dev Fixes the side of this instance for its whole life.
    @param child True for a child copy (units only by bridge deposit), False for the original.
    """
    is_child = child


@internal
def _check_deposit():
    """
    @dev Reverts unless this is a child instance and the caller holds DEPOSITOR_ROLE.
    """
    assert is_child, "bridged_child: deposit on a root token"
    access_control._check_role(DEPOSITOR_ROLE, msg.sender)


@internal
@view
def _check_withdraw():
    """
    @dev Reverts unless this is a child instance.
    """
    assert is_child, "bridged_child: withdraw on a root token"


@internal
@view
def _check_native():
    """
    @dev Reverts on a child instance: native issuance exists only on the root chain.
    """
    assert not is_child, "bridged_child: no native issuance on a child token"


@internal
@view
def _is_bridge(account: address) -> bool:
    """
    @dev Whether `account` is the bridge (holds DEPOSITOR_ROLE).
    @param account The account.
    @return bool True for the bridge.
    """
    return access_control.hasRole[DEPOSITOR_ROLE][account]
