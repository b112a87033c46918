"""The oracle's state and its case logic, shared by the routes and the demo.

A case gathers one organization's evidence, is scored once (its evidence hash is unique), and
is either approved at once or held for a reviewer; approval writes its attestation rows in the
same transaction, and the submitter takes them from there.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import asyncpg
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from oracle import audit, crypto, intake, model, pipeline, review, train, vision
from oracle.auth import KeyRing
from oracle.chain import Contracts, Submitter, view
from oracle.errors import EvidenceError
from oracle.settings import Settings

log = logging.getLogger("oracle")


class NotFound(Exception):
    """An id that does not exist for this caller (answered with 404)."""


def _secret(value, path) -> str | None:
    if value is not None:
        return value.get_secret_value().strip()
    if path is not None:
        return path.read_text().strip()
    return None


@dataclass
class Oracle:
    settings: Settings
    pool: asyncpg.Pool
    keys: crypto.KeyProvider
    keyring: KeyRing
    forest: model.Model
    classifier: vision.ImageClassifier | None
    contracts: Contracts
    signer: LocalAccount
    auditor: LocalAccount | None
    submitter: Submitter = field(init=False)

    def __post_init__(self) -> None:
        self.submitter = Submitter(
            self.pool,
            self.contracts,
            self.signer,
            self.auditor,
            rebroadcast_after=self.settings.rebroadcast_after,
        )

    @property
    def siwe_domain(self) -> str:
        """The domain SIWE messages must name (``host:port`` unless configured)."""
        return self.settings.siwe_domain or f"{self.settings.host}:{self.settings.port}"

    @property
    def limits(self) -> intake.Limits:
        s = self.settings
        return intake.Limits(s.max_report_bytes, s.max_metrics_bytes, s.max_image_bytes)

    async def current_score(self, account: str) -> tuple[int, tuple[int, int, int]]:
        """The account's overall score on-chain and ECS's component weights."""
        rpc, c = self.submitter.rpc, self.contracts
        score = await view(rpc, c, "ECS", "score_of", [account], ["uint256"])
        weights = []
        for part in ("environmental", "social", "governance"):
            weights.append(await view(rpc, c, "ECS", f"weight_{part}", [], ["uint256"]))
        return score, tuple(weights)

    async def open_case(self, account: str, evidence_ids: list[int]) -> tuple[dict, bool]:
        """Score a set of evidence (or return the case that already scored it)."""
        if not evidence_ids or len(evidence_ids) > self.settings.max_case_files:
            raise EvidenceError(f"case: give 1 to {self.settings.max_case_files} evidence ids")
        files = await intake.load(self.pool, self.keys, account, sorted(set(evidence_ids)))
        ev_hash = pipeline.evidence_hash([f.content_hash for f in files])
        existing = await self.pool.fetchrow(
            "SELECT * FROM oracle.cases WHERE evidence_hash = $1", ev_hash
        )
        if existing is not None:
            return await self.case(existing["id"]), False
        known = [
            (r["phash"], f"evidence {r['id']}")
            for r in await self.pool.fetch(
                "SELECT id, analysis ->> 'phash' AS phash FROM oracle.evidence"
                " WHERE kind = 'image' AND NOT (id = ANY($1::bigint[]))",
                evidence_ids,
            )
        ]
        assessment = await asyncio.to_thread(
            pipeline.assess,
            files,
            self.forest,
            known_photos=known,
            classifier=self.classifier,
            ect_per_tonne=self.settings.ect_per_tonne,
        )
        current, weights = await self.current_score(account)
        assessment["current_score_bp"] = current
        assessment["new_score_bp"] = pipeline.overall(*pipeline.components(assessment), weights)
        reasons = pipeline.review_reasons(assessment, current, self.settings.review_threshold_bp)
        calls = pipeline.plan(account, ev_hash, assessment, self.settings.methodology_version)
        case_id = await self._insert_case(
            account, "score", ev_hash, evidence_ids, assessment, reasons, calls
        )
        return await self.case(case_id), True

    async def _insert_case(self, account, kind, ev_hash, ids, assessment, reasons, calls) -> int:
        status = "pending_review" if reasons else "approved"
        async with self.pool.acquire() as conn, conn.transaction():
            case_id = await conn.fetchval(
                "INSERT INTO oracle.cases (account, kind, evidence_hash, evidence_ids, assessment,"
                " review_reasons, status) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                " ON CONFLICT (evidence_hash) DO NOTHING RETURNING id",
                account,
                kind,
                ev_hash,
                ids,
                {**assessment, "calls": _jsonable(calls)},
                reasons,
                status,
            )
            if case_id is None:
                return await conn.fetchval(
                    "SELECT id FROM oracle.cases WHERE evidence_hash = $1", ev_hash
                )
            if status == "approved":
                await self._queue(conn, case_id, calls)
        self.submitter.wake.set()
        return case_id

    async def _queue(self, conn, case_id: int, calls: list[dict]) -> None:
        await conn.executemany(
            "INSERT INTO oracle.attestations (case_id, kind, idem_key, chain_id, contract, function,"
            " args, status) VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued') ON CONFLICT (idem_key) DO NOTHING",
            [
                (
                    case_id,
                    c["kind"],
                    c["idem_key"],
                    self.contracts.chain_id,
                    c["contract"],
                    c["function"],
                    c["args"],
                )
                for c in calls
            ],
        )

    async def review(
        self, case_id: int, reviewer: str, decision: str, signature: str, note: str
    ) -> dict:
        """Apply a reviewer's signed decision to a held case."""
        row = await self.pool.fetchrow("SELECT * FROM oracle.cases WHERE id = $1", case_id)
        if row is None:
            raise NotFound(f"case {case_id} not found")
        if row["status"] != "pending_review":
            raise review.ReviewError(
                f"review: case {case_id} is {row['status']}, not pending_review"
            )
        ev_hash = bytes(row["evidence_hash"])
        signer = review.check_reviewer(
            case_id=case_id,
            evidence_hash=ev_hash,
            decision=decision,
            signature=signature,
            signed_in=reviewer,
            reviewers=self.settings.reviewers,
            oracle_signer=self.signer.address,
            submitter=row["account"],
        )
        status = "approved" if decision == "approve" else "rejected"
        async with self.pool.acquire() as conn, conn.transaction():
            done = await conn.fetchval(
                "UPDATE oracle.cases SET status = $2, reviewer = $3, review_signature = $4,"
                " review_note = $5, reviewed_at = now() WHERE id = $1 AND status = 'pending_review'"
                " RETURNING id",
                case_id,
                status,
                signer,
                signature,
                note[:1000],
            )
            if done is None:
                raise review.ReviewError(f"review: case {case_id} was reviewed meanwhile")
            if status == "approved":
                await self._queue(conn, case_id, _calls(row["assessment"]["calls"]))
        self.submitter.wake.set()
        return await self.case(case_id)

    async def audit_model(self) -> dict:
        """Open (once per model version) the AET audit case of the scoring model."""
        s = self.settings
        evidence = audit.audit_evidence(self.forest.card, len(s.reviewers))
        ev_hash = keccak(evidence)
        a = audit.assessment(evidence)
        recipient = s.aet_recipient or self.signer.address
        case_id = await self._insert_case(
            recipient,
            "model_audit",
            ev_hash,
            [],
            a,
            audit.review_reasons(a),
            audit.plan(recipient, ev_hash, a),
        )
        return await self.case(case_id)

    async def case(self, case_id: int) -> dict:
        row = await self.pool.fetchrow("SELECT * FROM oracle.cases WHERE id = $1", case_id)
        if row is None:
            raise NotFound(f"case {case_id} not found")
        atts = await self.pool.fetch(
            "SELECT id, kind, contract, function, status, tx_hash, block_number, error"
            " FROM oracle.attestations WHERE case_id = $1 ORDER BY id",
            case_id,
        )
        assessment = {k: v for k, v in row["assessment"].items() if k != "calls"}
        return {
            "id": row["id"],
            "account": row["account"],
            "kind": row["kind"],
            "evidence_hash": "0x" + bytes(row["evidence_hash"]).hex(),
            "evidence_ids": list(row["evidence_ids"]),
            "status": row["status"],
            "review_reasons": row["review_reasons"],
            "reviewer": row["reviewer"],
            "assessment": assessment,
            "attestations": [
                {
                    "id": a["id"],
                    "kind": a["kind"],
                    "call": f"{a['contract']}.{a['function']}",
                    "status": a["status"],
                    "tx_hash": "0x" + bytes(a["tx_hash"]).hex() if a["tx_hash"] else None,
                    "block_number": a["block_number"],
                    "error": a["error"],
                }
                for a in atts
            ],
        }


