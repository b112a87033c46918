# pragma version ~=0.4.3
"""
@title Fee-on-transfer ERC-20 for bridge tests
@license GNU Affero General Public License v3.0 only
@notice A snekmate ERC-20 whose `transferFrom` keeps 1% of every amount for a fee collector,
        so the receiver gets less than was asked: the bridge must record what arrived.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: (
    erc20.balanceOf,
    erc20.allowance,
    erc20.totalSupply,
    erc20.approve,
    erc20.transfer,
    erc20.mint,
)

# @dev Where the fees go.
FEE_COLLECTOR: public(immutable(address))


@deploy
def __init__(fee_collector: address):
    """
    @dev The deployer is owner and minter.
    @param fee_collector Receiver of the 1% fee.
    """
    ownable.__init__()
    erc20.__init__("Fee Token", "FEE", 18, "Fee Token", "1")
    FEE_COLLECTOR = fee_collector


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    """
    @notice Move `amount` from `owner`: 99% to `to`, 1% to the fee collector.
    @param owner The account debited.
    @param to The receiver.
    @param amount The amount debited.
    @return bool True.
    """
    erc20._spend_allowance(owner, msg.sender, amount)
    fee: uint256 = amount // 100
    erc20._transfer(owner, FEE_COLLECTOR, fee)
    erc20._transfer(owner, to, amount - fee)
    return True
