"""Deploy the whole ecosystem to one chain and wire it together.

Used by ``ape run deploy`` (scripts/deploy.py), by the demo, the gas benchmark and the tests, so
every path deploys exactly the same way. Order and links:

    GST ─┬─► EST (stakes GST, reads ECS) ─► Governor (GST + EST votes) ─► Timelock
         └─► EGM (sold for GST, claimed by ECS level)
    ECR ◄── CCR (holds ECR's CERTIFIER_ROLE; retire mints certificates)
    ECS, ECT, AET stand alone.

Operational roles (minter, oracle, verifier, auditor, issuer, certifier, pauser) go to the
accounts given in ``Operators``; then the admin role of every contract moves to the Timelock that
GST governance controls, and the deployer renounces its own.

A chain deployed as a child of a root chain (``child=True``) gets child copies of GST, ECT and
CCR: they have no minting, reward or tokenizing path at all (the contracts refuse it), so the
roles for those paths are not granted; units arrive only by bridge deposit. The child's bridge
and those three tokens are administered by the child bridge itself, that is, by admin messages
from the root chain's governance (``docs/security.md``); the child's own Timelock administers
the rest.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from esg.manifest import ChainDeployment, DeployedContract, Manifest
from esg.redact import is_public_url

TOKENS = ("GST", "ECT", "CCR", "ECS", "ECR", "EST", "EGM", "AET")
# Tokens that cross between a root chain and Polygon, with their bridge standard.
BRIDGED = {"GST": 20, "ECT": 20, "CCR": 1155}
# The role of each bridged token's native issuance path, which a child copy does not have.
NATIVE_ISSUANCE = {"GST": "MINTER_ROLE", "ECT": "ORACLE_ROLE", "CCR": "ISSUER_ROLE"}
OPERATOR_ROLES = (
    "MINTER_ROLE",
    "ORACLE_ROLE",
    "VERIFIER_ROLE",
    "AUDITOR_ROLE",
    "ISSUER_ROLE",
    "CERTIFIER_ROLE",
    "PAUSER_ROLE",
)
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
WAD = 10**18


@dataclass(frozen=True)
class Params:
    """Deployment parameters; the defaults suit a local chain."""

    gst_cap: int = 1_000_000_000 * WAD
    ect_epoch_length: int = 86_400
    ect_epoch_cap: int = 1_000_000 * WAD
    aet_base_reward: int = 100 * WAD
    ecr_base_uri: str = "https://esg.example/certificates/"
    ccr_base_uri: str = "https://esg.example/carbon/"
    timelock_delay: int = 60
    # Carbon registries CCR accepts on the root chain (ids 1, 2, ... in this order).
    registries: tuple[str, ...] = ("VERRA", "GOLD")
    # Seconds a child bridge waits before executing an admin message from the root chain.
    bridge_admin_delay: int = 60
    # Smallest amount a bridge send may carry, per bridged token (dust costs the relayer gas).
    bridge_min_amounts: tuple[tuple[str, int], ...] = (
        ("GST", 10**15),
        ("ECT", 10**15),
        ("CCR", 1),
    )
    voting_delay: int = 1
    voting_period: int = 20
    proposal_threshold: int = 1_000 * WAD
    quorum_bp: int = 400
    # EGM catalogue: (id, cap, ECS score in bp to claim (0: not claimable), GST price (0: not for sale), URI)
    gems: tuple = (
        (1, 100_000, 6_000, 0, "https://esg.example/gems/1-seedling.json"),
        (2, 10_000, 8_500, 0, "https://esg.example/gems/2-forest-guardian.json"),
        (3, 1_000, 0, 1_000 * WAD, "https://esg.example/gems/3-climate-vip.json"),
    )

    @classmethod
    def live(cls) -> Params:
        """Parameters for a public network: two-day timelocks, about a week of voting."""
        return cls(
            timelock_delay=2 * 86_400,
            bridge_admin_delay=2 * 86_400,
            voting_delay=7_200,
            voting_period=50_400,
        )


@dataclass
class Operators:
    """Which account holds each operational role; unset roles go to the deployer."""

    accounts: dict[str, Any] = field(default_factory=dict)

    def holder(self, role: str, deployer: Any) -> Any:
        return self.accounts.get(role, deployer)


@dataclass
class Deployment:
    """The deployed contracts of one chain with the receipts that created them."""

    contracts: dict[str, Any]
    receipts: dict[str, Any]
    # A child deployment: GST, ECT and CCR are child copies governed through the bridge.
    child: bool = False

    def __getitem__(self, name: str) -> Any:
        return self.contracts[name]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["contracts"][name]
        except KeyError:
            raise AttributeError(name) from None


def _deploy(project, deployer, name: str, *args, out: Deployment) -> Any:
    instance = deployer.deploy(getattr(project, name), *args)
    out.contracts[name] = instance
    out.receipts[name] = deployer.provider.get_receipt(instance.txn_hash)
    return instance


def _roles_of(instance, name: str = "", child: bool = False) -> list[str]:
    """The operator roles a contract declares; a child copy skips its native issuance role."""
    names = {abi.name for abi in instance.contract_type.view_methods}
    skip = NATIVE_ISSUANCE.get(name) if child else None
    return [role for role in OPERATOR_ROLES if role in names and role != skip]


def deploy_ecosystem(
    project,
    deployer,
    *,
    params: Params | None = None,
    operators: Operators | None = None,
    hand_over_admin: bool = True,
    child: bool = False,
) -> Deployment:
    """Deploy all eight tokens plus governance, grant roles and (by default) hand admin to the
    timelock. With ``child``, GST, ECT and CCR are child copies (see the module notes); a child
    deployment hands admin over only once its bridge exists (``deploy_bridge``)."""
    p = params or Params()
    ops = operators or Operators()
    out = Deployment(contracts={}, receipts={}, child=child)
    tx = {"sender": deployer}

    gst = _deploy(project, deployer, "GST", p.gst_cap, child, out=out)
    ecs = _deploy(project, deployer, "ECS", out=out)
    ecr = _deploy(project, deployer, "ECR", p.ecr_base_uri, out=out)
    ccr = _deploy(project, deployer, "CCR", p.ccr_base_uri, ecr, child, out=out)
    _deploy(project, deployer, "ECT", p.ect_epoch_length, p.ect_epoch_cap, child, out=out)
    est = _deploy(project, deployer, "EST", gst, ecs, out=out)
    timelock = _deploy(project, deployer, "Timelock", p.timelock_delay, [], [], deployer, out=out)
    egm = _deploy(project, deployer, "EGM", gst, ecs, timelock, out=out)
    _deploy(project, deployer, "AET", p.aet_base_reward, out=out)
    governor = _deploy(
        project,
        deployer,
        "Governor",
        gst,
        est,
        timelock,
        p.voting_delay,
        p.voting_period,
        p.proposal_threshold,
        p.quorum_bp,
        out=out,
    )

    for name in TOKENS:
        token = out.contracts[name]
        for role in _roles_of(token, name, child):
            holder = ops.holder(role, deployer)
            token.grantRole(getattr(token, role)(), holder, **tx)
    ecr.grantRole(ecr.CERTIFIER_ROLE(), ccr, **tx)
    if not child:
        for registry in p.registries:
            ccr.add_registry(registry, **tx)
    for gem in p.gems:
        egm.define_gem(*gem, **tx)

    for role in ("PROPOSER_ROLE", "EXECUTOR_ROLE", "CANCELLER_ROLE"):
        timelock.grantRole(getattr(timelock, role)(), governor, **tx)

    if hand_over_admin and not child:
        transfer_admin(out, deployer, timelock)
    return out


def deploy_bridge(
    project,
    deployer,
    out: Deployment,
    *,
    validators,
    threshold: int,
    governance_chain_id: int = 0,
    params: Params | None = None,
    operators: Operators | None = None,
):
    """Deploy the bridge beside a deployment and configure the bridged tokens on it.

    On a child deployment the bridge mints through the child copies' Polygon PoS interface and
    is governed from ``governance_chain_id`` (the root chain) by admin messages; on a root chain
    it locks and releases the originals and is governed by the local timelock. Either way it
    receives the tokens' DEPOSITOR_ROLE (on a root token that only marks the bridge's locked
    units, which CCR then refuses to invalidate).
    """
    if out.child and not governance_chain_id:
        raise ValueError("a child bridge needs the root chain id that governs it")
    if not out.child and governance_chain_id:
        raise ValueError("a root bridge is governed locally: no governance chain id")
    p = params or Params()
    tx = {"sender": deployer}
    delay = p.bridge_admin_delay if out.child else 0
    bridge = _deploy(
        project,
        deployer,
        "Bridge",
        [str(v) for v in validators],
        threshold,
        governance_chain_id,
        delay,
        out=out,
    )
    ops = operators or Operators()
    for role in _roles_of(bridge):
        bridge.grantRole(getattr(bridge, role)(), ops.holder(role, deployer), **tx)
    for name, standard in BRIDGED.items():
        token = out.contracts[name]
        bridge.set_token(token, standard, out.child, **tx)
        token.grantRole(token.DEPOSITOR_ROLE(), bridge, **tx)
    for name, amount in p.bridge_min_amounts:
        bridge.set_min_amount(out.contracts[name], amount, **tx)
    return bridge


def map_bridge(
    bridge, deployer, remote_chain_id: int, local: dict[str, str], remote: dict[str, str]
) -> None:
    """Pair each bridged token with its counterpart on ``remote_chain_id`` (run on both chains)."""
    for name in BRIDGED:
        bridge.map_token(local[name], remote_chain_id, remote[name], sender=deployer)


def admin_of(out: Deployment, name: str, timelock) -> Any:
    """Who administers contract ``name``: the timelock, except on a child deployment, where the
    bridge administers itself and the child copies (so only the root chain governs them)."""
    if out.child and (name == "Bridge" or name in BRIDGED):
        return out.contracts["Bridge"]
    return timelock


def transfer_admin(out: Deployment, deployer, timelock) -> None:
    """Give DEFAULT_ADMIN_ROLE of every token (and the bridge) to its admin (``admin_of``) and
    drop the deployer's."""
    if out.child and "Bridge" not in out.contracts:
        raise ValueError("a child deployment hands admin over to its bridge: deploy it first")
    tx = {"sender": deployer}
    for name in (*TOKENS, "Bridge"):
        token = out.contracts.get(name)
        if token is None:
            continue
        admin_role = token.DEFAULT_ADMIN_ROLE()
        token.grantRole(admin_role, admin_of(out, name, timelock), **tx)
        token.renounceRole(admin_role, deployer, **tx)
    admin_role = timelock.DEFAULT_ADMIN_ROLE()
    timelock.renounceRole(admin_role, deployer, **tx)


