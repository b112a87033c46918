"""Property-based requests built from the OpenAPI document: no answer is a 500, and every 2xx
body validates against the route's response model (the schema the document publishes)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.paging import encode_cursor

JUNK = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


def _samples(world) -> dict[str, list]:
    who = world.who
    people = [who.alice.address, who.bob.address.lower(), who.carol.address, "0x" + "00" * 20]
    ids = world.ids
    return {
        "address": people,
        "recipient": people,
        "beneficiary": people,
        "account": people,
        "auditor": people,
        "symbol": ["GST", "ccr", "EGM", "ECR", "ECS", "EST", "AET", "ECT", "Timelock"],
        "token": ["GST", "CCR", "egm"],
        "batch_id": [ids["batch_verra"], ids["batch_gold"], 0],
        "proposal_id": [ids["proposal"], 1],
        "token_id": [ids["cert_alice"], ids["cert_carol"], 1, 3],
        "chain": [world.chain_id],
        "cursor": [
            encode_cursor([5, 1, 2]),
            encode_cursor([5, 1, 2, 0]),
            encode_cursor([1, "3"]),
            encode_cursor([0, 1, "123"]),
            encode_cursor(["ab" * 20, "0"]),
            encode_cursor([2**63, 1, 1]),
        ],
        "limit": [1, 2, 500, 501],
        "project_id": ["VCS-1234"],
        "model_id": ["0x" + "ab" * 32],
        "status": ["executed", "created"],
    }


def _value(name: str, schema: dict, samples: dict):
    options = [st.sampled_from(samples[name])] if name in samples else []
    types = {s.get("type") for s in schema.get("anyOf", [schema])}
    if "integer" in types:
        options += [st.integers(-(2**70), 2**70), st.integers(0, 200)]
    if "boolean" in types:
        options.append(st.booleans())
    options.append(JUNK)
    return st.one_of(options)


def _request(openapi: dict, samples: dict):
    ops = [(path, op["get"]) for path, op in openapi["paths"].items() if "get" in op]

    @st.composite
    def build(draw):
        path, op = draw(st.sampled_from(ops))
        url, params = path, {}
        for p in op.get("parameters", []):
            strat = _value(p["name"], p.get("schema", {}), samples)
            if p["in"] == "path":
                url = url.replace("{" + p["name"] + "}", quote(str(draw(strat)), safe=""))
            elif p["in"] == "query" and draw(st.booleans()):
                params[p["name"]] = str(draw(strat))
        return path, url, params

    return build()


def _models(app) -> dict[str, type]:
    return {
        r.path: r.response_model
        for r in app.routes
        if isinstance(r, APIRoute) and r.response_model is not None
    }


@pytest.fixture(scope="module")
def openapi(api):
    doc = api.get("/openapi.json").json()
    assert any(p.startswith("/api/v1/") for p in doc["paths"])
    return doc


def test_openapi_lists_every_endpoint(openapi):
    wanted = {
        "/api/v1/esg/unified-profile/{address}",
        "/api/v1/tokens",
        "/api/v1/tokens/{symbol}",
        "/api/v1/tokens/{symbol}/holders",
        "/api/v1/accounts/{address}/transfers",
        "/api/v1/carbon/batches",
        "/api/v1/carbon/batches/{chain}/{batch_id}",
        "/api/v1/carbon/retirements",
        "/api/v1/certificates/{chain}/{token_id}",
        "/api/v1/scores/{address}/history",
        "/api/v1/metrics/{address}",
        "/api/v1/ai-ethics/audits",
        "/api/v1/governance/proposals",
        "/api/v1/governance/proposals/{chain}/{proposal_id}",
        "/api/v1/accounts/{address}/stakes",
        "/api/v1/accounts/{address}/certificates",
        "/api/v1/accounts/{address}/gem-claims",
        "/api/v1/accounts/{address}/retirements",
        "/api/v1/accounts/{address}/ai-audits",
        "/api/v1/chains",
        "/health",
        "/ready",
        "/metrics",
    }
    assert wanted <= set(openapi["paths"])


def test_no_input_gives_a_500(api, world, openapi):
    models = _models(api.app)
    samples = _samples(world)
    seen: dict[int, int] = {}

    @settings(
        max_examples=400,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_request(openapi, samples))
    def check(req):
        template, url, params = req
        r = api.get(url, params=params)
        seen[r.status_code] = seen.get(r.status_code, 0) + 1
        assert r.status_code < 500, (url, params, r.text)
        if r.status_code == 200 and template in models:
            models[template].model_validate(r.json())
        elif r.status_code >= 400:
            body = r.json()
            assert body["detail"] and body["request_id"] == r.headers["x-request-id"]

    check()
    print("status counts:", seen)
    assert seen.get(200, 0) > 40 and sum(v for k, v in seen.items() if 400 <= k < 500) > 40
