# pragma version ~=0.4.3
"""
@title EcoScore (ECS) read interface
@license GNU Affero General Public License v3.0 only
@notice What other ecosystem contracts read from the score registry.
"""


@external
@view
def score_of(account: address) -> uint256:
    """
    @notice The account's current overall ESG score in basis points (0-10000).
    """
    ...
