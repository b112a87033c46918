"""Where the project keeps its runtime state.

Everything a local run creates lives under one folder (``ESG_HOME``, default ``.run`` in the
project root): node logs and PIDs, the embedded PostgreSQL data directory, and the deployment
manifest of local chains. Both folders are settings of esg.settings.
"""

from pathlib import Path

from esg.settings import PROJECT_ROOT, local_settings

__all__ = ["PROJECT_ROOT", "deployments_dir", "runtime_dir"]


def runtime_dir() -> Path:
    """The folder holding logs, PIDs and data of local runs (created on first use)."""
    path = local_settings().home
    path.mkdir(parents=True, exist_ok=True)
    return path


def deployments_dir() -> Path:
    """The folder holding deployment manifests (``ESG_DEPLOYMENTS`` overrides it)."""
    path = local_settings().deployments
    path.mkdir(parents=True, exist_ok=True)
    return path
