"""Fixtures of the API tests: the ecosystem deployed on ape's anvil, the demo scenario played,
a fresh database filled by the real indexer, the bridge services' records of a few messages, and
the API served over it (in-process cache and Redis)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from bridge.message import Transfer
from bridge.store import FAILED, Store, connect
from esg.deploy import Deployment, deploy_ecosystem
from esg.personas import Personas
from esg.scenario import play
from tests.support import indexing
from tests.support.api import ApiServer
from tests.support.ecosystem import write_manifest


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
    manifest = write_manifest(
        tmp_path_factory.mktemp("deployments") / "local.json", d, chain.chain_id, chain.provider.uri
    )
    url = indexing.new_database("api")
    indexing.index_once(url, manifest, chain.chain_id)
    yield World(d, who, ids, url, manifest, chain.chain_id)
    indexing.drop_database(url)


# The source chain of the bridge messages the bridge services record in the world's database.
BRIDGE_SRC_CHAIN = 2025


def _transfer(n: int) -> Transfer:
    return Transfer(
        src_chain_id=BRIDGE_SRC_CHAIN,
        src_tx_hash=bytes([n]) * 32,
        src_log_index=n,
        dest_chain_id=80002,
        token="0x" + "11" * 20,
        id=n,
        amount=10**30 + n,
        recipient="0x" + "22" * 20,
        data=b"",
        src_token="0x" + "33" * 20,
        sender="0x" + "44" * 20,
    )


@pytest.fixture(scope="session")
def bridge_messages(world) -> list[Transfer]:
    """Three bridge messages in the world's database as the bridge services record them: one
    failed, one signed by two validators."""

    async def fill() -> None:
        store = Store(await connect(world.db_url))
        try:
            found = [(_transfer(n), 100 + n, bytes([n]) * 32) for n in (1, 2, 3)]
            await store.record_messages(BRIDGE_SRC_CHAIN, 103, found)
            await store.set_status(_transfer(2), FAILED, error="bridge: transfer failed")
            signed = [(_transfer(3), b"\x01" * 32, b"\x02" * 65)]
            for validator in ("0x" + "aa" * 20, "0x" + "bb" * 20):
                await store.record_signatures(validator, BRIDGE_SRC_CHAIN, 103, signed)
        finally:
            await store.close()

    asyncio.run(fill())
    return [_transfer(n) for n in (1, 2, 3)]


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
