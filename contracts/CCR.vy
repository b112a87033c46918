# pragma version ~=0.4.3
"""
@title Carbon Credit (CCR)
@license GNU Affero General Public License v3.0 only
@notice Tokenized carbon credits as ERC-1155: one token id per project-vintage
        batch, 1 unit = 1 tCO2e.

        Registries. Governance (DEFAULT_ADMIN_ROLE) keeps the list of registries
        (`add_registry`, ids from 1); issuers tokenize against a registry id, so one
        registry cannot be spelled two ways ("Verra", "verra ") to tokenize its serials
        twice.

        Serial ranges. Each registry id has a high-water mark: the next serial that may
        be tokenized. A batch must start at or above the mark and moves it to
        `serial_end + 1`, which makes the overlap check O(1). The consequence is that
        ranges of one registry must be tokenized in increasing serial order: a range
        below the mark reverts with "ccr: serial range overlaps" even if it does not
        touch an earlier range (the contract keeps no list of gaps), so a skipped range
        cannot be tokenized later.

        Retirement. `retire` burns units from the caller's transferable balance
        into a permanent `retired(id, account)` balance and issues a soulbound
        ECR certificate to the beneficiary (this contract holds ECR's
        CERTIFIER_ROLE). `invalidate` (VERIFIER_ROLE) burns faulty credits of a
        holder into a separate `invalidated(id, account)` balance; units the bridge
        holds (locked for another chain) cannot be invalidated, or the units they back
        on the other chain would be left without cover.

        Compliance. When enabled by the admin, the sender and the receiver of
        every transfer (and the receiver of `tokenize`) must be on the allowlist
        kept by VERIFIER_ROLE. Retire, invalidate, bridge deposits and
        withdrawals are not subject to the allowlist.

        Pause blocks transfers, tokenize, retire and bridge withdrawals; it does
        not block `invalidate` or bridge deposits.

        Accounting, for every id: total_supply + retired_total + invalidated_total
        + withdrawn = tokenized amount + deposited.

        Root and child. On the root chain batches are tokenized here. A child copy
        (`is_child`) tokenizes nothing: a batch appears there on its first bridge
        deposit, under its root batch id and with the root's metadata (registry,
        project, vintage, methodology, serial range), which the bridge carries from
        `bridge_metadata(id)` on the root chain. Polygon PoS child interface:
        `deposit` (DEPOSITOR_ROLE, child only) mints the ids and amounts of
        `abi_encode(ids, amounts, data)`, where a non-empty `data` is the batch
        metadata of the single id deposited; `withdrawSingle` and `withdrawBatch` burn.
"""


from ethereum.ercs import IERC165
implements: IERC165

from snekmate.auth.interfaces import IAccessControl
implements: IAccessControl

from interfaces import IECR

from snekmate.auth import ownable
initializes: ownable

from snekmate.tokens import erc1155
initializes: erc1155[ownable := ownable]

from snekmate.auth import access_control
initializes: access_control

from snekmate.utils import pausable
initializes: pausable

from .modules import role_pausable
initializes: role_pausable[access_control := access_control, pausable := pausable]

from .modules import bridged_child
initializes: bridged_child[access_control := access_control]


exports: (
    erc1155.balanceOf,
    erc1155.balanceOfBatch,
    erc1155.isApprovedForAll,
    erc1155.setApprovalForAll,
    erc1155.uri,
    erc1155.total_supply,
    erc1155.exists,
    access_control.DEFAULT_ADMIN_ROLE,
    access_control.hasRole,
    access_control.getRoleAdmin,
    access_control.grantRole,
    access_control.revokeRole,
    access_control.renounceRole,
    access_control.set_role_admin,
    pausable.paused,
    role_pausable.__interface__,
    bridged_child.DEPOSITOR_ROLE,
)
# `bridged_child.is_child` is not exported here (GST and ECT export it): with one function
# fewer, Vyper's selector table keeps `safeTransferFrom` alone in its bucket, which saves a
# comparison (23 gas) on every transfer.


