"""Local chain profiles: one anvil per chain, started and stopped from one command.

    esg nodes start  [--profile besu|ethereum|polygon|all] [--block-time SECONDS]
    esg nodes status [--profile ...]
    esg nodes stop   [--profile ...]

(``python -m esg.nodes`` is the same command.)

=========  ========  ==========================  ======================================
profile    chain id  default URL                 what runs
=========  ========  ==========================  ======================================
besu       2025      http://127.0.0.1:8545       anvil booted from ``besu/genesis.json``
ethereum   31337     http://127.0.0.1:8546       anvil
polygon    31338     http://127.0.0.1:8547       anvil
=========  ========  ==========================  ======================================

Ports come from ``ESG_BESU_PORT``, ``ESG_ETHEREUM_PORT`` and ``ESG_POLYGON_PORT`` when set
(esg.settings).
``ESG_<PROFILE>_URL`` (e.g. ``ESG_BESU_URL=http://chain-besu:8545`` in docker-compose) names a node
run elsewhere instead: start only waits until it answers with the profile's chain id, and stop
leaves it alone.
Each node's log and PID live in ``<runtime dir>/nodes/<profile>.{log,pid}`` (``ESG_HOME``).
Blocks are mined on every transaction unless a block time is given; the polygon profile also mines
an empty block every second, as a live chain does, so its depth finality advances. The besu profile takes its
chain id, prefunded accounts, base fee (zero), block gas limit and hardfork from the genesis, so the
genesis Besu would boot is the one exercised locally.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from esg.paths import PROJECT_ROOT, runtime_dir
from esg.settings import LocalSettings, SettingsError, local_settings

HOST = "127.0.0.1"
BESU_GENESIS = PROJECT_ROOT / "besu" / "genesis.json"
# The EVM version the contracts are compiled for (ape-config.yaml: vyper.evm_version).
HARDFORK = "cancun"
# Fork names of a genesis config in activation order; the last present one picks anvil's hardfork.
GENESIS_FORKS = (
    ("homesteadBlock", "homestead"),
    ("byzantiumBlock", "byzantium"),
    ("constantinopleBlock", "constantinople"),
    ("petersburgBlock", "petersburg"),
    ("istanbulBlock", "istanbul"),
    ("berlinBlock", "berlin"),
    ("londonBlock", "london"),
    ("shanghaiTime", "shanghai"),
    ("cancunTime", "cancun"),
    ("pragueTime", "prague"),
)


class NodeError(RuntimeError):
    """A local node could not be started, reached or stopped."""


class PortInUseError(NodeError):
    """The port of a profile is held by a process that is not this profile's node."""


@dataclass(frozen=True)
class Profile:
    """A local chain: its chain id, port and how anvil is started for it."""

    name: str
    chain_id: int
    default_port: int
    genesis: Path | None = None
    # Seconds between empty blocks besides mining each transaction at once (anvil's mixed
    # mining): a chain whose finality is a depth (Polygon) needs blocks to keep coming.
    heartbeat: int | None = None

    @property
    def port_env(self) -> str:
        """The environment variable overriding the port."""
        return f"ESG_{self.name.upper()}_PORT"

    @property
    def port(self) -> int:
        return getattr(_settings(), f"{self.name}_port") or self.default_port

    @property
    def external_url(self) -> str | None:
        """The URL of a node this profile does not run (``ESG_<PROFILE>_URL``), if set."""
        return getattr(_settings(), f"{self.name}_url")

    @property
    def url(self) -> str:
        return self.external_url or f"http://{HOST}:{self.port}"

    def anvil_args(self, block_time: float | None = None) -> list[str]:
        """Command line options of anvil for this profile (without the executable)."""
        args = ["--host", HOST, "--port", str(self.port)]
        if self.genesis is not None:
            genesis = json.loads(self.genesis.read_text())
            args += ["--init", str(self.genesis), "--hardfork", genesis_hardfork(genesis)]
            # anvil reads alloc, timestamp and base fee from the genesis but not the gas limit;
            # it takes the chain id for eth_chainId yet signs with its own unless told.
            args += ["--chain-id", str(genesis["config"]["chainId"])]
            args += ["--gas-limit", str(int(genesis["gasLimit"], 16))]
            if genesis["config"].get("zeroBaseFee"):
                args += ["--base-fee", "0", "--gas-price", "0"]
        else:
            args += ["--chain-id", str(self.chain_id), "--hardfork", HARDFORK]
        if block_time:
            args += ["--block-time", str(block_time)]
        elif self.heartbeat:
            args += ["--block-time", str(self.heartbeat), "--mixed-mining"]
        return args


