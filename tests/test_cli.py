"""The ``esg`` command line: every command's help, clear errors for bad values, flags that
override the settings' environment, and a real run (nodes, deploy, index) on a fresh anvil."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from esg.cli import COMMANDS, main
from esg.cli.settings import env_name, fields
from esg.paths import PROJECT_ROOT
from indexer.settings import Settings as IndexerSettings
from tests.support.indexing import drop_database, free_port, new_database, query


@pytest.fixture
def cli():
    runner = CliRunner()
    return lambda *args, **kw: runner.invoke(main, list(args), prog_name="esg", **kw)


def test_overview_names_every_command(cli):
    result = cli("--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.output


@pytest.mark.parametrize("command", list(COMMANDS))
def test_help_of_every_command(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: esg {command} ")


def test_settings_commands_offer_every_setting_but_secrets(cli):
    help_text = cli("index", "--help").output
    for name in fields(IndexerSettings):
        assert "--" + name.replace("_", "-") in help_text, name
        assert env_name(IndexerSettings, name) in help_text, name
    # The default is the settings class's own.
    assert f"(default: {IndexerSettings.model_fields['reorg_window'].default})" in help_text
    relay = cli("relay", "--help").output
    assert "--key-file" in relay and "--passphrase " not in relay and "--passphrase-file" in relay


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["api", "--port", "eighty"],
            "Invalid value for '--port': 'eighty' is not a valid integer",
        ),
        (["index", "--chains", "2025"], "Invalid value for '--chains': '2025': Input should be"),
        (
            ["relay", "--finality", '{"2025": "soon"}'],
            "Invalid value for '--finality': '{\"2025\": \"soon\"}': Value error, finality 'soon'",
        ),
        (
            ["api", "--trusted-proxies", "proxy.local"],
            "'proxy.local' is not an IP address or network",
        ),
        (["relay", "retry", "0xabc"], "Invalid value for MESSAGE: '0xabc': retry needs"),
        (["nodes", "start", "--profile", "solana"], "'solana' is not one of"),
        (["demo", "--profiles", "besu,solana"], "'solana' is not a local profile"),
        (["besu-layout", "--out", "x", "--validators", "0"], "0 is not in the range x>=1"),
        (["web", "--dev-accounts", "perhaps"], "'perhaps' is not a valid boolean"),
        (
            ["api", "--port", "99999999"],
            "Invalid value for '--port': 99999999: Input should be less than or equal to 65535",
        ),
        (["api", "--workers", "0"], "Invalid value for '--workers': 0: Input should be greater"),
        (["oracle", "--port", "0"], "Invalid value for '--port': 0: Input should be greater"),
        (["relay", "--poll-interval", "-1"], "'--poll-interval': -1.0: Input should be greater"),
    ],
)
def test_bad_values_are_click_errors_naming_the_value(cli, args, message):
    before = _settings_environment()
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    # A refused value leaves the services' settings in the environment as they were.
    assert _settings_environment() == before


# The environment variables the services' settings read (libraries a command imports may set
# their own, e.g. OpenMP's KMP_* on importing scikit-learn).
_SETTINGS_PREFIXES = ("API_", "INDEXER_", "BRIDGE_", "ORACLE_", "WEB_", "ESG_")


def _settings_environment() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if k.startswith(_SETTINGS_PREFIXES) or k in ("DATABASE_URL", "REDIS_URL")
    }


def test_a_bad_variable_is_named(cli, monkeypatch):
    monkeypatch.setenv("INDEXER_REORG_WINDOW", "deep")
    result = cli("index", "--progress", "off")
    assert result.exit_code == 2
    assert "INDEXER_REORG_WINDOW: Input should be a valid integer" in result.output


def _esg(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    """The installed entry point, as a user runs it (``python -m esg`` is the same module)."""
    return subprocess.run(
        [sys.executable, "-m", "esg", *args],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_nodes_deploy_and_index_for_real(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "ESG_HOME": str(tmp_path / "home"),
        "ESG_DEPLOYMENTS": str(tmp_path / "deployments"),
        "ESG_ETHEREUM_PORT": str(port),
        # A flag overrides its variable: the manifest comes from --manifest below.
        "INDEXER_MANIFEST": str(tmp_path / "nowhere.json"),
    }
    url = new_database("cli")
    try:
        started = _esg("nodes", "start", "--profile", "ethereum", env=env)
        assert started.returncode == 0, started.stderr
        assert f"ethereum: http://127.0.0.1:{port} (chain id 31337)" in started.stdout
        deployed = _esg(
            "deploy",
            "--network",
            f"ethereum:local:http://127.0.0.1:{port}",
            "--account",
            "TEST::0",
            "--manifest",
            "cli",
            env=env,
        )
        assert deployed.returncode == 0, deployed.stderr
        manifest = tmp_path / "deployments" / "cli.json"
        contracts = json.loads(manifest.read_text())["chains"]["31337"]["contracts"]
        assert set(contracts) >= {"GST", "ECT", "CCR", "Governor", "Timelock"}
        indexed = _esg(
            "index",
            "--manifest",
            str(manifest),
            "--database-url",
            url,
            "--exit-when-synced",
            "true",
            "--metrics-port",
            "0",
            "--progress",
            "off",
            "--finality",
            '{"31337": "instant"}',
            env=env,
        )
        assert indexed.returncode == 0, indexed.stderr
        head = max(c["block"] for c in contracts.values())
        [row] = query(url, "SELECT indexed_block FROM chains WHERE chain_id = 31337")
        assert row["indexed_block"] >= head
        # The deployment's role grants are indexed events of the deployed contracts.
        [events] = query(url, "SELECT count(*) AS n FROM events WHERE chain_id = 31337")
        assert events["n"] > 0
    finally:
        stopped = _esg("nodes", "stop", "--profile", "ethereum", env=env)
        drop_database(url)
    assert stopped.returncode == 0 and "ethereum: stopped" in stopped.stdout
