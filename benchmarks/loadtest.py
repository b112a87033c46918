"""The seed's staged load test (k6-load-test.js) as a Python script: virtual users each GET the
unified profile of a random holder in a loop while their number ramps 0 → 100, holds, ramps to
200, holds and ramps down. Checks, as the seed's: status is 200, response time < 200 ms.

    python -m benchmarks.loadtest --url http://127.0.0.1:8000            # short stages (70 s)
    python -m benchmarks.loadtest --url http://127.0.0.1:8000 --full     # the seed's 2m/5m/2m/5m/2m

Targets are read from ``--addresses`` (one address a line) or else from the API itself (the
holders of GST). Prints the pass rate of each check, latency percentiles and the request rate.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time

import aiohttp

SHORT = ((10, 100), (20, 100), (10, 200), (20, 200), (10, 0))
FULL = ((120, 100), (300, 100), (120, 200), (300, 200), (120, 0))
PROFILE = "/api/v1/esg/unified-profile/"


async def holders_from_api(session: aiohttp.ClientSession, url: str, n: int = 2000) -> list[str]:
    out, cursor = [], None
    async with session.get(f"{url}/api/v1/chains") as r:
        chains = [c["chain_id"] for c in (await r.json())["items"]]
    for chain in chains:
        while len(out) < n:
            params = {"limit": "500", "chain": str(chain)}
            if cursor:
                params["cursor"] = cursor
            async with session.get(f"{url}/api/v1/tokens/GST/holders", params=params) as r:
                body = await r.json()
            out += [h["holder"] for h in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
    return out


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q / 100 * len(values)))]


async def run(url: str, stages, addresses: list[str], limit_ms: float = 200) -> dict:
    stats = {"requests": 0, "ok_status": 0, "fast": 0, "errors": 0, "lat": []}
    connector = aiohttp.TCPConnector(limit=0, ttl_dns_cache=300)
    async with aiohttp.ClientSession(connector=connector) as session:
        if not addresses:
            addresses = await holders_from_api(session, url)
        if not addresses:
            raise SystemExit("no holder addresses to request")
        users: list[asyncio.Task] = []

        async def user() -> None:
            while True:
                t = time.perf_counter()
                try:
                    async with session.get(url + PROFILE + random.choice(addresses)) as r:
                        await r.read()
                        status = r.status
                except (TimeoutError, aiohttp.ClientError):
                    status = 0
                ms = (time.perf_counter() - t) * 1000
                stats["requests"] += 1
                stats["lat"].append(ms)
                stats["ok_status"] += status == 200
                stats["fast"] += ms < limit_ms
                stats["errors"] += status != 200

        started = time.monotonic()
        prev_target = 0
        for duration, target in stages:
            stage_start = time.monotonic()
            while (elapsed := time.monotonic() - stage_start) < duration:
                want = round(prev_target + (target - prev_target) * elapsed / duration)
                while len(users) < want:
                    users.append(asyncio.create_task(user()))
                while len(users) > want:
                    users.pop().cancel()
                await asyncio.sleep(0.1)
            prev_target = target
            print(
                f"stage {duration:>4} s -> {target:>3} VUs done: {stats['requests']} requests",
                flush=True,
            )
        for u in users:
            u.cancel()
        await asyncio.gather(*users, return_exceptions=True)
        stats["seconds"] = time.monotonic() - started
    return stats


def report(stats: dict, limit_ms: float = 200) -> None:
    n = max(1, stats["requests"])
    lat = stats["lat"]
    print(
        f"loadtest: {stats['requests']} requests in {stats['seconds']:.0f} s "
        f"({stats['requests'] / stats['seconds']:.0f} req/s)"
    )
    print(
        f"  check 'status is 200': {100 * stats['ok_status'] / n:.2f}% "
        f"({stats['ok_status']}/{stats['requests']})"
    )
    print(
        f"  check 'response time < {limit_ms:.0f}ms': {100 * stats['fast'] / n:.2f}% "
        f"({stats['fast']}/{stats['requests']})"
    )
    if lat:
        print(
            f"  latency ms: avg {statistics.fmean(lat):.1f}  p50 {pct(lat, 50):.1f}  "
            f"p90 {pct(lat, 90):.1f}  p95 {pct(lat, 95):.1f}  p99 {pct(lat, 99):.1f}  "
            f"max {max(lat):.1f}"
        )
    print(f"  errors: {stats['errors']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--full", action="store_true", help="the seed's 2m/5m/2m/5m/2m stages")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply stage durations")
    ap.add_argument("--addresses", help="file with one address a line")
    args = ap.parse_args()
    stages = [(d * args.scale, t) for d, t in (FULL if args.full else SHORT)]
    addresses = []
    if args.addresses:
        with open(args.addresses) as fh:
            addresses = [line.strip() for line in fh if line.strip()]
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    report(asyncio.run(run(args.url.rstrip("/"), stages, addresses)))


if __name__ == "__main__":
    main()
