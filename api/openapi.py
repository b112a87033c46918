"""``python -m api.openapi [FILE]``: write the API's OpenAPI document as JSON (stdout without FILE).

The document is committed as ``frontend/openapi.json``; the frontend's build generates its API
types from it (``npm run gen:api`` in ``frontend/``), and ``tests/frontend/test_api_types.py``
checks that it is the document the API serves.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from api.app import create_app
from api.settings import Settings


def document() -> dict:
    """The OpenAPI document of the app as served (no database needed to build it)."""
    return create_app(Settings(log_level="WARNING")).openapi()


def document_text() -> str:
    """The document as committed: JSON, keys sorted, two-space indents."""
    return json.dumps(document(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = document_text()
    if args:
        Path(args[0]).write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
