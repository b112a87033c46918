# pragma version ~=0.4.3
"""
@title EcoScore (ECS)
@license GNU Affero General Public License v3.0 only
@notice Non-transferable per-account ESG score registry (ERC-5192-style
        soulbound): an account's token id is uint256(account), locked forever
        once the account is first scored; no transfer function exists.
        Also holds oracle-attested ESG metrics that a verifier confirms.
"""

from interfaces import IECS
implements: IECS

from snekmate.auth import access_control
from snekmate.utils import pausable
from .modules import role_pausable

initializes: access_control
initializes: pausable
initializes: role_pausable[access_control := access_control, pausable := pausable]

exports: (
    access_control.hasRole,
    access_control.getRoleAdmin,
    access_control.grantRole,
    access_control.revokeRole,
    access_control.renounceRole,
    access_control.set_role_admin,
    access_control.DEFAULT_ADMIN_ROLE,
    pausable.paused,
    role_pausable.__interface__,
)


# @dev Role that sets scores and records metrics.
ORACLE_ROLE: public(constant(bytes32)) = keccak256("ORACLE_ROLE")
# @dev Role that verifies recorded metrics.
VERIFIER_ROLE: public(constant(bytes32)) = keccak256("VERIFIER_ROLE")
# @dev Upper bound of a score component and of the overall score (100.00%).
MAX_SCORE: public(constant(uint256)) = 10000
# @dev Mask of one 16-bit field of a packed score.
_MASK_16: constant(uint256) = 65535
# @dev Score-history entries one `seconds_at_or_above` call reads at most; older entries of
# a longer window count as not eligible (so a reader never credits time it cannot see).
_HISTORY_STEPS: constant(uint256) = 64
# @dev Binary-search iterations over a history; 2**64 entries can never exist.
_SEARCH_STEPS: constant(uint256) = 64
# @dev ERC-165 ids: ERC-165, IAccessControl, ERC-5192.
_SUPPORTED_INTERFACES: constant(bytes4[3]) = [0x01FFC9A7, 0x7965DB0B, 0xB45A3C0E]

# @dev Token name (wallet display).
name: public(constant(String[8])) = "EcoScore"
# @dev Token symbol (wallet display).
symbol: public(constant(String[3])) = "ECS"


# @dev One attested ESG metric (the seed's esg_metrics row).
struct Metric:
    account: address
    metric_type: bytes32
    value: int256
    unit: String[16]
    evidence_hash: bytes32
    recorded_at: uint256
    verified: bool
    verifier: address


# @dev Current score per account, packed in one slot (16 bits each from bit 0:
# overall, environmental, social, governance, methodology version; then 64 bits
# of updated_at). Zero means never scored: updated_at is always non-zero.
_packed_scores: HashMap[address, uint256]
# @dev Evidence hash of each account's current score.
_evidence: HashMap[address, bytes32]
# @dev Account => number of entries in its overall-score history.
score_history_length: public(HashMap[address, uint256])
# @dev Account => index => (timestamp << 16 | overall score): the score from that time on.
_score_history: HashMap[address, HashMap[uint256, uint256]]
# @dev Weight of the environmental component in basis points.
weight_environmental: public(uint256)
# @dev Weight of the social component in basis points.
weight_social: public(uint256)
# @dev Weight of the governance component in basis points.
weight_governance: public(uint256)
# @dev Metrics by id (ids start at 1).
metrics: public(HashMap[uint256, Metric])
# @dev Number of metrics recorded (also the last metric id).
metric_count: public(uint256)


# @dev ERC-5192: emitted when an account is first scored and its token becomes locked.
event Locked:
    tokenId: uint256


# @dev Emitted whenever an account's score is set.
event ScoreUpdated:
    account: indexed(address)
    old_score: uint256
    new_score: uint256
    environmental: uint256
    social: uint256
    governance: uint256
    methodology_version: uint16
    evidence_hash: bytes32


# @dev Emitted when the admin changes the component weights.
event WeightsUpdated:
    environmental_bp: uint256
    social_bp: uint256
    governance_bp: uint256


# @dev Emitted when the oracle records a metric (unverified).
event MetricRecorded:
    metric_id: indexed(uint256)
    account: indexed(address)
    metric_type: indexed(bytes32)
    value: int256
    unit: String[16]
    evidence_hash: bytes32


# @dev Emitted when a verifier confirms a metric.
event MetricVerified:
    metric_id: indexed(uint256)
    verifier: indexed(address)


@deploy
def __init__():
    """
    @notice Deploy the registry with weights 4000/3000/3000 bp; the deployer receives DEFAULT_ADMIN_ROLE.
    """
    access_control.__init__()
    pausable.__init__()
    self._set_weights(4000, 3000, 3000)


