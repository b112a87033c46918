"""Helpers of the oracle tests: the oracle as a real process (HTTPS), SIWE messages, evidence."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from eth_account import Account
from eth_account.messages import encode_defunct
from siwe import SiweMessage

from esg.paths import PROJECT_ROOT
from oracle.demo import Client, wait_ready
from tests.support.indexing import query

__all__ = ["Client", "OracleProcess", "query", "siwe_message", "sign_text"]


def siwe_message(
    address: str,
    *,
    domain: str,
    nonce: str,
    uri: str = "https://127.0.0.1/",
    chain_id: int = 31337,
    issued: dt.datetime | None = None,
    ttl: dt.timedelta = dt.timedelta(minutes=5),
) -> str:
    issued = issued or dt.datetime.now(dt.UTC)
    return SiweMessage(
        domain=domain,
        address=address,
        statement="Sign in to the ESG oracle",
        uri=uri,
        version="1",
        chain_id=chain_id,
        nonce=nonce,
        issued_at=issued.isoformat().replace("+00:00", "Z"),
        expiration_time=(issued + ttl).isoformat().replace("+00:00", "Z"),
    ).prepare_message()


def sign_text(private_key, text: str) -> str:
    return (
        "0x" + bytes(Account.sign_message(encode_defunct(text=text), private_key).signature).hex()
    )


class OracleProcess:
    """``python -m oracle`` on a free port over HTTPS, with its log in ``home``."""

    def __init__(self, env: dict[str, str], home: Path, ca: Path) -> None:
        self.env = env
        self.home = home
        self.ca = str(ca)
        self.port = int(env["ORACLE_PORT"])
        self.url = f"https://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.home / "oracle.log", "ab")  # noqa: SIM115  (the child holds it open)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "oracle"],
            cwd=PROJECT_ROOT,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_ready(self.url, self.ca, timeout=180)
        except TimeoutError:
            raise RuntimeError((self.home / "oracle.log").read_text()[-3000:]) from None

    def ensure(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.start()

    def kill9(self) -> None:
        """SIGKILL: no cleanup, no flush, exactly like a crash."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def client(self) -> Client:
        return Client(self.url, self.ca)

    def get(self, path: str, **kw) -> httpx.Response:
        return httpx.get(self.url + path, verify=self.ca, timeout=10, **kw)


def wait_until(predicate, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
