"""Static checks of the Besu network files (no Besu binary is needed) and of the layout script."""

import json
import re
import stat
import tomllib
from pathlib import Path

import pytest
import rlp
import yaml
from eth_account import Account
from eth_keys import keys
from eth_utils import keccak, to_checksum_address

from besu import qbft_network

ROOT = Path(__file__).resolve().parents[2]
BESU = ROOT / "besu"
GENESIS = json.loads((BESU / "genesis.json").read_text())
CONFIG = tomllib.loads((BESU / "config.toml").read_text())
PERMISSIONS = tomllib.loads((BESU / "permissions_config.toml").read_text())

MNEMONIC = "test test test test test test test test test test test junk"
ENODE = re.compile(
    r"^enode://(?P<key>[0-9a-f]{128})@(?P<host>\d{1,3}(\.\d{1,3}){3}):(?P<port>\d+)$"
)

# Block-numbered forks in activation order, then timestamped forks in activation order.
BLOCK_FORKS = [
    "homesteadBlock",
    "eip150Block",
    "eip155Block",
    "eip158Block",
    "byzantiumBlock",
    "constantinopleBlock",
    "petersburgBlock",
    "istanbulBlock",
    "muirGlacierBlock",
    "berlinBlock",
    "londonBlock",
    "arrowGlacierBlock",
    "grayGlacierBlock",
]
TIME_FORKS = ["shanghaiTime", "cancunTime", "pragueTime", "osakaTime"]
EVM_VERSION_FORK = {"london": "londonBlock", "shanghai": "shanghaiTime", "cancun": "cancunTime"}

# Options from Besu's command line reference (a config.toml key is an option without its `--`).
KNOWN_BESU_OPTIONS = {
    "bootnodes",
    "config-file",
    "data-path",
    "data-storage-format",
    "discovery-enabled",
    "genesis-file",
    "host-allowlist",
    "identity",
    "logging",
    "max-peers",
    "metrics-enabled",
    "metrics-host",
    "metrics-port",
    "min-gas-price",
    "nat-method",
    "network-id",
    "node-private-key-file",
    "p2p-enabled",
    "p2p-host",
    "p2p-interface",
    "p2p-port",
    "permissions-accounts-config-file",
    "permissions-accounts-config-file-enabled",
    "permissions-nodes-config-file",
    "permissions-nodes-config-file-enabled",
    "profile",
    "rpc-http-api",
    "rpc-http-cors-origins",
    "rpc-http-enabled",
    "rpc-http-host",
    "rpc-http-port",
    "rpc-ws-api",
    "rpc-ws-enabled",
    "rpc-ws-host",
    "rpc-ws-port",
    "static-nodes-file",
    "sync-mode",
    "target-gas-limit",
    "tx-pool",
    "tx-pool-max-size",
}
BESU_RPC_APIS = {"ADMIN", "CLIQUE", "DEBUG", "EEA", "ETH", "IBFT", "MINER", "NET", "PERM"}
BESU_RPC_APIS |= {"PLUGINS", "PRIV", "QBFT", "TRACE", "TXPOOL", "WEB3"}


def derive(path: str) -> Account:
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(MNEMONIC, account_path=path)


def address_of_enode(enode: str) -> str:
    match = ENODE.match(enode)
    assert match, f"malformed enode URL {enode}"
    return to_checksum_address(keccak(bytes.fromhex(match["key"]))[12:])


def decode_extra(extra_data: str) -> list:
    return rlp.decode(bytes.fromhex(extra_data.removeprefix("0x")))


def evm_version() -> str:
    config = yaml.safe_load((ROOT / "ape-config.yaml").read_text())
    return config["vyper"]["evm_version"]


# --- genesis -------------------------------------------------------------------------------------


def test_chain_id_is_the_network_id():
    assert GENESIS["config"]["chainId"] == 2025
    assert CONFIG["network-id"] == 2025


def test_all_block_forks_active_at_genesis():
    config = GENESIS["config"]
    missing = [fork for fork in BLOCK_FORKS if fork not in config]
    assert not missing, f"missing forks {missing}"
    assert all(config[fork] == 0 for fork in BLOCK_FORKS)


