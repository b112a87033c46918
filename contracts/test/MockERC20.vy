# pragma version ~=0.4.3
"""
@title Mock ERC-20 for tests
@license GNU Affero General Public License v3.0 only
@notice Minimal mintable snekmate ERC-20 standing in for GST in tests; the deployer mints.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: erc20.__interface__


@deploy
def __init__():
    """
    @notice Deploy "Mock GST"; the deployer is owner and minter.
    """
    ownable.__init__()
    erc20.__init__("Mock GST", "MGST", 18, "Mock GST", "1")
