"""``make demo``: bring the whole system up on embedded defaults and play the demo scenario.

1. start the three local chains (besu profile from besu/genesis.json, ethereum, polygon);
2. deploy the ecosystem and a bridge to each (reusing deployments still live on running chains),
   pair the besu and polygon bridges, and hand every admin role to each chain's timelock;
3. play the demo scenario on the besu profile;
4. start the bridge relayer, the indexer, the API and the oracle (HTTPS) under a supervisor
   (esg.supervisor: a crashed service is restarted with backoff); bridge GST, ECT and CCR from besu
   to polygon and back; play one organization through the oracle (sign-in, evidence, review,
   attestations, new score in the API); then keep everything running until Ctrl-C or SIGTERM,
   which stops all it started.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time

from esg import nodes
from esg.database import database_url, drop_embedded_database
from esg.deploy import (
    WAD,
    attach,
    deploy_bridge,
    deploy_ecosystem,
    map_bridge,
    record,
    transfer_admin,
)
from esg.manifest import load_manifest, manifest_path
from esg.networks import connect, network_choice
from esg.paths import PROJECT_ROOT, runtime_dir
from esg.scenario import Personas, play
from esg.supervisor import Supervisor
from esg.web import WebSettings
from oracle import demo as oracle_demo

# The long-running services: name (of the log file) -> module run with ``python -m``.
SERVICES = {"bridge": "bridge", "indexer": "indexer", "api": "api", "web": "esg.web"}
SCENARIO_PROFILE = "besu"
ROOT_PROFILE, CHILD_PROFILE = "besu", "polygon"


def _say(line: str) -> None:
    print(line, flush=True)


def _is_live(provider, chain) -> bool:
    bridge = chain.contracts.get("Bridge") if chain else None
    return bool(bridge) and provider.get_code(bridge.address) not in (b"", "0x", None)


def deploy_all(profiles: list[str], *, replay: bool) -> dict[str, int]:
    """Deploy where needed, pair the bridges, hand admin over, play the scenario.

    Returns the chain id of each profile.
    """
    from ape import accounts, project

    from bridge.config import DEV_THRESHOLD, dev_validators

    who = Personas.from_accounts(accounts.test_accounts)
    manifest = load_manifest(manifest_path("local"))
    fresh: list[str] = []
    chain_ids: dict[str, int] = {}
    for profile in profiles:
        with connect(profile) as provider:
            chain_id = chain_ids[profile] = provider.chain_id
            existing = manifest.chains.get(chain_id)
            if _is_live(provider, existing):
                gst = existing.contracts["GST"].address
                _say(f"[{profile}] chain {chain_id}: ecosystem already deployed (GST {gst})")
                continue
            _say(f"[{profile}] chain {chain_id}: deploying the ecosystem and its bridge ...")
            out = deploy_ecosystem(
                project, who.admin, operators=who.operators(), hand_over_admin=False
            )
            deploy_bridge(
                project,
                who.admin,
                out,
                child=profile == CHILD_PROFILE,
                validators=[v.address for v in dev_validators()],
                threshold=DEV_THRESHOLD,
                operators=who.operators(),
            )
            record(
                manifest,
                out,
                chain_id=chain_id,
                network=network_choice(profile),
                rpc_url=nodes.rpc_url(profile),
            )
            for name, c in manifest.chains[chain_id].contracts.items():
                _say(f"    {name:9} {c.address}  block {c.block}")
            fresh.append(profile)

    if ROOT_PROFILE in fresh and CHILD_PROFILE in fresh:
        addrs = {
            p: {n: c.address for n, c in manifest.chains[chain_ids[p]].contracts.items()}
            for p in (ROOT_PROFILE, CHILD_PROFILE)
        }
        for here, there in ((ROOT_PROFILE, CHILD_PROFILE), (CHILD_PROFILE, ROOT_PROFILE)):
            with connect(here):
                bridge = attach(project, manifest.chains[chain_ids[here]])["Bridge"]
                map_bridge(bridge, who.admin, chain_ids[there], addrs[here], addrs[there])
        root, child = (f"{p} (chain {chain_ids[p]})" for p in (ROOT_PROFILE, CHILD_PROFILE))
        _say(f"[bridge] {root} <-> {child}: GST, ECT, CCR paired")
    elif fresh and (ROOT_PROFILE in profiles and CHILD_PROFILE in profiles):
        _say(
            "[bridge] only one side was redeployed: restart all nodes (python -m esg.nodes stop) to pair them"
        )

    for profile in fresh:
        with connect(profile):
            d = attach(project, manifest.chains[chain_ids[profile]])
            transfer_admin(d, who.admin, d["Timelock"])
        _say(f"[{profile}] admin of every contract handed to the timelock")

    if fresh:
        _forget_indexed_state()

    if SCENARIO_PROFILE in profiles and (SCENARIO_PROFILE in fresh or replay):
        with connect(SCENARIO_PROFILE) as provider:
            _say(f"[{SCENARIO_PROFILE}] playing the demo scenario:")
            play(
                attach(project, manifest.chains[chain_ids[SCENARIO_PROFILE]]),
                who,
                provider,
                say=lambda s: _say("    " + s),
            )
    _say(f"manifest: {manifest.path}")
    return chain_ids


def _forget_indexed_state() -> None:
    """New chains: the relayer's progress and the embedded index describe the old ones."""

    for path in (runtime_dir() / "bridge").glob("relayer.sqlite*"):
        path.unlink()
    if asyncio.run(drop_embedded_database()):
        _say("[index] fresh chains: the embedded index starts over")
    else:
        _say(
            "[index] fresh chains: DATABASE_URL is set, reset that database before indexing these chains"
        )


