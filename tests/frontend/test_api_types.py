"""The frontend's API types are generated from the API's OpenAPI document: a route or model
changed without `npm run gen:api` in frontend/ fails here (and then the frontend's type check)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from api.openapi import main as dump_openapi
from esg.paths import PROJECT_ROOT

FRONTEND = PROJECT_ROOT / "frontend"
GENERATED = FRONTEND / "src" / "api" / "schema.d.ts"


def test_generated_api_types_are_current(tmp_path):
    tool = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"
    if shutil.which("node") is None or not tool.exists():
        pytest.fail("node and frontend/node_modules are needed: run `make install`")
    document, types = tmp_path / "openapi.json", tmp_path / "schema.d.ts"
    assert dump_openapi([str(document)]) == 0
    subprocess.run(
        [str(tool), str(document), "-o", str(types)],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
        timeout=120,
    )
    if types.read_text() != GENERATED.read_text():
        pytest.fail("frontend/src/api/schema.d.ts is stale: run `npm run gen:api` in frontend/")
