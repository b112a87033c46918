# pragma version ~=0.4.3
"""
@title EcoStake (EST)
@license GNU Affero General Public License v3.0 only
@notice Staking vault for GST. A stake is a position locked for 7 to 365 days;
        the staker receives non-transferable EST shares one-for-one with the
        GST staked, earns GST rewards from a funded reserve, gets a bonus rate
        while its ECS score is at or above a threshold, and its staked amount
        counts as voting weight through block-number checkpoints.
@dev Reward rate of a position, fixed when it is opened:
         apr_bp = base_apr_bp + (max_apr_bp - base_apr_bp) * (lock_days - 7) / 358
     so a 7-day lock earns base_apr_bp and a 365-day lock earns max_apr_bp.
     Rewards accrue linearly from the stake until the unlock time:
         reward = amount * (apr_bp * seconds + bonus_bp * eligible_seconds)
                  / (10000 * 365 days)
     where eligible_seconds are the seconds of the same period during which the
     owner's ECS score was at least the bonus threshold, read from the ECS score
     history: qualifying late earns the bonus from then on only, and falling below
     the threshold keeps what was earned while above it. The APR and the bonus
     terms (rate and threshold) are fixed when the position opens. A payout is limited by the
     reward reserve; any shortfall stays owed to the position and can be
     claimed once the reserve is refilled, even after unstaking.
     GST held by this contract == totalSupply + reward_reserve + nothing else
     (unless someone transfers GST here directly).
"""

from ethereum.ercs import IERC20

from interfaces import IECS

from snekmate.auth import access_control
from snekmate.utils import pausable
from .modules import role_pausable
from .modules import vote_checkpoints
from .modules import vote_clock

initializes: access_control
initializes: pausable
initializes: role_pausable[access_control := access_control, pausable := pausable]
initializes: vote_checkpoints

exports: (
    access_control.__interface__,
    pausable.paused,
    role_pausable.__interface__,
    vote_clock.__interface__,
)


# @dev Shortest lock in days.
MIN_LOCK_DAYS: public(constant(uint256)) = 7
# @dev Longest lock in days.
MAX_LOCK_DAYS: public(constant(uint256)) = 365
# @dev Basis-point denominator.
_BPS: constant(uint256) = 10_000
# @dev Seconds in a reward year.
_YEAR: constant(uint256) = 365 * 86_400
# @dev Default APR of the shortest lock, in basis points.
_DEFAULT_BASE_APR_BP: constant(uint256) = 500
# @dev Default APR of the longest lock, in basis points.
_DEFAULT_MAX_APR_BP: constant(uint256) = 2_000

# @dev Token name.
name: public(constant(String[16])) = "EcoStake"
# @dev Token symbol.
symbol: public(constant(String[8])) = "EST"
# @dev Token decimals (same as GST).
decimals: public(constant(uint8)) = 18


# @dev The staked token.
GST: public(immutable(IERC20))
# @dev The score registry read for the bonus.
ECS: public(immutable(IECS))


# @dev A stake position.
struct Position:
    owner: address
    amount: uint256
    lock_days: uint256
    apr_bp: uint256
    bonus_bp: uint256
    bonus_threshold_bp: uint256
    unlock_at: uint256
    last_accrual: uint256
    owed: uint256
    open: bool


# @dev Position id => position (ids start at 1).
positions: public(HashMap[uint256, Position])
# @dev Id the next position will get.
next_position_id: public(uint256)
# @dev Account => GST it has staked in open positions (its EST shares).
balanceOf: public(HashMap[address, uint256])
# @dev Total GST staked in open positions (total EST shares).
totalSupply: public(uint256)
# @dev GST set aside for rewards and not yet paid.
reward_reserve: public(uint256)
# @dev APR of a 7-day lock in basis points.
base_apr_bp: public(uint256)
# @dev APR of a 365-day lock in basis points.
max_apr_bp: public(uint256)
# @dev ECS score (0-10000) at or above which the bonus applies.
bonus_threshold_bp: public(uint256)
# @dev Extra APR in basis points while the score qualifies.
bonus_bp: public(uint256)


# @dev ERC-20 Transfer, emitted when shares are minted (stake) or burned (unstake).
event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256


