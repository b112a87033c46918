# pragma version ~=0.4.3
"""
@title Test-only emitter of standard token events
@license GNU Affero General Public License v3.0 only
@notice Emits ERC-20 and ERC-1155 transfer events, role and pause events in bulk with
        deterministic contents, so indexer tests and benchmarks can create many events cheaply.
        It also keeps a minimal real ledger (`mint`, `transfer`, `burn` and their ERC-1155
        counterparts) whose `balanceOf`/`totalSupply` views let tests compare indexed state
        with the chain. Never deploy it outside tests.
"""

# @dev Upper bound of events per bulk call (one call stays under 40M gas).
MAX_BULK: constant(uint256) = 10000
# @dev Upper bound of ids in one TransferBatch.
MAX_IDS: constant(uint256) = 8
# @dev Number of distinct holder addresses used by bulk emission.
POOL: constant(uint256) = 512

# @dev ERC-20 balances of the real ledger.
balanceOf: public(HashMap[address, uint256])
# @dev ERC-20 total supply of the real ledger.
totalSupply: public(uint256)
# @dev ERC-1155 balances of the real ledger: owner => id => amount.
balances1155: HashMap[address, HashMap[uint256, uint256]]
# @dev ERC-1155 supply per id of the real ledger.
supply1155: HashMap[uint256, uint256]


# @dev ERC-20 transfer (mint from and burn to the zero address).
event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256


# @dev ERC-1155 single transfer.
event TransferSingle:
    _operator: indexed(address)
    _from: indexed(address)
    _to: indexed(address)
    _id: uint256
    _value: uint256


# @dev ERC-1155 batch transfer.
event TransferBatch:
    _operator: indexed(address)
    _from: indexed(address)
    _to: indexed(address)
    _ids: DynArray[uint256, MAX_IDS]
    _values: DynArray[uint256, MAX_IDS]


# @dev Access-control grant (snekmate layout).
event RoleGranted:
    role: indexed(bytes32)
    account: indexed(address)
    sender: indexed(address)


# @dev Access-control revocation (snekmate layout).
event RoleRevoked:
    role: indexed(bytes32)
    account: indexed(address)
    sender: indexed(address)


# @dev Pause switched on (snekmate layout).
event Paused:
    account: address


# @dev Pause switched off (snekmate layout).
event Unpaused:
    account: address


@external
def emit_transfers(n: uint256, seed: uint256):
    """
    @notice Emit `n` ERC-20 Transfer events drawn deterministically from `seed`.
    @dev About one in eight is a mint and one in eight a burn.
    @param n Number of events (at most MAX_BULK).
    @param seed Seed of the deterministic contents.
    """
    for i: uint256 in range(n, bound=MAX_BULK):
        x: uint256 = convert(keccak256(abi_encode(seed, i)), uint256)
        log Transfer(
            sender=self._holder(x, 0), receiver=self._holder(x, 1), value=(x >> 128) % 1000000
        )


@external
def emit_singles(n: uint256, seed: uint256):
    """
    @notice Emit `n` ERC-1155 TransferSingle events drawn deterministically from `seed`.
    @param n Number of events (at most MAX_BULK).
    @param seed Seed of the deterministic contents.
    """
    for i: uint256 in range(n, bound=MAX_BULK):
        x: uint256 = convert(keccak256(abi_encode(seed, i)), uint256)
        log TransferSingle(
            _operator=msg.sender,
            _from=self._holder(x, 0),
            _to=self._holder(x, 1),
            _id=(x >> 100) % 16,
            _value=(x >> 128) % 1000000,
        )


@external
def emit_batches(n: uint256, seed: uint256, width: uint256):
    """
    @notice Emit `n` ERC-1155 TransferBatch events of `width` ids each, drawn from `seed`.
    @param n Number of events (at most MAX_BULK).
    @param seed Seed of the deterministic contents.
    @param width Ids per event (at most MAX_IDS).
    """
    for i: uint256 in range(n, bound=MAX_BULK):
        x: uint256 = convert(keccak256(abi_encode(seed, i)), uint256)
        ids: DynArray[uint256, MAX_IDS] = []
        values: DynArray[uint256, MAX_IDS] = []
        for j: uint256 in range(width, bound=MAX_IDS):
            ids.append(((x >> 100) + j) % 16)
            values.append(((x >> 128) + j) % 1000000)
        log TransferBatch(
            _operator=msg.sender,
            _from=self._holder(x, 0),
            _to=self._holder(x, 1),
            _ids=ids,
            _values=values,
        )


