"""``python -m oracle``: serve the oracle (HTTPS with TLS 1.3 minimum when given a certificate)."""

from __future__ import annotations

import logging

from esg import tls
from oracle.settings import Settings


def main() -> None:
    s = Settings()
    logging.basicConfig(
        level=s.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    tls.run(
        "oracle.app:create_app",
        cert=s.tls_cert,
        key=s.tls_key,
        factory=True,
        host=s.host,
        port=s.port,
        log_level=s.log_level.lower(),
        server_header=False,
    )


if __name__ == "__main__":
    main()