# @dev Role allowed to tokenize batches.
ISSUER_ROLE: public(constant(bytes32)) = keccak256("ISSUER_ROLE")
# @dev Role allowed to invalidate credits and to edit the compliance allowlist.
VERIFIER_ROLE: public(constant(bytes32)) = keccak256("VERIFIER_ROLE")

# @dev ERC-165 identifiers: ERC-165, ERC-1155, ERC-1155 Metadata URI, IAccessControl.
_SUPPORTED_INTERFACES: constant(bytes4[4]) = [
    0x01FFC9A7,
    0xD9B67A26,
    0x0E89341C,
    0x7965DB0B,
]

# @dev Upper bound of ids per batched call (as in the erc1155 module).
_BATCH_SIZE: constant(uint256) = 128

# @dev Maximum size of `abi_encode(ids, amounts, data)` for a bridge deposit.
_DEPOSIT_DATA_SIZE: constant(uint256) = 9_408

# @dev Size of the batch metadata the bridge carries: abi_encode(registry name, Batch).
METADATA_SIZE: constant(uint256) = 512


# @dev The EcoCertificate contract that issues retirement certificates.
ECR: public(immutable(IECR))


# @dev Metadata of one project-vintage batch (`registry_id` 0: no such batch).
struct Batch:
    registry_id: uint256
    project_id: String[64]
    vintage: uint16
    methodology: String[64]
    serial_start: uint256
    serial_end: uint256


# @dev Batch metadata by id.
_batches: HashMap[uint256, Batch]

# @dev Number of batches tokenized on this chain; batch ids run from 1 to batch_count.
batch_count: public(uint256)

# @dev Registry name by id (ids from 1; empty: unknown). A child copy learns names from deposits.
registry_name: public(HashMap[uint256, String[32]])

# @dev Number of registries added by governance; the next one gets _registry_count + 1.
_registry_count: uint256

# @dev Registry id by keccak256 of its name, so a name is added once.
_registry_by_name: HashMap[bytes32, uint256]

# @dev Per registry id: the lowest serial that may still be tokenized.
_next_serial: HashMap[uint256, uint256]

# @dev Permanently retired units per id and retiring account.
retired: public(HashMap[uint256, HashMap[address, uint256]])

# @dev Retired units per id.
retired_total: public(HashMap[uint256, uint256])

# @dev Number of retirements so far; the next retirement gets this index.
retirement_count: public(uint256)

# @dev Invalidated units per id and holder.
invalidated: public(HashMap[uint256, HashMap[address, uint256]])

# @dev Invalidated units per id.
invalidated_total: public(HashMap[uint256, uint256])

# @dev Units per id minted by bridge deposits.
deposited: public(HashMap[uint256, uint256])

# @dev Units per id burned by bridge withdrawals.
withdrawn: public(HashMap[uint256, uint256])

# @dev Whether transfers are restricted to allowlisted accounts.
compliance_enabled: public(bool)

# @dev Compliance allowlist.
allowed: public(HashMap[address, bool])


# @dev A batch was tokenized; `amount` units of `batch_id` were minted to `to`.
event BatchTokenized:
    batch_id: indexed(uint256)
    to: indexed(address)
    issuer: indexed(address)
    registry: String[32]
    project_id: String[64]
    vintage: uint16
    methodology: String[64]
    serial_start: uint256
    serial_end: uint256
    amount: uint256
    registry_id: uint256


# @dev A batch tokenized on the root chain arrived on this child copy with its first deposit.
event BatchBridged:
    batch_id: indexed(uint256)
    registry_id: indexed(uint256)
    registry: String[32]
    project_id: String[64]
    vintage: uint16
    methodology: String[64]
    serial_start: uint256
    serial_end: uint256


# @dev Governance added a registry that issuers may tokenize against.
event RegistryAdded:
    registry_id: indexed(uint256)
    name: String[32]


# @dev `account` retired `amount` units of `id` for `beneficiary`, who got ECR `certificate_id`.
event Retired:
    account: indexed(address)
    beneficiary: indexed(address)
    id: indexed(uint256)
    amount: uint256
    certificate_id: uint256
    message: String[256]


