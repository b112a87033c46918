# pragma version ~=0.4.3
"""
@title AI Ethics Token (AET)
@license GNU Affero General Public License v3.0 only
@notice ERC-20 + EIP-2612 token minted against EIP-712 attestations of ethical-AI
        audits signed by an AUDITOR_ROLE holder. The reward scales with the
        average of the four audit scores (0-1000 each).
"""

from ethereum.ercs import IERC20
implements: IERC20

from snekmate.auth import ownable
from snekmate.auth import access_control
from snekmate.tokens import erc20
from snekmate.utils import ecdsa
from snekmate.utils import pausable
from .modules import role_pausable

initializes: ownable
initializes: access_control
initializes: erc20[ownable := ownable]
initializes: pausable
initializes: role_pausable[access_control := access_control, pausable := pausable]

exports: (
    erc20.name,
    erc20.symbol,
    erc20.decimals,
    erc20.balanceOf,
    erc20.allowance,
    erc20.totalSupply,
    erc20.nonces,
    erc20.approve,
    erc20.permit,
    erc20.DOMAIN_SEPARATOR,
    erc20.eip712Domain,
    access_control.__interface__,
    pausable.paused,
    role_pausable.__interface__,
)


# @dev Role whose members sign audit attestations.
AUDITOR_ROLE: public(constant(bytes32)) = keccak256("AUDITOR_ROLE")
# @dev Upper bound of each audit score.
MAX_AUDIT_SCORE: public(constant(uint256)) = 1000
# @dev EIP-712 type hash of the signed attestation.
ATTESTATION_TYPEHASH: public(constant(bytes32)) = keccak256(
    "Attestation(address recipient,bytes32 modelId,uint16 transparency,uint16 bias,uint16 humanAlignment,uint16 environmentalImpact,uint256 energyKwh,uint256 kgCo2e,uint256 nonce,uint256 deadline)"
)


# @dev One recorded audit: the EIP-712 struct hash of its attestation (which commits
# to every field; the fields themselves are in the AuditRecorded event) and its signer.
struct Audit:
    attestation_hash: bytes32
    auditor: address


# @dev Reward minted for an attestation whose four scores average 1000.
base_reward: public(uint256)
# @dev Whether an auditor has already used a nonce.
nonce_used: public(HashMap[address, HashMap[uint256, bool]])
# @dev Recorded audits by id (ids start at 1).
audits: public(HashMap[uint256, Audit])
# @dev Number of audits recorded (also the last audit id).
audit_count: public(uint256)


# @dev Emitted for every audit minted against an attestation.
event AuditRecorded:
    model_id: indexed(bytes32)
    recipient: indexed(address)
    auditor: indexed(address)
    transparency: uint16
    bias: uint16
    human_alignment: uint16
    environmental_impact: uint16
    energy_kwh: uint256
    kg_co2e: uint256
    nonce: uint256
    reward: uint256


# @dev Emitted when the admin changes the base reward.
event BaseRewardChanged:
    old_reward: uint256
    new_reward: uint256


@deploy
def __init__(base_reward: uint256):
    """
    @notice Deploy the token; the deployer receives DEFAULT_ADMIN_ROLE.
    @dev The EIP-712 domain (name "AI Ethics Token", version "1") serves both permit and attestations.
    @param base_reward Reward for an attestation whose scores average the maximum (1000).
    """
    ownable.__init__()
    access_control.__init__()
    erc20.__init__("AI Ethics Token", "AET", 18, "AI Ethics Token", "1")
    pausable.__init__()
    self.base_reward = base_reward
    log BaseRewardChanged(old_reward=0, new_reward=base_reward)


@external
def transfer(to: address, amount: uint256) -> bool:
    """
    @notice Move `amount` tokens from the caller to `to`; blocked while paused.
    @param to Receiver.
    @param amount Amount in wei units.
    @return bool Always True (reverts on failure).
    """
    pausable._require_not_paused()
    erc20._transfer(msg.sender, to, amount)
    return True


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    """
    @notice Move `amount` tokens from `owner` to `to` using the caller's allowance; blocked while paused.
    @param owner Account the tokens come from.
    @param to Receiver.
    @param amount Amount in wei units.
    @return bool Always True (reverts on failure).
    """
    pausable._require_not_paused()
    erc20._spend_allowance(owner, msg.sender, amount)
    erc20._transfer(owner, to, amount)
    return True


