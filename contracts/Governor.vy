# pragma version ~=0.4.3
"""
@title ESG Governor
@license GNU Affero General Public License v3.0 only
@notice On-chain governance of the ecosystem. Voting weight of an account at
        a proposal's snapshot block is its GST delegated votes plus its GST
        staked in EcoStake (EST). Passed proposals are queued on, and executed
        through, the Timelock, which holds the admin role of the other contracts.
@dev Lifecycle (block-number clock): propose -> Pending for `voting_delay`
     blocks -> Active for `voting_period` blocks -> Succeeded when
     for + abstain >= quorum and for > against, else Defeated -> queue
     (schedules the batch on the Timelock with its minimum delay) -> execute
     after the delay. The proposer can cancel while Pending.
     Quorum = GST.getPastTotalSupply(snapshot) * quorum_bp / 10000.
     The Governor needs PROPOSER_ROLE and EXECUTOR_ROLE on the Timelock.
     A proposal id hashes the proposer with the calls and the description, so
     nobody can take another account's id by proposing the same calls first
     (and then cancel it). The Timelock salt is the proposal id.
"""

# @dev ERC-5805 vote reads of GST and EST.
interface IVotes:
    def getPastVotes(account: address, timepoint: uint256) -> uint256: view
    def getPastTotalSupply(timepoint: uint256) -> uint256: view


# @dev The parts of snekmate's timelock_controller the Governor calls.
interface ITimelock:
    def get_minimum_delay() -> uint256: view
    def schedule_batch(
        targets: DynArray[address, MAX_ACTIONS],
        amounts: DynArray[uint256, MAX_ACTIONS],
        payloads: DynArray[Bytes[MAX_CALLDATA], MAX_ACTIONS],
        predecessor: bytes32,
        salt: bytes32,
        delay: uint256,
    ): nonpayable
    def execute_batch(
        targets: DynArray[address, MAX_ACTIONS],
        amounts: DynArray[uint256, MAX_ACTIONS],
        payloads: DynArray[Bytes[MAX_CALLDATA], MAX_ACTIONS],
        predecessor: bytes32,
        salt: bytes32,
    ): payable


# @dev Most calls one proposal may carry.
MAX_ACTIONS: constant(uint256) = 8
# @dev Longest calldata of one call (the Timelock's own bound).
MAX_CALLDATA: constant(uint256) = 1_024
# @dev Longest proposal description.
MAX_DESCRIPTION: constant(uint256) = 1_024
# @dev Basis-point denominator.
_BPS: constant(uint256) = 10_000

# @dev Proposal states (numbered as in OpenZeppelin's IGovernor; 6, Expired, is unused).
STATE_PENDING: public(constant(uint8)) = 0
STATE_ACTIVE: public(constant(uint8)) = 1
STATE_CANCELED: public(constant(uint8)) = 2
STATE_DEFEATED: public(constant(uint8)) = 3
STATE_SUCCEEDED: public(constant(uint8)) = 4
STATE_QUEUED: public(constant(uint8)) = 5
STATE_EXECUTED: public(constant(uint8)) = 7

# @dev Vote types.
VOTE_AGAINST: public(constant(uint8)) = 0
VOTE_FOR: public(constant(uint8)) = 1
VOTE_ABSTAIN: public(constant(uint8)) = 2


# @dev The GST token (delegated votes and total supply for quorum).
GST: public(immutable(IVotes))
# @dev The EcoStake vault (staked votes).
EST: public(immutable(IVotes))
# @dev The Timelock that executes passed proposals.
TIMELOCK: public(immutable(ITimelock))


# @dev A proposal's bookkeeping.
struct Proposal:
    proposer: address
    vote_start: uint256
    vote_end: uint256
    against_votes: uint256
    for_votes: uint256
    abstain_votes: uint256
    eta: uint256
    canceled: bool
    executed: bool


# @dev Blocks between proposing and the snapshot / start of voting.
voting_delay: public(uint256)
# @dev Blocks voting stays open.
voting_period: public(uint256)
# @dev Weight an account needs (at the previous block) to propose.
proposal_threshold: public(uint256)
# @dev Quorum as basis points of GST total supply at the snapshot.
quorum_bp: public(uint256)
# @dev Proposal id => proposal.
proposals: public(HashMap[uint256, Proposal])
# @dev Proposal id => account => whether it has voted.
hasVoted: public(HashMap[uint256, HashMap[address, bool]])


# @dev Emitted when a proposal is created.
event ProposalCreated:
    proposal_id: indexed(uint256)
    proposer: indexed(address)
    targets: DynArray[address, MAX_ACTIONS]
    values: DynArray[uint256, MAX_ACTIONS]
    calldatas: DynArray[Bytes[MAX_CALLDATA], MAX_ACTIONS]
    vote_start: uint256
    vote_end: uint256
    description: String[MAX_DESCRIPTION]


