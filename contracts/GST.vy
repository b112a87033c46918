# pragma version ~=0.4.3
"""
@title Green Sustainability Token (GST)
@license GNU Affero General Public License v3.0 only
@notice The hub token of the ecosystem: ERC-20 with EIP-2612 permit, a capped
        supply minted by MINTER_ROLE, ERC-5805 style checkpointed voting power
        with delegation (block-number clock), pause, burn, and the Polygon PoS
        child-token interface (`deposit` / `withdraw`). Deployed as a child copy,
        it has no minting at all: its units come only from bridge deposits.
@dev Votes are counted only for balances whose holder has delegated (to
     itself or to another account), as in ERC20Votes. Transfers skip all vote
     bookkeeping when neither side has a delegate.
"""

from ethereum.ercs import IERC20
implements: IERC20

from snekmate.auth import ownable
from snekmate.auth import access_control
from snekmate.tokens import erc20
from snekmate.utils import pausable
from snekmate.utils import ecdsa
from snekmate.utils import eip712_domain_separator
from .modules import vote_checkpoints
from .modules import vote_clock
from .modules import role_pausable
from .modules import bridged_child

initializes: ownable
initializes: access_control
initializes: erc20[ownable := ownable]
initializes: pausable
initializes: vote_checkpoints
initializes: role_pausable[access_control := access_control, pausable := pausable]
initializes: bridged_child[access_control := access_control]
uses: eip712_domain_separator

exports: (
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
    vote_clock.__interface__,
    bridged_child.DEPOSITOR_ROLE,
    bridged_child.is_child,
)


# @dev Role that mints new supply up to the cap.
MINTER_ROLE: public(constant(bytes32)) = keccak256("MINTER_ROLE")
# @dev Full token name (snekmate's erc20 limits its own to 25 characters).
_NAME: constant(String[32]) = "Green Sustainability Token"
# @dev EIP-712 type hash of a delegation signature.
_DELEGATION_TYPE_HASH: constant(bytes32) = keccak256("Delegation(address delegatee,uint256 nonce,uint256 expiry)")


# @dev Maximum total supply.
cap: public(immutable(uint256))


# @dev Account => the account its votes are delegated to (zero: votes not counted).
delegates: public(HashMap[address, address])


# @dev Emitted when `delegator` changes its delegate.
event DelegateChanged:
    delegator: indexed(address)
    fromDelegate: indexed(address)
    toDelegate: indexed(address)


# @dev Emitted when the voting power of `delegate` changes.
event DelegateVotesChanged:
    delegate: indexed(address)
    previousVotes: uint256
    newVotes: uint256


@deploy
def __init__(cap_: uint256, child: bool):
    """
    @notice Deploys GST with supply cap `cap_`; the deployer gets DEFAULT_ADMIN_ROLE.
    @dev No tokens are minted here: on the root chain grant MINTER_ROLE and mint; a
         child copy receives units only from bridge deposits.
    @param cap_ The maximum total supply (18 decimals), non-zero and within 208 bits.
    @param child True to deploy a child copy (no minting; bridge deposits only).
    """
    assert cap_ != 0, "gst: zero cap"
    assert cap_ <= vote_checkpoints.MAX_VALUE, "gst: cap exceeds 208 bits"
    cap = cap_
    ownable.__init__()
    access_control.__init__()
    erc20.__init__("Green Sustainability Tkn", "GST", 18, _NAME, "1")
    pausable.__init__()
    bridged_child.__init__(child)


@external
@view
def name() -> String[32]:
    """
    @notice The token name.
    @return String The full token name.
    """
    return _NAME


@external
def transfer(to: address, amount: uint256) -> bool:
    """
    @notice Moves `amount` tokens from the caller to `to`.
    @dev Reverts while paused. Moves delegated votes along with the balance.
    @param to The receiver.
    @param amount The amount to move.
    @return bool True on success (reverts otherwise).
    """
    pausable._require_not_paused()
    erc20._transfer(msg.sender, to, amount)
    self._move_votes(self.delegates[msg.sender], self.delegates[to], amount)
    return True


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    """
    @notice Moves `amount` tokens from `owner` to `to` using the caller's allowance.
    @dev Reverts while paused. An allowance of max uint256 is never decreased.
    @param owner The account debited.
    @param to The receiver.
    @param amount The amount to move.
    @return bool True on success (reverts otherwise).
    """
    pausable._require_not_paused()
    erc20._spend_allowance(owner, msg.sender, amount)
    erc20._transfer(owner, to, amount)
    self._move_votes(self.delegates[owner], self.delegates[to], amount)
    return True


@external
def mint(to: address, amount: uint256):
    """
    @notice Mints `amount` new tokens to `to`; caller needs MINTER_ROLE.
    @dev Reverts on a child copy, while paused and when the cap would be exceeded.
    @param to The receiver.
    @param amount The amount to mint.
    """
    bridged_child._check_native()
    access_control._check_role(MINTER_ROLE, msg.sender)
    pausable._require_not_paused()
    self._mint(to, amount)


@external
def burn(amount: uint256):
    """
    @notice Burns `amount` of the caller's tokens.
    @dev Reverts while paused.
    @param amount The amount to burn.
    """
    pausable._require_not_paused()
    self._burn(msg.sender, amount)


@external
def burn_from(owner: address, amount: uint256):
    """
    @notice Burns `amount` of `owner`'s tokens using the caller's allowance.
    @dev Reverts while paused.
    @param owner The account whose tokens are burned.
    @param amount The amount to burn.
    """
    pausable._require_not_paused()
    erc20._spend_allowance(owner, msg.sender, amount)
    self._burn(owner, amount)


