# pragma version ~=0.4.3
"""
@title ESG cross-chain bridge
@license GNU Affero General Public License v3.0 only
@notice Moves GST, ECT (ERC-20) and CCR (ERC-1155) between a root chain and a child
        chain. The same contract runs on both sides; each local token is configured as
        a root token (sent units are locked here, received units are released from here)
        or a child token (sent units are burned through the Polygon PoS child-token
        `withdraw`/`withdrawSingle`, received units are minted through `deposit`).
        A message is accepted only with signatures of at least `threshold` distinct
        validators over the EIP-712 struct `Message`, whose domain binds this chain id
        and this contract, and each message (source chain id, tx hash, log index) is
        accepted once.

        A send records the amount that actually arrived here (a token that takes a fee
        on transfer is bridged net of it), must reach the token's minimum
        (`min_amount`, set by governance) and, for ERC-1155, carries the token's
        `bridge_metadata(id)` (CCR batch metadata) so a child copy can create the batch.

        Governance of a child bridge. A bridge deployed with a non-zero
        `GOVERNANCE_CHAIN_ID` is governed from that (root) chain, never locally: the root
        chain's admin (its Timelock) calls `send_admin(dest, target, payload)` on the root
        bridge; validators sign the resulting `AdminMessage` like any message, once the
        root block is final; `receive_admin` here queues the call for `admin_delay`
        seconds, after which anyone may `execute_admin` it. This bridge calls `target`
        itself, so it must hold the admin role of what it governs: itself (validator
        set, threshold, tokens, minimums, pauser) and the child tokens' roles. A queued
        call is cancelled by an admin message calling `cancel_admin(message_id)` on this
        bridge, which takes effect at once. Admin messages are not blocked by pause.
@dev Signatures passed to `receive_message` / `receive_admin` must be ordered by
     strictly ascending signer address; this rejects duplicate signers without a
     quadratic check.
"""

from ethereum.ercs import IERC20
from ethereum.ercs import IERC165

implements: IERC165

from snekmate.tokens.interfaces import IERC1155

from snekmate.auth import access_control
from snekmate.utils import pausable
from snekmate.utils import ecdsa
from snekmate.utils import eip712_domain_separator
from .modules import role_pausable

initializes: access_control
initializes: pausable
initializes: role_pausable[access_control := access_control, pausable := pausable]
initializes: eip712_domain_separator

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
    eip712_domain_separator.eip712Domain,
)


interface IChildERC20:
    def deposit(user: address, depositData: Bytes[32]): nonpayable
    def withdraw(amount: uint256): nonpayable


interface IChildERC1155:
    def deposit(user: address, depositData: Bytes[_DEPOSIT_SIZE]): nonpayable
    def withdrawSingle(id: uint256, amount: uint256): nonpayable


interface IBridgedERC1155:
    def bridge_metadata(id: uint256) -> Bytes[DATA_SIZE]: view


# @dev Token standards accepted by `set_token`.
ERC20: public(constant(uint256)) = 20
ERC1155: public(constant(uint256)) = 1155

# @dev Upper bound of the validator set (and of signatures per message).
MAX_VALIDATORS: public(constant(uint256)) = 32

# @dev Largest token metadata a message carries (CCR batch metadata is 512 bytes).
DATA_SIZE: public(constant(uint256)) = 1_024

# @dev Largest call an admin message carries.
PAYLOAD_SIZE: public(constant(uint256)) = 512

# @dev Size of `abi_encode([id], [amount], data)` for a child ERC-1155 deposit.
_DEPOSIT_SIZE: constant(uint256) = 1_280

# @dev Longest revert reason of an admin call that is passed on.
_REVERT_SIZE: constant(uint256) = 256

# @dev EIP-712 type hash of a bridged transfer.
MESSAGE_TYPEHASH: public(constant(bytes32)) = keccak256(
    "Message(uint256 srcChainId,bytes32 srcTxHash,uint256 srcLogIndex,address token,uint256 id,uint256 amount,address recipient,bytes data)"
)

# @dev EIP-712 type hash of a governance call sent from the root chain.
ADMIN_TYPEHASH: public(constant(bytes32)) = keccak256(
    "AdminMessage(uint256 srcChainId,bytes32 srcTxHash,uint256 srcLogIndex,address target,bytes payload)"
)

# @dev Selector of `cancel_admin(bytes32)`: an admin message calling it here applies at once.
_CANCEL_SELECTOR: constant(bytes4) = method_id("cancel_admin(bytes32)", output_type=bytes4)

