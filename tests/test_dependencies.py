"""Every third-party package the runtime packages import is declared in pyproject.toml.

A package that only arrives as some other package's dependency can vanish or change with that
package's next release; the services' own imports must be their own declared requirements."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from esg.paths import PROJECT_ROOT

# The packages that run (services, shared code, ape scripts), and which extras they may rely on:
# the oracle's libraries are the `oracle` extra, the rest are the base dependencies.
RUNTIME = ("esg", "indexer", "api", "bridge", "oracle", "besu", "scripts")
EXTRAS = {"oracle": "oracle"}
PROJECT = {*RUNTIME, "tests", "benchmarks"}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(extra: str | None) -> set[str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    if extra:
        specs += project["optional-dependencies"][extra]
    return {_canonical(re.match(r"[A-Za-z0-9_.-]+", spec)[0]) for spec in specs}


def imported_modules(package: str) -> dict[str, set[str]]:
    """{top-level module: files importing it} over every import of the package's files
    (inside functions too), without the standard library and the project's own packages."""
    found: dict[str, set[str]] = {}
    for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in PROJECT | {"__future__"}:
                    found.setdefault(top, set()).add(str(path.relative_to(PROJECT_ROOT)))
    return found


def test_every_imported_package_is_declared():
    dists = importlib.metadata.packages_distributions()
    missing: dict[str, list[str]] = {}
    for package in RUNTIME:
        declared = _declared(EXTRAS.get(package))
        for module, users in imported_modules(package).items():
            assert module in dists, f"{module} (imported by {sorted(users)}) is not installed"
            names = {_canonical(d) for d in dists[module]}
            if not names & declared:
                missing.setdefault("/".join(sorted(names)), []).extend(sorted(users))
    assert not missing, f"declare in pyproject.toml: {missing}"


def test_the_walk_sees_the_imports():
    # The check above is only as good as the walk: it must see imports at every depth.
    esg_imports = imported_modules("esg")
    assert {"click", "pydantic_settings", "asyncpg"} <= set(esg_imports)
    assert "ape" in esg_imports  # imported inside functions only
    assert "esg.cli" not in esg_imports and "esg" not in esg_imports
