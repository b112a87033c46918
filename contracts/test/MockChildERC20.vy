# pragma version ~=0.4.3
"""
@title Mock Polygon PoS child ERC-20 for bridge tests
@license GNU Affero General Public License v3.0 only
@notice A snekmate ERC-20 with the child-token interface: `deposit` by DEPOSITOR_ROLE
        mints, `withdraw` burns the caller's tokens.
"""

from snekmate.auth import ownable
from snekmate.auth import access_control
from snekmate.tokens import erc20

initializes: ownable
initializes: access_control
initializes: erc20[ownable := ownable]

exports: (
    erc20.__interface__,
    access_control.DEFAULT_ADMIN_ROLE,
    access_control.hasRole,
    access_control.grantRole,
    access_control.revokeRole,
)

# @dev Role allowed to mint through `deposit`.
DEPOSITOR_ROLE: public(constant(bytes32)) = keccak256("DEPOSITOR_ROLE")


@deploy
def __init__():
    """
    @dev The deployer gets DEFAULT_ADMIN_ROLE.
    """
    ownable.__init__()
    access_control.__init__()
    erc20.__init__("Mock Child Token", "MCT", 18, "Mock Child Token", "1")


@external
def deposit(user: address, depositData: Bytes[32]):
    """
    @notice Mint `abi_decode(depositData, uint256)` tokens to `user`; needs DEPOSITOR_ROLE.
    @param user The receiver.
    @param depositData The ABI-encoded amount.
    """
    access_control._check_role(DEPOSITOR_ROLE, msg.sender)
    erc20._mint(user, abi_decode(depositData, uint256))


@external
def withdraw(amount: uint256):
    """
    @notice Burn `amount` of the caller's tokens.
    @param amount The amount to burn.
    """
    erc20._burn(msg.sender, amount)
