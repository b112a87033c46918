"""deploy/docker-compose.yml, checked statically (no Docker engine here): every service's image
or build, environment, dependencies, volumes, secrets and health check resolve, and the local
chains are started exactly as ``make demo`` starts them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml

from esg import nodes
from esg.paths import PROJECT_ROOT
from tests.support.deploy import DEPLOY

COMPOSE = DEPLOY / "docker-compose.yml"
# The `esg` commands (esg/cli) the services image runs.
SERVICE_NAMES = {"index", "api", "relay", "validator", "oracle", "besu-layout"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(:-|:\?)?([^}]*)\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict]:
    return compose["services"]


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    return {k: str(v) for k, v in env.items()}


def _one_shot(service: dict) -> bool:
    return service.get("restart") == "no"


def test_every_service_has_an_image_or_a_build_that_exists(services):
    for name, s in services.items():
        assert "image" in s or "build" in s, name
        if "build" in s:
            context = (DEPLOY / s["build"]["context"]).resolve()
            assert context == PROJECT_ROOT, name
            dockerfile = context / s["build"]["dockerfile"]
            assert dockerfile.exists(), name
            if "target" in s["build"]:
                assert f" AS {s['build']['target']}\n" in dockerfile.read_text(), name
        else:
            image = s["image"]
            assert ":" in image and not image.endswith(":latest"), f"{name}: {image} not pinned"


def test_base_images_are_pinned_by_digest_or_version(services):
    assert "@sha256:" in services["postgres"]["image"]
    assert "@sha256:" in services["redis"]["image"]
    assert re.fullmatch(r"hyperledger/besu:\d+\.\d+\.\d+", services["besu-1"]["image"])
    assert re.fullmatch(
        r"ghcr\.io/foundry-rs/foundry:v\d+\.\d+\.\d+", services["chain-besu"]["image"]
    )


def test_dependencies_resolve(services):
    for name, s in services.items():
        for dep, spec in s.get("depends_on", {}).items():
            assert dep in services, f"{name} depends on unknown {dep}"
            condition = spec["condition"]
            assert condition in CONDITIONS, (name, dep)
            if condition == "service_healthy":
                assert "healthcheck" in services[dep], f"{name} waits for {dep}'s health"
            if condition == "service_completed_successfully":
                assert _one_shot(services[dep]), f"{dep} is not a one-shot job"
            # A service of the default set never waits on one behind a profile.
            if not s.get("profiles"):
                assert not services[dep].get("profiles"), (name, dep)
        if mode := s.get("network_mode"):
            assert mode.startswith("service:") and mode.split(":", 1)[1] in services, name


def test_every_long_running_service_has_a_health_check(services):
    for name, s in services.items():
        if _one_shot(s):
            continue
        assert s.get("restart") == "unless-stopped", name
        test = s["healthcheck"]["test"]
        assert isinstance(test, list) and test[0] == "CMD" and len(test) > 1, name


def test_services_run_known_entry_points(services):
    for name, s in services.items():
        if s.get("image") == "esg-services:dev" and "command" in s:
            assert s["command"][0] in SERVICE_NAMES, name
    started = {
        s["command"][0]
        for s in services.values()
        if s.get("image") == "esg-services:dev" and "command" in s
    }
    assert started == {"index", "api", "relay", "validator", "oracle"}
    assert sum(1 for s in services.values() if s.get("command") == ["validator"]) == 3


def test_urls_in_the_environment_name_compose_services(services):
    for name, s in services.items():
        for key, value in _env(s).items():
            if key.endswith("_URL") and "://" in value and key != "ESG_HEALTH_URL":
                host = urlsplit(value).hostname
                assert host in services, f"{name}: {key} points at {host}"
            if key == "ESG_HEALTH_URL":
                assert urlsplit(value).hostname == "127.0.0.1", name


def test_manifest_and_volumes_resolve(compose, services):
    named = set(compose["volumes"])
    for name, s in services.items():
        mounts = {}
        for volume in s.get("volumes", []):
            source, target = volume.split(":")[:2]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), f"{name}: {source} does not exist"
            else:
                assert source in named, f"{name}: volume {source} is not declared"
            mounts[target] = source
        manifest = _env(s).get("ESG_MANIFEST")
        if manifest:
            assert any(manifest.startswith(t + "/") for t in mounts), (
                f"{name}: {manifest} not mounted"
            )
    # The deploy job writes the manifest where the services read it.
    deploy = _env(services["deploy"])
    assert deploy["ESG_DEPLOYMENTS"] + "/local.json" == _env(services["indexer"])["ESG_MANIFEST"]


def test_secrets_resolve_and_stay_out_of_git(compose, services):
    declared = compose["secrets"]
    for name, s in services.items():
        for secret in s.get("secrets", []):
            assert secret in declared, f"{name}: secret {secret} not declared"
            for key, value in _env(s).items():
                if value == f"/run/secrets/{secret}":
                    assert key.endswith("_FILE"), (name, key)
    for secret in declared.values():
        assert secret["file"].startswith("./secrets/")
    assert "deploy/secrets/" in (PROJECT_ROOT / ".gitignore").read_text().splitlines()
    # No key material written into the file itself.
    assert not re.search(r"0x[0-9a-fA-F]{64}", COMPOSE.read_text())


def test_variables_have_defaults_or_say_what_is_missing():
    for name, operator, rest in VARIABLE.findall(COMPOSE.read_text()):
        assert operator, f"${{{name}}} has neither a default nor an error message"
        if operator == ":?":
            assert rest.strip(), name


def test_published_ports_are_distinct(services):
    ports = [p.split(":")[-2] for s in services.values() for p in s.get("ports", [])]
    assert len(ports) == len(set(ports))


@pytest.mark.parametrize("profile", ["besu", "ethereum", "polygon"])
def test_local_chains_start_like_make_demo(services, profile):
    expected = nodes.PROFILES[profile].anvil_args()
    # Inside the container: every interface, the chain's own port, the mounted genesis.
    expected[expected.index("--host") + 1] = "0.0.0.0"
    expected[expected.index("--port") + 1] = "8545"
    if "--init" in expected:
        expected[expected.index("--init") + 1] = "/besu/genesis.json"
    assert services[f"chain-{profile}"]["command"] == expected
    assert services[f"chain-{profile}"]["entrypoint"] == ["anvil"]


def test_qbft_network_has_four_validators_from_the_layout(services):
    layout = services["besu-layout"]["entrypoint"][-1]
    assert "exec esg besu-layout --out /network --validators 4" in layout
    for i in range(1, 5):
        node = services[f"besu-{i}"]
        assert f"--config-file=/network/node-{i}/config.toml" in node["command"]
        assert node["profiles"] == ["qbft"]
        # The layout gives node i RPC port 8545 + i - 1; each health check asks its own.
        assert node["healthcheck"]["test"][-1].endswith(f"/{8544 + i}")
        if i > 1:
            assert node["network_mode"] == "service:besu-1"