# @dev ERC-165 ids answered by `supportsInterface`.
_SUPPORTED_INTERFACES: constant(bytes4[3]) = [
    0x01FFC9A7,  # ERC-165
    0x7965DB0B,  # IAccessControl
    0x4E2312E0,  # IERC1155Receiver
]


# @dev The chain whose governance administers this bridge through admin messages (0: none,
# the local admin governs, as on the root chain).
GOVERNANCE_CHAIN_ID: public(immutable(uint256))


# @dev How a local token is bridged.
struct TokenConfig:
    standard: uint256
    child: bool


# @dev Standard (20 or 1155) and side (child = mint/burn, else lock/release) per local token.
token_config: public(HashMap[address, TokenConfig])

# @dev Counterpart of a local token on a remote chain: local token => remote chain id => token.
remote_token: public(HashMap[address, HashMap[uint256, address]])

# @dev Smallest amount of a local token that may be sent (governance sets it against dust).
min_amount: public(HashMap[address, uint256])

# @dev Whether an address belongs to the validator set.
is_validator: public(HashMap[address, bool])

# @dev Size of the validator set.
validator_count: public(uint256)

# @dev Signatures needed to accept a message.
threshold: public(uint256)

# @dev Sequence number of the next outgoing message on this chain.
sequence: public(uint256)

# @dev Accepted messages by id `keccak256(abi_encode(src_chain_id, src_tx_hash, src_log_index))`.
processed: public(HashMap[bytes32, bool])

# @dev Seconds a received admin message waits before it can be executed.
admin_delay: public(uint256)

# @dev Earliest execution time of a queued admin message by message id (0: none queued).
admin_eta: public(HashMap[bytes32, uint256])

# @dev keccak256(abi_encode(target, payload)) of a queued admin message by message id.
_admin_call: HashMap[bytes32, bytes32]


# @dev Tokens left this chain for `dest_chain_id`; `amount` is what arrived here. The
# relayer's and validators' input.
event MessageSent:
    token: indexed(address)
    sender: indexed(address)
    recipient: indexed(address)
    src_chain_id: uint256
    sequence: uint256
    dest_chain_id: uint256
    dest_token: address
    id: uint256
    amount: uint256
    data: Bytes[DATA_SIZE]


# @dev A signed message was accepted and its tokens released or minted.
event MessageReceived:
    message_id: indexed(bytes32)
    token: indexed(address)
    recipient: indexed(address)
    src_chain_id: uint256
    src_tx_hash: bytes32
    src_log_index: uint256
    id: uint256
    amount: uint256


# @dev The local admin sent a governance call to the bridge on `dest_chain_id`.
event AdminMessageSent:
    dest_chain_id: indexed(uint256)
    target: indexed(address)
    src_chain_id: uint256
    sequence: uint256
    payload: Bytes[PAYLOAD_SIZE]


# @dev A signed admin message was accepted and waits until `eta`.
event AdminMessageQueued:
    message_id: indexed(bytes32)
    target: indexed(address)
    eta: uint256
    payload: Bytes[PAYLOAD_SIZE]


# @dev A queued admin message was executed.
event AdminMessageExecuted:
    message_id: indexed(bytes32)
    target: indexed(address)


# @dev A queued admin message was cancelled.
event AdminMessageCanceled:
    message_id: indexed(bytes32)


# @dev A local token's standard and side were set.
event TokenConfigured:
    token: indexed(address)
    standard: uint256
    child: bool


# @dev A local token was mapped to `remote_token` on `remote_chain_id` (zero unmaps).
event TokenMapped:
    token: indexed(address)
    remote_chain_id: indexed(uint256)
    remote_token: indexed(address)


# @dev The smallest amount of `token` that may be sent changed.
event MinAmountSet:
    token: indexed(address)
    amount: uint256


# @dev A validator joined the set.
event ValidatorAdded:
    validator: indexed(address)


# @dev A validator left the set.
event ValidatorRemoved:
    validator: indexed(address)


# @dev The signature threshold changed.
event ThresholdChanged:
    old_threshold: uint256
    new_threshold: uint256


# @dev The delay of admin messages changed.
event AdminDelayChanged:
    old_delay: uint256
    new_delay: uint256


