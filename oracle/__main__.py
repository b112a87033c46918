"""``python -m oracle``: serve the oracle (HTTPS with TLS 1.3 minimum when given a certificate)."""

from __future__ import annotations

from esg import tls
from oracle.settings import Settings


def main() -> None:
    tls.serve("oracle.app:create_app", Settings())


if __name__ == "__main__":
    main()
