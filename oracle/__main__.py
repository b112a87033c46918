"""``python -m oracle``: serve the oracle (HTTPS with TLS 1.3 minimum when given a certificate)."""

from __future__ import annotations

from esg import logs, tls
from oracle.settings import Settings


def main() -> None:
    s = Settings()
    logs.setup(s.log_level)
    tls.run(
        "oracle.app:create_app",
        cert=s.tls_cert,
        key=s.tls_key,
        factory=True,
        host=s.host,
        port=s.port,
        log_level=s.log_level.lower(),
        log_config=None,
        server_header=False,
    )


if __name__ == "__main__":
    main()
