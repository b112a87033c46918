"""``make demo``: bring the whole system up on embedded defaults and play the demo scenario.

1. start the three local chains (besu profile from besu/genesis.json, ethereum, polygon);
2. deploy the ecosystem and a bridge to each (reusing deployments still live on running chains):
   besu is the root chain, polygon a child of it (child copies of GST, ECT and CCR, governed from
   besu); pair the two bridges and hand every admin role over;
3. play the demo scenario on the besu profile;
4. start three bridge validators (threshold two), the relayer, the indexer, the API, the oracle
   (HTTPS) and the web app under a supervisor (esg.supervisor: a crashed service is restarted with
   backoff); bridge GST, ECT and CCR from besu to polygon, stop one validator, and bridge some
   back; play one organization through the oracle (sign-in, evidence, review, attestations, new
   score in the API); then keep everything running until Ctrl-C or SIGTERM, which stops all it
   started.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections import Counter

import click

from api.settings import Settings as ApiSettings
from bridge.settings import ValidatorSettings
from esg import nodes
from esg.chain.abi import ContractABI
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
from esg.personas import (
    DEV_RELAYER_INDEX,
    DEV_THRESHOLD,
    DEV_VALIDATOR_INDEXES,
    Personas,
    dev_account,
)
from esg.scenario import play
from esg.supervisor import Supervisor
from esg.web import WebSettings
from oracle import demo as oracle_demo

# The long-running services besides the bridge's: name (of the log file) -> module run with
# ``python -m``.
SERVICES = {"indexer": "indexer", "api": "api", "web": "esg.web"}
SCENARIO_PROFILE = "besu"
ROOT_PROFILE, CHILD_PROFILE = "besu", "polygon"
# Finality the bridge services use for the local polygon profile (one block a second): a short
# depth, so a transfer back to besu waits a few seconds instead of the 64 blocks of Polygon PoS.
LOCAL_CHILD_FINALITY = "depth:3"


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

    who = Personas.from_accounts(accounts.test_accounts)
    validators = [dev_account(i).address for i in DEV_VALIDATOR_INDEXES]
    manifest = load_manifest(manifest_path("local"))
    fresh: list[str] = []
    chain_ids: dict[str, int] = {}
    # The root chain first: a child is deployed knowing the chain that governs it.
    for profile in sorted(profiles, key=lambda p: p != ROOT_PROFILE):
        with connect(profile) as provider:
            chain_id = chain_ids[profile] = provider.chain_id
            existing = manifest.chains.get(chain_id)
            if _is_live(provider, existing):
                gst = existing.contracts["GST"].address
                _say(f"[{profile}] chain {chain_id}: ecosystem already deployed (GST {gst})")
                continue
            child = profile == CHILD_PROFILE and ROOT_PROFILE in chain_ids
            side = f"child of chain {chain_ids[ROOT_PROFILE]}" if child else "root"
            _say(
                f"[{profile}] chain {chain_id}: deploying the ecosystem and its bridge ({side}) ..."
            )
            out = deploy_ecosystem(
                project, who.admin, operators=who.operators(), hand_over_admin=False, child=child
            )
            deploy_bridge(
                project,
                who.admin,
                out,
                validators=validators,
                threshold=DEV_THRESHOLD,
                governance_chain_id=chain_ids[ROOT_PROFILE] if child else 0,
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
        if d.child:
            _say(
                f"[{profile}] admin handed over: the bridge, GST, ECT and CCR to the bridge itself"
                f" (governed from chain {chain_ids[ROOT_PROFILE]}), the rest to the timelock"
            )
        else:
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
    """New chains: the embedded index and the bridge's state describe the old ones."""
    if asyncio.run(drop_embedded_database()):
        _say("[index] fresh chains: the embedded index starts over")
    else:
        _say(
            "[index] fresh chains: DATABASE_URL is set, reset that database before indexing these chains"
        )


def bridge_round_trip(chain_ids: dict[str, int], stop_validator, timeout: float = 120.0) -> None:
    """Send GST, ECT and CCR from the root chain to polygon and wait; then stop one validator
    (``stop_validator``) and send some GST and CCR back, which two of three still sign."""
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
            d = attach(project, here)
            for name, token_id, amount, sender in items:
                receipt = send_tokens(
                    d["Bridge"], d[name], token_id, amount, sender.address, there.chain_id, sender
                )
                bridge_abi = ContractABI.from_manifest(manifest, here.chain_id, "Bridge")
                sent.append((name, sent_transfer(receipt, str(d["Bridge"].address), bridge_abi)))
        abi = ContractABI.from_manifest(manifest, there.chain_id, "Bridge")
        for name, message in sent:
            waited = wait_for_arrival(
                there.rpc_urls, there.contracts["Bridge"].address, abi, message, timeout
            )
            route = f"chain {here.chain_id} -> {there.chain_id}"
            what = (
                f"{message.amount / WAD:,.0f} {name}"
                if name != "CCR"
                else f"{message.amount} t of CCR batch {message.id}"
            )
            _say(f"    {what}, {route}: arrived after {waited:.1f}s")

    _say(f"[bridge] {ROOT_PROFILE} -> {CHILD_PROFILE}, signed by 3 validators (2 needed):")
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
    stopped = stop_validator()
    _say(f"[bridge] validator {stopped} stopped; {CHILD_PROFILE} -> {ROOT_PROFILE} with two left:")
    send(
        CHILD_PROFILE,
        child,
        root,
        [("GST", 0, 400 * WAD, who.alice), ("CCR", 1, 5, who.carol)],
    )


