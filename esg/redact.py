"""Keeping credentials out of manifests, log lines, metrics and API answers.

Node URLs of hosted providers carry their API key in the path (``/v3/<key>``, ``/v2/<key>``),
in the query or as user info (``https://user:secret@host``). Only the scheme, host and port of a
URL are safe to show, and a URL may be written down (in a manifest) only when it has nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


def _split(url: str):
    try:
        return urlsplit(url)
    except ValueError:
        return None


def is_public_url(url: str) -> bool:
    """Whether ``url`` can carry no credential: no user info, no path beyond ``/``, no query
    and no fragment (``http://127.0.0.1:8545`` yes; ``https://host/v3/<key>`` no)."""
    parts = _split(url)
    if parts is None or not parts.scheme or not parts.hostname:
        return False
    return (
        parts.username is None
        and parts.password is None
        and parts.path in ("", "/")
        and not parts.query
        and not parts.fragment
    )


def redact_url(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, with ``/…`` where a path, query or user info was
    dropped; ``<url>`` if it cannot be parsed."""
    parts = _split(url)
    if parts is None or not parts.hostname:
        return "<url>"
    try:
        port = parts.port
    except ValueError:
        return "<url>"
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    base = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
    return base if is_public_url(url) else base + "/…"


def scrub(text: str, urls: Iterable[str]) -> str:
    """``text`` with every occurrence of each of ``urls`` (and of its secret parts: path,
    query, user info) replaced by its redacted form."""
    for url in urls:
        if not url or is_public_url(url):
            continue
        text = text.replace(url, redact_url(url))
        parts = _split(url)
        if parts is None:
            continue
        values = [v for pair in parts.query.split("&") for v in pair.split("=")]
        for secret in (
            parts.path,
            parts.query,
            parts.password,
            parts.username,
            parts.fragment,
            *parts.path.split("/"),
            *values,
        ):
            if secret and len(secret) > 3:
                text = text.replace(secret, "…")
    return text
