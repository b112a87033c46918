"""Build the services image with podman from a local Debian bookworm + Python 3.11 base made
with mmdebstrap (no image registry is reachable), index a chain with the image's indexer and ask
the image's API for /ready and its HEALTHCHECK.

Opt-in (root, podman, runc, mmdebstrap, network to Debian and PyPI while building):
``make image-test``, which sets ESG_IMAGE_TEST=1. About two minutes on the first run.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest

from benchmarks.devnet import compile_emitter, write_manifest
from esg.database import ensure_database, with_database
from esg.paths import PROJECT_ROOT
from tests.support.deploy import DEPLOY, run
from tests.support.indexing import drop_database, free_port

pytestmark = pytest.mark.skipif(
    os.environ.get("ESG_IMAGE_TEST") != "1", reason="opt-in: make image-test"
)

BASE = "localhost/esg-base:bookworm-py311"
IMAGE = "localhost/esg-services:test"
# The sandbox-friendly way to run containers as root: runc (crun refuses hybrid cgroups) and
# limits no higher than this process's own (no CAP_SYS_RESOURCE needed).
PODMAN = ["podman", "--runtime", "runc"]
LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")
TCP_DATABASE = os.environ.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"


def _podman(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run(*PODMAN, *args, check=check)


@pytest.fixture(scope="module")
def image():
    if _podman("image", "exists", BASE, check=False).returncode != 0:
        # minbase + the interpreter, its venv module and CA certificates.
        mm = subprocess.Popen(
            [
                "mmdebstrap",
                "--variant=minbase",
                "--include=python3,python3-venv,ca-certificates",
                "bookworm",
                "-",
            ],
            stdout=subprocess.PIPE,
        )
        imported = subprocess.run(
            [*PODMAN, "import", "-", BASE], stdin=mm.stdout, capture_output=True
        )
        assert mm.wait() == 0 and imported.returncode == 0, imported.stderr.decode()
    # The host's CA bundle is mounted for the build's pip (TLS-inspecting proxies included).
    ca = ["-v", f"{HOST_CA}:{HOST_CA}:ro"] if HOST_CA.exists() else []
    _podman(
        "build",
        *LIMITS,
        *ca,
        "--format",
        "docker",
        "--build-arg",
        f"BASE={BASE}",
        "-f",
        str(DEPLOY / "docker" / "Dockerfile"),
        "-t",
        IMAGE,
        str(PROJECT_ROOT),
    )
    return IMAGE


@pytest.fixture
def database():
    url = with_database(TCP_DATABASE, f"img_{uuid.uuid4().hex[:10]}")
    try:
        asyncio.run(ensure_database(url))
    except OSError as exc:
        pytest.skip(f"the containers need PostgreSQL over TCP: {exc}")
    yield url
    drop_database(url)


def test_image_indexes_and_serves(image, database, project, accounts, chain, tmp_path):
    emitter = project.EventEmitter.deploy(sender=accounts[0])
    emitter.emit_transfers(20, 1, sender=accounts[0])
    receipt = chain.get_receipt(emitter.txn_hash)
    deployments = tmp_path / "deployments"
    write_manifest(
        deployments / "manifest.json",
        chain.chain_id,
        chain.provider.uri,
        {"EMIT": (emitter.address, receipt.block_number, receipt.txn_hash, compile_emitter()[0])},
    )
    # Readable by the image's unprivileged user (the manifest is written with mode 600).
    for path in [deployments, *deployments.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    common = [
        *LIMITS,
        "--network",
        "host",
        "-e",
        f"DATABASE_URL={database}",
        "-v",
        f"{deployments}:/etc/esg/deployments:ro",
        "-e",
        "ESG_MANIFEST=/etc/esg/deployments/manifest.json",
    ]
    # The indexer entry point: index up to the head, then exit.
    _podman(
        "run",
        "--rm",
        *common,
        "-e",
        "INDEXER_EXIT_WHEN_SYNCED=true",
        "-e",
        "INDEXER_METRICS_PORT=0",
        image,
        "index",
    )
    port = free_port()
    name = f"esg-api-{uuid.uuid4().hex[:8]}"
    _podman("run", "-d", "--name", name, *common, "-e", f"API_PORT={port}", image, "api")
    try:
        deadline = time.time() + 60
        while True:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2)
                if ready.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.time() < deadline, _podman("logs", name, check=False).stdout
            time.sleep(0.5)
        assert ready.json() == {"ready": True, "detail": None}
        chains = httpx.get(f"http://127.0.0.1:{port}/api/v1/chains", timeout=5).json()["items"]
        assert [c["chain_id"] for c in chains] == [chain.chain_id]
        assert chains[0]["indexed_block"] >= receipt.block_number
        # The image's HEALTHCHECK, run by podman, and the unprivileged user.
        _podman("healthcheck", "run", name)
        assert _podman("exec", name, "id", "-u").stdout.strip() == "10001"
        inspect = json.loads(_podman("image", "inspect", image).stdout)[0]
        assert inspect["Healthcheck"]["Test"] == ["CMD", "esg-healthcheck"]
        assert inspect["Config"]["Entrypoint"] == ["esg"]
    finally:
        _podman("rm", "-f", name, check=False)