@deploy
def __init__(
    validators_: DynArray[address, MAX_VALIDATORS],
    threshold_: uint256,
    governance_chain_id_: uint256,
    admin_delay_: uint256,
):
    """
    @dev Grants DEFAULT_ADMIN_ROLE to the deployer, who configures the bridge and then hands
         the role over: on a root chain to its Timelock, on a child chain to this bridge
         itself (so only admin messages from `governance_chain_id_` govern it).
    @param validators_ The initial validator set (distinct, non-zero addresses).
    @param threshold_ Signatures needed per message, 1 <= threshold_ <= len(validators_).
    @param governance_chain_id_ The root chain governing this bridge by admin messages, or 0
           on the root chain itself.
    @param admin_delay_ Seconds between accepting an admin message and executing it.
    """
    assert governance_chain_id_ != chain.id, "bridge: governance chain is this chain"
    access_control.__init__()
    pausable.__init__()
    eip712_domain_separator.__init__("ESG Bridge", "1")
    GOVERNANCE_CHAIN_ID = governance_chain_id_
    for validator: address in validators_:
        self._add_validator(validator)
    self._set_threshold(threshold_)
    self._set_admin_delay(admin_delay_)


@external
@view
def supportsInterface(interface_id: bytes4) -> bool:
    """
    @notice ERC-165 detection.
    @param interface_id The 4-byte interface id.
    @return bool Whether the interface is supported.
    """
    return interface_id in _SUPPORTED_INTERFACES


@external
@nonreentrant
def send_erc20(token: address, amount: uint256, recipient: address, dest_chain_id: uint256):
    """
    @notice Send `amount` of ERC-20 `token` to `recipient` on `dest_chain_id`.
    @dev The caller approves this contract first. A root token is locked here, a child
         token is burned through `withdraw`. The message carries the amount that arrived
         here, which must reach `min_amount(token)`.
    @param token The local ERC-20 token.
    @param amount The amount to send.
    @param recipient The receiving address on the destination chain.
    @param dest_chain_id The destination chain id.
    """
    config: TokenConfig = self._check_send(token, amount, recipient, dest_chain_id, ERC20)
    before: uint256 = staticcall IERC20(token).balanceOf(self)
    assert extcall IERC20(token).transferFrom(msg.sender, self, amount, default_return_value=True), "bridge: transfer failed"
    received: uint256 = staticcall IERC20(token).balanceOf(self) - before
    self._check_received(token, received)
    if config.child:
        extcall IChildERC20(token).withdraw(received)
    self._log_sent(token, 0, received, recipient, dest_chain_id, b"")


@external
@nonreentrant
def send_erc1155(token: address, id: uint256, amount: uint256, recipient: address, dest_chain_id: uint256):
    """
    @notice Send `amount` units of id `id` of ERC-1155 `token` to `recipient` on `dest_chain_id`.
    @dev The caller calls `setApprovalForAll(bridge, True)` first. A root token is locked
         here, a child token is burned through `withdrawSingle`. The message carries the
         units that arrived here and the token's `bridge_metadata(id)`.
    @param token The local ERC-1155 token.
    @param id The token id.
    @param amount The number of units.
    @param recipient The receiving address on the destination chain.
    @param dest_chain_id The destination chain id.
    """
    config: TokenConfig = self._check_send(token, amount, recipient, dest_chain_id, ERC1155)
    data: Bytes[DATA_SIZE] = staticcall IBridgedERC1155(token).bridge_metadata(id)
    before: uint256 = staticcall IERC1155(token).balanceOf(self, id)
    extcall IERC1155(token).safeTransferFrom(msg.sender, self, id, amount, b"")
    received: uint256 = staticcall IERC1155(token).balanceOf(self, id) - before
    self._check_received(token, received)
    if config.child:
        extcall IChildERC1155(token).withdrawSingle(id, received)
    self._log_sent(token, id, received, recipient, dest_chain_id, data)


