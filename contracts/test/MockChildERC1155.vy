# pragma version ~=0.4.3
"""
@title Mock Polygon PoS child ERC-1155 for bridge tests
@license GNU Affero General Public License v3.0 only
@notice A snekmate ERC-1155 with the child-token interface: `deposit` by DEPOSITOR_ROLE
        mints a batch, `withdrawSingle`/`withdrawBatch` burn the caller's units.
"""

from snekmate.auth import ownable
from snekmate.auth import access_control
from snekmate.tokens import erc1155

initializes: ownable
initializes: access_control
initializes: erc1155[ownable := ownable]

exports: (
    erc1155.safeTransferFrom,
    erc1155.safeBatchTransferFrom,
    erc1155.balanceOf,
    erc1155.balanceOfBatch,
    erc1155.setApprovalForAll,
    erc1155.isApprovedForAll,
    erc1155.total_supply,
    erc1155.uri,
    access_control.DEFAULT_ADMIN_ROLE,
    access_control.hasRole,
    access_control.grantRole,
    access_control.revokeRole,
    access_control.supportsInterface,
)

# @dev Role allowed to mint through `deposit`.
DEPOSITOR_ROLE: public(constant(bytes32)) = keccak256("DEPOSITOR_ROLE")

# @dev Largest batch a deposit or withdrawal carries.
_BATCH: constant(uint256) = 128


@deploy
def __init__():
    """
    @dev The deployer gets DEFAULT_ADMIN_ROLE.
    """
    ownable.__init__()
    access_control.__init__()
    erc1155.__init__("https://example.invalid/")


@external
def deposit(user: address, depositData: Bytes[8_640]):
    """
    @notice Mint the batch `abi_decode(depositData, (uint256[], uint256[], bytes))` to `user`;
            needs DEPOSITOR_ROLE.
    @param user The receiver.
    @param depositData The ABI-encoded ids, amounts and data.
    """
    access_control._check_role(DEPOSITOR_ROLE, msg.sender)
    ids: DynArray[uint256, _BATCH] = []
    amounts: DynArray[uint256, _BATCH] = []
    data: Bytes[256] = b""
    ids, amounts, data = abi_decode(
        depositData, (DynArray[uint256, _BATCH], DynArray[uint256, _BATCH], Bytes[256])
    )
    erc1155._safe_mint_batch(user, ids, amounts, b"")


@external
def withdrawSingle(id: uint256, amount: uint256):
    """
    @notice Burn `amount` units of `id` held by the caller.
    @param id The token id.
    @param amount The number of units.
    """
    erc1155._burn(msg.sender, id, amount)


@external
def withdrawBatch(ids: DynArray[uint256, _BATCH], amounts: DynArray[uint256, _BATCH]):
    """
    @notice Burn a batch of the caller's units.
    @param ids The token ids.
    @param amounts The numbers of units.
    """
    erc1155._burn_batch(msg.sender, ids, amounts)