# @dev Emitted when a position is opened.
event Staked:
    owner: indexed(address)
    position_id: indexed(uint256)
    amount: uint256
    lock_days: uint256
    apr_bp: uint256
    unlock_at: uint256


# @dev Emitted when a position is closed and its GST returned.
event Unstaked:
    owner: indexed(address)
    position_id: indexed(uint256)
    amount: uint256
    reward: uint256


# @dev Emitted when rewards of a position are paid.
event RewardClaimed:
    owner: indexed(address)
    position_id: indexed(uint256)
    amount: uint256


# @dev Emitted when GST is added to the reward reserve.
event RewardsFunded:
    funder: indexed(address)
    amount: uint256
    reserve: uint256


# @dev Emitted when the APR range changes.
event RatesSet:
    base_apr_bp: uint256
    max_apr_bp: uint256


# @dev Emitted when the ECS bonus parameters change.
event BonusSet:
    threshold_bp: uint256
    bonus_bp: uint256


# @dev Emitted when the voting weight (staked amount) of `delegate` changes.
event DelegateVotesChanged:
    delegate: indexed(address)
    previousVotes: uint256
    newVotes: uint256


@deploy
def __init__(gst_: IERC20, ecs_: IECS):
    """
    @notice Deploys the vault; the deployer gets DEFAULT_ADMIN_ROLE.
    @param gst_ The GST token.
    @param ecs_ The ECS score registry.
    """
    assert gst_.address != empty(address), "est: zero gst"
    assert ecs_.address != empty(address), "est: zero ecs"
    GST = gst_
    ECS = ecs_
    access_control.__init__()
    pausable.__init__()
    self.next_position_id = 1
    self.base_apr_bp = _DEFAULT_BASE_APR_BP
    self.max_apr_bp = _DEFAULT_MAX_APR_BP
    log RatesSet(base_apr_bp=_DEFAULT_BASE_APR_BP, max_apr_bp=_DEFAULT_MAX_APR_BP)


@external
def stake(amount: uint256, lock_days: uint256) -> uint256:
    """
    @notice Stakes `amount` GST (pulled with transferFrom) for `lock_days` days.
    @dev Reverts while paused. Needs a GST allowance for this contract.
    @param amount The GST to stake, non-zero.
    @param lock_days The lock length in days, 7 to 365.
    @return uint256 The new position id.
    """
    pausable._require_not_paused()
    assert amount != 0, "est: zero amount"
    assert lock_days >= MIN_LOCK_DAYS and lock_days <= MAX_LOCK_DAYS, "est: lock out of range"
    apr: uint256 = self._apr_for(lock_days)
    unlock_at: uint256 = block.timestamp + lock_days * 86_400
    position_id: uint256 = self.next_position_id
    self.next_position_id = position_id + 1
    self.positions[position_id] = Position(
        owner=msg.sender,
        amount=amount,
        lock_days=lock_days,
        apr_bp=apr,
        bonus_bp=self.bonus_bp,
        bonus_threshold_bp=self.bonus_threshold_bp,
        unlock_at=unlock_at,
        last_accrual=block.timestamp,
        owed=0,
        open=True,
    )
    self._change_shares(msg.sender, amount, True)
    log Staked(
        owner=msg.sender, position_id=position_id, amount=amount, lock_days=lock_days, apr_bp=apr, unlock_at=unlock_at
    )
    assert extcall GST.transferFrom(msg.sender, self, amount, default_return_value=True), "est: transfer failed"
    return position_id


@external
def unstake(position_id: uint256):
    """
    @notice Closes an unlocked position: returns its GST, burns its shares and
            pays its rewards as far as the reserve allows.
    @dev Not blocked by pause.
    @param position_id The position to close.
    """
    pos: Position = self._owned(position_id)
    assert pos.open, "est: position closed"
    assert block.timestamp >= pos.unlock_at, "est: still locked"
    pos = self._accrue(pos)
    reward: uint256 = min(pos.owed, self.reward_reserve)
    pos.owed -= reward
    pos.open = False
    self.positions[position_id] = pos
    self.reward_reserve -= reward
    self._change_shares(msg.sender, pos.amount, False)
    log Unstaked(owner=msg.sender, position_id=position_id, amount=pos.amount, reward=reward)
    assert extcall GST.transfer(msg.sender, pos.amount + reward, default_return_value=True), "est: transfer failed"