@external
@nonreentrant
def receive_message(
    src_chain_id: uint256,
    src_tx_hash: bytes32,
    src_log_index: uint256,
    token: address,
    id: uint256,
    amount: uint256,
    recipient: address,
    data: Bytes[DATA_SIZE],
    signatures: DynArray[Bytes[65], MAX_VALIDATORS],
):
    """
    @notice Accept a transfer sent from `src_chain_id` and release or mint its tokens.
    @dev Anyone may submit; authority comes from the validators' EIP-712 signatures,
         which must be ordered by ascending signer address.
    @param src_chain_id The chain the transfer left from.
    @param src_tx_hash The hash of the sending transaction.
    @param src_log_index The log index of its `MessageSent` event in that block.
    @param token The local token (the event's `dest_token`).
    @param id The ERC-1155 id (0 for ERC-20).
    @param amount The amount.
    @param recipient The receiver on this chain.
    @param data The event's `data` (ERC-1155 batch metadata, empty for ERC-20).
    @param signatures At least `threshold` 65-byte validator signatures.
    """
    pausable._require_not_paused()
    assert src_chain_id != chain.id, "bridge: wrong source chain"
    assert self.remote_token[token][src_chain_id] != empty(address), "bridge: token not mapped"
    message_id: bytes32 = self._accept(
        src_chain_id,
        src_tx_hash,
        src_log_index,
        self._message_digest(src_chain_id, src_tx_hash, src_log_index, token, id, amount, recipient, data),
        signatures,
    )
    log MessageReceived(
        message_id=message_id,
        token=token,
        recipient=recipient,
        src_chain_id=src_chain_id,
        src_tx_hash=src_tx_hash,
        src_log_index=src_log_index,
        id=id,
        amount=amount,
    )

    config: TokenConfig = self.token_config[token]
    if config.standard == ERC20:
        assert id == 0, "bridge: erc20 has no id"
        if config.child:
            extcall IChildERC20(token).deposit(recipient, abi_encode(amount))
        else:
            assert extcall IERC20(token).transfer(recipient, amount, default_return_value=True), "bridge: transfer failed"
    elif config.child:
        ids: DynArray[uint256, 1] = [id]
        amounts: DynArray[uint256, 1] = [amount]
        extcall IChildERC1155(token).deposit(recipient, abi_encode(ids, amounts, data))
    else:
        extcall IERC1155(token).safeTransferFrom(self, recipient, id, amount, b"")