def bridge_round_trip(chain_ids: dict[str, int], timeout: float = 120.0) -> None:
    """Send GST, ECT and CCR from the root chain to polygon, wait, and send some GST back."""
    from ape import accounts, project

    from bridge.transfer import send_tokens, sent_transfer, wait_for_arrival

    who = Personas.from_accounts(accounts.test_accounts)
    manifest = load_manifest(manifest_path("local"))
    root, child = (
        manifest.chains[chain_ids[ROOT_PROFILE]],
        manifest.chains[chain_ids[CHILD_PROFILE]],
    )

    def send(profile, here, there, items):
        sent = []
        with connect(profile):
            bridge = project.Bridge.at(here.contracts["Bridge"].address)
            for name, token_id, amount, sender in items:
                receipt = send_tokens(
                    bridge,
                    here.contracts[name].address,
                    token_id,
                    amount,
                    sender.address,
                    there.chain_id,
                    sender,
                )
                sent.append((name, sent_transfer(receipt, bridge)))
        for name, message in sent:
            waited = wait_for_arrival(
                there.rpc_urls[0], there.contracts["Bridge"].address, message, timeout
            )
            route = f"chain {here.chain_id} -> {there.chain_id}"
            what = (
                f"{message.amount / WAD:,.0f} {name}"
                if name != "CCR"
                else f"{message.amount} t of CCR batch {message.id}"
            )
            _say(f"    {what}, {route}: arrived after {waited:.1f}s")

    _say(f"[bridge] {ROOT_PROFILE} -> {CHILD_PROFILE} and back, through the relayer:")
    send(
        ROOT_PROFILE,
        root,
        child,
        [
            ("GST", 0, 1_000 * WAD, who.alice),
            ("ECT", 0, 10 * WAD, who.bob),
            ("CCR", 1, 20, who.carol),
        ],
    )
    send(CHILD_PROFILE, child, root, [("GST", 0, 400 * WAD, who.alice)])


