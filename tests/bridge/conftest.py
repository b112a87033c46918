"""Two chains for the bridge tests: ape's anvil is the root chain, a second anvil started here
(chain id 80002) is the child chain. Both carry the real bridged tokens: on the root GST and CCR
(with its ECR) as originals, on the child their child copies, deployed with web3.py from the same
compiled bytecode. The child bridge is governed from the root chain (admin messages).

The bridge services (validators and relayer) keep their state in a fresh PostgreSQL database per
test (the embedded server unless DATABASE_URL names one) and read a manifest written here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from eth_utils import keccak

from esg.manifest import ChainDeployment, DeployedContract, Manifest
from esg.personas import DEV_THRESHOLD, dev_account, dev_validators
from tests.support.bridge import (
    ADMIN_DELAY,
    CAP,
    CHILD_CHAIN_ID,
    DEPOSITOR_ROLE,
    ERC20,
    ERC1155,
    ROOT_SUPPLY,
    ROOT_UNITS,
    ChildChain,
    RootChain,
    Services,
    finality,
    make_services,
    start_anvil,
    web3_deployer,
)
from tests.support.indexing import new_database


@pytest.fixture(scope="session")
def child_node():
    """A second anvil with its own chain id; stopped (by its pid) at the end of the session."""
    proc, w3, uri = start_anvil(CHILD_CHAIN_ID)
    yield w3, uri
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def validators():
    """The three development validator keys (DEVELOPMENT ONLY), threshold two."""
    return dev_validators()


@pytest.fixture(scope="session")
def relayer_account():
    return dev_account(9)


@pytest.fixture(scope="session")
def root(project, admin, alice, validators):
    """Root side: GST and CCR originals locked by the root bridge; alice holds them all."""
    bridge = project.Bridge.deploy(
        [v.address for v in validators], DEV_THRESHOLD, 0, 0, sender=admin
    )
    gst = project.GST.deploy(CAP, False, sender=admin)
    ecr = project.ECR.deploy("ipfs://ecr/", sender=admin)
    ccr = project.CCR.deploy("ipfs://ccr/", ecr, False, sender=admin)
    ecr.grantRole(ecr.CERTIFIER_ROLE(), ccr, sender=admin)
    gst.grantRole(gst.MINTER_ROLE(), admin, sender=admin)
    gst.mint(alice, ROOT_SUPPLY, sender=admin)
    ccr.grantRole(ccr.ISSUER_ROLE(), admin, sender=admin)
    registry = ccr.add_registry("Verra", sender=admin).return_value
    ccr.tokenize(alice, registry, "VCS-981", 2022, "VM0042", 1, ROOT_UNITS, "", sender=admin)
    for token, standard in ((gst, ERC20), (ccr, ERC1155)):
        bridge.set_token(token, standard, False, sender=admin)
        token.grantRole(DEPOSITOR_ROLE, bridge, sender=admin)
    gst.approve(bridge, 2**256 - 1, sender=alice)
    ccr.setApprovalForAll(bridge, True, sender=alice)
    return RootChain(bridge=bridge, token20=gst, token1155=ccr, ecr=ecr)


@pytest.fixture(scope="session")
def child(child_node, project, admin, validators, chain):
    """Child side: child copies of GST and CCR, minted only by the child bridge, which is
    governed from the root chain (ape's chain id) by admin messages."""
    w3, uri = child_node
    blocks: dict[str, int] = {}
    abis: dict[str, list] = {}
    deploy = web3_deployer(w3, project, admin.address, blocks, abis)

    bridge = deploy(
        "Bridge", [v.address for v in validators], DEV_THRESHOLD, chain.chain_id, ADMIN_DELAY
    )
    gst = deploy("GST", CAP, True)
    ecr = deploy("ECR", "ipfs://ecr/")
    ccr = deploy("CCR", "ipfs://ccr/", ecr.address, True)
    child = ChildChain(w3, uri, bridge, gst, ccr, blocks, abis)
    child.transact(
        ecr.functions.grantRole(keccak(text="CERTIFIER_ROLE"), ccr.address), admin.address
    )
    for token, standard in ((gst, ERC20), (ccr, ERC1155)):
        child.transact(token.functions.grantRole(DEPOSITOR_ROLE, bridge.address), admin.address)
        child.transact(bridge.functions.set_token(token.address, standard, True), admin.address)
    return child


@pytest.fixture(scope="session")
def wired(root, child, admin, chain):
    """Both bridges with their token pairs mapped to each other."""
    root_id = chain.chain_id
    root.bridge.map_token(root.token20, CHILD_CHAIN_ID, child.token20.address, sender=admin)
    root.bridge.map_token(root.token1155, CHILD_CHAIN_ID, child.token1155.address, sender=admin)
    for local, remote in ((child.token20, root.token20), (child.token1155, root.token1155)):
        child.transact(
            child.bridge.functions.map_token(local.address, root_id, remote.address), admin.address
        )
    return root, child


@pytest.fixture(autouse=True)
def child_isolation(request):
    """Revert the child chain after every test that touched it (ape isolates the root)."""
    if "child" not in request.fixturenames and "wired" not in request.fixturenames:
        yield
        return
    w3 = request.getfixturevalue("child").w3
    snap = w3.provider.make_request("evm_snapshot", [])["result"]
    yield
    w3.provider.make_request("evm_revert", [snap])


@pytest.fixture
def manifest_file(tmp_path, root, child, chain) -> Path:
    """A deployment manifest naming both chains' Bridge, GST and CCR, with their ABIs."""
    abi_dir = tmp_path / "abi"
    abi_dir.mkdir()
    for name, abi in child.abis.items():
        (abi_dir / f"{name}.json").write_text(json.dumps(abi))
    now = datetime.now(UTC).isoformat()
    start = chain.blocks.head.number

    def entry(address: str, block: int, name: str) -> DeployedContract:
        return DeployedContract(address=str(address), block=block, tx="0x", abi=f"abi/{name}.json")

    manifest = Manifest(path=tmp_path / "manifest.json")
    manifest.chains[chain.chain_id] = ChainDeployment(
        chain_id=chain.chain_id,
        network="ethereum:local:foundry",
        rpc_urls=[chain.provider.uri],
        deployed_at=now,
        contracts={
            "Bridge": entry(root.bridge.address, start, "Bridge"),
            "GST": entry(root.token20.address, start, "GST"),
            "CCR": entry(root.token1155.address, start, "CCR"),
        },
    )
    manifest.chains[CHILD_CHAIN_ID] = ChainDeployment(
        chain_id=CHILD_CHAIN_ID,
        network="polygon:local:foundry",
        rpc_urls=[child.uri],
        deployed_at=now,
        contracts={
            "Bridge": entry(child.bridge.address, child.w3.eth.block_number, "Bridge"),
            "GST": entry(child.token20.address, child.deploy_blocks["GST"], "GST"),
            "CCR": entry(child.token1155.address, child.deploy_blocks["CCR"], "CCR"),
        },
    )
    manifest.save()
    return manifest.path


@pytest.fixture
def database():
    """A fresh database for the bridge services of one test."""
    return new_database("bridge")


@pytest.fixture
def services(manifest_file, database, chain) -> Services:
    """Three validators (accounts 10-12) and the relayer (account 9), instant finality on both
    chains; tests that exercise finality set their own rule with ``with_finality``."""
    return make_services(manifest_file, database, finality(chain.chain_id))