@external
def send_admin(dest_chain_id: uint256, target: address, payload: Bytes[PAYLOAD_SIZE]):
    """
    @notice Send a governance call to the bridge on `dest_chain_id`, which runs
            `target.call(payload)` after its admin delay; needs DEFAULT_ADMIN_ROLE.
    @dev Not blocked by pause, so governance can always reach a child chain.
    @param dest_chain_id The chain whose bridge is governed from here.
    @param target The contract that bridge calls (the bridge itself or a child token).
    @param payload The ABI-encoded call.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert dest_chain_id != chain.id, "bridge: wrong destination chain"
    assert target != empty(address), "bridge: zero target"
    current: uint256 = self.sequence
    self.sequence = current + 1
    log AdminMessageSent(
        dest_chain_id=dest_chain_id,
        target=target,
        src_chain_id=chain.id,
        sequence=current,
        payload=payload,
    )


@external
@nonreentrant
def receive_admin(
    src_chain_id: uint256,
    src_tx_hash: bytes32,
    src_log_index: uint256,
    target: address,
    payload: Bytes[PAYLOAD_SIZE],
    signatures: DynArray[Bytes[65], MAX_VALIDATORS],
):
    """
    @notice Accept a governance call sent from the governance chain and queue it for
            `admin_delay` seconds (a call of this bridge's `cancel_admin` applies at once).
    @dev Anyone may submit; authority comes from the validators' signatures over the
         `AdminMessage`. Not blocked by pause.
    @param src_chain_id The governance chain.
    @param src_tx_hash The hash of the `send_admin` transaction.
    @param src_log_index The log index of its `AdminMessageSent` event.
    @param target The contract to call.
    @param payload The ABI-encoded call.
    @param signatures At least `threshold` 65-byte validator signatures.
    """
    assert GOVERNANCE_CHAIN_ID != 0, "bridge: not governed by another chain"
    assert src_chain_id == GOVERNANCE_CHAIN_ID, "bridge: not the governance chain"
    message_id: bytes32 = self._accept(
        src_chain_id,
        src_tx_hash,
        src_log_index,
        self._admin_digest(src_chain_id, src_tx_hash, src_log_index, target, payload),
        signatures,
    )
    if target == self and len(payload) == 36 and convert(slice(payload, 0, 4), bytes4) == _CANCEL_SELECTOR:
        self._cancel_admin(extract32(payload, 4))
        return
    eta: uint256 = block.timestamp + self.admin_delay
    self.admin_eta[message_id] = eta
    self._admin_call[message_id] = keccak256(abi_encode(target, payload))
    log AdminMessageQueued(message_id=message_id, target=target, eta=eta, payload=payload)


@external
@nonreentrant
def execute_admin(
    src_chain_id: uint256,
    src_tx_hash: bytes32,
    src_log_index: uint256,
    target: address,
    payload: Bytes[PAYLOAD_SIZE],
):
    """
    @notice Execute a queued admin message once its delay has passed; anyone may call.
    @dev Reverts with the call's own reason if the call fails; the message then stays
         queued. Not blocked by pause.
    @param src_chain_id The governance chain.
    @param src_tx_hash The hash of the `send_admin` transaction.
    @param src_log_index The log index of its `AdminMessageSent` event.
    @param target The contract to call (as queued).
    @param payload The ABI-encoded call (as queued).
    """
    message_id: bytes32 = keccak256(abi_encode(src_chain_id, src_tx_hash, src_log_index))
    eta: uint256 = self.admin_eta[message_id]
    assert eta != 0, "bridge: admin message not queued"
    assert block.timestamp >= eta, "bridge: admin delay not passed"
    assert self._admin_call[message_id] == keccak256(abi_encode(target, payload)), "bridge: admin call mismatch"
    self.admin_eta[message_id] = 0
    self._admin_call[message_id] = empty(bytes32)
    success: bool = False
    response: Bytes[_REVERT_SIZE] = b""
    success, response = raw_call(target, payload, max_outsize=_REVERT_SIZE, revert_on_failure=False)
    if not success:
        raw_revert(response)
    log AdminMessageExecuted(message_id=message_id, target=target)


@external
def cancel_admin(message_id: bytes32):
    """
    @notice Cancel a queued admin message; needs DEFAULT_ADMIN_ROLE (on a child bridge only
            this bridge itself has it, so this arrives as an admin message and applies at once).
    @param message_id The id of the queued message.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self._cancel_admin(message_id)


@external
def onERC1155Received(
    _operator: address, _owner: address, _id: uint256, _amount: uint256, _data: Bytes[1_024]
) -> bytes4:
    """
    @notice Accepts ERC-1155 units only when this bridge pulls them itself in `send_erc1155`.
    @dev Units pushed here directly would be stuck, so they are refused.
    @param _operator The account that moved the units (must be this bridge).
    @param _owner The previous owner.
    @param _id The token id.
    @param _amount The number of units.
    @param _data Additional data.
    @return bytes4 The acceptance magic value.
    """
    assert _operator == self, "bridge: direct transfers refused"
    return method_id("onERC1155Received(address,address,uint256,uint256,bytes)", output_type=bytes4)


@external
def onERC1155BatchReceived(
    _operator: address,
    _owner: address,
    _ids: DynArray[uint256, 128],
    _amounts: DynArray[uint256, 128],
    _data: Bytes[1_024],
) -> bytes4:
    """
    @notice Refuses batch transfers; the bridge moves one id per message.
    @dev Same selector as IERC1155Receiver's (the array bound only limits decoding).
    @param _operator The account that moved the units.
    @param _owner The previous owner.
    @param _ids The token ids.
    @param _amounts The numbers of units.
    @param _data Additional data.
    @return bytes4 Never returns.
    """
    raise "bridge: direct transfers refused"


@external
@view
def message_id(src_chain_id: uint256, src_tx_hash: bytes32, src_log_index: uint256) -> bytes32:
    """
    @notice The id under which a message is recorded in `processed`.
    @param src_chain_id The source chain id.
    @param src_tx_hash The sending transaction hash.
    @param src_log_index The log index of the `MessageSent` or `AdminMessageSent` event.
    @return bytes32 The message id.
    """
    return keccak256(abi_encode(src_chain_id, src_tx_hash, src_log_index))


@external
@view
def is_processed(src_chain_id: uint256, src_tx_hash: bytes32, src_log_index: uint256) -> bool:
    """
    @notice Whether the message was already accepted here.
    @param src_chain_id The source chain id.
    @param src_tx_hash The sending transaction hash.
    @param src_log_index The log index of the `MessageSent` or `AdminMessageSent` event.
    @return bool True once accepted.
    """
    return self.processed[keccak256(abi_encode(src_chain_id, src_tx_hash, src_log_index))]


@external
@view
def message_digest(
    src_chain_id: uint256,
    src_tx_hash: bytes32,
    src_log_index: uint256,
    token: address,
    id: uint256,
    amount: uint256,
    recipient: address,
    data: Bytes[DATA_SIZE],
) -> bytes32:
    """
    @notice The EIP-712 digest validators sign for a transfer to this bridge.
    @param src_chain_id The source chain id.
    @param src_tx_hash The sending transaction hash.
    @param src_log_index The log index of the `MessageSent` event.
    @param token The local token.
    @param id The ERC-1155 id (0 for ERC-20).
    @param amount The amount.
    @param recipient The receiver on this chain.
    @param data The event's `data`.
    @return bytes32 The digest.
    """
    return self._message_digest(src_chain_id, src_tx_hash, src_log_index, token, id, amount, recipient, data)


@external
@view
def admin_digest(
    src_chain_id: uint256,
    src_tx_hash: bytes32,
    src_log_index: uint256,
    target: address,
    payload: Bytes[PAYLOAD_SIZE],
) -> bytes32:
    """
    @notice The EIP-712 digest validators sign for an admin message to this bridge.
    @param src_chain_id The governance chain.
    @param src_tx_hash The `send_admin` transaction hash.
    @param src_log_index The log index of the `AdminMessageSent` event.
    @param target The contract to call.
    @param payload The ABI-encoded call.
    @return bytes32 The digest.
    """
    return self._admin_digest(src_chain_id, src_tx_hash, src_log_index, target, payload)


@external
def set_token(token: address, standard: uint256, child: bool):
    """
    @notice Declare how a local token is bridged; needs DEFAULT_ADMIN_ROLE.
    @dev A child token must grant this bridge DEPOSITOR_ROLE. An ERC-1155 token must
         implement `bridge_metadata(uint256)`.
    @param token The local token.
    @param standard 20 (ERC-20) or 1155 (ERC-1155).
    @param child True to mint/burn (child chain), False to lock/release (root chain).
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert token != empty(address), "bridge: zero token"
    assert standard == ERC20 or standard == ERC1155, "bridge: unknown standard"
    self.token_config[token] = TokenConfig(standard=standard, child=child)
    log TokenConfigured(token=token, standard=standard, child=child)


@external
def map_token(token: address, remote_chain_id: uint256, remote_token: address):
    """
    @notice Pair a configured local token with its counterpart on `remote_chain_id`;
            needs DEFAULT_ADMIN_ROLE. The zero address removes the pairing.
    @dev Pair a root (locking) token with a child (minting) token, never two root tokens.
    @param token The local token (configured with `set_token`).
    @param remote_chain_id The remote chain id.
    @param remote_token The token address on the remote chain.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert self.token_config[token].standard != 0, "bridge: token not configured"
    assert remote_chain_id != chain.id, "bridge: wrong destination chain"
    self.remote_token[token][remote_chain_id] = remote_token
    log TokenMapped(token=token, remote_chain_id=remote_chain_id, remote_token=remote_token)


@external
def set_min_amount(token: address, amount: uint256):
    """
    @notice Set the smallest amount of `token` a send may carry; needs DEFAULT_ADMIN_ROLE.
    @dev Keeps dust messages, whose delivery gas the relayer pays, off the bridge.
    @param token The local token.
    @param amount The minimum (0: any non-zero amount).
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self.min_amount[token] = amount
    log MinAmountSet(token=token, amount=amount)


@external
def add_validator(validator: address):
    """
    @notice Add a validator; needs DEFAULT_ADMIN_ROLE.
    @param validator The validator's signing address.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self._add_validator(validator)


@external
def remove_validator(validator: address):
    """
    @notice Remove a validator; needs DEFAULT_ADMIN_ROLE. The threshold must stay reachable.
    @param validator The validator's signing address.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert self.is_validator[validator], "bridge: not a validator"
    assert self.validator_count > self.threshold, "bridge: threshold above validator count"
    self.is_validator[validator] = False
    self.validator_count -= 1
    log ValidatorRemoved(validator=validator)


@external
def set_threshold(new_threshold: uint256):
    """
    @notice Set how many validator signatures a message needs; needs DEFAULT_ADMIN_ROLE.
    @param new_threshold Between 1 and `validator_count`.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self._set_threshold(new_threshold)


@external
def set_admin_delay(new_delay: uint256):
    """
    @notice Set how long received admin messages wait; needs DEFAULT_ADMIN_ROLE.
    @param new_delay Seconds.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self._set_admin_delay(new_delay)


@internal
def _check_send(
    token: address, amount: uint256, recipient: address, dest_chain_id: uint256, standard: uint256
) -> TokenConfig:
    pausable._require_not_paused()
    assert amount != 0, "bridge: zero amount"
    assert recipient != empty(address), "bridge: zero recipient"
    assert dest_chain_id != chain.id, "bridge: wrong destination chain"
    assert self.remote_token[token][dest_chain_id] != empty(address), "bridge: token not mapped"
    config: TokenConfig = self.token_config[token]
    assert config.standard == standard, "bridge: wrong token standard"
    return config


@internal
@view
def _check_received(token: address, received: uint256):
    assert received != 0, "bridge: nothing received"
    assert received >= self.min_amount[token], "bridge: amount below minimum"


@internal
def _log_sent(
    token: address,
    id: uint256,
    amount: uint256,
    recipient: address,
    dest_chain_id: uint256,
    data: Bytes[DATA_SIZE],
):
    current: uint256 = self.sequence
    self.sequence = current + 1
    log MessageSent(
        token=token,
        sender=msg.sender,
        recipient=recipient,
        src_chain_id=chain.id,
        sequence=current,
        dest_chain_id=dest_chain_id,
        dest_token=self.remote_token[token][dest_chain_id],
        id=id,
        amount=amount,
        data=data,
    )


@internal
def _accept(
    src_chain_id: uint256,
    src_tx_hash: bytes32,
    src_log_index: uint256,
    digest: bytes32,
    signatures: DynArray[Bytes[65], MAX_VALIDATORS],
) -> bytes32:
    """
    @dev Checks the message is new and signed by `threshold` distinct validators in
         ascending address order, and marks it processed.
    @return bytes32 The message id.
    """
    message_id: bytes32 = keccak256(abi_encode(src_chain_id, src_tx_hash, src_log_index))
    assert not self.processed[message_id], "bridge: message already processed"
    assert len(signatures) >= self.threshold, "bridge: not enough signatures"
    last: address = empty(address)
    for signature: Bytes[65] in signatures:
        signer: address = ecdsa._recover_sig(digest, signature)
        assert convert(signer, uint160) > convert(last, uint160), "bridge: invalid signer"
        assert self.is_validator[signer], "bridge: invalid signer"
        last = signer
    self.processed[message_id] = True
    return message_id


@internal
@view
def _message_digest(
    src_chain_id: uint256,
    src_tx_hash: bytes32,
    src_log_index: uint256,
    token: address,
    id: uint256,
    amount: uint256,
    recipient: address,
    data: Bytes[DATA_SIZE],
) -> bytes32:
    return eip712_domain_separator._hash_typed_data_v4(
        keccak256(
            abi_encode(
                MESSAGE_TYPEHASH,
                src_chain_id,
                src_tx_hash,
                src_log_index,
                token,
                id,
                amount,
                recipient,
                keccak256(data),
            )
        )
    )


@internal
@view
def _admin_digest(
    src_chain_id: uint256,
    src_tx_hash: bytes32,
    src_log_index: uint256,
    target: address,
    payload: Bytes[PAYLOAD_SIZE],
) -> bytes32:
    return eip712_domain_separator._hash_typed_data_v4(
        keccak256(
            abi_encode(ADMIN_TYPEHASH, src_chain_id, src_tx_hash, src_log_index, target, keccak256(payload))
        )
    )


@internal
def _cancel_admin(message_id: bytes32):
    assert self.admin_eta[message_id] != 0, "bridge: admin message not queued"
    self.admin_eta[message_id] = 0
    self._admin_call[message_id] = empty(bytes32)
    log AdminMessageCanceled(message_id=message_id)


@internal
def _add_validator(validator: address):
    assert validator != empty(address), "bridge: zero validator"
    assert not self.is_validator[validator], "bridge: already a validator"
    self.is_validator[validator] = True
    self.validator_count += 1
    log ValidatorAdded(validator=validator)


@internal
def _set_threshold(new_threshold: uint256):
    assert new_threshold != 0, "bridge: zero threshold"
    assert new_threshold <= self.validator_count, "bridge: threshold above validator count"
    log ThresholdChanged(old_threshold=self.threshold, new_threshold=new_threshold)
    self.threshold = new_threshold


@internal
def _set_admin_delay(new_delay: uint256):
    log AdminDelayChanged(old_delay=self.admin_delay, new_delay=new_delay)
    self.admin_delay = new_delay
