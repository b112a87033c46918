# pragma version ~=0.4.3
"""
@title EcoGem (EGM)
@license GNU Affero General Public License v3.0 only
@notice ERC-1155 premium/VIP tier badges with a per-id cap: claimable once per
        account by ECS score level, or bought with GST paid to the treasury.
        Holders may burn their gems. The admin schedules an expiry per id (e.g.
        one year out, with next year's edition as a new id); once expired, a gem
        can no longer be claimed, bought or moved, and anyone may burn it from
        its holders (the annual burn).
"""

from ethereum.ercs import IERC20

from snekmate.auth import ownable
from snekmate.auth import access_control
from snekmate.tokens import erc1155
from snekmate.utils import pausable
from .modules import role_pausable

initializes: ownable
initializes: access_control
initializes: erc1155[ownable := ownable]
initializes: pausable
initializes: role_pausable[access_control := access_control, pausable := pausable]

exports: (
    erc1155.balanceOf,
    erc1155.balanceOfBatch,
    erc1155.isApprovedForAll,
    erc1155.setApprovalForAll,
    erc1155.uri,
    erc1155.total_supply,
    erc1155.exists,
    access_control.hasRole,
    access_control.getRoleAdmin,
    access_control.grantRole,
    access_control.revokeRole,
    access_control.renounceRole,
    access_control.set_role_admin,
    access_control.DEFAULT_ADMIN_ROLE,
    pausable.paused,
    role_pausable.__interface__,
)


# @dev Score read of the EcoScore registry (same signature as contracts/interfaces/IECS.vy).
interface IEcoScore:
    def score_of(account: address) -> uint256: view


# @dev ERC-165 ids: ERC-165, ERC-1155, ERC-1155 metadata URI, IAccessControl.
_SUPPORTED_INTERFACES: constant(bytes4[4]) = [0x01FFC9A7, 0xD9B67A26, 0x0E89341C, 0x7965DB0B]
# @dev Maximum ids per batch call (as in snekmate erc1155).
_BATCH_SIZE: constant(uint256) = 128


# @dev GST, the payment token for `buy`.
GST: public(immutable(IERC20))
# @dev EcoScore registry read by `claim`.
ECS: public(immutable(IEcoScore))


# @dev One gem kind.
struct Gem:
    cap: uint256
    minted: uint256
    min_score_bp: uint256
    price_gst: uint256
    expires_at: uint256
    defined: bool


# @dev Gem definitions by token id.
gems: public(HashMap[uint256, Gem])
# @dev Whether an account has claimed a gem id.
claimed: public(HashMap[uint256, HashMap[address, bool]])
# @dev Receiver of GST paid for gems.
treasury: public(address)


# @dev Emitted when the admin defines or redefines a gem.
event GemDefined:
    id: indexed(uint256)
    cap: uint256
    min_score_bp: uint256
    price_gst: uint256
    uri: String[432]


# @dev Emitted when an account claims a gem by score.
event GemClaimed:
    account: indexed(address)
    id: indexed(uint256)
    score: uint256


# @dev Emitted when an account buys gems with GST.
event GemBought:
    buyer: indexed(address)
    id: indexed(uint256)
    amount: uint256
    cost_gst: uint256


# @dev Emitted when the admin schedules (or clears, with 0) a gem's expiry.
event GemExpirySet:
    id: indexed(uint256)
    expires_at: uint256


# @dev Emitted when the admin changes the treasury.
event TreasuryChanged:
    old_treasury: indexed(address)
    new_treasury: indexed(address)


@deploy
def __init__(gst: IERC20, ecs: IEcoScore, treasury: address):
    """
    @notice Deploy the gem collection; the deployer receives DEFAULT_ADMIN_ROLE.
    @param gst GST token address (payment for `buy`).
    @param ecs EcoScore registry address (read by `claim`).
    @param treasury Receiver of GST payments.
    """
    assert treasury != empty(address), "egm: zero treasury"
    ownable.__init__()
    access_control.__init__()
    erc1155.__init__("")
    pausable.__init__()
    GST = gst
    ECS = ecs
    self.treasury = treasury
    log TreasuryChanged(old_treasury=empty(address), new_treasury=treasury)


