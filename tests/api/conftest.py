"""Fixtures of the API tests: the ecosystem deployed on ape's anvil, the demo scenario played,
a fresh database filled by the real indexer, and the API served over it (in-process cache and
Redis)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from esg.deploy import Deployment, deploy_ecosystem, record
from esg.manifest import Manifest
from esg.personas import Personas
from esg.scenario import play
from tests.support import indexing
from tests.support.api import ApiServer


@dataclass
class World:
    deployment: Deployment
    who: Personas
    ids: dict
    db_url: str
    manifest: Path
    chain_id: int


@pytest.fixture(scope="session")
def world(project, who, chain, tmp_path_factory):
    d = deploy_ecosystem(project, who.admin, operators=who.operators())
    ids = play(d, who, chain.provider, say=lambda _: None)
    manifest = Manifest(path=tmp_path_factory.mktemp("deployments") / "local.json")
    record(
        manifest,
        d,
        chain_id=chain.chain_id,
        network="ethereum:local:foundry",
        rpc_url=chain.provider.uri,
    )
    url = indexing.new_database("api")
    indexing.index_once(url, manifest.path, chain.chain_id)
    yield World(d, who, ids, url, manifest.path, chain.chain_id)
    indexing.drop_database(url)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The machine's Redis (the test skips without one)."""
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return url


@pytest.fixture
def serve_api():
    """Start an API with the given settings (stopped after the test): ``serve_api(**settings)``."""
    servers: list[ApiServer] = []

    def start(**settings) -> ApiServer:
        servers.append(ApiServer(**settings))
        return servers[-1]

    yield start
    for s in servers:
        s.stop()


@pytest.fixture(scope="session")
def api(world):
    """The API with its in-process cache."""
    server = ApiServer(database_url=world.db_url, manifest=world.manifest)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def api_redis(world, redis_url):
    """The API with the shared Redis cache (keys under a prefix unique to this run)."""
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    server = ApiServer(
        database_url=world.db_url, manifest=world.manifest, redis_url=redis_url, cache_prefix=prefix
    )
    yield server
    server.stop()
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(prefix + "*"):
        client.delete(key)


@pytest.fixture(scope="session", params=["memory", "redis"])
def any_api(request):
    """Each cache backend in turn."""
    return request.getfixturevalue("api" if request.param == "memory" else "api_redis")
