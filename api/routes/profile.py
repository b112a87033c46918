"""/esg/unified-profile/{address}: everything one address holds and did, across all chains.

The list sections hold up to ``SECTION_ROWS`` rows each; /accounts/{address}/stakes,
/certificates, /gem-claims, /retirements and /ai-audits page through all of them.
"""

from __future__ import annotations

import re

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute

from api.db import Heads
from api.deps import AddressPath
from api.errors import bad_request
from api.fields import AddressStr, address_fields, checksum, checksum_hex, parse_address
from api.models import Envelope
from api.rows import Audit, Balance, Certificate, Gem, GemClaim, Retirement, Score, Stake
from api.sql import profile as sql


class _HotRoute(APIRoute):
    """A route documented like any other (its parameters and response model come from the
    endpoint's signature), answered by a plain ASGI function (``_answer``) that reads its path
    parameter from the scope and sends the bytes itself. FastAPI's request handler (dependency
    solving, validation, the checks around them) costs about 45 µs per uncached profile,
    measured in-process on this machine (85-100 µs through it, 45-59 µs without); the request
    and response objects and the exception and body-limit wrappers of a route (Starlette's
    ``request_response``) were about a tenth of the worker's samples in the request (py-spy, an
    uncached profile in-process). The answer checks its input itself; its errors are raised as
    the routes' are (the application's exception handlers answer them)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.app = _answer


SECTION_ROWS = 100
PATH = "/esg/unified-profile/{address}"
SUMMARY = (
    "Balances of the eight tokens, ECS score, stakes, gems, certificates, retirements and AI"
    f" audits of one address across all chains (each list section up to {SECTION_ROWS} rows;"
    " /accounts/{address}/... pages through all)"
)


class ProfileOut(Envelope):
    address: AddressStr
    balances: list[Balance]
    scores: list[Score]
    stakes: list[Stake]
    gems: list[Gem]
    gem_claims: list[GemClaim]
    certificates: list[Certificate]
    retirements: list[Retirement]
    ai_audits: list[Audit]


# Every address field of the document, by the sections' read models; each has a lower-case value
# in PostgreSQL's json text (``"key" : "0x..."``). A quote inside a JSON string is escaped, so
# text in a message never matches.
_ADDRESS_KEYS = sorted(
    set().union(
        *(
            address_fields(m)
            for m in (Balance, Score, Stake, Gem, GemClaim, Certificate, Retirement, Audit)
        )
    )
)
_ADDRESS_FIELD = re.compile(
    rb'"(?:' + "|".join(_ADDRESS_KEYS).encode() + rb')" : "(0x[0-9a-f]{40})"'
)


# EIP-55 forms of the address values met so far (lower-case 0x hex -> checksummed), as bytes:
# the indexed contracts recur in every answer. Emptied when full (each new holder adds one).
_CHECKSUMS: dict[bytes, bytes] = {}


def _checksum_field(m: re.Match) -> bytes:
    value = m.group(1)
    eip = _CHECKSUMS.get(value)
    if eip is None:
        if len(_CHECKSUMS) >= 65_536:
            _CHECKSUMS.clear()
        eip = _CHECKSUMS[value] = checksum_hex(value.decode()).encode()
    return m.group(0)[:-43] + eip + b'"'


_READ_AT: dict[str, bytes] = {}


def _read_at(heads: Heads) -> bytes:
    """``"read_at":[...]`` of ``heads``, built once per head token."""
    out = _READ_AT.get(heads.token)
    if out is None:
        _READ_AT.clear()
        out = _READ_AT[heads.token] = b'"read_at":' + orjson.dumps(heads.read_at())
    return out


async def profile_body(pool, address: bytes, heads: Heads) -> tuple[bytes, tuple | None]:
    """The profile document as JSON bytes: built by PostgreSQL in one statement, then the address
    fields put in EIP-55 form (one pass of one expression over the text) and ``read_at``/
    ``address`` added (no parse, no model pass); and, when some of its rows are not final, the
    lowest such block of each chain ((chain id, block) pairs: the answer changes once one of them
    is final)."""
    chains = [c.chain_id for c in heads.chains]
    finalized = [c.finalized_block for c in heads.chains]
    text, rows = await pool.fetchrow(sql.PROFILE, address, chains, SECTION_ROWS, finalized)
    doc = _ADDRESS_FIELD.sub(_checksum_field, text.encode())
    head = b"{" + _read_at(heads) + b',"address":"' + checksum(address).encode()
    return head + b'",' + doc[1:], None if rows is None else _lowest(rows)


def _lowest(rows) -> tuple:
    lowest: dict[int, int] = {}
    for chain, block in rows:
        if block < lowest.get(chain, block + 1):
            lowest[chain] = block
    return tuple(lowest.items())


async def unified_profile(address: AddressPath, request: Request) -> Response:
    # The declared endpoint: its signature documents the route (a docstring would become the
    # operation's description); requests are answered by ``_answer``.
    return Response(await _profile(request.scope, address), media_type=_JSON)


async def _profile(scope, address: str) -> bytes:
    # The hot path of the API returns the document PostgreSQL built as it is: validating and
    # serializing it through ProfileOut would cost more than the whole query (the model still
    # documents it, and the tests validate answers against it).
    if scope["query_string"]:
        query = scope["query_string"].decode("latin-1")
        raise bad_request(f"unknown query parameter in {query[:80]!r}: this route takes none")
    raw = parse_address(address)
    state = scope["app"].state
    heads = state.heads.heads
    if state.redis is None:
        # Whole answers are already kept per worker (middleware.HeadCache).
        body, pending = await profile_body(state.profile_pool, raw, heads)
    else:
        body, pending = await _through_redis(state, scope, raw, heads)
    # For the response cache: until which blocks the answer's ``final`` flags hold.
    scope["esg.pending"] = pending
    return body


async def _answer(scope, receive, send) -> None:
    body = await _profile(scope, scope["path_params"]["address"])
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", _JSON_BYTES), (b"content-length", b"%d" % len(body))],
        }
    )
    await send({"type": "http.response.body", "body": body})


_JSON = "application/json"
_JSON_BYTES = _JSON.encode()


def install(app: FastAPI, prefix: str, responses: dict) -> None:
    """Register the route on the application's own router. ``include_router`` wraps each route
    it includes in a routing context resolved on every request, which costs about 20 µs per
    request (measured in-process on an uncached profile: 46-54 µs registered here, 67-81 µs
    included), 4 % of the request's CPU."""
    app.router.add_api_route(
        prefix + PATH,
        unified_profile,
        response_model=ProfileOut,
        summary=SUMMARY,
        tags=["profile"],
        responses=responses,
        route_class_override=_HotRoute,
    )
    # First in the routing table, ahead of the documentation routes FastAPI registers at start:
    # the router tries each route's pattern in turn, and this is the route most requests take
    # (about 3 µs per request less, in-process).
    app.router.routes.insert(0, app.router.routes.pop())