def record(
    manifest: Manifest, out: Deployment, *, chain_id: int, network: str, rpc_url: str | None
) -> None:
    """Add one chain's deployment to the manifest and write every contract's ABI beside it.

    The RPC URL is recorded only when it cannot carry a credential (no user info, path or
    query: a local node such as ``http://127.0.0.1:8545``); otherwise services get their node
    URLs from their own settings."""
    abi_dir = manifest.path.parent / "abi"
    abi_dir.mkdir(parents=True, exist_ok=True)
    contracts = {}
    for name, instance in out.contracts.items():
        abi_file = abi_dir / f"{name}.json"
        abi = [item.model_dump(mode="json", by_alias=True) for item in instance.contract_type.abi]
        abi_file.write_text(json.dumps(abi, indent=1) + "\n")
        receipt = out.receipts[name]
        contracts[name] = DeployedContract(
            address=str(instance.address),
            block=int(receipt.block_number),
            tx=str(receipt.txn_hash),
            abi=str(abi_file.relative_to(manifest.path.parent)),
        )
    manifest.chains[chain_id] = ChainDeployment(
        chain_id=chain_id,
        network=network,
        rpc_urls=[rpc_url] if rpc_url and is_public_url(rpc_url) else [],
        deployed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        contracts=contracts,
    )
    manifest.save()


def attach(project, chain: ChainDeployment) -> Deployment:
    """The contracts of a recorded deployment, as ape contract instances."""
    contracts = {name: getattr(project, name).at(c.address) for name, c in chain.contracts.items()}
    child = "GST" in contracts and bool(contracts["GST"].is_child())
    return Deployment(contracts=contracts, receipts={}, child=child)