@external
def mint_with_attestation(
    recipient: address,
    model_id: bytes32,
    transparency: uint16,
    bias: uint16,
    human_alignment: uint16,
    environmental_impact: uint16,
    energy_kwh: uint256,
    kg_co2e: uint256,
    nonce: uint256,
    deadline: uint256,
    signature: Bytes[65],
) -> uint256:
    """
    @notice Record an audit and mint its reward to `recipient`, given an auditor's EIP-712 signature.
    @dev Anyone may submit; the signer must hold AUDITOR_ROLE and each (auditor,
         nonce) pair is usable once. Reward = base_reward * average(scores) / 1000.
         Blocked while paused.
    @param recipient Account receiving the reward.
    @param model_id Identifier of the audited model or agent.
    @param transparency Transparency score, 0-1000.
    @param bias Bias score (higher is better), 0-1000.
    @param human_alignment Human-alignment score, 0-1000.
    @param environmental_impact Environmental-impact score (higher is better), 0-1000.
    @param energy_kwh Energy used, in kWh.
    @param kg_co2e Emissions, in kg CO2e.
    @param nonce Auditor-chosen nonce, unique per auditor.
    @param deadline Last timestamp at which the attestation is valid.
    @param signature 65-byte (r, s, v) signature of the typed Attestation.
    @return uint256 The new audit id.
    """
    pausable._require_not_paused()
    assert block.timestamp <= deadline, "aet: attestation expired"
    assert (
        convert(transparency, uint256) <= MAX_AUDIT_SCORE
        and convert(bias, uint256) <= MAX_AUDIT_SCORE
        and convert(human_alignment, uint256) <= MAX_AUDIT_SCORE
        and convert(environmental_impact, uint256) <= MAX_AUDIT_SCORE
    ), "aet: score out of range"

    struct_hash: bytes32 = keccak256(
        abi_encode(
            ATTESTATION_TYPEHASH,
            recipient,
            model_id,
            transparency,
            bias,
            human_alignment,
            environmental_impact,
            energy_kwh,
            kg_co2e,
            nonce,
            deadline,
        )
    )
    digest: bytes32 = erc20.eip712_domain_separator._hash_typed_data_v4(struct_hash)
    auditor: address = ecdsa._recover_sig(digest, signature)
    assert access_control.hasRole[AUDITOR_ROLE][auditor], "aet: signer is not an auditor"
    assert not self.nonce_used[auditor][nonce], "aet: nonce already used"
    self.nonce_used[auditor][nonce] = True

    score_sum: uint256 = (
        convert(transparency, uint256)
        + convert(bias, uint256)
        + convert(human_alignment, uint256)
        + convert(environmental_impact, uint256)
    )
    reward: uint256 = self.base_reward * score_sum // (4 * MAX_AUDIT_SCORE)

    audit_id: uint256 = self.audit_count + 1
    self.audit_count = audit_id
    self.audits[audit_id] = Audit(attestation_hash=struct_hash, auditor=auditor)
    erc20._mint(recipient, reward)
    log AuditRecorded(
        model_id=model_id,
        recipient=recipient,
        auditor=auditor,
        transparency=transparency,
        bias=bias,
        human_alignment=human_alignment,
        environmental_impact=environmental_impact,
        energy_kwh=energy_kwh,
        kg_co2e=kg_co2e,
        nonce=nonce,
        reward=reward,
    )
    return audit_id


@external
def set_base_reward(new_reward: uint256):
    """
    @notice Set the reward for a maximal attestation; needs DEFAULT_ADMIN_ROLE.
    @param new_reward New base reward in wei units.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    log BaseRewardChanged(old_reward=self.base_reward, new_reward=new_reward)
    self.base_reward = new_reward


