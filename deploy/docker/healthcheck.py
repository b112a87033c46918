#!/usr/bin/env python3
"""HEALTHCHECK of the services image: asks the service that PID 1 runs over HTTP.

Each service runs as ``esg <command>``. The API answers ``/ready`` (database reachable and
something indexed), the indexer its metrics endpoint. ``ESG_HEALTH_URL`` names the URL to ask
instead (the relayer, validators and oracle set it to their own endpoint); a service without one
is healthy while it runs. Standard library only.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

# The modules of the `esg` commands whose health the image asks itself (esg/cli).
ESG_COMMANDS = {"api": "api", "index": "indexer"}


def service_module(cmdline: bytes) -> str | None:
    """The service module of a NUL-separated command line: ``esg <command>`` (the image's entry
    point, also as ``python -m esg``) or ``python -m <module>``."""
    args = [a.decode(errors="replace") for a in cmdline.split(b"\0") if a]
    for i, arg in enumerate(args[:-1]):
        if os.path.basename(arg) == "esg" or (arg == "-m" and args[i + 1] == "esg"):
            command = args[i + 1] if arg != "-m" else (args[i + 2] if i + 2 < len(args) else "")
            return ESG_COMMANDS.get(command, command)
        if arg == "-m":
            return args[i + 1]
    return None


def health_url(module: str | None, env: dict[str, str]) -> str | None:
    """The URL whose 2xx answer means healthy, or None when there is nothing to ask."""
    if env.get("ESG_HEALTH_URL"):
        return env["ESG_HEALTH_URL"]
    if module == "api":
        return f"http://127.0.0.1:{env.get('API_PORT', '8000')}/ready"
    if module == "indexer":
        port = env.get("INDEXER_METRICS_PORT", "9464")
        return None if port == "0" else f"http://127.0.0.1:{port}/metrics"
    return None


def main() -> int:
    try:
        with open("/proc/1/cmdline", "rb") as fh:
            module = service_module(fh.read())
    except OSError:
        module = None
    url = health_url(module, dict(os.environ))
    if url is None:
        return 0
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            ok = 200 <= response.status < 300
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1
    if not ok:
        print(f"unhealthy: {url}: HTTP {response.status}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
