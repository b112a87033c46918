"""Human review: the text a reviewer signs, and who may sign it.

A held case is released only by an EIP-191 signature over ``approval_text`` from a configured
reviewer address that is signed in as that reviewer, and is neither the oracle's signing key nor
the organization that submitted the case: a second, different key.
"""

from __future__ import annotations

from eth_account import Account
from eth_account.messages import encode_defunct

DECISIONS = ("approve", "reject")


class ReviewError(Exception):
    """A review the oracle refuses (answered with 403 and the reason)."""


def approval_text(case_id: int, evidence_hash: bytes, decision: str) -> str:
    """The exact text a reviewer signs for one decision on one case."""
    return (
        "ESG oracle review\n"
        f"Case: {case_id}\n"
        f"Evidence: 0x{evidence_hash.hex()}\n"
        f"Decision: {decision}"
    )


def sign_review(private_key, case_id: int, evidence_hash: bytes, decision: str) -> str:
    """A reviewer's signature of a decision (what a wallet's personal_sign produces)."""
    msg = encode_defunct(text=approval_text(case_id, evidence_hash, decision))
    return "0x" + bytes(Account.sign_message(msg, private_key).signature).hex()


def check_reviewer(
    *,
    case_id: int,
    evidence_hash: bytes,
    decision: str,
    signature: str,
    signed_in: str,
    reviewers: list[str],
    oracle_signer: str,
    submitter: str,
) -> str:
    """The reviewer's address if this review may release the case; raises ``ReviewError``."""
    if decision not in DECISIONS:
        raise ReviewError(f"review: decision {decision!r} is not one of {DECISIONS}")
    try:
        signer = Account.recover_message(
            encode_defunct(text=approval_text(case_id, evidence_hash, decision)),
            signature=signature,
        )
    except (ValueError, TypeError):
        raise ReviewError("review: malformed signature") from None
    allowed = {r.lower() for r in reviewers}
    if signer.lower() != signed_in.lower():
        raise ReviewError("review: signature is not from the signed-in reviewer")
    if signer.lower() not in allowed:
        raise ReviewError(f"review: {signer} is not a configured reviewer")
    if signer.lower() in (oracle_signer.lower(), submitter.lower()):
        raise ReviewError("review: the reviewer must differ from the oracle key and the submitter")
    return signer