def show_api(chain_ids: dict[str, int], timeout: float = 90.0) -> bool:
    """Wait until the API serves the indexed chains, then print where to look and a first answer."""
    import httpx

    from esg.scenario import Personas

    base = f"http://127.0.0.1:{os.environ.get('API_PORT', '8000')}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            chains = httpx.get(f"{base}/api/v1/chains", timeout=2).json()["items"]
            if {c["chain_id"] for c in chains} >= set(chain_ids.values()) and all(
                c["lag"] == 0 for c in chains
            ):
                break
        except (httpx.HTTPError, KeyError, TypeError, ValueError):
            pass
        if time.monotonic() > deadline:
            _say(
                f"[api] not caught up after {timeout:.0f}s; see {runtime_dir()}/api.log and indexer.log"
            )
            return False
        time.sleep(0.5)
    from ape import accounts

    alice = Personas.from_accounts(accounts.test_accounts).alice.address
    _say(f"[api] {base}/docs  (the indexer follows all chains live; Ctrl-C stops everything)")
    _say(f"[web] {WebSettings().url}  (the dApp: connect a DEV account to act)")
    for path in (
        f"/api/v1/esg/unified-profile/{alice}",
        "/api/v1/tokens",
        "/api/v1/carbon/batches",
        "/api/v1/carbon/retirements",
        f"/api/v1/scores/{alice}/history",
        "/api/v1/governance/proposals",
        "/api/v1/chains",
        "/health",
    ):
        _say(f"    curl -s {base}{path}")
    profile = httpx.get(f"{base}/api/v1/esg/unified-profile/{alice}", timeout=10).json()
    held = sorted({b["token"] for b in profile["balances"]})
    scores = [s["score"] for s in profile["scores"]]
    _say(
        f"[api] alice holds {', '.join(held)}; ECS score {scores}; {len(profile['certificates'])} certificate(s)"
    )
    return True


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m esg.demo", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--profiles", default="besu,ethereum,polygon", help="comma-separated local profiles"
    )
    parser.add_argument(
        "--replay", action="store_true", help="play the scenario again on an existing deployment"
    )
    parser.add_argument(
        "--no-serve", action="store_true", help="deploy and play, then exit (nodes keep running)"
    )
    parser.add_argument(
        "--once", action="store_true", help="bring everything up, show the API, then stop it all"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    profiles = [p for p in args.profiles.split(",") if p]
    for profile, url in nodes.start(profiles).items():
        _say(f"[{profile}] node at {url}")
    services = Supervisor(runtime_dir(), cwd=PROJECT_ROOT, say=_say)
    try:
        chain_ids = deploy_all(profiles, replay=args.replay)
        if args.no_serve:
            return 0
        # Start (and tune) the embedded PostgreSQL once, here, so the services never race to do it.
        os.environ["DATABASE_URL"] = asyncio.run(database_url())
        # The browser app reads the API from the web server's origin.
        os.environ.setdefault("API_CORS_ORIGINS", ",".join(WebSettings().origins))
        python = sys.executable
        services_to_run = dict(SERVICES)
        if SCENARIO_PROFILE in chain_ids:
            oracle_demo.prepare(chain_ids[SCENARIO_PROFILE])
            services_to_run["oracle"] = "oracle"
        for name, module in services_to_run.items():
            services.add(name, [python, "-m", module])
        services.start()
        _say(f"[services] {', '.join(services_to_run)} started; logs in {runtime_dir()}")
        if ROOT_PROFILE in chain_ids and CHILD_PROFILE in chain_ids:
            bridge_round_trip(chain_ids)
        shown = show_api(chain_ids)
        if shown and "oracle" in services_to_run:
            shown = oracle_demo.play_demo(chain_ids[SCENARIO_PROFILE], _say)
        if args.once:
            return 0 if shown else 1
        # A crashed service is restarted; the chains and the others keep running.
        services.watch()
    except KeyboardInterrupt:
        _say("\nstopping ...")
        return 0
    finally:
        services.stop()
        if not args.no_serve:
            nodes.stop(profiles)


if __name__ == "__main__":
    sys.exit(main())
