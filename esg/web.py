"""``python -m esg.web``: serve the built web dApp (``frontend/dist``) beside the local profiles.

``GET /config.js`` is the frontend's runtime configuration, written for this machine: the API's
URL, the local chains' RPC URLs and the development accounts (DEVELOPMENT ONLY: keys derived
from anvil's public test mnemonic, the demo's personas; they guard nothing). Every other path
is a built file, or ``index.html`` when no file matches, since the app routes in the browser.

Environment: ``WEB_HOST`` (127.0.0.1), ``WEB_PORT`` (3000), ``WEB_API_URL`` (default
``http://127.0.0.1:$API_PORT``), ``WEB_DIST`` (the build folder), ``WEB_DEV_ACCOUNTS`` (1: offer
the development accounts; 0 hides them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from api.settings import Settings as ApiSettings
from esg import logs, nodes
from esg.paths import PROJECT_ROOT
from esg.settings import Port

# The demo's personas a development account can act as (indexes into the test mnemonic).
DEV_PERSONAS = ("alice", "bob", "carol")
NOT_BUILT = (
    "The frontend is not built yet: run `make demo`, or `npm ci && npm run build` in frontend/.\n"
)


class WebSettings(BaseSettings):
    """Where the web server listens and what its config.js tells the browser."""

    model_config = SettingsConfigDict(env_prefix="WEB_", extra="ignore")

    host: str = "127.0.0.1"
    port: Port = 3000
    api_url: str = Field(default_factory=lambda: f"http://127.0.0.1:{ApiSettings().port}")
    dist: Path = PROJECT_ROOT / "frontend" / "dist"
    dev_accounts: bool = True

    @property
    def url(self) -> str:
        """Where a browser on this machine opens the app."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}/"

    @property
    def origins(self) -> list[str]:
        """The origins a browser may see the app at (what the API's CORS setting must allow)."""
        hosts = {self.host}
        if self.host in ("127.0.0.1", "localhost", "0.0.0.0", "::"):
            hosts = {"127.0.0.1", "localhost"}
        return [f"http://{h}:{self.port}" for h in sorted(hosts)]


def runtime_config(settings: WebSettings) -> dict:
    """What the frontend reads at start: the API, the local chains, the development accounts."""
    from esg.personas import persona_account

    chains = [
        {"chainId": p.chain_id, "name": p.name, "rpcUrl": p.url} for p in nodes.PROFILES.values()
    ]
    accounts = []
    if settings.dev_accounts:
        accounts = [
            {"name": name, "privateKey": "0x" + persona_account(name).key.hex()}
            for name in DEV_PERSONAS
        ]
    return {"apiUrl": settings.api_url.rstrip("/"), "chains": chains, "devAccounts": accounts}


class SinglePageFiles(StaticFiles):
    """Built files; any path that is not one gets index.html (client-side routes)."""

    async def get_response(self, path: str, scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404:
                raise
            response = FileResponse(Path(self.directory) / "index.html")
        if path.startswith("assets/"):
            # Vite puts a content hash in every asset's name: a changed file has a new name.
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        return response


def create_app(settings: WebSettings | None = None) -> Starlette:
    """The web server: config.js plus the built frontend."""
    settings = settings or WebSettings()
    script = "window.ESG_CONFIG = " + json.dumps(runtime_config(settings)) + ";\n"

    async def config_js(request: Request) -> Response:
        return Response(
            script,
            media_type="text/javascript",
            headers={"Cache-Control": "no-store"},
        )

    async def not_built(request: Request) -> Response:
        return PlainTextResponse(NOT_BUILT, status_code=503)

    routes = [Route("/config.js", config_js)]
    if (settings.dist / "index.html").is_file():
        routes.append(Mount("/", SinglePageFiles(directory=settings.dist, html=True)))
    else:
        routes.append(Route("/{path:path}", not_built))
    return Starlette(routes=routes, middleware=[Middleware(GZipMiddleware, minimum_size=1024)])


def main() -> int:
    import uvicorn

    settings = WebSettings()
    logs.setup("WARNING")
    if not (settings.dist / "index.html").is_file():
        print(NOT_BUILT, file=sys.stderr, end="")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        log_config=None,
        access_log=False,
        server_header=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