async def _through_redis(state, scope, address: bytes, heads: Heads) -> tuple[bytes, tuple | None]:
    """The profile from the shared cache, under the seed's key; the seed's per-score and
    per-token keys are written alongside (esg:score:{user} 1800 s,
    token:balance:{user}:{token} 300 s). An entry holds, before its body, the change numbers its
    reader had learned when it began (middleware.HeadCache.fresh) and its rows not final yet:
    every worker deletes the keys of an address when it learns that the address changed
    (``forget_in_redis``), and neither serves nor writes an entry older than a change it has
    learned of."""
    settings, redis, prefix = state.settings, state.redis, state.settings.cache_prefix
    user = "0x" + address.hex()
    key = f"{prefix}esg:profile:{user}"
    entity = ("account", address.hex())
    cache = state.response_cache
    since = scope.get("esg.since", cache.learned)
    cached = await redis.get(key)
    if cached is not None:
        head, _, body = cached.partition(b"\n")
        written = _entry_head(head)
        # An entry written before a change this worker learned of (by a worker that had not).
        if written is not None and cache.fresh(entity, written[0]):
            # The response cache keeps the answer as old as its reader's knowledge.
            scope["esg.since"] = written[0]
            return body, written[1]
    body, pending = await profile_body(state.profile_pool, address, heads)
    if not cache.fresh(entity, since):
        return body, pending
    doc = orjson.loads(body)
    per_token: dict[str, list] = {}
    for b in doc["balances"]:
        per_token.setdefault(b["token"] or b["contract"], []).append(b)
    head = orjson.dumps([list(since.items()), pending])
    pipe = redis.pipeline(transaction=False)
    pipe.set(key, head + b"\n" + body, ex=settings.profile_ttl)
    pipe.set(f"{prefix}esg:score:{user}", orjson.dumps(doc["scores"]), ex=settings.score_ttl)
    for sym, rows in per_token.items():
        pipe.set(f"{prefix}token:balance:{user}:{sym}", orjson.dumps(rows), ex=settings.balance_ttl)
    await pipe.execute()
    if not cache.fresh(entity, since):
        # The address changed while the entry was written: its deletion may have gone first.
        await redis.delete(key)
    return body, pending


def _entry_head(raw: bytes) -> tuple[dict[int, int], tuple | None] | None:
    """The change numbers an entry was written with and its rows not final yet; None for an
    entry of another form (written by an older release), which is read again."""
    try:
        learned, pending = orjson.loads(raw)
        return (
            {int(chain): int(seq) for chain, seq in learned},
            None if pending is None else tuple((int(c), int(b)) for c, b in pending),
        )
    except (orjson.JSONDecodeError, TypeError, ValueError):
        return None


async def forget_in_redis(redis, prefix: str, changes) -> None:
    """Delete the shared profile entries of the accounts in ``changes`` (api.changes)."""
    keys = [f"{prefix}esg:profile:0x{key}" for kind, key, _, _ in changes if kind == "account"]
    whole = any(kind == "chain" for kind, _, _, _ in changes)
    if whole:
        keys += [k async for k in redis.scan_iter(f"{prefix}esg:profile:*", count=1000)]
    for i in range(0, len(keys), 1000):
        await redis.delete(*keys[i : i + 1000])