@external
def emit_role(role: bytes32, account: address, granted: bool):
    """
    @notice Emit RoleGranted or RoleRevoked for `account`.
    @param role The role id.
    @param account The account.
    @param granted True for RoleGranted, False for RoleRevoked.
    """
    if granted:
        log RoleGranted(role=role, account=account, sender=msg.sender)
    else:
        log RoleRevoked(role=role, account=account, sender=msg.sender)


@external
def emit_pause(paused: bool):
    """
    @notice Emit Paused or Unpaused.
    @param paused True for Paused, False for Unpaused.
    """
    if paused:
        log Paused(account=msg.sender)
    else:
        log Unpaused(account=msg.sender)


@external
def mint(to: address, amount: uint256):
    """
    @notice Mint ERC-20 units of the real ledger.
    @param to Receiver.
    @param amount Amount.
    """
    self.balanceOf[to] += amount
    self.totalSupply += amount
    log Transfer(sender=empty(address), receiver=to, value=amount)


@external
def transfer(to: address, amount: uint256) -> bool:
    """
    @notice Move ERC-20 units of the real ledger.
    @param to Receiver.
    @param amount Amount.
    @return Always True.
    """
    self.balanceOf[msg.sender] -= amount
    self.balanceOf[to] += amount
    log Transfer(sender=msg.sender, receiver=to, value=amount)
    return True


@external
def burn(amount: uint256):
    """
    @notice Burn the caller's ERC-20 units of the real ledger.
    @param amount Amount.
    """
    self.balanceOf[msg.sender] -= amount
    self.totalSupply -= amount
    log Transfer(sender=msg.sender, receiver=empty(address), value=amount)


@external
def mint1155(to: address, id: uint256, amount: uint256):
    """
    @notice Mint ERC-1155 units of the real ledger.
    @param to Receiver.
    @param id Token id.
    @param amount Amount.
    """
    self.balances1155[to][id] += amount
    self.supply1155[id] += amount
    log TransferSingle(_operator=msg.sender, _from=empty(address), _to=to, _id=id, _value=amount)


@external
def transfer1155_batch(
    to: address, ids: DynArray[uint256, MAX_IDS], amounts: DynArray[uint256, MAX_IDS]
):
    """
    @notice Move ERC-1155 units of the real ledger; `to` the zero address burns.
    @param to Receiver (zero address burns).
    @param ids Token ids.
    @param amounts Amounts, one per id.
    """
    assert len(ids) == len(amounts), "emitter: length mismatch"
    for k: uint256 in range(len(ids), bound=MAX_IDS):
        self.balances1155[msg.sender][ids[k]] -= amounts[k]
        if to == empty(address):
            self.supply1155[ids[k]] -= amounts[k]
        else:
            self.balances1155[to][ids[k]] += amounts[k]
    log TransferBatch(_operator=msg.sender, _from=msg.sender, _to=to, _ids=ids, _values=amounts)


@external
@view
def balanceOf1155(owner: address, id: uint256) -> uint256:
    """
    @notice ERC-1155 balance of the real ledger.
    @param owner Holder.
    @param id Token id.
    @return The balance.
    """
    return self.balances1155[owner][id]


@external
@view
def totalSupply1155(id: uint256) -> uint256:
    """
    @notice ERC-1155 supply of one id in the real ledger.
    @param id Token id.
    @return The supply.
    """
    return self.supply1155[id]


@internal
@pure
def _holder(x: uint256, side: uint256) -> address:
    # One in eight draws is the zero address (a mint on side 0, a burn on side 1).
    bits: uint256 = (x >> (side * 32)) % 4294967296
    if bits % 8 == 0:
        return empty(address)
    return convert(convert(4096 + bits % POOL, uint160), address)
