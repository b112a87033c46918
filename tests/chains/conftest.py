"""Fixtures for the chain tests: local nodes on private ports under a throwaway ESG_HOME."""

import socket

import pytest

from esg import nodes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def node_env(tmp_path_factory):
    """ESG_HOME in a temp folder and a free port per profile, so a running demo is never touched."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ESG_HOME", str(tmp_path_factory.mktemp("esg_home")))
        for profile in nodes.PROFILES.values():
            mp.setenv(profile.port_env, str(free_port()))
        yield mp
        nodes.stop()
