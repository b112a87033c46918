"""``make demo``: bring the whole system up on embedded defaults and play the demo scenario.

1. start the three local chains (besu profile from besu/genesis.json, ethereum, polygon);
2. deploy the ecosystem to each (reusing a deployment still live on a running chain);
3. play the demo scenario on the besu profile;
4. run the indexer and the API until Ctrl-C, which stops everything it started.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time

from esg import nodes
from esg.deploy import attach, deploy_ecosystem, record
from esg.manifest import load_manifest, manifest_path
from esg.networks import connect, network_choice
from esg.paths import PROJECT_ROOT, runtime_dir
from esg.scenario import Personas, play

SCENARIO_PROFILE = "besu"


def _say(line: str) -> None:
    print(line, flush=True)


def _deployment_is_live(provider, chain) -> bool:
    gst = chain.contracts.get("GST") if chain else None
    return bool(gst) and provider.get_code(gst.address) not in (b"", "0x", None)


def deploy_all(profiles: list[str], *, replay: bool) -> dict[int, dict]:
    """Deploy to every profile that has no live deployment; play the scenario on the besu profile."""
    from ape import accounts, project

    who = Personas.from_accounts(accounts.test_accounts)
    manifest = load_manifest(manifest_path("local"))
    played = {}
    for profile in profiles:
        with connect(profile) as provider:
            chain_id = provider.chain_id
            existing = manifest.chains.get(chain_id)
            if _deployment_is_live(provider, existing):
                _say(f"[{profile}] chain {chain_id}: ecosystem already deployed (GST {existing.contracts['GST'].address})")
                fresh = False
            else:
                _say(f"[{profile}] chain {chain_id}: deploying the ecosystem ...")
                out = deploy_ecosystem(project, who.admin, operators=who.operators())
                record(manifest, out, chain_id=chain_id, network=network_choice(profile), rpc_url=nodes.rpc_url(profile))
                for name, c in manifest.chains[chain_id].contracts.items():
                    _say(f"    {name:9} {c.address}  block {c.block}")
                fresh = True
            if profile == SCENARIO_PROFILE and (fresh or replay):
                _say(f"[{profile}] playing the demo scenario:")
                played[chain_id] = play(attach(project, manifest.chains[chain_id]), who, provider, say=lambda s: _say("    " + s))
    _say(f"manifest: {manifest.path}")
    return played


def _spawn(name: str, args: list[str]) -> subprocess.Popen:
    log = open(runtime_dir() / f"{name}.log", "ab")
    return subprocess.Popen(args, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def serve(services: list[tuple[str, list[str]]]) -> None:
    """Run the services until Ctrl-C (or one of them exits), then stop them all."""
    procs = {name: _spawn(name, args) for name, args in services}
    try:
        while all(p.poll() is None for p in procs.values()):
            time.sleep(0.5)
        dead = [n for n, p in procs.items() if p.poll() is not None]
        _say(f"{', '.join(dead)} exited; see {runtime_dir()}/<name>.log")
    except KeyboardInterrupt:
        _say("\nstopping ...")
    finally:
        for p in procs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m esg.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="besu,ethereum,polygon", help="comma-separated local profiles")
    parser.add_argument("--replay", action="store_true", help="play the scenario again on an existing deployment")
    parser.add_argument("--no-serve", action="store_true", help="deploy and play, then exit (nodes keep running)")
    args = parser.parse_args(argv)
    profiles = [p for p in args.profiles.split(",") if p]
    for profile, url in nodes.start(profiles).items():
        _say(f"[{profile}] node at {url}")
    try:
        deploy_all(profiles, replay=args.replay)
        if args.no_serve:
            return 0
        serve([])
    finally:
        if not args.no_serve:
            nodes.stop(profiles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
