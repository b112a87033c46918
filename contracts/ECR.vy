# pragma version ~=0.4.3
"""
@title EcoCertificate (ECR)
@license GNU Affero General Public License v3.0 only
@notice Retirement and ESG certificates as a lean ERC-721 without enumeration.
        Each certificate stores its owner, tonnes, soulbound flag (one packed
        slot) and a `bytes32` content hash; the free-text message lives only in
        the `CertificateIssued` event. Soulbound certificates follow ERC-5192
        (`locked` is true and every transfer reverts). Certificates are issued
        by accounts holding CERTIFIER_ROLE: the CCR contract on retirement and
        human certifiers. Pause blocks transfers only; issuance keeps working so
        that a retirement recorded by CCR always gets its certificate.
"""


from ethereum.ercs import IERC165
implements: IERC165

from snekmate.auth.interfaces import IAccessControl
implements: IAccessControl

from snekmate.tokens.interfaces import IERC721Receiver

from interfaces import IECR
implements: IECR

from snekmate.auth import access_control
initializes: access_control

from snekmate.utils import pausable
initializes: pausable

from .modules import role_pausable
initializes: role_pausable[access_control := access_control, pausable := pausable]


exports: (
    access_control.DEFAULT_ADMIN_ROLE,
    access_control.hasRole,
    access_control.getRoleAdmin,
    access_control.grantRole,
    access_control.revokeRole,
    access_control.renounceRole,
    access_control.set_role_admin,
    pausable.paused,
    role_pausable.__interface__,
)


# @dev Role allowed to issue certificates (CCR and human certifiers).
CERTIFIER_ROLE: public(constant(bytes32)) = keccak256("CERTIFIER_ROLE")

# @dev ERC-721 metadata name.
name: public(constant(String[14])) = "EcoCertificate"
# @dev ERC-721 metadata symbol.
symbol: public(constant(String[3])) = "ECR"

# @dev ERC-165 identifiers: ERC-165, ERC-721, ERC-721 Metadata, ERC-5192, IAccessControl.
_SUPPORTED_INTERFACES: constant(bytes4[5]) = [
    0x01FFC9A7,
    0x80AC58CD,
    0x5B5E139F,
    0xB45A3C0E,
    0x7965DB0B,
]

# @dev Bit position of the soulbound flag in a packed token word (bits 0-159 hold the owner).
_SOULBOUND_BIT: constant(uint256) = 160
# @dev First bit of the tonnes field in a packed token word (bits 161-255).
_TONNES_SHIFT: constant(uint256) = 161
# @dev Largest tonnes value that fits in the packed token word (95 bits).
_MAX_TONNES: constant(uint256) = 2**95 - 1
# @dev Mask selecting the owner address of a packed token word.
_OWNER_MASK: constant(uint256) = 2**160 - 1


# @dev Packed per-token word: owner | soulbound << 160 | tonnes << 161; zero means no token.
_tokens: HashMap[uint256, uint256]

# @dev Content hash committed to by each certificate.
content_hash: public(HashMap[uint256, bytes32])

# @dev Number of certificates held per account.
_balances: HashMap[address, uint256]

# @dev Single-token approvals.
_token_approvals: HashMap[uint256, address]

# @dev Operator approvals: owner -> operator -> approved.
isApprovedForAll: public(HashMap[address, HashMap[address, bool]])

# @dev Id the next certificate gets; ids start at 1 and are never reused.
_next_token_id: uint256

# @dev Prefix of every token URI; tokenURI(id) = base_uri + decimal id.
base_uri: public(String[128])


# @dev ERC-721 ownership change (mint has `sender` = zero address).
event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    token_id: indexed(uint256)


# @dev ERC-721 single-token approval.
event Approval:
    owner: indexed(address)
    approved: indexed(address)
    token_id: indexed(uint256)


# @dev ERC-721 operator approval.
event ApprovalForAll:
    owner: indexed(address)
    operator: indexed(address)
    approved: bool


# @dev ERC-5192: the token became non-transferable (emitted on mint of a soulbound certificate).
event Locked:
    tokenId: uint256


# @dev A certificate was issued.
event CertificateIssued:
    token_id: indexed(uint256)
    to: indexed(address)
    batch_id: indexed(uint256)
    tonnes: uint256
    content_hash: bytes32
    soulbound: bool
    message: String[256]


# @dev The token URI prefix changed.
event BaseURIUpdated:
    base_uri: String[128]


