# pragma version ~=0.4.3
"""
@title ERC-6372 block-number vote clock
@license GNU Affero General Public License v3.0 only
@notice The `clock()` and `CLOCK_MODE()` views of a vote source whose timepoints are block
        numbers (GST delegated votes, EST staked votes; the Governor snapshots by block).
@dev Stateless: export `vote_clock.__interface__`, no `initializes:` needed.
"""


@external
@view
def clock() -> uint48:
    """
    @notice The current timepoint of the vote clock (the block number).
    @return uint48 The block number.
    """
    return convert(block.number, uint48)


@external
@view
def CLOCK_MODE() -> String[32]:
    """
    @notice ERC-6372 description of the clock.
    @return String "mode=blocknumber&from=default".
    """
    return "mode=blocknumber&from=default"