def test_time_forks_ordered_and_stop_at_the_compiled_evm_version():
    config = GENESIS["config"]
    present = [config[fork] for fork in TIME_FORKS if fork in config]
    # Forks are activated in order: no gaps and non-decreasing times.
    assert [f for f in TIME_FORKS if f in config] == TIME_FORKS[: len(present)]
    assert present == sorted(present)
    target = EVM_VERSION_FORK[evm_version()]
    assert config[target] == 0, f"{target} must be active from genesis for {evm_version()}"
    later = TIME_FORKS[TIME_FORKS.index(target) + 1 :] if target in TIME_FORKS else TIME_FORKS
    assert not [f for f in later if f in config], "genesis enables forks newer than the EVM target"


def test_qbft_settings_sane_and_no_other_consensus():
    config = GENESIS["config"]
    qbft = config["qbft"]
    assert 1 <= qbft["blockperiodseconds"] <= 60
    assert qbft["epochlength"] >= 1000
    # A round must be able to outlast a block period, else rounds change before blocks arrive.
    assert qbft["requesttimeoutseconds"] >= 2 * qbft["blockperiodseconds"]
    assert not {"clique", "ethash", "ibft2"} & set(config)
    assert GENESIS["mixHash"] == "0x" + b"ctical byzantine fault tolerance".hex()
    assert int(GENESIS["difficulty"], 16) == 1


def test_free_gas():
    assert GENESIS["config"]["zeroBaseFee"] is True
    assert int(GENESIS["baseFeePerGas"], 16) == 0
    assert CONFIG["min-gas-price"] == 0


def test_gas_limit_fits_a_deploy():
    gas_limit = int(GENESIS["gasLimit"], 16)
    assert 30_000_000 <= gas_limit <= 2**53 - 1


def test_extra_data_lists_the_dev_validators():
    vanity, validators, vote, round_number, seals = decode_extra(GENESIS["extraData"])
    assert vanity == b"\x00" * 32
    assert vote == [] and seals == [] and round_number == b""
    expected = {derive(f"m/44'/60'/1'/0/{i}").address for i in range(4)}
    assert {to_checksum_address(v) for v in validators} == expected
    assert len(validators) == 4


def test_only_dev_accounts_are_funded():
    dev = {derive(f"m/44'/60'/0'/0/{i}").address for i in range(20)}
    alloc = {to_checksum_address(a): v for a, v in GENESIS["alloc"].items()}
    assert set(alloc) <= dev
    # ape's ten test accounts must be able to deploy on the local profile.
    assert {derive(f"m/44'/60'/0'/0/{i}").address for i in range(10)} <= set(alloc)
    assert all(set(v) == {"balance"} and int(v["balance"], 16) > 0 for v in alloc.values())


# --- node configuration ------------------------------------------------------------------------


def test_config_uses_only_known_options():
    assert set(CONFIG) <= KNOWN_BESU_OPTIONS, set(CONFIG) - KNOWN_BESU_OPTIONS


def test_config_matches_the_seed_node():
    assert CONFIG["rpc-http-enabled"] is True
    assert CONFIG["rpc-http-port"] == 8545
    assert CONFIG["rpc-http-host"] in {"127.0.0.1", "0.0.0.0"}
    assert {"ETH", "NET", "WEB3", "ADMIN", "QBFT"} <= set(CONFIG["rpc-http-api"]) <= BESU_RPC_APIS
    assert CONFIG["host-allowlist"]
    assert CONFIG["data-path"]
    assert (ROOT / CONFIG["genesis-file"]).resolve() == (BESU / "genesis.json").resolve()


def test_node_permissioning_enabled_with_the_committed_file():
    assert CONFIG["permissions-nodes-config-file-enabled"] is True
    path = (ROOT / CONFIG["permissions-nodes-config-file"]).resolve()
    assert path == (BESU / "permissions_config.toml").resolve()


def test_permissions_allowlist_names_the_validators():
    assert set(PERMISSIONS) <= {"nodes-allowlist", "accounts-allowlist"}
    enodes = PERMISSIONS["nodes-allowlist"]
    assert len(set(enodes)) == len(enodes) == 4
    validators = {to_checksum_address(v) for v in decode_extra(GENESIS["extraData"])[1]}
    assert {address_of_enode(e) for e in enodes} == validators
    ports = [int(ENODE.match(e)["port"]) for e in enodes]
    assert len(set(ports)) == 4


# --- extraData codec ---------------------------------------------------------------------------