PROFILES: dict[str, Profile] = {
    "besu": Profile("besu", 2025, 8545, BESU_GENESIS),
    "ethereum": Profile("ethereum", 31337, 8546),
    "polygon": Profile("polygon", 31338, 8547, heartbeat=1),
}


@dataclass(frozen=True)
class NodeStatus:
    """What ``status`` reports for one profile."""

    profile: str
    url: str
    pid: int | None
    running: bool
    chain_id: int | None = None
    block: int | None = None


def genesis_hardfork(genesis: dict) -> str:
    """The latest hardfork a genesis activates at its first block (block 0 / time 0)."""
    config = genesis["config"]
    active = [name for key, name in GENESIS_FORKS if config.get(key) == 0]
    if not active:
        raise NodeError("genesis activates no known hardfork at block 0")
    return active[-1]


def rpc_url(profile: str) -> str:
    """The JSON-RPC URL of a local profile (its port from the environment or the default)."""
    return _profile(profile).url


def start(
    profiles: Iterable[str] | None = None, block_time: float | None = None, timeout: float = 30
) -> dict[str, str]:
    """Start the profiles' nodes unless already running; return each profile's RPC URL."""
    urls = {}
    for name in _names(profiles):
        urls[name] = _start_one(_profile(name), block_time, timeout)
    return urls


def stop(profiles: Iterable[str] | None = None, timeout: float = 10) -> None:
    """Stop the profiles' nodes started by :func:`start`; a stopped profile is left as it is."""
    for name in _names(profiles):
        _stop_one(_profile(name), timeout)


def status(profiles: Iterable[str] | None = None) -> dict[str, NodeStatus]:
    """Whether each profile's node runs, with its chain id and latest block."""
    result = {}
    for name in _names(profiles):
        profile = _profile(name)
        pid = _live_pid(profile)
        chain_id = block = None
        if pid is not None or profile.external_url:
            with contextlib.suppress(NodeError):
                chain_id = int(rpc_call(profile.url, "eth_chainId"), 16)
                block = int(rpc_call(profile.url, "eth_blockNumber"), 16)
        result[name] = NodeStatus(name, profile.url, pid, chain_id is not None, chain_id, block)
    return result


def rpc_call(url: str, method: str, params: list | None = None, timeout: float = 2) -> object:
    """One JSON-RPC call; raises NodeError when the node does not answer or returns an error."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []})
    request = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            reply = json.loads(response.read())
    except (OSError, ValueError) as exc:
        raise NodeError(f"{url} did not answer {method}: {exc}") from exc
    if "error" in reply:
        raise NodeError(f"{url} {method}: {reply['error']}")
    return reply["result"]


def node_dir() -> Path:
    """The folder holding the nodes' logs and PID files."""
    path = runtime_dir() / "nodes"
    path.mkdir(parents=True, exist_ok=True)
    return path


def anvil_executable() -> str:
    """The anvil binary: ``ESG_ANVIL``, the native one from node_modules, or anvil on PATH."""
    if override := _settings().anvil:
        return override
    # The npm package's launcher is a node script that spawns the native binary; running the
    # binary itself makes the recorded PID the node's own.
    for candidate in sorted(
        (PROJECT_ROOT / "node_modules" / "@foundry-rs").glob("anvil-*/bin/anvil")
    ):
        if os.access(candidate, os.X_OK):
            return str(candidate)
    if found := shutil.which("anvil"):
        return found
    raise NodeError("anvil not found: run `make install` (npm ci) or set ESG_ANVIL")


def _settings() -> LocalSettings:
    try:
        return local_settings()
    except SettingsError as exc:
        raise NodeError(str(exc)) from None


def _profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise NodeError(f"unknown profile {name!r}; choose from {', '.join(PROFILES)}") from None


def _names(profiles: Iterable[str] | None) -> list[str]:
    if profiles is None:
        return list(PROFILES)
    names = [profiles] if isinstance(profiles, str) else list(profiles)
    return list(PROFILES) if "all" in names else names


def _pid_file(profile: Profile) -> Path:
    return node_dir() / f"{profile.name}.pid"