# @dev A verifier moved `amount` units of `id` held by `holder` into the invalidated balance.
event Invalidated:
    verifier: indexed(address)
    holder: indexed(address)
    id: indexed(uint256)
    amount: uint256
    reason: String[256]


# @dev The admin switched the compliance allowlist on or off.
event ComplianceSet:
    enabled: bool


# @dev A verifier added `account` to, or removed it from, the allowlist.
event AllowedSet:
    account: indexed(address)
    allowed: bool


@deploy
def __init__(base_uri_: String[80], ecr_: IECR, child: bool):
    """
    @notice Deploy CCR; the deployer gets DEFAULT_ADMIN_ROLE.
    @dev CCR must then be granted CERTIFIER_ROLE on `ecr_` before anyone can retire.
    @param base_uri_ Prefix of `uri(id)` for batches without their own URI (may be empty).
    @param ecr_ The EcoCertificate contract.
    @param child True to deploy a child copy (no tokenizing; batches arrive by bridge deposit).
    """
    ownable.__init__()
    erc1155.__init__(base_uri_)
    access_control.__init__()
    pausable.__init__()
    bridged_child.__init__(child)
    ECR = ecr_


@external
@view
def supportsInterface(interface_id: bytes4) -> bool:
    """
    @notice ERC-165 interface detection.
    @param interface_id The 4-byte interface identifier.
    @return bool True for ERC-165, ERC-1155, ERC-1155 Metadata URI and IAccessControl.
    """
    return interface_id in _SUPPORTED_INTERFACES


@external
def safeTransferFrom(owner: address, to: address, id: uint256, amount: uint256, data: Bytes[1_024]):
    """
    @notice Transfer `amount` units of `id` from `owner` to `to`.
    @dev Reverts when paused, when compliance is on and either side is not allowed, and
         when `to` is a contract that does not accept through `onERC1155Received`.
         Retired and invalidated units are not part of the balance and cannot move.
    @param owner The holder; the caller must be `owner` or approved for all by it.
    @param to The receiver.
    @param id The batch id.
    @param amount The number of units (tCO2e).
    @param data Data passed on to the receiver hook.
    """
    self._check_transfer(owner, to)
    erc1155._safe_transfer_from(owner, to, id, amount, data)


@external
def safeBatchTransferFrom(
    owner: address,
    to: address,
    ids: DynArray[uint256, _BATCH_SIZE],
    amounts: DynArray[uint256, _BATCH_SIZE],
    data: Bytes[1_024],
):
    """
    @notice Batched `safeTransferFrom`.
    @dev Same checks as `safeTransferFrom`; `ids` and `amounts` must have the same length.
    @param owner The holder; the caller must be `owner` or approved for all by it.
    @param to The receiver.
    @param ids The batch ids.
    @param amounts The units per id.
    @param data Data passed on to the receiver hook.
    """
    self._check_transfer(owner, to)
    erc1155._safe_batch_transfer_from(owner, to, ids, amounts, data)