def _jsonable(calls: list[dict]) -> list[dict]:
    return [{**c, "idem_key": "0x" + c["idem_key"].hex()} for c in calls]


def _calls(stored: list[dict]) -> list[dict]:
    return [{**c, "idem_key": bytes.fromhex(c["idem_key"][2:])} for c in stored]


def load_models(settings: Settings) -> tuple[model.Model, vision.ImageClassifier | None]:
    """The trained models from the model folder, trained there first if it holds none."""
    forest = model.load(settings.model_dir)
    if forest is None:
        log.info("no model in %s: training one (%s rows)", settings.model_dir, settings.train_rows)
        forest = train.build(settings.model_dir, rows=settings.train_rows)
    onnx = settings.model_dir / f"{train.CLASSIFIER}.onnx"
    classifier = None
    if onnx.exists():
        from oracle.samples import LABELS

        classifier = vision.OnnxClassifier(onnx, LABELS)
    return forest, classifier


def evidence_keys(settings: Settings) -> crypto.KeyProvider:
    if settings.evidence_keys is not None:
        return crypto.StaticKeys.parse(settings.evidence_keys.get_secret_value())
    return crypto.load_or_create_keyfile(settings.evidence_key_file)


def accounts(settings: Settings) -> tuple[LocalAccount, LocalAccount | None]:
    key = _secret(settings.signer_key, settings.signer_key_file)
    if key is None:
        raise RuntimeError(
            "oracle: set ORACLE_SIGNER_KEY or ORACLE_SIGNER_KEY_FILE (the ORACLE_ROLE key)"
        )
    auditor = _secret(settings.auditor_key, settings.auditor_key_file)
    return Account.from_key(key), Account.from_key(auditor) if auditor else None
