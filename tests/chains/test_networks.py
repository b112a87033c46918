"""The ape networks of ape-config.yaml reach the local profiles and name the live networks."""

import pytest
from ape import networks

from esg import networks as esg_networks
from esg import nodes


@pytest.mark.parametrize("profile", list(nodes.PROFILES))
def test_local_network_choice_exists_with_the_node_provider(profile):
    ecosystem, network, provider = esg_networks.network_choice(profile).split(":")
    net = networks.get_ecosystem(ecosystem).get_network(network)
    assert provider in net.providers


@pytest.mark.parametrize("choice", list(esg_networks.LIVE_NETWORKS))
def test_live_networks_use_the_node_provider(choice):
    ecosystem, network, provider = choice.split(":")
    net = networks.get_ecosystem(ecosystem).get_network(network)
    assert provider in net.providers
    assert net.default_provider_name == provider


def test_besu_private_network_is_chain_2025():
    assert networks.get_ecosystem("besu").get_network("private").chain_id == 2025


@pytest.mark.parametrize("profile", list(nodes.PROFILES))
def test_connect_reaches_the_running_profile(node_env, profile):
    nodes.start([profile])
    with esg_networks.connect(profile) as provider:
        expected = nodes.PROFILES[profile].chain_id
        assert provider.chain_id == provider.web3.eth.chain_id == expected
        assert provider.network.ecosystem.name == profile
        assert provider.http_uri == nodes.rpc_url(profile)
    nodes.stop([profile])
