# pragma version ~=0.4.3
"""
@title EcoToken (ECT)
@license GNU Affero General Public License v3.0 only
@notice ERC-20 + EIP-2612 reward token minted once per verified sustainable
        action, under a per-epoch mint cap. Bridgeable to Polygon through the
        PoS child-token interface (`deposit` / `withdraw`); a child copy mints
        no rewards, its units come only from bridge deposits.
"""

from ethereum.ercs import IERC20
implements: IERC20

from snekmate.auth import ownable
from snekmate.auth import access_control
from snekmate.tokens import erc20
from snekmate.utils import pausable
from .modules import role_pausable
from .modules import bridged_child

initializes: ownable
initializes: access_control
initializes: erc20[ownable := ownable]
initializes: pausable
initializes: role_pausable[access_control := access_control, pausable := pausable]
initializes: bridged_child[access_control := access_control]

exports: (
    erc20.name,
    erc20.symbol,
    erc20.decimals,
    erc20.balanceOf,
    erc20.allowance,
    erc20.totalSupply,
    erc20.nonces,
    erc20.approve,
    erc20.permit,
    erc20.DOMAIN_SEPARATOR,
    erc20.eip712Domain,
    access_control.__interface__,
    pausable.paused,
    role_pausable.__interface__,
    bridged_child.DEPOSITOR_ROLE,
    bridged_child.is_child,
)


# @dev Role that mints rewards for verified actions.
ORACLE_ROLE: public(constant(bytes32)) = keccak256("ORACLE_ROLE")


# @dev Length of a mint-cap epoch in seconds; epoch number = timestamp // EPOCH_LENGTH.
EPOCH_LENGTH: public(immutable(uint256))


# @dev Maximum amount mintable through `mint_for_action` per epoch.
epoch_cap: public(uint256)
# @dev Amount minted through `mint_for_action` per epoch number.
epoch_minted: public(HashMap[uint256, uint256])
# @dev Whether an action id has already been rewarded.
action_rewarded: public(HashMap[bytes32, bool])


# @dev Emitted when a verified action is rewarded.
event ActionRewarded:
    to: indexed(address)
    action_id: indexed(bytes32)
    amount: uint256
    epoch: uint256


# @dev Emitted when the admin changes the per-epoch mint cap.
event EpochCapChanged:
    old_cap: uint256
    new_cap: uint256


@deploy
def __init__(epoch_length: uint256, epoch_cap: uint256, child: bool):
    """
    @notice Deploy the token; the deployer receives DEFAULT_ADMIN_ROLE.
    @param epoch_length Length of a mint-cap epoch in seconds (non-zero).
    @param epoch_cap Initial maximum amount mintable per epoch via `mint_for_action`.
    @param child True to deploy a child copy (no rewards; bridge deposits only).
    """
    assert epoch_length != 0, "ect: zero epoch length"
    ownable.__init__()
    access_control.__init__()
    erc20.__init__("EcoToken", "ECT", 18, "EcoToken", "1")
    pausable.__init__()
    bridged_child.__init__(child)
    EPOCH_LENGTH = epoch_length
    self.epoch_cap = epoch_cap
    log EpochCapChanged(old_cap=0, new_cap=epoch_cap)


@external
def transfer(to: address, amount: uint256) -> bool:
    """
    @notice Move `amount` tokens from the caller to `to`; blocked while paused.
    @param to Receiver.
    @param amount Amount in wei units.
    @return bool Always True (reverts on failure).
    """
    pausable._require_not_paused()
    erc20._transfer(msg.sender, to, amount)
    return True


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    """
    @notice Move `amount` tokens from `owner` to `to` using the caller's allowance; blocked while paused.
    @param owner Account the tokens come from.
    @param to Receiver.
    @param amount Amount in wei units.
    @return bool Always True (reverts on failure).
    """
    pausable._require_not_paused()
    erc20._spend_allowance(owner, msg.sender, amount)
    erc20._transfer(owner, to, amount)
    return True


@external
def burn(amount: uint256):
    """
    @notice Destroy `amount` of the caller's tokens; blocked while paused.
    @param amount Amount to destroy.
    """
    pausable._require_not_paused()
    erc20._burn(msg.sender, amount)


@external
def burn_from(owner: address, amount: uint256):
    """
    @notice Destroy `amount` of `owner`'s tokens using the caller's allowance; blocked while paused.
    @param owner Account whose tokens are destroyed.
    @param amount Amount to destroy.
    """
    pausable._require_not_paused()
    erc20._spend_allowance(owner, msg.sender, amount)
    erc20._burn(owner, amount)


@external
def mint_for_action(to: address, amount: uint256, action_id: bytes32):
    """
    @notice Reward `to` with `amount` tokens for the verified action `action_id`.
    @dev Needs ORACLE_ROLE. Each action id is rewarded once; the sum minted in
         the current epoch may not exceed `epoch_cap`. Blocked while paused and on a
         child copy.
    @param to Rewarded account.
    @param amount Reward amount.
    @param action_id Identifier of the verified action (e.g. hash of its evidence).
    """
    bridged_child._check_native()
    access_control._check_role(ORACLE_ROLE, msg.sender)
    pausable._require_not_paused()
    assert not self.action_rewarded[action_id], "ect: action already rewarded"
    epoch: uint256 = block.timestamp // EPOCH_LENGTH
    minted: uint256 = self.epoch_minted[epoch] + amount
    assert minted <= self.epoch_cap, "ect: epoch cap exceeded"
    self.action_rewarded[action_id] = True
    self.epoch_minted[epoch] = minted
    erc20._mint(to, amount)
    log ActionRewarded(to=to, action_id=action_id, amount=amount, epoch=epoch)


@external
def set_epoch_cap(new_cap: uint256):
    """
    @notice Set the maximum amount mintable per epoch through `mint_for_action`.
    @dev Needs DEFAULT_ADMIN_ROLE. Applies to the current epoch immediately.
    @param new_cap New per-epoch cap.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    log EpochCapChanged(old_cap=self.epoch_cap, new_cap=new_cap)
    self.epoch_cap = new_cap


@external
@view
def current_epoch() -> uint256:
    """
    @notice The current epoch number.
    @return uint256 block.timestamp // EPOCH_LENGTH.
    """
    return block.timestamp // EPOCH_LENGTH


@external
def deposit(user: address, depositData: Bytes[32]):
    """
    @notice Polygon PoS child-token deposit: mint the bridged amount to `user`.
    @dev Needs DEPOSITOR_ROLE (the bridge) and a child copy. Not blocked by pause nor
         by the epoch cap, so bridged funds always arrive.
    @param user Receiver on this chain.
    @param depositData abi-encoded uint256 amount.
    """
    bridged_child._check_deposit()
    erc20._mint(user, abi_decode(depositData, uint256))


@external
def withdraw(amount: uint256):
    """
    @notice Polygon PoS child-token withdrawal: burn `amount` of the caller's tokens.
    @dev Only on a child copy. Blocked while paused.
    @param amount Amount to withdraw to the root chain.
    """
    bridged_child._check_withdraw()
    pausable._require_not_paused()
    erc20._burn(msg.sender, amount)