# @dev Emitted when a vote is cast.
event VoteCast:
    voter: indexed(address)
    proposal_id: indexed(uint256)
    support: uint8
    weight: uint256


# @dev Emitted when a proposal is scheduled on the Timelock.
event ProposalQueued:
    proposal_id: indexed(uint256)
    eta: uint256


# @dev Emitted when a proposal is executed.
event ProposalExecuted:
    proposal_id: indexed(uint256)


# @dev Emitted when a proposal is canceled.
event ProposalCanceled:
    proposal_id: indexed(uint256)


# @dev Emitted when the voting parameters change.
event ParamsSet:
    voting_delay: uint256
    voting_period: uint256
    proposal_threshold: uint256
    quorum_bp: uint256


@deploy
def __init__(
    gst_: IVotes,
    est_: IVotes,
    timelock_: ITimelock,
    voting_delay_: uint256,
    voting_period_: uint256,
    proposal_threshold_: uint256,
    quorum_bp_: uint256,
):
    """
    @notice Deploys the Governor.
    @param gst_ The GST token.
    @param est_ The EcoStake vault.
    @param timelock_ The Timelock (grant the Governor PROPOSER_ROLE and EXECUTOR_ROLE there).
    @param voting_delay_ Blocks from proposal to snapshot.
    @param voting_period_ Blocks voting stays open, non-zero.
    @param proposal_threshold_ Weight needed to propose.
    @param quorum_bp_ Quorum in basis points of GST total supply, at most 10000.
    """
    assert gst_.address != empty(address), "governor: zero gst"
    assert est_.address != empty(address), "governor: zero est"
    assert timelock_.address != empty(address), "governor: zero timelock"
    GST = gst_
    EST = est_
    TIMELOCK = timelock_
    self._set_params(voting_delay_, voting_period_, proposal_threshold_, quorum_bp_)


@external
def propose(
    targets: DynArray[address, MAX_ACTIONS],
    values: DynArray[uint256, MAX_ACTIONS],
    calldatas: DynArray[Bytes[MAX_CALLDATA], MAX_ACTIONS],
    description: String[MAX_DESCRIPTION],
) -> uint256:
    """
    @notice Creates a proposal to make the calls `targets[i]` with `values[i]`
            wei and `calldatas[i]` through the Timelock.
    @dev The caller's weight at the previous block must reach the proposal threshold.
    @param targets The contracts to call (1 to 8).
    @param values The wei sent with each call.
    @param calldatas The ABI-encoded calls.
    @param description Human-readable description (its hash is part of the id).
    @return uint256 The proposal id (it depends on the caller, see `hashProposal`).
    """
    assert len(targets) != 0, "governor: empty proposal"
    assert len(targets) == len(values) and len(targets) == len(calldatas), "governor: length mismatch"
    threshold: uint256 = self.proposal_threshold
    if threshold != 0:
        assert self._weight(msg.sender, block.number - 1) >= threshold, "governor: proposer votes below threshold"
    proposal_id: uint256 = self._hash_proposal(targets, values, calldatas, keccak256(description), msg.sender)
    assert self.proposals[proposal_id].vote_start == 0, "governor: proposal exists"
    vote_start: uint256 = block.number + self.voting_delay
    vote_end: uint256 = vote_start + self.voting_period
    self.proposals[proposal_id] = Proposal(
        proposer=msg.sender,
        vote_start=vote_start,
        vote_end=vote_end,
        against_votes=0,
        for_votes=0,
        abstain_votes=0,
        eta=0,
        canceled=False,
        executed=False,
    )
    log ProposalCreated(
        proposal_id=proposal_id,
        proposer=msg.sender,
        targets=targets,
        values=values,
        calldatas=calldatas,
        vote_start=vote_start,
        vote_end=vote_end,
        description=description,
    )
    return proposal_id


@external
def castVote(proposal_id: uint256, support: uint8) -> uint256:
    """
    @notice Casts the caller's vote on an active proposal.
    @param proposal_id The proposal.
    @param support 0 against, 1 for, 2 abstain.
    @return uint256 The weight counted (GST + EST votes at the snapshot).
    """
    assert self._state(proposal_id) == STATE_ACTIVE, "governor: vote not active"
    assert support <= VOTE_ABSTAIN, "governor: invalid vote type"
    assert not self.hasVoted[proposal_id][msg.sender], "governor: already voted"
    self.hasVoted[proposal_id][msg.sender] = True
    weight: uint256 = self._weight(msg.sender, self.proposals[proposal_id].vote_start)
    if support == VOTE_AGAINST:
        self.proposals[proposal_id].against_votes += weight
    elif support == VOTE_FOR:
        self.proposals[proposal_id].for_votes += weight
    else:
        self.proposals[proposal_id].abstain_votes += weight
    log VoteCast(voter=msg.sender, proposal_id=proposal_id, support=support, weight=weight)
    return weight


