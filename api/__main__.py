"""``python -m api``: serve the API with uvicorn (uvloop, httptools; API_WORKERS processes).

HTTPS with TLS 1.3 as the minimum when ``API_TLS_CERT`` and ``API_TLS_KEY`` are set.
"""

from __future__ import annotations

from api.settings import Settings
from esg import tls


def main() -> None:
    s = Settings()
    tls.serve(
        "api.app:create_app",
        s,
        workers=s.workers,
        loop="uvloop",
        http="httptools",
        access_log=False,
        # The client address (and so the rate limit's key) comes from X-Forwarded-For only on
        # connections from a configured proxy.
        proxy_headers=bool(s.trusted_proxies),
        forwarded_allow_ips=s.trusted_proxies or None,
        date_header=False,
        backlog=4096,
    )


if __name__ == "__main__":
    main()
