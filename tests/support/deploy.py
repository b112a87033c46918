"""Helpers of the deploy tests: where deploy/ lies, the tools they run, rendered manifests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

from esg.paths import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
# The Kubernetes version the manifests are validated against (EKS in deploy/terraform runs it).
KUBERNETES_VERSION = "1.33"


def tool(name: str) -> str:
    """A command-line tool from the venv (pip extras) or the system (Debian packages); a clear
    failure when `make test` has not installed it."""
    venv = Path(sys.executable).parent / name
    found = str(venv) if venv.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: `make deploy-tools` installs it (make test does)")
    return found


def run(*args: str, cwd: Path = PROJECT_ROOT, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command; on failure the assertion shows its output."""
    out = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    if check:
        assert out.returncode == 0, f"{' '.join(args)} failed:\n{out.stdout}\n{out.stderr}"
    return out


@cache
def render(overlay: str) -> tuple[dict, ...]:
    """``kubectl kustomize`` of ``deploy/kubernetes/overlays/<overlay>`` as documents."""
    out = run(tool("kubectl"), "kustomize", str(KUBERNETES / "overlays" / overlay))
    return tuple(d for d in yaml.safe_load_all(out.stdout) if d)


def by_kind(docs, kind: str) -> dict[str, dict]:
    """{name: document} of one kind."""
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def containers(workload: dict) -> list[dict]:
    return workload["spec"]["template"]["spec"]["containers"]


def env_of(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env", [])}
