"""Fixtures of the API tests: the ecosystem deployed on ape's anvil, the demo scenario played,
a fresh database filled by the real indexer, and the API served over it (in-process cache and
Redis)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from api_helpers import ApiServer, drop_database, idx_helpers

from esg.deploy import Deployment, deploy_ecosystem, record
from esg.manifest import Manifest
from esg.scenario import Personas, play

REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass
class World:
    deployment: Deployment
    who: Personas
    ids: dict
    db_url: str
    manifest: Path
    chain_id: int


@pytest.fixture(scope="session")
def world(project, accounts, chain, tmp_path_factory):
    who = Personas.from_accounts(accounts)
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
    url = idx_helpers.new_database("api")
    idx_helpers.index_once(url, manifest.path, chain.chain_id)
    yield World(d, who, ids, url, manifest.path, chain.chain_id)
    drop_database(url)


def _redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def api(world):
    """The API with its in-process cache."""
    server = ApiServer(database_url=world.db_url, manifest=world.manifest)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def api_redis(world):
    """The API with the shared Redis cache (keys under a prefix unique to this run)."""
    if not _redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    server = ApiServer(
        database_url=world.db_url, manifest=world.manifest, redis_url=REDIS_URL, cache_prefix=prefix
    )
    yield server
    server.stop()
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(prefix + "*"):
        client.delete(key)


@pytest.fixture(scope="session", params=["memory", "redis"])
def any_api(request):
    """Each cache backend in turn."""
    return request.getfixturevalue("api" if request.param == "memory" else "api_redis")