@external
def tokenize(
    to: address,
    registry_id: uint256,
    project_id: String[64],
    vintage: uint16,
    methodology: String[64],
    serial_start: uint256,
    serial_end: uint256,
    token_uri: String[432],
) -> uint256:
    """
    @notice Tokenize the registry serials `serial_start`..`serial_end` (inclusive) of one
            project-vintage as a new batch id and mint `serial_end - serial_start + 1` units to `to`.
    @dev Needs ISSUER_ROLE; blocked by pause and on a child copy; `to` must be allowed when
         compliance is on. `serial_start` must be at least `next_serial(registry_id)` (see
         the module notes).
    @param to The receiver of the units.
    @param registry_id A registry added by governance (`add_registry`).
    @param project_id Registry project identifier; not empty.
    @param vintage Vintage year.
    @param methodology Methodology identifier.
    @param serial_start First serial of the range.
    @param serial_end Last serial of the range (inclusive), below 2**256 - 1.
    @param token_uri Token URI of the batch; empty means base URI followed by the id.
    @return uint256 The new batch id.
    """
    bridged_child._check_native()
    access_control._check_role(ISSUER_ROLE, msg.sender)
    pausable._require_not_paused()
    registry: String[32] = self.registry_name[registry_id]
    assert len(registry) != 0, "ccr: unknown registry"
    assert len(project_id) != 0, "ccr: empty project id"
    assert serial_start <= serial_end and serial_end != max_value(uint256), "ccr: invalid serial range"
    if self.compliance_enabled:
        assert self.allowed[to], "ccr: receiver not allowed"

    assert serial_start >= self._next_serial[registry_id], "ccr: serial range overlaps"
    self._next_serial[registry_id] = unsafe_add(serial_end, 1)

    batch_id: uint256 = self.batch_count + 1
    self.batch_count = batch_id
    self._batches[batch_id] = Batch(
        registry_id=registry_id,
        project_id=project_id,
        vintage=vintage,
        methodology=methodology,
        serial_start=serial_start,
        serial_end=serial_end,
    )
    amount: uint256 = unsafe_add(unsafe_sub(serial_end, serial_start), 1)
    log BatchTokenized(
        batch_id=batch_id,
        to=to,
        issuer=msg.sender,
        registry=registry,
        project_id=project_id,
        vintage=vintage,
        methodology=methodology,
        serial_start=serial_start,
        serial_end=serial_end,
        amount=amount,
        registry_id=registry_id,
    )
    if len(token_uri) != 0:
        erc1155._set_uri(batch_id, token_uri)
    erc1155._safe_mint(to, batch_id, amount, b"")
    return batch_id


@external
@view
def batch(batch_id: uint256) -> Batch:
    """
    @notice Metadata of batch `batch_id`.
    @param batch_id The batch id; reverts if it is unknown here (on a child copy: until
           its first deposit).
    @return Batch Registry id, project id, vintage, methodology and serial range.
    """
    b: Batch = self._batches[batch_id]
    assert b.registry_id != 0, "ccr: unknown batch"
    return b


@external
@view
def batch_amount(batch_id: uint256) -> uint256:
    """
    @notice Units minted by tokenizing batch `batch_id` on the root chain (0 if unknown here).
    @param batch_id The batch id.
    @return uint256 serial_end - serial_start + 1, or 0.
    """
    b: Batch = self._batches[batch_id]
    if b.registry_id == 0:
        return 0
    return b.serial_end - b.serial_start + 1


@external
@view
def next_serial(registry_id: uint256) -> uint256:
    """
    @notice The lowest serial of registry `registry_id` that may still be tokenized.
    @param registry_id The registry id.
    @return uint256 One past the highest serial tokenized so far, 0 if none.
    """
    return self._next_serial[registry_id]


@external
@view
def bridge_metadata(id: uint256) -> Bytes[METADATA_SIZE]:
    """
    @notice The metadata the bridge carries with units of batch `id` to another chain.
    @dev abi_encode(registry name, Batch); a child copy creates the batch from it on the
         first deposit. Reverts for an unknown batch, so such units cannot be sent.
    @param id The batch id.
    @return Bytes The encoded metadata.
    """
    b: Batch = self._batches[id]
    assert b.registry_id != 0, "ccr: unknown batch"
    return abi_encode(self.registry_name[b.registry_id], b)


@external
def add_registry(name: String[32]) -> uint256:
    """
    @notice Add a carbon registry issuers may tokenize against; needs DEFAULT_ADMIN_ROLE.
    @dev Root chain only. Each name is added once; choose one canonical spelling.
    @param name The registry's name, e.g. "Verra"; not empty.
    @return uint256 The new registry id.
    """
    bridged_child._check_native()
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert len(name) != 0, "ccr: empty registry"
    key: bytes32 = keccak256(name)
    assert self._registry_by_name[key] == 0, "ccr: registry exists"
    registry_id: uint256 = self._registry_count + 1
    self._registry_count = registry_id
    self._registry_by_name[key] = registry_id
    self.registry_name[registry_id] = name
    log RegistryAdded(registry_id=registry_id, name=name)
    return registry_id


