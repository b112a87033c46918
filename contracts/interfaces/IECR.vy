# pragma version ~=0.4.3
"""
@title EcoCertificate (ECR) issuance interface
@license GNU Affero General Public License v3.0 only
@notice How CCR (and any certifier) issues a certificate.
"""


@external
def mint_certificate(
    to: address,
    batch_id: uint256,
    tonnes: uint256,
    content_hash: bytes32,
    message: String[256],
    soulbound: bool,
) -> uint256:
    """
    @notice Mint a certificate to `to` and return its token id; caller needs CERTIFIER_ROLE.
    """
    ...