@deploy
def __init__(base_uri_: String[128]):
    """
    @notice Deploy the certificate registry; the deployer gets DEFAULT_ADMIN_ROLE.
    @param base_uri_ Prefix of every token URI (may be empty).
    """
    access_control.__init__()
    pausable.__init__()
    self.base_uri = base_uri_
    # Starting at 1 makes every later increment a non-zero to non-zero write.
    self._next_token_id = 1


@external
@view
def supportsInterface(interface_id: bytes4) -> bool:
    """
    @notice ERC-165 interface detection.
    @param interface_id The 4-byte interface identifier.
    @return bool True for ERC-165, ERC-721, ERC-721 Metadata, ERC-5192 and IAccessControl.
    """
    return interface_id in _SUPPORTED_INTERFACES


@external
@view
def balanceOf(owner: address) -> uint256:
    """
    @notice Number of certificates held by `owner`.
    @param owner The account to query; the zero address reverts.
    @return uint256 The certificate count.
    """
    assert owner != empty(address), "ecr: invalid owner"
    return self._balances[owner]


@external
@view
def ownerOf(token_id: uint256) -> address:
    """
    @notice Owner of certificate `token_id`.
    @param token_id The certificate id; reverts if it does not exist.
    @return address The owner.
    """
    return self._owner_of(self._word(token_id))


@external
@view
def getApproved(token_id: uint256) -> address:
    """
    @notice Account approved to move certificate `token_id`.
    @param token_id The certificate id; reverts if it does not exist.
    @return address The approved account or the zero address.
    """
    self._word(token_id)
    return self._token_approvals[token_id]


@external
@view
def locked(token_id: uint256) -> bool:
    """
    @notice ERC-5192: whether certificate `token_id` is soulbound.
    @param token_id The certificate id; reverts if it does not exist.
    @return bool True if the certificate can never be transferred.
    """
    return self._is_soulbound(self._word(token_id))


@external
@view
def certificate(token_id: uint256) -> (address, uint256, bytes32, bool):
    """
    @notice Stored data of certificate `token_id`.
    @param token_id The certificate id; reverts if it does not exist.
    @return address Owner.
    @return uint256 Tonnes certified.
    @return bytes32 Content hash.
    @return bool Soulbound flag.
    """
    word: uint256 = self._word(token_id)
    return (
        self._owner_of(word),
        word >> _TONNES_SHIFT,
        self.content_hash[token_id],
        self._is_soulbound(word),
    )


@external
@view
def totalSupply() -> uint256:
    """
    @notice Number of certificates ever issued (certificates are never burned).
    @return uint256 The count.
    """
    return unsafe_sub(self._next_token_id, 1)


@external
@view
def tokenURI(token_id: uint256) -> String[206]:
    """
    @notice Metadata URI of certificate `token_id`: base URI followed by the decimal id.
    @param token_id The certificate id; reverts if it does not exist.
    @return String The URI.
    """
    self._word(token_id)
    return concat(self.base_uri, uint2str(token_id))


@external
def approve(approved: address, token_id: uint256):
    """
    @notice Approve `approved` to transfer certificate `token_id` (zero address clears).
    @dev Caller must be the owner or an operator of the owner.
    @param approved The account to approve.
    @param token_id The certificate id.
    """
    owner: address = self._owner_of(self._word(token_id))
    assert approved != owner, "ecr: approval to current owner"
    assert (
        msg.sender == owner or self.isApprovedForAll[owner][msg.sender]
    ), "ecr: caller is not token owner or approved for all"
    self._token_approvals[token_id] = approved
    log Approval(owner=owner, approved=approved, token_id=token_id)


@external
def setApprovalForAll(operator: address, approved: bool):
    """
    @notice Allow or forbid `operator` to transfer all of the caller's certificates.
    @param operator The operator; must not be the caller.
    @param approved True to allow, False to revoke.
    """
    assert operator != msg.sender, "ecr: approve to caller"
    self.isApprovedForAll[msg.sender][operator] = approved
    log ApprovalForAll(owner=msg.sender, operator=operator, approved=approved)


@external
def transferFrom(owner: address, to: address, token_id: uint256):
    """
    @notice Transfer certificate `token_id` from `owner` to `to` without a receiver check.
    @dev Reverts when paused or when the certificate is soulbound.
    @param owner The current owner.
    @param to The receiver; not the zero address.
    @param token_id The certificate id.
    """
    self._transfer(owner, to, token_id)