@external
@view
def supportsInterface(interface_id: bytes4) -> bool:
    """
    @notice ERC-165 support: ERC-165, ERC-1155, ERC-1155 metadata URI, IAccessControl.
    @param interface_id The 4-byte interface id.
    @return bool Whether the interface is supported.
    """
    return interface_id in _SUPPORTED_INTERFACES


@external
def safeTransferFrom(owner: address, to: address, id: uint256, amount: uint256, data: Bytes[1_024]):
    """
    @notice ERC-1155 transfer of `amount` of gem `id`; blocked while paused.
    @param owner Current holder.
    @param to Receiver.
    @param id Gem id.
    @param amount Amount.
    @param data Passed to the receiver hook.
    """
    pausable._require_not_paused()
    self._check_owner_or_operator(owner)
    self._require_not_expired(id)
    erc1155._safe_transfer_from(owner, to, id, amount, data)


@external
def safeBatchTransferFrom(
    owner: address,
    to: address,
    ids: DynArray[uint256, _BATCH_SIZE],
    amounts: DynArray[uint256, _BATCH_SIZE],
    data: Bytes[1_024],
):
    """
    @notice ERC-1155 batch transfer; blocked while paused.
    @param owner Current holder.
    @param to Receiver.
    @param ids Gem ids.
    @param amounts Amounts per id.
    @param data Passed to the receiver hook.
    """
    pausable._require_not_paused()
    self._check_owner_or_operator(owner)
    for id: uint256 in ids:
        self._require_not_expired(id)
    erc1155._safe_batch_transfer_from(owner, to, ids, amounts, data)


@external
def define_gem(id: uint256, cap: uint256, min_score_bp: uint256, price_gst: uint256, uri: String[432]):
    """
    @notice Define or redefine gem `id`; needs DEFAULT_ADMIN_ROLE.
    @dev The cap counts every unit ever minted (burns do not free it) and may not
         drop below what is already minted. `min_score_bp` 0 means not claimable
         by score; `price_gst` 0 means not for sale.
    @param id Gem id.
    @param cap Maximum units ever minted.
    @param min_score_bp ECS score (bp) needed to claim one unit; 0 disables claiming.
    @param price_gst GST (wei units) per unit; 0 disables buying.
    @param uri Metadata URI of the id.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert min_score_bp <= 10000, "egm: min score out of range"
    gem: Gem = self.gems[id]
    assert cap >= gem.minted, "egm: cap below minted"
    self.gems[id] = Gem(
        cap=cap,
        minted=gem.minted,
        min_score_bp=min_score_bp,
        price_gst=price_gst,
        expires_at=gem.expires_at,
        defined=True,
    )
    erc1155._set_uri(id, uri)
    log GemDefined(id=id, cap=cap, min_score_bp=min_score_bp, price_gst=price_gst, uri=uri)


@external
@nonreentrant
def claim(id: uint256):
    """
    @notice Claim one unit of gem `id` with an ECS score at or above its minimum.
    @dev Once per account per id; blocked while paused.
    @param id Gem id.
    """
    pausable._require_not_paused()
    gem: Gem = self._gem(id)
    self._require_live(gem)
    assert gem.min_score_bp != 0, "egm: not claimable"
    assert not self.claimed[id][msg.sender], "egm: already claimed"
    score: uint256 = staticcall ECS.score_of(msg.sender)
    assert score >= gem.min_score_bp, "egm: score too low"
    self._count_mint(id, gem, 1)
    self.claimed[id][msg.sender] = True
    log GemClaimed(account=msg.sender, id=id, score=score)
    erc1155._safe_mint(msg.sender, id, 1, b"")


@external
@nonreentrant
def buy(id: uint256, amount: uint256):
    """
    @notice Buy `amount` units of gem `id`, paying price_gst * amount GST to the treasury.
    @dev The caller must have approved this contract on GST; blocked while paused.
    @param id Gem id.
    @param amount Units to buy.
    """
    pausable._require_not_paused()
    gem: Gem = self._gem(id)
    self._require_live(gem)
    assert gem.price_gst != 0, "egm: not for sale"
    assert amount != 0, "egm: zero amount"
    self._count_mint(id, gem, amount)
    cost: uint256 = gem.price_gst * amount
    assert extcall GST.transferFrom(msg.sender, self.treasury, cost, default_return_value=True), "egm: payment failed"
    log GemBought(buyer=msg.sender, id=id, amount=amount, cost_gst=cost)
    erc1155._safe_mint(msg.sender, id, amount, b"")


@external
def burn(id: uint256, amount: uint256):
    """
    @notice Burn `amount` of the caller's gem `id`.
    @param id Gem id.
    @param amount Amount to burn.
    """
    erc1155._burn(msg.sender, id, amount)


@external
def set_expiry(id: uint256, expires_at: uint256):
    """
    @notice Schedule when gem `id` expires; 0 clears the schedule. Needs DEFAULT_ADMIN_ROLE.
    @dev From `expires_at` on, the id cannot be claimed, bought or transferred and
         `burn_expired` may burn it. An expired gem's schedule cannot be changed.
    @param id Gem id.
    @param expires_at Unix timestamp of the expiry (in the future), or 0.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    gem: Gem = self._gem(id)
    self._require_live(gem)
    assert expires_at == 0 or expires_at > block.timestamp, "egm: expiry in the past"
    self.gems[id].expires_at = expires_at
    log GemExpirySet(id=id, expires_at=expires_at)


