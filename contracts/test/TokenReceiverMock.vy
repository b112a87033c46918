# pragma version ~=0.4.3
"""
@title Token receiver mock
@license GNU Affero General Public License v3.0 only
@notice Test-only contract implementing the ERC-1155 and ERC-721 receiver hooks; it returns
        the acceptance value when `accept` is true and a wrong value otherwise.
"""


# @dev Whether the hooks return their acceptance value.
accept: public(bool)


@deploy
def __init__(accept_: bool):
    """
    @notice Deploy the mock.
    @param accept_ Whether the hooks accept.
    """
    self.accept = accept_


@external
def onERC1155Received(
    operator: address, sender: address, id: uint256, amount: uint256, data: Bytes[1_024]
) -> bytes4:
    """
    @notice ERC-1155 single receiver hook.
    @return bytes4 The acceptance value or zero.
    """
    if self.accept:
        return method_id(
            "onERC1155Received(address,address,uint256,uint256,bytes)", output_type=bytes4
        )
    return empty(bytes4)


@external
def onERC1155BatchReceived(
    operator: address,
    sender: address,
    ids: DynArray[uint256, 128],
    amounts: DynArray[uint256, 128],
    data: Bytes[1_024],
) -> bytes4:
    """
    @notice ERC-1155 batch receiver hook.
    @return bytes4 The acceptance value or zero.
    """
    if self.accept:
        return method_id(
            "onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)",
            output_type=bytes4,
        )
    return empty(bytes4)


@external
def onERC721Received(
    operator: address, sender: address, token_id: uint256, data: Bytes[1_024]
) -> bytes4:
    """
    @notice ERC-721 receiver hook.
    @return bytes4 The acceptance value or zero.
    """
    if self.accept:
        return method_id("onERC721Received(address,address,uint256,bytes)", output_type=bytes4)
    return empty(bytes4)