@external
def claim(position_id: uint256) -> uint256:
    """
    @notice Pays the rewards accrued by a position, as far as the reserve allows.
    @dev Works on open and closed positions (a closed one may still be owed).
    @param position_id The position.
    @return uint256 The GST paid.
    """
    pos: Position = self._owned(position_id)
    pos = self._accrue(pos)
    reward: uint256 = min(pos.owed, self.reward_reserve)
    assert reward != 0, "est: nothing to claim"
    pos.owed -= reward
    self.positions[position_id] = pos
    self.reward_reserve -= reward
    log RewardClaimed(owner=msg.sender, position_id=position_id, amount=reward)
    assert extcall GST.transfer(msg.sender, reward, default_return_value=True), "est: transfer failed"
    return reward


@external
def fund_rewards(amount: uint256):
    """
    @notice Adds `amount` GST (pulled with transferFrom) to the reward reserve.
    @dev Anyone may fund.
    @param amount The GST to add, non-zero.
    """
    assert amount != 0, "est: zero amount"
    reserve: uint256 = self.reward_reserve + amount
    self.reward_reserve = reserve
    log RewardsFunded(funder=msg.sender, amount=amount, reserve=reserve)
    assert extcall GST.transferFrom(msg.sender, self, amount, default_return_value=True), "est: transfer failed"


@external
def set_rates(base_apr_bp_: uint256, max_apr_bp_: uint256):
    """
    @notice Sets the APR of the shortest and the longest lock for new positions;
            caller needs DEFAULT_ADMIN_ROLE.
    @param base_apr_bp_ APR of a 7-day lock in basis points.
    @param max_apr_bp_ APR of a 365-day lock in basis points, at least the base, at most 10000.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert base_apr_bp_ <= max_apr_bp_, "est: base above max"
    assert max_apr_bp_ <= _BPS, "est: rate above 10000"
    self.base_apr_bp = base_apr_bp_
    self.max_apr_bp = max_apr_bp_
    log RatesSet(base_apr_bp=base_apr_bp_, max_apr_bp=max_apr_bp_)


@external
def set_bonus(threshold_bp: uint256, bonus_bp_: uint256):
    """
    @notice Sets the ECS bonus of positions opened from now on; caller needs DEFAULT_ADMIN_ROLE.
    @dev A bonus of 0 switches it off (and skips the ECS read). Open positions keep theirs.
    @param threshold_bp The ECS score (0-10000) at or above which the bonus applies.
    @param bonus_bp_ The extra APR in basis points, at most 10000.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert threshold_bp <= _BPS, "est: threshold above 10000"
    assert bonus_bp_ <= _BPS, "est: bonus above 10000"
    self.bonus_threshold_bp = threshold_bp
    self.bonus_bp = bonus_bp_
    log BonusSet(threshold_bp=threshold_bp, bonus_bp=bonus_bp_)


@external
def transfer(to: address, amount: uint256) -> bool:
    """
    @notice EST shares cannot be transferred.
    @dev Always reverts.
    @param to Unused.
    @param amount Unused.
    @return bool Never returns.
    """
    raise "est: non-transferable"


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    """
    @notice EST shares cannot be transferred.
    @dev Always reverts.
    @param owner Unused.
    @param to Unused.
    @param amount Unused.
    @return bool Never returns.
    """
    raise "est: non-transferable"


@external
def approve(spender: address, amount: uint256) -> bool:
    """
    @notice EST shares cannot be transferred, so they cannot be approved.
    @dev Always reverts.
    @param spender Unused.
    @param amount Unused.
    @return bool Never returns.
    """
    raise "est: non-transferable"


@external
@view
def allowance(owner: address, spender: address) -> uint256:
    """
    @notice Always zero: shares cannot be transferred.
    @param owner Unused.
    @param spender Unused.
    @return uint256 Zero.
    """
    return 0


