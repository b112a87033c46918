# pragma version ~=0.4.3
"""
@title Mock root-chain ERC-1155 for bridge tests
@license GNU Affero General Public License v3.0 only
@notice A plain snekmate ERC-1155; the deployer may mint.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc1155

initializes: ownable
initializes: erc1155[ownable := ownable]

exports: erc1155.__interface__


@deploy
def __init__():
    """
    @dev The deployer becomes owner and minter.
    """
    ownable.__init__()
    erc1155.__init__("https://example.invalid/")
