"""The frontend's API types come from the committed OpenAPI document (frontend/openapi.json),
generated into src/api/schema.d.ts by every build and type check (``npm run gen:api``): the
document must be the one the API serves, so that a changed route or model fails here until
``make openapi`` writes it again, and then fails the frontend's type check wherever the frontend
still uses the old shape."""

from __future__ import annotations

import json

import pytest

from api.openapi import document_text
from esg.paths import PROJECT_ROOT
from tests.support.api import ApiServer
from tests.support.indexing import drop_database, new_database

COMMITTED = PROJECT_ROOT / "frontend" / "openapi.json"


def test_committed_openapi_document_is_the_one_the_api_serves():
    url = new_database("openapi")
    server = ApiServer(database_url=url)
    try:
        served = server.get("/openapi.json").json()
    finally:
        server.stop()
        drop_database(url)
    assert json.loads(document_text()) == served
    if COMMITTED.read_text() != document_text():
        pytest.fail("frontend/openapi.json is not the served document: run `make openapi`")