@external
def queue(
    targets: DynArray[address, MAX_ACTIONS],
    values: DynArray[uint256, MAX_ACTIONS],
    calldatas: DynArray[Bytes[MAX_CALLDATA], MAX_ACTIONS],
    description_hash: bytes32,
    proposer: address,
) -> uint256:
    """
    @notice Schedules a succeeded proposal on the Timelock with its minimum delay.
    @dev Anyone may call. The Timelock salt is the proposal id.
    @param targets The proposal's targets.
    @param values The proposal's values.
    @param calldatas The proposal's calldatas.
    @param description_hash keccak256 of the proposal's description.
    @param proposer The account that proposed it.
    @return uint256 The proposal id.
    """
    proposal_id: uint256 = self._hash_proposal(targets, values, calldatas, description_hash, proposer)
    assert self._state(proposal_id) == STATE_SUCCEEDED, "governor: proposal not successful"
    delay: uint256 = staticcall TIMELOCK.get_minimum_delay()
    eta: uint256 = block.timestamp + delay
    self.proposals[proposal_id].eta = eta
    extcall TIMELOCK.schedule_batch(
        targets, values, calldatas, empty(bytes32), convert(proposal_id, bytes32), delay
    )
    log ProposalQueued(proposal_id=proposal_id, eta=eta)
    return proposal_id


@external
@payable
def execute(
    targets: DynArray[address, MAX_ACTIONS],
    values: DynArray[uint256, MAX_ACTIONS],
    calldatas: DynArray[Bytes[MAX_CALLDATA], MAX_ACTIONS],
    description_hash: bytes32,
    proposer: address,
) -> uint256:
    """
    @notice Executes a queued proposal through the Timelock once its delay has passed.
    @dev Anyone may call; msg.value is forwarded to the Timelock.
    @param targets The proposal's targets.
    @param values The proposal's values.
    @param calldatas The proposal's calldatas.
    @param description_hash keccak256 of the proposal's description.
    @param proposer The account that proposed it.
    @return uint256 The proposal id.
    """
    proposal_id: uint256 = self._hash_proposal(targets, values, calldatas, description_hash, proposer)
    assert self._state(proposal_id) == STATE_QUEUED, "governor: proposal not queued"
    self.proposals[proposal_id].executed = True
    extcall TIMELOCK.execute_batch(
        targets, values, calldatas, empty(bytes32), convert(proposal_id, bytes32), value=msg.value
    )
    log ProposalExecuted(proposal_id=proposal_id)
    return proposal_id


@external
def cancel(proposal_id: uint256):
    """
    @notice Cancels a proposal before voting starts; only its proposer.
    @param proposal_id The proposal.
    """
    assert self._state(proposal_id) == STATE_PENDING, "governor: proposal not pending"
    assert self.proposals[proposal_id].proposer == msg.sender, "governor: caller is not the proposer"
    self.proposals[proposal_id].canceled = True
    log ProposalCanceled(proposal_id=proposal_id)


@external
def set_params(voting_delay_: uint256, voting_period_: uint256, proposal_threshold_: uint256, quorum_bp_: uint256):
    """
    @notice Changes the voting parameters; only the Timelock (i.e. by proposal).
    @dev Applies to proposals created afterwards (quorum_bp also to open ones).
    @param voting_delay_ Blocks from proposal to snapshot.
    @param voting_period_ Blocks voting stays open, non-zero.
    @param proposal_threshold_ Weight needed to propose.
    @param quorum_bp_ Quorum in basis points of GST total supply, at most 10000.
    """
    assert msg.sender == TIMELOCK.address, "governor: caller is not the timelock"
    self._set_params(voting_delay_, voting_period_, proposal_threshold_, quorum_bp_)


@external
@view
def state(proposal_id: uint256) -> uint8:
    """
    @notice The state of a proposal.
    @param proposal_id The proposal.
    @return uint8 0 Pending, 1 Active, 2 Canceled, 3 Defeated, 4 Succeeded, 5 Queued, 7 Executed.
    """
    return self._state(proposal_id)


@external
@pure
def hashProposal(
    targets: DynArray[address, MAX_ACTIONS],
    values: DynArray[uint256, MAX_ACTIONS],
    calldatas: DynArray[Bytes[MAX_CALLDATA], MAX_ACTIONS],
    description_hash: bytes32,
    proposer: address,
) -> uint256:
    """
    @notice The id a proposal with these calls and description hash gets when `proposer`
            proposes it.
    @param targets The targets.
    @param values The values.
    @param calldatas The calldatas.
    @param description_hash keccak256 of the description.
    @param proposer The proposing account.
    @return uint256 The proposal id.
    """
    return self._hash_proposal(targets, values, calldatas, description_hash, proposer)


