"""``ape run deploy``: the ``esg deploy`` command (esg/cli/deploy.py), run by ape."""

from esg.cli.deploy import deploy as cli

__all__ = ["cli"]