def _log_file(profile: Profile) -> Path:
    return node_dir() / f"{profile.name}.log"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited child not yet reaped) still answers kill(0); it is not alive.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def _live_pid(profile: Profile) -> int | None:
    """The PID recorded for the profile if that process still runs; drops a stale PID file."""
    pid_file = _pid_file(profile)
    try:
        pid = int(pid_file.read_text().split()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None
    if _pid_alive(pid):
        return pid
    pid_file.unlink(missing_ok=True)
    return None


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Connections of a stopped node linger in TIME_WAIT; only a live listener counts.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _wait_ready(profile: Profile, pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            chain_id = int(rpc_call(profile.url, "eth_chainId", timeout=1), 16)
        except NodeError:
            chain_id = None
        if chain_id is not None:
            if chain_id != profile.chain_id:
                raise NodeError(
                    f"{profile.name} node at {profile.url} reports chain id {chain_id}, expected {profile.chain_id}"
                )
            return
        if not _pid_alive(pid):
            tail = _log_file(profile).read_text(errors="replace")[-2000:]
            _pid_file(profile).unlink(missing_ok=True)
            raise NodeError(f"{profile.name} node exited during startup; log:\n{tail}")
        if time.monotonic() > deadline:
            raise NodeError(f"{profile.name} node did not answer at {profile.url} in {timeout}s")
        time.sleep(0.1)


def _start_one(profile: Profile, block_time: float | None, timeout: float) -> str:
    if profile.external_url:
        _wait_external(profile, timeout)
        return profile.url
    pid = _live_pid(profile)
    if pid is not None:
        # Ours and alive: wait until it answers (it may still be starting), never start twice.
        _wait_ready(profile, pid, timeout)
        return profile.url
    if not _port_free(profile.port):
        raise PortInUseError(
            f"port {profile.port} of profile {profile.name!r} is already in use by another "
            f"process; stop it or choose another port with {profile.port_env}=<port>"
        )
    command = [anvil_executable(), *profile.anvil_args(block_time)]
    with _log_file(profile).open("ab") as log:
        log.write(f"$ {' '.join(command)}\n".encode())
        log.flush()
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=PROJECT_ROOT,
        )
    _pid_file(profile).write_text(f"{process.pid}\n")
    try:
        _wait_ready(profile, process.pid, timeout)
    except NodeError:
        _terminate(process.pid, 5)
        _pid_file(profile).unlink(missing_ok=True)
        raise
    return profile.url


def _wait_external(profile: Profile, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            chain_id = int(rpc_call(profile.url, "eth_chainId", timeout=1), 16)
            break
        except NodeError as exc:
            if time.monotonic() > deadline:
                raise NodeError(
                    f"{profile.name} node did not answer in {timeout}s: {exc}"
                ) from None
            time.sleep(0.5)
    if chain_id != profile.chain_id:
        raise NodeError(
            f"{profile.name} node at {profile.url} reports chain id {chain_id},"
            f" expected {profile.chain_id}"
        )


def _terminate(pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _pid_alive(pid):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    # Reap the process when it is our own child (started in this Python process).
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _stop_one(profile: Profile, timeout: float) -> None:
    if profile.external_url:
        return  # not ours to stop
    pid = _live_pid(profile)
    if pid is not None:
        _terminate(pid, timeout)
    _pid_file(profile).unlink(missing_ok=True)


_PROFILE_OPTION = click.option(
    "--profile",
    "profiles",
    multiple=True,
    type=click.Choice([*PROFILES, "all"]),
    help="Profile to act on (repeatable; default: all).",
)


@click.group(name="nodes")
def cli() -> None:
    """Start, stop or list the local chains (one anvil per profile)."""


@cli.command(name="start")
@_PROFILE_OPTION
@click.option(
    "--block-time",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds between blocks (default: mine on every transaction).",
)
def start_command(profiles: tuple[str, ...], block_time: float | None) -> None:
    """Start the profiles' nodes unless they run already."""
    with _as_click_error():
        for name, url in start(profiles or None, block_time=block_time).items():
            click.echo(f"{name}: {url} (chain id {PROFILES[name].chain_id})")


@cli.command(name="stop")
@_PROFILE_OPTION
def stop_command(profiles: tuple[str, ...]) -> None:
    """Stop the nodes this command started (a node given by URL is left alone)."""
    with _as_click_error():
        stop(profiles or None)
    for name in _names(profiles or None):
        click.echo(f"{name}: stopped")


@cli.command(name="status")
@_PROFILE_OPTION
def status_command(profiles: tuple[str, ...]) -> None:
    """Whether each profile's node runs, with its chain id and latest block."""
    with _as_click_error():
        states = status(profiles or None)
    for name, st in states.items():
        if st.running:
            click.echo(
                f"{name}: running  chain id {st.chain_id}  block {st.block}  {st.url}  pid {st.pid}"
            )
        elif st.pid is not None:
            click.echo(f"{name}: not answering  {st.url}  pid {st.pid}")
        else:
            click.echo(f"{name}: stopped  {st.url}")


@contextlib.contextmanager
def _as_click_error() -> Iterator[None]:
    try:
        yield
    except NodeError as exc:
        raise click.ClickException(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    """``python -m esg.nodes`` (the same as ``esg nodes``)."""
    from esg.cli import run

    return run(cli, argv, "python -m esg.nodes")


if __name__ == "__main__":
    sys.exit(main())
