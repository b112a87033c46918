# pragma version ~=0.4.3
"""
@title Mock ECS score registry
@license GNU Affero General Public License v3.0 only
@notice Test double of the ECS read interface: anyone sets any score.
"""

# @dev Account => score in basis points.
_scores: HashMap[address, uint256]


# @dev Emitted when a score is set.
event ScoreSet:
    account: indexed(address)
    score: uint256


@external
def set_score(account: address, score: uint256):
    """
    @notice Sets the score of `account` (no access control: test only).
    @param account The account.
    @param score The score in basis points.
    """
    self._scores[account] = score
    log ScoreSet(account=account, score=score)


@external
@view
def score_of(account: address) -> uint256:
    """
    @notice The score of `account`.
    @param account The account.
    @return uint256 The score in basis points.
    """
    return self._scores[account]
