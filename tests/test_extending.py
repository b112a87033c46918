"""docs/extending.md, done for real: a field added to an event reaches the API after editing
the contract and one projection declaration, and nothing else.

On a copy of the sources, the test adds ``purpose`` to the Retired event of a test contract
(contracts/test/RetirementLog.vy, CCR's event field for field) and to the ``retirements``
declaration, compiles the contract, deploys it on anvil as the manifest's CCR, and has the
indexer and the API of the copy index and serve it. Before the declaration is edited, the same
database and API show the retirements without the field; after, the indexer rebuilds the table
from the event log and the API shows it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import vyper
from ape.contracts import ContractContainer
from ethpm_types import ContractType

from benchmarks.devnet import indexer_env, write_manifest
from esg.paths import PROJECT_ROOT
from tests.support.indexing import drop_database, free_port, new_database

CONTRACT = PROJECT_ROOT / "contracts" / "test" / "RetirementLog.vy"
DECLARATIONS = Path("indexer") / "projections" / "carbon.py"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{path}: {old!r} not found exactly once"
    path.write_text(text.replace(old, new))


def _add_field_to_contract(path: Path) -> None:
    """The contract side of the worked example: the event gets a field, retire() fills it."""
    _edit(
        path,
        "    message: String[256]\n\n\n@external",
        "    message: String[256]\n    purpose: String[64]\n\n\n@external",
    )
    _edit(path, "message: String[256]):", "message: String[256], purpose: String[64]):")
    _edit(
        path,
        "        message=message,\n    )",
        "        message=message,\n        purpose=purpose,\n    )",
    )


def _add_column_to_declaration(src: Path) -> None:
    """The projection side: one line in the retirements declaration."""
    _edit(
        src / DECLARATIONS,
        '    """,\n)\nfeed(retirements,',
        '        purpose  text  null  # what the credits offset\n    """,\n)\nfeed(retirements,',
    )


def _sources(tmp: Path) -> Path:
    """A copy of the indexer and the API (the rest of the project is imported from the repo)."""
    src = tmp / "src"
    for package in ("indexer", "api"):
        shutil.copytree(
            PROJECT_ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return src


def _run_from(src: Path, env: dict[str, str]) -> dict:
    """Arguments running ``python -m ...`` on the sources in ``src`` (the working directory
    comes first on sys.path: it is one without packages)."""
    return {"env": {**env, "PYTHONPATH": f"{src}{os.pathsep}{PROJECT_ROOT}"}, "cwd": src.parent}


def _index(src: Path, manifest: Path, db_url: str, chain_id: int) -> None:
    env = indexer_env(
        manifest,
        db_url,
        exit_when_synced="true",
        progress="off",
        log_level="WARNING",
        finality={str(chain_id): "instant"},
    )
    run = subprocess.run(
        [sys.executable, "-m", "indexer"], capture_output=True, timeout=120, **_run_from(src, env)
    )
    assert run.returncode == 0, run.stderr.decode()[-3000:]


def _retirements(src: Path, db_url: str) -> tuple[list[dict], dict]:
    """The API of ``src``: /carbon/retirements and its model in the OpenAPI document."""
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=db_url,
        API_PORT=str(port),
        API_RATE_LIMIT="0",
        API_ACCESS_LOG="false",
        API_LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "api"], stderr=subprocess.PIPE, **_run_from(src, env)
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.time() < deadline and proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.1)
        items = httpx.get(f"{url}/api/v1/carbon/retirements", timeout=10).json()["items"]
        schema = httpx.get(f"{url}/openapi.json", timeout=10).json()
        return items, schema["components"]["schemas"]["Retirement"]["properties"]
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_new_event_field_reaches_the_api(accounts, chain, tmp_path):
    src = _sources(tmp_path)
    contract = tmp_path / "RetirementLog.vy"
    shutil.copy(CONTRACT, contract)
    _add_field_to_contract(contract)
    out = vyper.compile_code(contract.read_text(), output_formats=["abi", "bytecode"])
    log = ContractType.model_validate(
        {
            "contractName": "RetirementLog",
            "abi": out["abi"],
            "deploymentBytecode": {"bytecode": out["bytecode"]},
        }
    )
    instance = accounts[0].deploy(ContractContainer(log))
    receipt = chain.get_receipt(instance.txn_hash)
    for i, purpose in enumerate(("scope 1 offset", "event travel")):
        instance.retire(
            accounts[1], 7, 10 + i, i + 1, f"retirement {i}", purpose, sender=accounts[0]
        )
    manifest = write_manifest(
        tmp_path / "deployments" / "local.json",
        chain.chain_id,
        chain.provider.uri,
        {"CCR": (instance.address, receipt.block_number, receipt.txn_hash, out["abi"])},
    ).path

    db_url = new_database("extend")
    try:
        # The sources as they are: the field is in the events, not in the API.
        _index(src, manifest, db_url, chain.chain_id)
        items, model = _retirements(src, db_url)
        assert [r["message"] for r in items] == ["retirement 1", "retirement 0"]
        assert "purpose" not in items[0] and "purpose" not in model

        # One line in the declaration; the next start rebuilds the table from the event log.
        _add_column_to_declaration(src)
        _index(src, manifest, db_url, chain.chain_id)
        items, model = _retirements(src, db_url)
        assert [r["purpose"] for r in items] == ["event travel", "scope 1 offset"]
        assert model["purpose"]["anyOf"][0]["type"] == "string"
    finally:
        drop_database(db_url)
