"""The per-client rate limit behind proxies, through ``python -m api`` processes over HTTP:
X-Forwarded-For names the client only on connections from a configured proxy, the limit is
shared by all replicas through Redis, and the read replica URL is the one queried."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid

import httpx
import pytest
import redis

from esg.paths import PROJECT_ROOT
from indexer.store import connect, migrate
from tests.support.indexing import drop_database, free_port, new_database

REDIS_URL = "redis://127.0.0.1:6379/0"
LIMIT = 1000  # the API's default per-minute limit


async def _migrated(url: str) -> None:
    conn = await connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def db_url():
    url = new_database("proxy")
    asyncio.run(_migrated(url))
    yield url
    drop_database(url)


class ApiProcess:
    """``python -m api`` on a free port with the given API_* settings."""

    def __init__(self, **env: str) -> None:
        self.port = free_port()
        full = {k: v for k, v in os.environ.items() if not k.startswith(("API_", "REDIS_"))}
        full.update(
            PYTHONPATH=str(PROJECT_ROOT),
            API_HOST="127.0.0.1",
            API_PORT=str(self.port),
            API_ACCESS_LOG="false",
            API_LOG_LEVEL="WARNING",
            **env,
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "api"],
            cwd=PROJECT_ROOT,
            env=full,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        # uvicorn listens once the app has started: wait for the port, without requests that
        # would count against the limit.
        deadline = time.time() + 60
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(self.proc.stderr.read().decode()[-3000:])
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    break
            if time.time() > deadline:
                raise AssertionError("python -m api did not start listening")
            time.sleep(0.05)
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)

    def get(self, path: str = "/ready", forwarded_for: str | None = None) -> int:
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        return self.client.get(path, headers=headers).status_code

    def stop(self) -> None:
        self.client.close()
        self.proc.terminate()
        self.proc.wait(20)


@pytest.fixture
def start_api():
    started: list[ApiProcess] = []

    def start(**env: str) -> ApiProcess:
        started.append(ApiProcess(**env))
        return started[-1]

    yield start
    for api in started:
        api.stop()


def _fresh_minute() -> None:
    """The limit counts per clock minute: start a count early in a minute so that it ends in it."""
    into = time.time() % 60
    if into > 45:
        time.sleep(60.5 - into)


@pytest.mark.parametrize("trusted", ["", "10.0.0.0/8"], ids=["no-proxy", "other-proxy"])
def test_spoofed_forwarded_for_from_outside_changes_nothing(db_url, start_api, trusted):
    api = start_api(DATABASE_URL=db_url, API_TRUSTED_PROXIES=trusted)
    _fresh_minute()
    # Each request claims another client; the connection comes from 127.0.0.1, no trusted proxy.
    statuses = [
        api.get(forwarded_for=f"203.0.113.{i % 250}, 198.51.{i // 250}.1") for i in range(LIMIT)
    ]
    assert 429 not in statuses
    assert api.get(forwarded_for="192.0.2.99") == 429
    assert api.get() == 429


def test_limit_applies_to_the_client_named_by_a_trusted_proxy(db_url, start_api):
    api = start_api(DATABASE_URL=db_url, API_TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8")
    _fresh_minute()
    # The proxy appends the address it saw; what the client wrote before it is not believed.
    statuses = [api.get(forwarded_for=f"203.0.113.{i % 250}, 198.51.100.7") for i in range(LIMIT)]
    assert 429 not in statuses
    assert api.get(forwarded_for="198.51.100.7") == 429
    assert api.get(forwarded_for="203.0.113.1, 198.51.100.7") == 429
    # Another client behind the same proxy (two proxy hops, both trusted) has its own budget.
    assert api.get(forwarded_for="198.51.100.8, 10.1.2.3") != 429
    assert api.get(forwarded_for="198.51.100.8") != 429
    # The proxy itself, without a header, is a client of its own.
    assert api.get() != 429


def test_bad_trusted_proxy_is_refused_at_start(db_url):
    with pytest.raises(AssertionError, match="API_TRUSTED_PROXIES: 'proxy.local' is not an IP"):
        ApiProcess(DATABASE_URL=db_url, API_TRUSTED_PROXIES="10.0.0.1,proxy.local")


def _redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def test_limit_is_shared_by_replicas_through_redis(db_url, start_api):
    if not _redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    env = dict(DATABASE_URL=db_url, REDIS_URL=REDIS_URL, API_CACHE_PREFIX=prefix)
    a, b = start_api(**env), start_api(**env)
    try:
        _fresh_minute()
        statuses = [(a if i % 2 else b).get() for i in range(LIMIT)]
        assert 429 not in statuses
        # 500 requests each: alone, either replica would allow 500 more.
        assert a.get() == 429
        assert b.get() == 429
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(prefix + "*"):
            client.delete(key)


async def _add_chain(url: str, chain_id: int) -> None:
    conn = await connect(url)
    try:
        await conn.execute(
            "INSERT INTO chains (chain_id, network, start_block, indexed_block)"
            " VALUES ($1, 'ethereum:local:node', 0, 0)",
            chain_id,
        )
    finally:
        await conn.close()


def test_reads_go_to_the_read_replica_url(db_url, start_api):
    replica = new_database("replica")
    try:
        asyncio.run(_migrated(replica))
        asyncio.run(_add_chain(replica, 424242))
        # The writer's database has no chain yet; the replica has one.
        api = start_api(DATABASE_URL=db_url, DATABASE_READ_URL=replica)
        deadline = time.time() + 30
        while (r := api.client.get("/api/v1/chains")).status_code != 200 or not r.json()["items"]:
            assert time.time() < deadline, r.text
            time.sleep(0.1)
        assert [c["chain_id"] for c in r.json()["items"]] == [424242]
        plain = start_api(DATABASE_URL=db_url)
        assert plain.client.get("/api/v1/chains").json()["items"] == []
    finally:
        drop_database(replica)
