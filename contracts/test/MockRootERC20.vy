# pragma version ~=0.4.3
"""
@title Mock root-chain ERC-20 for bridge tests
@license GNU Affero General Public License v3.0 only
@notice A plain snekmate ERC-20; the deployer may mint.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: erc20.__interface__


@deploy
def __init__():
    """
    @dev The deployer becomes owner and minter.
    """
    ownable.__init__()
    erc20.__init__("Mock Root Token", "MRT", 18, "Mock Root Token", "1")
