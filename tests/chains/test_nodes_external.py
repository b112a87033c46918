"""A profile pointed at a node run elsewhere (``ESG_<PROFILE>_URL``, as in docker-compose):
start waits for it and checks its chain id, stop leaves it running."""

import subprocess

import pytest

from esg import nodes
from tests.support.indexing import free_port


@pytest.fixture
def outside_node(node_env):
    """An anvil this module starts itself, as another container would run it."""
    port = free_port()
    proc = subprocess.Popen(
        [nodes.anvil_executable(), "--port", str(port), "--chain-id", "31338"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield f"http://127.0.0.1:{port}", proc
    proc.terminate()
    proc.wait(10)


def test_external_node_is_used_and_left_running(node_env, outside_node):
    url, proc = outside_node
    node_env.setenv("ESG_POLYGON_URL", url)
    assert nodes.start(["polygon"], timeout=30) == {"polygon": url}
    assert nodes.rpc_url("polygon") == url
    assert not (nodes.node_dir() / "polygon.pid").exists()  # nothing started here
    st = nodes.status(["polygon"])["polygon"]
    assert st.running and st.chain_id == 31338 and st.pid is None and st.url == url
    nodes.stop(["polygon"])
    assert proc.poll() is None


def test_external_node_with_another_chain_id_is_refused(node_env, outside_node):
    url, _ = outside_node
    node_env.setenv("ESG_ETHEREUM_URL", url)
    with pytest.raises(nodes.NodeError, match="reports chain id 31338, expected 31337"):
        nodes.start(["ethereum"], timeout=30)


def test_unreachable_external_node_is_an_error(node_env):
    node_env.setenv("ESG_BESU_URL", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(nodes.NodeError, match="besu node did not answer in 1"):
        nodes.start(["besu"], timeout=1)
