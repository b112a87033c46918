"""The oracle's FastAPI application: sign-in, evidence intake, cases, review, model card.

``create_app`` wires the state in its lifespan: the PostgreSQL pool and the oracle schema's
migrations, the evidence keys, the JWT key ring, the models (trained on first start when the
model folder is empty), the contracts from the deployment manifest, the audit case of the
current model, and the submitter task that puts approved attestations on-chain.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from esg.database import database_url
from oracle import db
from oracle.auth import AuthError, KeyRing
from oracle.chain import Contracts, RPCError
from oracle.crypto import DecryptionError
from oracle.errors import EvidenceError
from oracle.review import ReviewError
from oracle.routes import auth, cases, evidence
from oracle.service import NotFound, Oracle, accounts, evidence_keys, load_models
from oracle.settings import Settings

log = logging.getLogger("oracle")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        url = settings.database_url or await database_url()
        pool = await db.create_pool(url)
        async with pool.acquire() as conn:
            for name in await db.migrate(conn):
                log.info("migration %s applied", name)
        forest, classifier = await asyncio.to_thread(load_models, settings)
        signer, auditor = accounts(settings)
        oracle = Oracle(
            settings=settings,
            pool=pool,
            keys=evidence_keys(settings),
            keyring=KeyRing(settings.jwt_key_dir),
            forest=forest,
            classifier=classifier,
            contracts=Contracts.from_manifest(
                settings.manifest, settings.chain_id, settings.rpc_url
            ),
            signer=signer,
            auditor=auditor,
        )
        app.state.oracle = oracle
        if auditor is not None:
            await oracle.audit_model()
        task = asyncio.create_task(oracle.submitter.run(settings.submit_interval))
        log.info("oracle ready: model %s, chain %s", forest.version, oracle.contracts.chain_id)
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await oracle.submitter.close()
            await pool.close()

    app = FastAPI(title="ESG oracle", version="1", lifespan=lifespan)
    for router in (auth.router, evidence.router, cases.router):
        app.include_router(router)

    def answer(status: int, detail: str, **headers) -> JSONResponse:
        return JSONResponse({"detail": detail}, status_code=status, headers=headers or None)

    body_limit = max(
        settings.max_report_bytes, settings.max_metrics_bytes, settings.max_image_bytes
    )
    body_limit += 64 * 1024  # multipart framing and the form's other fields

    @app.middleware("http")
    async def refuse_large_bodies(request: Request, call_next):
        # Refused before the multipart parser spools anything to disk.
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > body_limit):
            return answer(413, f"request: body over {body_limit} bytes")
        return await call_next(request)

    @app.get("/health", tags=["health"])
    async def health(request: Request) -> dict:
        oracle: Oracle = request.app.state.oracle
        return {
            "status": "ok",
            "model": oracle.forest.version,
            "chain_id": oracle.contracts.chain_id,
        }

    @app.exception_handler(AuthError)
    async def _auth(request: Request, exc: AuthError) -> JSONResponse:
        return answer(401, str(exc), **{"WWW-Authenticate": "Bearer"})

    @app.exception_handler(EvidenceError)
    async def _evidence(request: Request, exc: EvidenceError) -> JSONResponse:
        return answer(exc.status, str(exc))

    @app.exception_handler(ReviewError)
    async def _review(request: Request, exc: ReviewError) -> JSONResponse:
        return answer(403, str(exc))

    @app.exception_handler(NotFound)
    async def _missing(request: Request, exc: NotFound) -> JSONResponse:
        return answer(404, str(exc))

    @app.exception_handler(DecryptionError)
    async def _sealed(request: Request, exc: DecryptionError) -> JSONResponse:
        return answer(409, str(exc))

    @app.exception_handler(RPCError)
    async def _node(request: Request, exc: RPCError) -> JSONResponse:
        return answer(503, f"chain: the node refused a read ({exc})")

    @app.exception_handler(httpx.HTTPError)
    async def _node_down(request: Request, exc: httpx.HTTPError) -> JSONResponse:
        return answer(503, "chain: the node is unreachable")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return answer(422, f"request: {where}: {first.get('msg', 'invalid')}")

    return app