@external
@view
def apr_for(lock_days: uint256) -> uint256:
    """
    @notice APR in basis points a new position with `lock_days` would get (without bonus).
    @param lock_days The lock length in days, 7 to 365.
    @return uint256 The APR in basis points.
    """
    assert lock_days >= MIN_LOCK_DAYS and lock_days <= MAX_LOCK_DAYS, "est: lock out of range"
    return self._apr_for(lock_days)


@external
@view
def pending_reward(position_id: uint256) -> uint256:
    """
    @notice Rewards a position has earned and not been paid, as of now.
    @param position_id The position.
    @return uint256 The GST owed (payment is still limited by the reserve).
    """
    pos: Position = self.positions[position_id]
    if pos.owner == empty(address):
        return 0
    return self._accrue(pos).owed


@external
@view
def getVotes(account: address) -> uint256:
    """
    @notice Current voting weight of `account` from staking.
    @param account The account.
    @return uint256 GST staked by `account` in open positions.
    """
    return vote_checkpoints._latest(account)


@external
@view
def getPastVotes(account: address, timepoint: uint256) -> uint256:
    """
    @notice Voting weight of `account` from staking at the end of block `timepoint`.
    @param account The account.
    @param timepoint A past block number.
    @return uint256 GST staked by `account` at that block.
    """
    assert timepoint < block.number, "est: future lookup"
    return vote_checkpoints._past(account, timepoint)


@external
@view
def getPastTotalSupply(timepoint: uint256) -> uint256:
    """
    @notice Total GST staked at the end of block `timepoint`.
    @param timepoint A past block number.
    @return uint256 Total staked at that block.
    """
    assert timepoint < block.number, "est: future lookup"
    return vote_checkpoints._past(empty(address), timepoint)


@internal
@view
def _owned(position_id: uint256) -> Position:
    """
    @dev Loads a position and checks the caller owns it.
    @param position_id The position.
    @return Position The position.
    """
    pos: Position = self.positions[position_id]
    assert pos.owner != empty(address), "est: unknown position"
    assert pos.owner == msg.sender, "est: not position owner"
    return pos


@internal
@view
def _apr_for(lock_days: uint256) -> uint256:
    """
    @dev Linear APR between the base (7 days) and the max (365 days).
    @param lock_days The lock length in days, 7 to 365.
    @return uint256 The APR in basis points.
    """
    base: uint256 = self.base_apr_bp
    return base + (self.max_apr_bp - base) * (lock_days - MIN_LOCK_DAYS) // (MAX_LOCK_DAYS - MIN_LOCK_DAYS)


@internal
@view
def _accrue(pos: Position) -> Position:
    """
    @dev Adds the reward earned since the last accrual (up to the unlock time)
         to `pos.owed`: the APR over the whole period and the bonus over the seconds
         of it during which the owner's ECS score was at or above the threshold.
    @param pos The position (in memory).
    @return Position The updated position.
    """
    until: uint256 = min(block.timestamp, pos.unlock_at)
    if until <= pos.last_accrual:
        return pos
    earned: uint256 = pos.apr_bp * (until - pos.last_accrual)
    if pos.bonus_bp != 0:
        eligible: uint256 = staticcall ECS.seconds_at_or_above(
            pos.owner, pos.bonus_threshold_bp, pos.last_accrual, until
        )
        earned += pos.bonus_bp * eligible
    result: Position = pos
    result.owed += pos.amount * earned // (_BPS * _YEAR)
    result.last_accrual = until
    return result


@internal
def _change_shares(account: address, amount: uint256, increase: bool):
    """
    @dev Mints or burns shares of `account`, updating its vote checkpoints and the total.
    @param account The staker.
    @param amount The shares.
    @param increase True to mint, False to burn.
    """
    old: uint256 = self.balanceOf[account]
    new: uint256 = 0
    supply: uint256 = 0
    if increase:
        new = old + amount
        supply = self.totalSupply + amount
        log Transfer(sender=empty(address), receiver=account, value=amount)
    else:
        new = old - amount
        supply = self.totalSupply - amount
        log Transfer(sender=account, receiver=empty(address), value=amount)
    self.balanceOf[account] = new
    self.totalSupply = supply
    vote_checkpoints._write(account, new)
    vote_checkpoints._write(empty(address), supply)
    log DelegateVotesChanged(delegate=account, previousVotes=old, newVotes=new)