@external
def retire(id: uint256, amount: uint256, beneficiary: address, message: String[256]) -> uint256:
    """
    @notice Retire `amount` units of `id` from the caller's balance for `beneficiary` and
            issue a soulbound ECR certificate to `beneficiary`.
    @dev Blocked by pause. The units are burned (TransferSingle to the zero address) and
         added to `retired(id, caller)` forever. The certificate's content hash is
         keccak256(abi_encode(chain.id, self, id, amount, beneficiary, message, caller, index))
         where `index` is the retirement's sequence number (`retirement_count` before it).
    @param id The batch id.
    @param amount Units (tCO2e) to retire; not zero.
    @param beneficiary Who the retirement is for; receives the certificate.
    @param message Free text recorded in the events.
    @return uint256 The ECR certificate id.
    """
    pausable._require_not_paused()
    assert amount != 0, "ccr: zero amount"
    assert beneficiary != empty(address), "ccr: beneficiary is the zero address"

    self._burn_from(msg.sender, id, amount)
    self.retired[id][msg.sender] += amount
    self.retired_total[id] += amount
    index: uint256 = self.retirement_count
    self.retirement_count = unsafe_add(index, 1)

    content_hash: bytes32 = keccak256(
        abi_encode(chain.id, self, id, amount, beneficiary, message, msg.sender, index)
    )
    certificate_id: uint256 = extcall ECR.mint_certificate(
        beneficiary, id, amount, content_hash, message, True
    )
    log Retired(
        account=msg.sender,
        beneficiary=beneficiary,
        id=id,
        amount=amount,
        certificate_id=certificate_id,
        message=message,
    )
    return certificate_id


@external
def invalidate(id: uint256, holder: address, amount: uint256, reason: String[256]):
    """
    @notice Move `amount` faulty units of `id` held by `holder` into its invalidated balance.
    @dev Needs VERIFIER_ROLE; not blocked by pause. The units are burned (TransferSingle to
         the zero address) and added to `invalidated(id, holder)`. Units held by the bridge
         back units on another chain and cannot be invalidated here.
    @param id The batch id.
    @param holder The account whose transferable units are invalidated.
    @param amount Units to invalidate; not zero.
    @param reason Why, as given by the registry.
    """
    access_control._check_role(VERIFIER_ROLE, msg.sender)
    assert amount != 0, "ccr: zero amount"
    assert not bridged_child._is_bridge(holder), "ccr: units locked in the bridge"
    self._burn_from(holder, id, amount)
    self.invalidated[id][holder] += amount
    self.invalidated_total[id] += amount
    log Invalidated(verifier=msg.sender, holder=holder, id=id, amount=amount, reason=reason)


