"""Ape network choices for the local profiles and the live networks (see ape-config.yaml).

=========  =========================  ==========================================================
chain      local profile              live networks (RPC URL from the environment variable)
=========  =========================  ==========================================================
besu       ``besu:local:node``        ``besu:private:node`` (``BESU_RPC_URL``)
ethereum   ``ethereum:local:node``    ``ethereum:mainnet:node`` (``ETHEREUM_MAINNET_RPC_URL``),
                                      ``ethereum:sepolia:node`` (``ETHEREUM_SEPOLIA_RPC_URL``)
polygon    ``polygon:local:node``     ``polygon:mainnet:node`` (``POLYGON_MAINNET_RPC_URL``),
                                      ``polygon:amoy:node`` (``POLYGON_AMOY_RPC_URL``)
=========  =========================  ==========================================================

ape-config.yaml points the local choices at the profiles' default ports; :func:`connect` also
follows a port moved with ``ESG_<PROFILE>_PORT``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from esg.nodes import PROFILES, rpc_url

if TYPE_CHECKING:
    from ape.api import ProviderAPI

LOCAL_NETWORKS: dict[str, str] = {
    "besu": "besu:local:node",
    "ethereum": "ethereum:local:node",
    "polygon": "polygon:local:node",
}

LIVE_NETWORKS: dict[str, str] = {
    "besu:private:node": "BESU_RPC_URL",
    "ethereum:mainnet:node": "ETHEREUM_MAINNET_RPC_URL",
    "ethereum:sepolia:node": "ETHEREUM_SEPOLIA_RPC_URL",
    "polygon:mainnet:node": "POLYGON_MAINNET_RPC_URL",
    "polygon:amoy:node": "POLYGON_AMOY_RPC_URL",
}


def network_choice(profile: str) -> str:
    """The ape ``--network`` value of a local profile."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose from {', '.join(PROFILES)}")
    return LOCAL_NETWORKS[profile]


@contextlib.contextmanager
def connect(profile: str) -> Iterator[ProviderAPI]:
    """Connect ape to a running local profile at its current URL (port overrides included)."""
    from ape import networks

    choice = network_choice(profile)
    with networks.parse_network_choice(
        choice, provider_settings={"uri": rpc_url(profile)}
    ) as provider:
        yield provider
