"""``python -m esg``: the ``esg`` command line (esg.cli)."""

from esg.cli import main

main(prog_name="esg")
