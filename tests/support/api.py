"""The API served by uvicorn in a thread, on a free port, over HTTP."""

from __future__ import annotations

import threading
import time

import httpx
import uvicorn

from api.app import create_app
from api.settings import Settings
from tests.support.indexing import free_port


class ApiServer:
    """``create_app(settings)`` behind a real uvicorn server; ``client`` talks HTTP to it."""

    def __init__(self, **settings) -> None:
        self.settings = Settings(
            **{
                "head_poll_interval": 0.05,
                "rate_limit": 0,
                "access_log": False,
                "log_level": "WARNING",
                **settings,
            }
        )
        self.app = create_app(self.settings)
        self.port = free_port()
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("API server did not start")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"
        self.client = httpx.Client(base_url=self.url, timeout=30)

    def get(self, path: str, **kw) -> httpx.Response:
        return self.client.get(path, **kw)

    def wait_head(self, chain_id: int, block: int, timeout: float = 30) -> None:
        """Wait until the API reads chain ``chain_id`` at ``block`` or later."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            heads = self.app.state.heads.heads
            c = heads.by_chain.get(chain_id)
            if c is not None and c.indexed_block >= block:
                return
            time.sleep(0.02)
        raise AssertionError(f"API did not see block {block}")

    def stop(self) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(10)