@external
@view
def supportsInterface(interface_id: bytes4) -> bool:
    """
    @notice ERC-165 support: ERC-165, IAccessControl and ERC-5192.
    @param interface_id The 4-byte interface id.
    @return bool Whether the interface is supported.
    """
    return interface_id in _SUPPORTED_INTERFACES


@external
def set_score(
    account: address,
    environmental: uint256,
    social: uint256,
    governance: uint256,
    methodology_version: uint16,
    evidence_hash: bytes32,
):
    """
    @notice Set `account`'s E/S/G components; the overall score is their weighted average.
    @dev Needs ORACLE_ROLE; blocked while paused. The first score locks the
         account's soulbound token (Locked event).
    @param account Scored account.
    @param environmental Environmental component, 0..10000 bp.
    @param social Social component, 0..10000 bp.
    @param governance Governance component, 0..10000 bp.
    @param methodology_version Version of the scoring methodology used.
    @param evidence_hash Hash of the off-chain evidence behind the score.
    """
    access_control._check_role(ORACLE_ROLE, msg.sender)
    pausable._require_not_paused()
    assert account != empty(address), "ecs: zero account"
    assert (
        environmental <= MAX_SCORE and social <= MAX_SCORE and governance <= MAX_SCORE
    ), "ecs: component out of range"
    overall: uint256 = (
        environmental * self.weight_environmental
        + social * self.weight_social
        + governance * self.weight_governance
    ) // 10000
    old_packed: uint256 = self._packed_scores[account]
    self._packed_scores[account] = (
        overall
        | (environmental << 16)
        | (social << 32)
        | (governance << 48)
        | (convert(methodology_version, uint256) << 64)
        | (block.timestamp << 80)
    )
    self._evidence[account] = evidence_hash
    self._record_history(account, overall)
    if old_packed == 0:
        log Locked(tokenId=convert(convert(account, uint160), uint256))
    old_score: uint256 = old_packed & _MASK_16
    log ScoreUpdated(
        account=account,
        old_score=old_score,
        new_score=overall,
        environmental=environmental,
        social=social,
        governance=governance,
        methodology_version=methodology_version,
        evidence_hash=evidence_hash,
    )


