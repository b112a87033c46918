# pragma version ~=0.4.3
"""
@title Non-receiver mock
@license GNU Affero General Public License v3.0 only
@notice Test-only contract with no token receiver hooks.
"""


# @dev A value so the contract has some code and state.
value: public(uint256)


@external
def set_value(value_: uint256):
    """
    @notice Store a value.
    @param value_ The value.
    """
    self.value = value_