@external
def safeTransferFrom(owner: address, to: address, token_id: uint256, data: Bytes[1_024] = b""):
    """
    @notice Transfer certificate `token_id` and, if `to` is a contract, require it to
            accept through `onERC721Received`.
    @dev Reverts when paused or when the certificate is soulbound.
    @param owner The current owner.
    @param to The receiver; not the zero address.
    @param token_id The certificate id.
    @param data Data passed on to the receiver hook.
    """
    self._transfer(owner, to, token_id)
    if to.is_contract:
        ret: bytes4 = extcall IERC721Receiver(to).onERC721Received(msg.sender, owner, token_id, data)
        assert ret == method_id(
            "onERC721Received(address,address,uint256,bytes)", output_type=bytes4
        ), "ecr: transfer to non-IERC721Receiver implementer"


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
    @notice Issue a certificate to `to`; caller needs CERTIFIER_ROLE.
    @dev No receiver hook is called on issuance (as for `transferFrom`), and pause does
         not block issuance. The message is kept only in the `CertificateIssued` event.
    @param to The certificate holder (beneficiary); not the zero address.
    @param batch_id The CCR batch the certificate refers to (0 if none).
    @param tonnes Tonnes of CO2e certified; at most 2**95 - 1.
    @param content_hash Hash of the certified content (see CCR.retire for its layout).
    @param message Free text recorded in the event.
    @param soulbound True makes the certificate permanently non-transferable (ERC-5192).
    @return uint256 The new certificate id.
    """
    access_control._check_role(CERTIFIER_ROLE, msg.sender)
    assert to != empty(address), "ecr: mint to the zero address"
    assert tonnes <= _MAX_TONNES, "ecr: tonnes too large"

    token_id: uint256 = self._next_token_id
    self._next_token_id = unsafe_add(token_id, 1)

    word: uint256 = convert(to, uint256) | (tonnes << _TONNES_SHIFT)
    if soulbound:
        word |= 1 << _SOULBOUND_BIT
    self._tokens[token_id] = word
    self.content_hash[token_id] = content_hash
    # A holder cannot own more certificates than were ever issued, so this never overflows.
    self._balances[to] = unsafe_add(self._balances[to], 1)

    log Transfer(sender=empty(address), receiver=to, token_id=token_id)
    if soulbound:
        log Locked(tokenId=token_id)
    log CertificateIssued(
        token_id=token_id,
        to=to,
        batch_id=batch_id,
        tonnes=tonnes,
        content_hash=content_hash,
        soulbound=soulbound,
        message=message,
    )
    return token_id


@external
def set_base_uri(base_uri_: String[128]):
    """
    @notice Change the token URI prefix; caller needs DEFAULT_ADMIN_ROLE.
    @param base_uri_ The new prefix.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self.base_uri = base_uri_
    log BaseURIUpdated(base_uri=base_uri_)


@internal
@view
def _word(token_id: uint256) -> uint256:
    """
    @dev Packed word of an existing certificate; reverts if it does not exist.
    """
    word: uint256 = self._tokens[token_id]
    assert word != 0, "ecr: invalid token id"
    return word


@internal
@pure
def _owner_of(word: uint256) -> address:
    """
    @dev Owner encoded in a packed word.
    """
    return convert(convert(word & _OWNER_MASK, uint160), address)


@internal
@pure
def _is_soulbound(word: uint256) -> bool:
    """
    @dev Soulbound flag encoded in a packed word.
    """
    return (word >> _SOULBOUND_BIT) & 1 == 1


@internal
def _transfer(owner: address, to: address, token_id: uint256):
    """
    @dev Shared checks and effects of transferFrom and safeTransferFrom.
    """
    pausable._require_not_paused()
    word: uint256 = self._word(token_id)
    assert not self._is_soulbound(word), "ecr: certificate is soulbound"
    current: address = self._owner_of(word)
    assert current == owner, "ecr: transfer from incorrect owner"
    assert to != empty(address), "ecr: transfer to the zero address"
    approved: address = self._token_approvals[token_id]
    assert (
        msg.sender == owner or msg.sender == approved or self.isApprovedForAll[owner][msg.sender]
    ), "ecr: caller is not token owner or approved"

    if approved != empty(address):
        self._token_approvals[token_id] = empty(address)
    self._tokens[token_id] = (word & ~_OWNER_MASK) | convert(to, uint256)
    # The owner holds this token, so its balance is at least 1; the receiver's cannot overflow.
    self._balances[owner] = unsafe_sub(self._balances[owner], 1)
    self._balances[to] = unsafe_add(self._balances[to], 1)
    log Transfer(sender=owner, receiver=to, token_id=token_id)
