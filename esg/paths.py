"""Where the project keeps its runtime state.

Everything a local run creates lives under one folder (``ESG_HOME``, default ``.run`` in the
project root): node logs and PIDs, the embedded PostgreSQL data directory, and the deployment
manifest of local chains.
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def runtime_dir() -> Path:
    """The folder holding logs, PIDs and data of local runs (created on first use)."""
    path = Path(os.environ.get("ESG_HOME", PROJECT_ROOT / ".run"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def deployments_dir() -> Path:
    """The folder holding deployment manifests (``ESG_DEPLOYMENTS`` overrides it)."""
    path = Path(os.environ.get("ESG_DEPLOYMENTS", PROJECT_ROOT / "deployments"))
    path.mkdir(parents=True, exist_ok=True)
    return path