@external
def set_weights(e_bp: uint256, s_bp: uint256, g_bp: uint256):
    """
    @notice Set the component weights used for future scores; needs DEFAULT_ADMIN_ROLE.
    @dev Existing scores are not recomputed.
    @param e_bp Environmental weight in basis points.
    @param s_bp Social weight in basis points.
    @param g_bp Governance weight in basis points.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self._set_weights(e_bp, s_bp, g_bp)


@external
@view
def score_of(account: address) -> uint256:
    """
    @notice The account's current overall ESG score in basis points (0-10000; 0 if never scored).
    @param account Queried account.
    @return uint256 Overall score.
    """
    return self._packed_scores[account] & _MASK_16


@external
@view
def seconds_at_or_above(account: address, threshold: uint256, start: uint256, end: uint256) -> uint256:
    """
    @notice Seconds in [start, end) during which `account`'s overall score was at least
            `threshold`, from the score history (0 before the first score).
    @dev Reads at most 64 history entries inside the window, newest first; if the window
         holds more updates, its older part counts as below the threshold.
    @param account Queried account.
    @param threshold Score in basis points.
    @param start First second of the window (a timestamp).
    @param end End of the window (exclusive).
    @return uint256 Seconds at or above the threshold.
    """
    if end <= start:
        return 0
    if threshold == 0:
        return end - start
    # Entries [0, i) start before `end`: binary search for i.
    low: uint256 = 0
    high: uint256 = self.score_history_length[account]
    for _: uint256 in range(_SEARCH_STEPS):
        if low >= high:
            break
        mid: uint256 = unsafe_add(low, high) >> 1
        if self._score_history[account][mid] >> 16 < end:
            low = unsafe_add(mid, 1)
        else:
            high = mid
    i: uint256 = low
    total: uint256 = 0
    upper: uint256 = end
    for _: uint256 in range(_HISTORY_STEPS):
        if i == 0 or upper <= start:
            break
        i = unsafe_sub(i, 1)
        entry: uint256 = self._score_history[account][i]
        since: uint256 = max(entry >> 16, start)
        if entry & _MASK_16 >= threshold:
            total += upper - since
        upper = since
    return total


@external
@view
def score_details(account: address) -> (uint256, uint256, uint256, uint256, uint16, bytes32, uint256):
    """
    @notice Full score record of `account`.
    @param account Queried account.
    @return uint256 Overall score (bp).
    @return uint256 Environmental component (bp).
    @return uint256 Social component (bp).
    @return uint256 Governance component (bp).
    @return uint16 Methodology version.
    @return bytes32 Evidence hash.
    @return uint256 Timestamp of the last update (0 if never scored).
    """
    packed: uint256 = self._packed_scores[account]
    return (
        packed & _MASK_16,
        (packed >> 16) & _MASK_16,
        (packed >> 32) & _MASK_16,
        (packed >> 48) & _MASK_16,
        convert((packed >> 64) & _MASK_16, uint16),
        self._evidence[account],
        packed >> 80,
    )


@external
@view
def locked(token_id: uint256) -> bool:
    """
    @notice ERC-5192: every existing score token is locked.
    @dev Reverts for a token id that is not a scored account.
    @param token_id uint256(account).
    @return bool Always True for an existing token.
    """
    self._owner_of(token_id)
    return True


@external
@view
def ownerOf(token_id: uint256) -> address:
    """
    @notice Owner of a score token: the scored account itself.
    @dev Reverts for a token id that is not a scored account.
    @param token_id uint256(account).
    @return address The account.
    """
    return self._owner_of(token_id)


@external
@view
def balanceOf(owner: address) -> uint256:
    """
    @notice Number of score tokens held: 1 once scored, else 0.
    @param owner Queried account.
    @return uint256 0 or 1.
    """
    if self._packed_scores[owner] != 0:
        return 1
    return 0


@external
@view
def is_scored(account: address) -> bool:
    """
    @notice Whether `account` has ever been scored (its soulbound token exists).
    @param account Queried account.
    @return bool True once scored.
    """
    return self._packed_scores[account] != 0


@external
@view
def token_id_of(account: address) -> uint256:
    """
    @notice The score token id of `account`.
    @param account Queried account.
    @return uint256 uint256(uint160(account)).
    """
    return convert(convert(account, uint160), uint256)


@external
def record_metric(
    account: address, metric_type: bytes32, metric_value: int256, unit: String[16], evidence_hash: bytes32
) -> uint256:
    """
    @notice Record an attested ESG metric for `account` (unverified until a verifier confirms it).
    @dev Needs ORACLE_ROLE; blocked while paused.
    @param account Account the metric describes.
    @param metric_type Metric kind, e.g. keccak256("co2_emissions").
    @param metric_value Fixed-point value with 18 decimals (`value` is reserved in Vyper).
    @param unit Unit label, e.g. "tCO2e".
    @param evidence_hash Hash of the evidence behind the value.
    @return uint256 The new metric id.
    """
    access_control._check_role(ORACLE_ROLE, msg.sender)
    pausable._require_not_paused()
    assert account != empty(address), "ecs: zero account"
    metric_id: uint256 = self.metric_count + 1
    self.metric_count = metric_id
    self.metrics[metric_id] = Metric(
        account=account,
        metric_type=metric_type,
        value=metric_value,
        unit=unit,
        evidence_hash=evidence_hash,
        recorded_at=block.timestamp,
        verified=False,
        verifier=empty(address),
    )
    log MetricRecorded(
        metric_id=metric_id,
        account=account,
        metric_type=metric_type,
        value=metric_value,
        unit=unit,
        evidence_hash=evidence_hash,
    )
    return metric_id


@external
def verify_metric(metric_id: uint256):
    """
    @notice Mark a recorded metric as verified; needs VERIFIER_ROLE.
    @param metric_id Id returned by `record_metric`.
    """
    access_control._check_role(VERIFIER_ROLE, msg.sender)
    assert metric_id != 0 and metric_id <= self.metric_count, "ecs: unknown metric"
    assert not self.metrics[metric_id].verified, "ecs: metric already verified"
    self.metrics[metric_id].verified = True
    self.metrics[metric_id].verifier = msg.sender
    log MetricVerified(metric_id=metric_id, verifier=msg.sender)


@internal
def _record_history(account: address, overall: uint256):
    """
    @dev Appends (now, overall) to the account's score history; a second update in the same
         block replaces the first.
    @param account Scored account.
    @param overall The new overall score.
    """
    n: uint256 = self.score_history_length[account]
    entry: uint256 = (block.timestamp << 16) | overall
    if n != 0 and self._score_history[account][unsafe_sub(n, 1)] >> 16 == block.timestamp:
        self._score_history[account][unsafe_sub(n, 1)] = entry
        return
    self._score_history[account][n] = entry
    self.score_history_length[account] = unsafe_add(n, 1)


@internal
def _set_weights(e_bp: uint256, s_bp: uint256, g_bp: uint256):
    assert e_bp + s_bp + g_bp == 10000, "ecs: weights must sum to 10000"
    self.weight_environmental = e_bp
    self.weight_social = s_bp
    self.weight_governance = g_bp
    log WeightsUpdated(environmental_bp=e_bp, social_bp=s_bp, governance_bp=g_bp)


@internal
@view
def _owner_of(token_id: uint256) -> address:
    assert token_id <= convert(max_value(uint160), uint256), "ecs: account not scored"
    account: address = convert(convert(token_id, uint160), address)
    assert self._packed_scores[account] != 0, "ecs: account not scored"
    return account
