"""``python -m bridge [run|status|retry MESSAGE]``: the bridge relayer (also
``python -m bridge.relayer``); validators run as ``python -m bridge.validator``."""

import sys

from bridge.relayer import main

if __name__ == "__main__":
    sys.exit(main())
