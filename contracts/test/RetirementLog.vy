# pragma version ~=0.4.3
"""
@title Retirement log
@license GNU Affero General Public License v3.0 only
@notice Test contract that emits CCR's Retired event as it is given (no registry behind it),
        so that the indexer's carbon projections can be driven and extended in tests.
"""


# @dev CCR's retirement event, field for field.
event Retired:
    account: indexed(address)
    beneficiary: indexed(address)
    id: indexed(uint256)
    amount: uint256
    certificate_id: uint256
    message: String[256]


@external
def retire(beneficiary: address, id: uint256, amount: uint256, certificate_id: uint256, message: String[256]):
    """
    @notice Logs a retirement by the caller (no balance behind it: test only).
    @param beneficiary The beneficiary of the retirement.
    @param id The carbon batch id.
    @param amount Retired units.
    @param certificate_id The certificate id to report.
    @param message The retirement message.
    """
    log Retired(
        account=msg.sender,
        beneficiary=beneficiary,
        id=id,
        amount=amount,
        certificate_id=certificate_id,
        message=message,
    )