@external
def deposit(user: address, depositData: Bytes[32]):
    """
    @notice Polygon PoS bridge entry: mints the deposited amount to `user`;
            caller needs DEPOSITOR_ROLE, and only on a child copy.
    @dev Not blocked by pause. Still bounded by the cap, so a deposit that
         would exceed it reverts.
    @param user The receiver on this chain.
    @param depositData The ABI-encoded uint256 amount.
    """
    bridged_child._check_deposit()
    self._mint(user, abi_decode(depositData, uint256))


@external
def withdraw(amount: uint256):
    """
    @notice Polygon PoS bridge exit: burns `amount` of the caller's tokens
            (a Transfer to the zero address the bridge proves on the root chain).
    @dev Only on a child copy. Reverts while paused, like every other movement of
         user tokens.
    @param amount The amount to withdraw.
    """
    bridged_child._check_withdraw()
    pausable._require_not_paused()
    self._burn(msg.sender, amount)


@external
def delegate(delegatee: address):
    """
    @notice Delegates the caller's votes to `delegatee` (itself to vote
            directly, the zero address to stop counting them).
    @param delegatee The account that receives the caller's voting power.
    """
    self._delegate(msg.sender, delegatee)


@external
def delegateBySig(delegatee: address, nonce: uint256, expiry: uint256, v: uint8, r: bytes32, s: bytes32):
    """
    @notice Delegates on behalf of the signer of an EIP-712 `Delegation`.
    @dev Shares the nonce counter with `permit`.
    @param delegatee The account that receives the signer's voting power.
    @param nonce The signer's current nonce.
    @param expiry The last block timestamp the signature is valid for.
    @param v The secp256k1 signature parameter `v`.
    @param r The secp256k1 signature parameter `r`.
    @param s The secp256k1 signature parameter `s`.
    """
    assert block.timestamp <= expiry, "gst: signature expired"
    struct_hash: bytes32 = keccak256(abi_encode(_DELEGATION_TYPE_HASH, delegatee, nonce, expiry))
    digest: bytes32 = eip712_domain_separator._hash_typed_data_v4(struct_hash)
    signer: address = ecdsa._recover_vrs(digest, convert(v, uint256), convert(r, uint256), convert(s, uint256))
    assert nonce == erc20.nonces[signer], "gst: invalid nonce"
    erc20.nonces[signer] = unsafe_add(nonce, 1)
    self._delegate(signer, delegatee)


@external
@view
def getVotes(account: address) -> uint256:
    """
    @notice Current voting power of `account`.
    @param account The account.
    @return uint256 Sum of the balances delegated to `account`.
    """
    return vote_checkpoints._latest(account)


@external
@view
def getPastVotes(account: address, timepoint: uint256) -> uint256:
    """
    @notice Voting power of `account` at the end of block `timepoint`.
    @param account The account.
    @param timepoint A past block number.
    @return uint256 The voting power at that block.
    """
    assert timepoint < block.number, "gst: future lookup"
    return vote_checkpoints._past(account, timepoint)


@external
@view
def getPastTotalSupply(timepoint: uint256) -> uint256:
    """
    @notice Total supply at the end of block `timepoint`.
    @param timepoint A past block number.
    @return uint256 The total supply at that block.
    """
    assert timepoint < block.number, "gst: future lookup"
    return vote_checkpoints._past(empty(address), timepoint)


@external
@view
def numCheckpoints(account: address) -> uint256:
    """
    @notice Number of vote checkpoints of `account`.
    @param account The account.
    @return uint256 The checkpoint count.
    """
    return vote_checkpoints._num_checkpoints(account)


@internal
def _mint(to: address, amount: uint256):
    """
    @dev Mints within the cap, records the total and moves votes to `to`'s delegate.
    @param to The receiver.
    @param amount The amount to mint.
    """
    new_supply: uint256 = erc20.totalSupply + amount
    assert new_supply <= cap, "gst: cap exceeded"
    erc20._mint(to, amount)
    vote_checkpoints._write(empty(address), new_supply)
    self._move_votes(empty(address), self.delegates[to], amount)


@internal
def _burn(owner: address, amount: uint256):
    """
    @dev Burns, records the total and removes votes from `owner`'s delegate.
    @param owner The account whose tokens are burned.
    @param amount The amount to burn.
    """
    erc20._burn(owner, amount)
    vote_checkpoints._write(empty(address), erc20.totalSupply)
    self._move_votes(self.delegates[owner], empty(address), amount)


@internal
def _delegate(account: address, delegatee: address):
    """
    @dev Sets `account`'s delegate and moves its whole balance's votes.
    @param account The delegator.
    @param delegatee The new delegate.
    """
    previous: address = self.delegates[account]
    self.delegates[account] = delegatee
    log DelegateChanged(delegator=account, fromDelegate=previous, toDelegate=delegatee)
    self._move_votes(previous, delegatee, erc20.balanceOf[account])


@internal
def _move_votes(src: address, dst: address, amount: uint256):
    """
    @dev Moves `amount` votes from delegate `src` to delegate `dst`; the zero
         address stands for "not counted" and is skipped.
    @param src The delegate losing votes.
    @param dst The delegate gaining votes.
    @param amount The number of votes.
    """
    if src == dst or amount == 0:
        return
    if src != empty(address):
        old: uint256 = vote_checkpoints._latest(src)
        new: uint256 = old - amount
        vote_checkpoints._write(src, new)
        log DelegateVotesChanged(delegate=src, previousVotes=old, newVotes=new)
    if dst != empty(address):
        old: uint256 = vote_checkpoints._latest(dst)
        new: uint256 = old + amount
        vote_checkpoints._write(dst, new)
        log DelegateVotesChanged(delegate=dst, previousVotes=old, newVotes=new)