@external
def set_compliance(enabled: bool):
    """
    @notice Switch the transfer allowlist on or off; caller needs DEFAULT_ADMIN_ROLE.
    @param enabled True to require allowlisted senders and receivers.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self.compliance_enabled = enabled
    log ComplianceSet(enabled=enabled)


@external
def set_allowed(account: address, allowed_: bool):
    """
    @notice Add `account` to, or remove it from, the compliance allowlist; caller needs VERIFIER_ROLE.
    @param account The account.
    @param allowed_ True to allow.
    """
    access_control._check_role(VERIFIER_ROLE, msg.sender)
    self.allowed[account] = allowed_
    log AllowedSet(account=account, allowed=allowed_)


@external
def deposit(user: address, depositData: Bytes[_DEPOSIT_DATA_SIZE]):
    """
    @notice Polygon PoS bridge: mint the deposited units to `user`; caller needs
            DEPOSITOR_ROLE, child copy only.
    @dev Not blocked by pause or compliance. `depositData` is
         abi_encode(ids: uint256[], amounts: uint256[], data: bytes). A non-empty `data` is
         the root chain's `bridge_metadata` of the single id deposited: it creates that
         batch here on its first deposit. Every id must be a known batch afterwards.
    @param user The receiver on this chain.
    @param depositData The encoded ids, amounts and batch metadata.
    """
    bridged_child._check_deposit()
    ids: DynArray[uint256, _BATCH_SIZE] = []
    amounts: DynArray[uint256, _BATCH_SIZE] = []
    data: Bytes[1_024] = b""
    ids, amounts, data = abi_decode(
        depositData, (DynArray[uint256, _BATCH_SIZE], DynArray[uint256, _BATCH_SIZE], Bytes[1_024])
    )
    assert len(ids) == len(amounts), "ccr: ids and amounts length mismatch"
    if len(data) != 0:
        assert len(ids) == 1, "ccr: metadata for one id only"
        self._import_batch(ids[0], data)
    idx: uint256 = 0
    for id: uint256 in ids:
        assert self._batches[id].registry_id != 0, "ccr: unknown batch"
        self.deposited[id] += amounts[idx]
        idx = unsafe_add(idx, 1)
    erc1155._safe_mint_batch(user, ids, amounts, b"")


@external
def withdrawSingle(id: uint256, amount: uint256):
    """
    @notice Polygon PoS bridge: burn `amount` units of `id` from the caller to release them
            on the root chain.
    @dev Child copy only; blocked by pause.
    @param id The batch id.
    @param amount Units to withdraw.
    """
    bridged_child._check_withdraw()
    pausable._require_not_paused()
    self._burn_from(msg.sender, id, amount)
    self.withdrawn[id] += amount


@external
def withdrawBatch(ids: DynArray[uint256, _BATCH_SIZE], amounts: DynArray[uint256, _BATCH_SIZE]):
    """
    @notice Polygon PoS bridge: batched `withdrawSingle`.
    @dev Child copy only; blocked by pause; `ids` and `amounts` must have the same length.
    @param ids The batch ids.
    @param amounts Units per id.
    """
    bridged_child._check_withdraw()
    pausable._require_not_paused()
    assert len(ids) == len(amounts), "ccr: ids and amounts length mismatch"
    idx: uint256 = 0
    for id: uint256 in ids:
        amount: uint256 = amounts[idx]
        assert erc1155.balanceOf[msg.sender][id] >= amount, "ccr: amount exceeds balance"
        self.withdrawn[id] += amount
        idx = unsafe_add(idx, 1)
    erc1155._burn_batch(msg.sender, ids, amounts)


@internal
def _check_transfer(owner: address, to: address):
    """
    @dev Pause, approval and compliance checks shared by both transfer functions.
    """
    pausable._require_not_paused()
    assert (
        owner == msg.sender or erc1155.isApprovedForAll[owner][msg.sender]
    ), "ccr: caller is not token owner or approved"
    if self.compliance_enabled:
        assert self.allowed[owner], "ccr: sender not allowed"
        assert self.allowed[to], "ccr: receiver not allowed"


@internal
def _burn_from(holder: address, id: uint256, amount: uint256):
    """
    @dev Burn `amount` transferable units of `id` from `holder`, with a balance check that
         names this contract (the module checks total supply first).
    """
    assert erc1155.balanceOf[holder][id] >= amount, "ccr: amount exceeds balance"
    erc1155._burn(holder, id, amount)


@internal
def _import_batch(id: uint256, data: Bytes[1_024]):
    """
    @dev Creates batch `id` from the root chain's metadata on its first deposit here; later
         deposits of a known batch leave it as it is (the root's metadata never changes).
    """
    if self._batches[id].registry_id != 0:
        return
    registry: String[32] = ""
    b: Batch = empty(Batch)
    registry, b = abi_decode(data, (String[32], Batch))
    assert b.registry_id != 0, "ccr: metadata without registry"
    self._batches[id] = b
    self.registry_name[b.registry_id] = registry
    log BatchBridged(
        batch_id=id,
        registry_id=b.registry_id,
        registry=registry,
        project_id=b.project_id,
        vintage=b.vintage,
        methodology=b.methodology,
        serial_start=b.serial_start,
        serial_end=b.serial_end,
    )
