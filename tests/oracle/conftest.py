"""Fixtures of the oracle tests: the ecosystem on ape's anvil, a fresh database, the oracle
process over HTTPS (small training set, its own key folders), and the demo personas."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from esg.deploy import Deployment, deploy_ecosystem
from esg.personas import Personas
from esg.tls import local_ca
from oracle import model, train
from tests.support import indexing
from tests.support.ecosystem import write_manifest
from tests.support.indexing import free_port
from tests.support.oracle import OracleProcess

TRAIN_ROWS = 800


@dataclass
class OracleWorld:
    deployment: Deployment
    who: Personas
    db_url: str
    manifest: Path
    chain_id: int
    home: Path
    oracle: OracleProcess


# The oracle's database follows one chain history: ape's snapshot reverts between tests would be
# reorgs it never saw (attestations it recorded as mined would vanish), so these tests keep the
# chain as it goes, like a live node.
@pytest.fixture
def _function_isolation():
    yield


@pytest.fixture(scope="module")
def _module_isolation():
    yield


@pytest.fixture(scope="session")
def oracle_world(project, accounts, chain, tmp_path_factory):
    who = Personas.from_accounts(accounts)
    d = deploy_ecosystem(project, who.admin, operators=who.operators())
    home = tmp_path_factory.mktemp("oracle")
    manifest = write_manifest(
        home / "deployments" / "local.json", d, chain.chain_id, chain.provider.uri
    )
    url = indexing.new_database("oracle")
    ca, cert, key = local_ca(home / "tls")
    env = {
        "DATABASE_URL": url,
        "ESG_HOME": str(home / "run"),
        "ORACLE_PORT": str(free_port()),
        "ORACLE_MANIFEST": str(manifest),
        "ORACLE_CHAIN_ID": str(chain.chain_id),
        "ORACLE_SIGNER_KEY": who.oracle.private_key,
        "ORACLE_AUDITOR_KEY": who.auditor.private_key,
        "ORACLE_REVIEWERS": f'["{who.verifier.address}"]',
        "ORACLE_MODEL_DIR": str(home / "models"),
        "ORACLE_TRAIN_ROWS": str(TRAIN_ROWS),
        "ORACLE_TLS_CERT": str(cert),
        "ORACLE_TLS_KEY": str(key),
        "ORACLE_SUBMIT_INTERVAL": "0.1",
        "ORACLE_REBROADCAST_AFTER": "0.5",
        "ORACLE_MAX_IMAGE_BYTES": "200000",
    }
    proc = OracleProcess(env, home, ca)
    proc.start()
    yield OracleWorld(d, who, url, manifest, chain.chain_id, home, proc)
    proc.stop()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """Models trained on a small generated set (the full run is ``python -m oracle.train``)."""
    folder = tmp_path_factory.mktemp("models")
    train.build(folder, rows=TRAIN_ROWS, photos=60)
    return folder


@pytest.fixture(scope="session")
def tiny_model(tiny_model_dir):
    return model.load(tiny_model_dir)


@pytest.fixture
def oracle(oracle_world) -> OracleProcess:
    """The running oracle (restarted if a test killed it)."""
    oracle_world.oracle.ensure()
    return oracle_world.oracle
