# pragma version ~=0.4.3
"""
@title Block-numbered vote checkpoints
@license GNU Affero General Public License v3.0 only
@notice History of a voting quantity per account, keyed by block number, for
        ERC-5805 style `getVotes` / `getPastVotes` / `getPastTotalSupply` reads.
@dev Each checkpoint is one storage word: the block number in the high 48 bits
     and the value in the low 208 bits. The total (supply) history is kept under
     the zero address, which never holds votes itself.
"""


# @dev Number of low bits that hold the value of a checkpoint.
_VALUE_BITS: constant(uint256) = 208
# @dev Mask selecting the value of a checkpoint.
_VALUE_MASK: constant(uint256) = 2**208 - 1
# @dev Largest value a checkpoint can hold.
MAX_VALUE: constant(uint256) = 2**208 - 1
# @dev Binary search iterations; 2**64 checkpoints can never exist.
_SEARCH_STEPS: constant(uint256) = 64


# @dev Account => number of checkpoints written.
_count: HashMap[address, uint256]
# @dev Account => index => packed checkpoint (block << 208 | value).
_checkpoints: HashMap[address, HashMap[uint256, uint256]]


@internal
@view
def _latest(account: address) -> uint256:
    """
    @dev Returns the most recent value of `account` (0 without history).
    @param account The account, or the zero address for the total.
    @return uint256 The latest value.
    """
    n: uint256 = self._count[account]
    if n == 0:
        return 0
    return self._checkpoints[account][unsafe_sub(n, 1)] & _VALUE_MASK


@internal
@view
def _past(account: address, timepoint: uint256) -> uint256:
    """
    @dev Returns the value of `account` at the end of block `timepoint`.
         The caller makes sure `timepoint` is in the past.
    @param account The account, or the zero address for the total.
    @param timepoint The block number to look up.
    @return uint256 The value at that block.
    """
    n: uint256 = self._count[account]
    if n == 0:
        return 0
    last: uint256 = self._checkpoints[account][unsafe_sub(n, 1)]
    if last >> _VALUE_BITS <= timepoint:
        return last & _VALUE_MASK
    # First index whose block is after `timepoint`, within [0, n - 1].
    low: uint256 = 0
    high: uint256 = unsafe_sub(n, 1)
    for _: uint256 in range(_SEARCH_STEPS):
        if low >= high:
            break
        mid: uint256 = unsafe_add(low, high) >> 1
        if self._checkpoints[account][mid] >> _VALUE_BITS > timepoint:
            high = mid
        else:
            low = unsafe_add(mid, 1)
    if high == 0:
        return 0
    return self._checkpoints[account][unsafe_sub(high, 1)] & _VALUE_MASK


@internal
def _write(account: address, amount: uint256):
    """
    @dev Records `amount` for `account` at the current block, overwriting a
         checkpoint already written in this block.
    @param account The account, or the zero address for the total.
    @param amount The new value.
    """
    assert amount <= MAX_VALUE, "checkpoints: value exceeds 208 bits"
    packed: uint256 = (block.number << _VALUE_BITS) | amount
    n: uint256 = self._count[account]
    if n != 0:
        idx: uint256 = unsafe_sub(n, 1)
        if self._checkpoints[account][idx] >> _VALUE_BITS == block.number:
            self._checkpoints[account][idx] = packed
            return
    self._checkpoints[account][n] = packed
    self._count[account] = unsafe_add(n, 1)


@internal
@view
def _num_checkpoints(account: address) -> uint256:
    """
    @dev Returns how many checkpoints `account` has.
    @param account The account, or the zero address for the total.
    @return uint256 The checkpoint count.
    """
    return self._count[account]
