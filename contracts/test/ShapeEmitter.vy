# pragma version ~=0.4.3
"""
@title Test-only emitter of the ESG tokens' everyday events
@license GNU Affero General Public License v3.0 only
@notice Emits, with deterministic contents, the events a live ESG chain carries most: ERC-20
        and ERC-1155 transfers, CCR retirements, ECS score updates, EST stakes and Governor
        votes, under the tokens' own signatures. The indexer benchmark deploys one copy per
        token and registers each under that token's manifest name, so the token's projections
        index its events. Never deploy it outside tests.
"""

# @dev Upper bound of events per call.
MAX_EVENTS: constant(uint256) = 64
# @dev Number of distinct holder addresses.
POOL: constant(uint256) = 512
# @dev Number of distinct proposals voted on.
PROPOSALS: constant(uint256) = 16

# @dev What this copy emits: 0 ERC-20 transfers (ECT), 1 ERC-1155 transfers and retirements
#      (CCR), 2 score updates (ECS), 3 stakes (EST), 4 votes (Governor).
ROLE: public(immutable(uint256))
# @dev Stake positions opened so far (position ids are unique).
positions: public(uint256)


# @dev ERC-20 transfer.
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


# @dev CCR retirement (same signature as contracts/CCR.vy).
event Retired:
    account: indexed(address)
    beneficiary: indexed(address)
    id: indexed(uint256)
    amount: uint256
    certificate_id: uint256
    message: String[256]


# @dev ECS score change (same signature as contracts/ECS.vy).
event ScoreUpdated:
    account: indexed(address)
    old_score: uint256
    new_score: uint256
    environmental: uint256
    social: uint256
    governance: uint256
    methodology_version: uint16
    evidence_hash: bytes32


# @dev EST stake (same signature as contracts/EST.vy).
event Staked:
    owner: indexed(address)
    position_id: indexed(uint256)
    amount: uint256
    lock_days: uint256
    apr_bp: uint256
    unlock_at: uint256


# @dev Governor vote (same signature as contracts/Governor.vy).
event VoteCast:
    voter: indexed(address)
    proposal_id: indexed(uint256)
    support: uint8
    weight: uint256


@deploy
def __init__(role: uint256):
    """
    @param role What this copy emits (see ROLE).
    """
    assert role <= 4, "shape: unknown role"
    ROLE = role


@external
def emit_events(n: uint256, seed: uint256):
    """
    @notice Emit `n` events of this copy's role drawn deterministically from `seed`.
    @dev The CCR role emits one retirement per three transfers.
    @param n Number of events (at most MAX_EVENTS).
    @param seed Seed of the deterministic contents.
    """
    for i: uint256 in range(n, bound=MAX_EVENTS):
        x: uint256 = convert(keccak256(abi_encode(seed, i)), uint256)
        a: address = self._holder(x, 0)
        b: address = self._holder(x, 1)
        if ROLE == 0:
            log Transfer(sender=a, receiver=b, value=(x >> 128) % 1000000)
        elif ROLE == 1:
            if i % 4 == 3:
                log Retired(
                    account=a,
                    beneficiary=b,
                    id=(x >> 100) % 16,
                    amount=(x >> 128) % 1000,
                    certificate_id=(x >> 160) % 1000000,
                    message="retired for the benchmark",
                )
            else:
                log TransferSingle(
                    _operator=msg.sender,
                    _from=a,
                    _to=b,
                    _id=(x >> 100) % 16,
                    _value=(x >> 128) % 1000000,
                )
        elif ROLE == 2:
            log ScoreUpdated(
                account=a,
                old_score=(x >> 64) % 10001,
                new_score=(x >> 96) % 10001,
                environmental=(x >> 128) % 10001,
                social=(x >> 160) % 10001,
                governance=(x >> 192) % 10001,
                methodology_version=1,
                evidence_hash=convert(x, bytes32),
            )
        elif ROLE == 3:
            self.positions += 1
            log Staked(
                owner=a,
                position_id=self.positions,
                amount=(x >> 128) % 1000000,
                lock_days=30,
                apr_bp=500,
                unlock_at=block.timestamp + 30 * 86400,
            )
        else:
            log VoteCast(
                voter=a,
                proposal_id=1 + (x >> 100) % PROPOSALS,
                support=convert((x >> 128) % 3, uint8),
                weight=(x >> 160) % 1000000,
            )


@internal
@pure
def _holder(x: uint256, side: uint256) -> address:
    return convert(convert(4096 + ((x >> (side * 32)) % POOL), uint160), address)