@external
def burn_expired(id: uint256, holders: DynArray[address, _BATCH_SIZE]):
    """
    @notice Annual burn: destroy every listed holder's balance of an expired gem.
    @dev Callable by anyone once the gem has expired (the outcome is fixed by the
         admin's schedule); holders with a zero balance are skipped.
    @param id Expired gem id.
    @param holders Accounts whose balances are burned.
    """
    gem: Gem = self._gem(id)
    assert gem.expires_at != 0 and block.timestamp >= gem.expires_at, "egm: gem not expired"
    for holder: address in holders:
        balance: uint256 = erc1155.balanceOf[holder][id]
        if balance != 0:
            erc1155._burn(holder, id, balance)


@external
@view
def is_expired(id: uint256) -> bool:
    """
    @notice Whether gem `id` has a scheduled expiry that has passed.
    @param id Gem id.
    @return bool True once expired.
    """
    expires_at: uint256 = self.gems[id].expires_at
    return expires_at != 0 and block.timestamp >= expires_at


@external
def set_treasury(new_treasury: address):
    """
    @notice Set the receiver of GST payments; needs DEFAULT_ADMIN_ROLE.
    @param new_treasury New treasury address.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert new_treasury != empty(address), "egm: zero treasury"
    log TreasuryChanged(old_treasury=self.treasury, new_treasury=new_treasury)
    self.treasury = new_treasury


@internal
@view
def _gem(id: uint256) -> Gem:
    gem: Gem = self.gems[id]
    assert gem.defined, "egm: unknown gem"
    return gem


@internal
@view
def _require_live(gem: Gem):
    assert gem.expires_at == 0 or block.timestamp < gem.expires_at, "egm: gem expired"


@internal
@view
def _require_not_expired(id: uint256):
    expires_at: uint256 = self.gems[id].expires_at
    assert expires_at == 0 or block.timestamp < expires_at, "egm: gem expired"


@internal
def _count_mint(id: uint256, gem: Gem, amount: uint256):
    minted: uint256 = gem.minted + amount
    assert minted <= gem.cap, "egm: cap exceeded"
    self.gems[id].minted = minted


@internal
@view
def _check_owner_or_operator(owner: address):
    assert (
        owner == msg.sender or erc1155.isApprovedForAll[owner][msg.sender]
    ), "erc1155: caller is not token owner or approved"