@external
@view
def getVotes(account: address, timepoint: uint256) -> uint256:
    """
    @notice Voting weight of `account` at past block `timepoint`.
    @param account The account.
    @param timepoint A past block number.
    @return uint256 GST delegated votes plus EST staked votes.
    """
    return self._weight(account, timepoint)


@external
@view
def quorum(timepoint: uint256) -> uint256:
    """
    @notice Votes (for + abstain) a proposal snapshotted at `timepoint` needs.
    @param timepoint A past block number.
    @return uint256 The quorum.
    """
    return self._quorum(timepoint)


@external
@view
def proposalSnapshot(proposal_id: uint256) -> uint256:
    """
    @notice The snapshot block of a proposal (voting opens after it).
    @param proposal_id The proposal.
    @return uint256 The block number (0 for an unknown proposal).
    """
    return self.proposals[proposal_id].vote_start


@external
@view
def proposalDeadline(proposal_id: uint256) -> uint256:
    """
    @notice The last block in which a proposal can be voted on.
    @param proposal_id The proposal.
    @return uint256 The block number (0 for an unknown proposal).
    """
    return self.proposals[proposal_id].vote_end


@external
@view
def proposalVotes(proposal_id: uint256) -> (uint256, uint256, uint256):
    """
    @notice Vote totals of a proposal.
    @param proposal_id The proposal.
    @return uint256 Against votes.
    @return uint256 For votes.
    @return uint256 Abstain votes.
    """
    p: Proposal = self.proposals[proposal_id]
    return p.against_votes, p.for_votes, p.abstain_votes


@internal
@view
def _state(proposal_id: uint256) -> uint8:
    """
    @dev Derives the state of a proposal from its record and the current block.
    @param proposal_id The proposal.
    @return uint8 The state.
    """
    p: Proposal = self.proposals[proposal_id]
    assert p.vote_start != 0, "governor: unknown proposal"
    if p.executed:
        return STATE_EXECUTED
    if p.canceled:
        return STATE_CANCELED
    if block.number <= p.vote_start:
        return STATE_PENDING
    if block.number <= p.vote_end:
        return STATE_ACTIVE
    if p.for_votes + p.abstain_votes < self._quorum(p.vote_start) or p.for_votes <= p.against_votes:
        return STATE_DEFEATED
    if p.eta == 0:
        return STATE_SUCCEEDED
    return STATE_QUEUED


@internal
@view
def _weight(account: address, timepoint: uint256) -> uint256:
    """
    @dev GST delegated votes plus EST staked votes at `timepoint`.
    @param account The account.
    @param timepoint A past block number.
    @return uint256 The weight.
    """
    return staticcall GST.getPastVotes(account, timepoint) + staticcall EST.getPastVotes(account, timepoint)


@internal
@view
def _quorum(timepoint: uint256) -> uint256:
    """
    @dev quorum_bp of the GST total supply at `timepoint`.
    @param timepoint A past block number.
    @return uint256 The quorum.
    """
    return staticcall GST.getPastTotalSupply(timepoint) * self.quorum_bp // _BPS


@internal
@pure
def _hash_proposal(
    targets: DynArray[address, MAX_ACTIONS],
    values: DynArray[uint256, MAX_ACTIONS],
    calldatas: DynArray[Bytes[MAX_CALLDATA], MAX_ACTIONS],
    description_hash: bytes32,
    proposer: address,
) -> uint256:
    """
    @dev keccak256 of the ABI-encoded calls, description hash and proposer, as a number.
    @param targets The targets.
    @param values The values.
    @param calldatas The calldatas.
    @param description_hash keccak256 of the description.
    @param proposer The proposing account.
    @return uint256 The proposal id.
    """
    return convert(
        keccak256(abi_encode(targets, values, calldatas, description_hash, proposer)), uint256
    )


@internal
def _set_params(voting_delay_: uint256, voting_period_: uint256, proposal_threshold_: uint256, quorum_bp_: uint256):
    """
    @dev Validates and stores the voting parameters.
    @param voting_delay_ Blocks from proposal to snapshot.
    @param voting_period_ Blocks voting stays open.
    @param proposal_threshold_ Weight needed to propose.
    @param quorum_bp_ Quorum in basis points.
    """
    assert voting_period_ != 0, "governor: zero voting period"
    assert quorum_bp_ <= _BPS, "governor: quorum above 10000"
    self.voting_delay = voting_delay_
    self.voting_period = voting_period_
    self.proposal_threshold = proposal_threshold_
    self.quorum_bp = quorum_bp_
    log ParamsSet(
        voting_delay=voting_delay_,
        voting_period=voting_period_,
        proposal_threshold=proposal_threshold_,
        quorum_bp=quorum_bp_,
    )