def show_api(chain_ids: dict[str, int], timeout: float = 90.0) -> bool:
    """Wait until the API serves the indexed chains, then print where to look and a first answer."""
    import httpx

    base = f"http://127.0.0.1:{ApiSettings().port}"
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
    batches = httpx.get(f"{base}/api/v1/carbon/batches", timeout=10).json()["items"]
    per_chain = Counter(b["chain_id"] for b in batches)
    bridged = Counter(b["chain_id"] for b in batches if b["bridged"])
    _say(
        "[api] carbon batches: "
        + ", ".join(f"chain {c}: {n} ({bridged[c]} bridged)" for c, n in sorted(per_chain.items()))
    )
    return True


def _bridge_env(chain_ids: dict[str, int]) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Environments of the three validators and of the relayer (DEVELOPMENT keys)."""
    finality = {}
    if CHILD_PROFILE in chain_ids:
        finality = {str(chain_ids[CHILD_PROFILE]): LOCAL_CHILD_FINALITY}
    # The validators' metrics stay off when the environment turns them off (tests).
    metrics_off = ValidatorSettings().metrics_port == 0
    validators = [
        {
            "BRIDGE_VALIDATOR_DEV_ACCOUNT": str(index),
            "BRIDGE_VALIDATOR_FINALITY": json.dumps(finality),
            "BRIDGE_VALIDATOR_POLL_INTERVAL": "0.5",
            "BRIDGE_VALIDATOR_METRICS_PORT": "0" if metrics_off else str(9466 + i),
        }
        for i, index in enumerate(DEV_VALIDATOR_INDEXES)
    ]
    relayer = {
        "BRIDGE_RELAYER_DEV_ACCOUNT": str(DEV_RELAYER_INDEX),
        "BRIDGE_RELAYER_FINALITY": json.dumps(finality),
        "BRIDGE_RELAYER_POLL_INTERVAL": "0.5",
    }
    return validators, relayer


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _profile_list(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    profiles = [p for p in value.split(",") if p]
    for profile in profiles:
        if profile not in nodes.PROFILES:
            raise click.BadParameter(
                f"{profile!r} is not a local profile; choose from {', '.join(nodes.PROFILES)}"
            )
    if not profiles:
        raise click.BadParameter(f"{value!r} names no profile")
    return profiles


@click.command(name="demo")
@click.option(
    "--profiles",
    default=",".join(nodes.PROFILES),
    show_default=True,
    callback=_profile_list,
    help="Comma-separated local profiles.",
)
@click.option("--replay", is_flag=True, help="Play the scenario again on an existing deployment.")
@click.option(
    "--no-serve", is_flag=True, help="Deploy and play, then exit (the nodes keep running)."
)
@click.option("--once", is_flag=True, help="Bring everything up, show the API, then stop it all.")
def cli(profiles: list[str], replay: bool, no_serve: bool, once: bool) -> None:
    """Bring the whole system up on the local chains (see ``python -m esg.demo``'s notes)."""
    click.get_current_context().exit(run(profiles, replay=replay, no_serve=no_serve, once=once))


def main(argv: list[str] | None = None) -> int:
    """``python -m esg.demo`` (the same as ``esg demo``)."""
    from esg.cli import run as run_command

    return run_command(cli, argv, "python -m esg.demo")


def run(profiles: list[str], *, replay: bool, no_serve: bool, once: bool) -> int:
    """Start the nodes, deploy and play; serve until stopped unless ``no_serve`` or ``once``."""
    signal.signal(signal.SIGTERM, _interrupt)
    for profile, url in nodes.start(profiles).items():
        _say(f"[{profile}] node at {url}")
    services = Supervisor(runtime_dir(), cwd=PROJECT_ROOT, say=_say)
    try:
        chain_ids = deploy_all(profiles, replay=replay)
        if no_serve:
            return 0
        # Start (and tune) the embedded PostgreSQL once, here, so the services never race to do it.
        os.environ["DATABASE_URL"] = asyncio.run(database_url())
        # The browser app reads the API from the web server's origin.
        os.environ.setdefault("API_CORS_ORIGINS", ",".join(WebSettings().origins))
        python = sys.executable
        validator_envs, relayer_env = _bridge_env(chain_ids)
        for i, env in enumerate(validator_envs, 1):
            services.add(f"validator{i}", [python, "-m", "bridge.validator"], env)
        services.add("relayer", [python, "-m", "bridge"], relayer_env)
        services_to_run = dict(SERVICES)
        if SCENARIO_PROFILE in chain_ids:
            oracle_demo.prepare(chain_ids[SCENARIO_PROFILE])
            services_to_run["oracle"] = "oracle"
        for name, module in services_to_run.items():
            services.add(name, [python, "-m", module])
        services.start()
        _say(
            f"[services] {len(validator_envs)} bridge validators, the relayer, "
            f"{', '.join(services_to_run)} started; logs in {runtime_dir()}"
        )

        def stop_validator() -> str:
            name = f"validator{len(validator_envs)}"
            services.remove(name)
            return name

        if ROOT_PROFILE in chain_ids and CHILD_PROFILE in chain_ids:
            bridge_round_trip(chain_ids, stop_validator)
        shown = show_api(chain_ids)
        if shown and "oracle" in services_to_run:
            shown = oracle_demo.play_demo(chain_ids[SCENARIO_PROFILE], _say)
        if once:
            return 0 if shown else 1
        # A crashed service is restarted; the chains and the others keep running.
        services.watch()
        return 0
    except KeyboardInterrupt:
        _say("\nstopping ...")
        return 0
    finally:
        services.stop()
        if not no_serve:
            nodes.stop(profiles)


if __name__ == "__main__":
    sys.exit(main())