def test_extra_data_round_trip():
    addresses = [Account.create().address for _ in range(7)]
    decoded = qbft_network.decode_extra_data(qbft_network.encode_extra_data(addresses))
    assert {to_checksum_address(a) for a in decoded} == set(addresses)


@pytest.mark.parametrize(
    "items",
    [
        [b"\x00" * 32, [b"\x11" * 20], [], 0],  # four items
        [b"\x00" * 31, [b"\x11" * 20], [], 0, []],  # short vanity
        [b"\x00" * 32, [b"\x11" * 19], [], 0, []],  # short address
        [b"\x00" * 32, [], [], 0, []],  # no validator
    ],
)
def test_malformed_extra_data_is_rejected(items):
    with pytest.raises(ValueError):
        qbft_network.decode_extra_data("0x" + rlp.encode(items).hex())


# --- the layout script -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    out = tmp_path_factory.mktemp("qbft")
    assert qbft_network.main(["--out", str(out), "--validators", "4"]) == 0
    return out


def node_keys(out: Path) -> list[keys.PrivateKey]:
    result = []
    for i in range(1, 5):
        text = (out / f"node-{i}" / "data" / "key").read_text().strip()
        result.append(keys.PrivateKey(bytes.fromhex(text.removeprefix("0x"))))
    return result


def test_layout_writes_fresh_private_keys(network, tmp_path):
    key_files = [network / f"node-{i}" / "data" / "key" for i in range(1, 5)]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in key_files)
    dev = {derive(f"m/44'/60'/1'/0/{i}").address for i in range(4)}
    assert not {k.public_key.to_checksum_address() for k in node_keys(network)} & dev
    qbft_network.main(["--out", str(tmp_path), "--validators", "4"])
    assert set(node_keys(tmp_path)).isdisjoint(node_keys(network))


def test_layout_extra_data_names_the_generated_keys(network):
    genesis = json.loads((network / "genesis.json").read_text())
    vanity, validators, vote, round_number, seals = decode_extra(genesis["extraData"])
    assert len(vanity) == 32 and vote == [] and seals == [] and round_number == b""
    expected = {k.public_key.to_checksum_address() for k in node_keys(network)}
    assert {to_checksum_address(v) for v in validators} == expected
    # Everything but the validators is the committed genesis.
    assert {k: v for k, v in genesis.items() if k != "extraData"} == {
        k: v for k, v in GENESIS.items() if k != "extraData"
    }


def test_layout_enodes_match_the_keys(network):
    pubkeys = {k.public_key.to_bytes().hex() for k in node_keys(network)}
    allowlist = tomllib.loads((network / "permissions_config.toml").read_text())["nodes-allowlist"]
    static_nodes = json.loads((network / "static-nodes.json").read_text())
    assert sorted(allowlist) == sorted(static_nodes)
    assert {ENODE.match(e)["key"] for e in allowlist} == pubkeys


def test_layout_node_configs(network):
    configs = [
        tomllib.loads((network / f"node-{i}" / "config.toml").read_text()) for i in range(1, 5)
    ]
    allowlist = tomllib.loads((network / "permissions_config.toml").read_text())["nodes-allowlist"]
    for i, (config, key) in enumerate(zip(configs, node_keys(network), strict=True)):
        assert set(config) <= KNOWN_BESU_OPTIONS, set(config) - KNOWN_BESU_OPTIONS
        assert config["network-id"] == 2025
        assert Path(config["genesis-file"]) == network / "genesis.json"
        key_file = Path(config["node-private-key-file"])
        assert key_file.read_text().strip() == "0x" + key.to_bytes().hex()
        assert Path(config["permissions-nodes-config-file"]).exists()
        own_enode = f"enode://{key.public_key.to_bytes().hex()}@127.0.0.1:{config['p2p-port']}"
        assert own_enode in allowlist
        assert set(config["bootnodes"]) <= set(allowlist)
        if i:
            assert config["bootnodes"], "every node but the first needs a bootnode"
    for option in ("p2p-port", "rpc-http-port", "data-path"):
        assert len({c[option] for c in configs}) == 4, f"{option} must differ per node"


def test_dev_keys_reproduce_the_committed_network(tmp_path):
    qbft_network.main(["--out", str(tmp_path), "--validators", "4", "--dev-keys"])
    assert json.loads((tmp_path / "genesis.json").read_text()) == GENESIS
    allowlist = tomllib.loads((tmp_path / "permissions_config.toml").read_text())
    assert allowlist == PERMISSIONS
