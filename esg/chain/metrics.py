"""Prometheus metrics every chain-following service has: its view of each chain's head and
final block, its JSON-RPC traffic, and the HTTP server exposing them. Each service names them
under its own prefix (the names are a contract with the alert rules)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, start_http_server

from esg.chain.rpc import RPCMetrics


def chain_gauges(prefix: str) -> tuple[Gauge, Gauge]:
    """``{prefix}_head_block`` and ``{prefix}_finalized_block``, labelled by chain."""
    return (
        Gauge(f"{prefix}_head_block", "Latest block of the node", ["chain"]),
        Gauge(f"{prefix}_finalized_block", "Latest final block", ["chain"]),
    )


def rpc_metrics(prefix: str, buckets: tuple[float, ...]) -> RPCMetrics:
    """``{prefix}_rpc_latency_seconds`` (by chain and method) and ``{prefix}_rpc_errors_total``
    (by chain, endpoint and kind of failure), for esg.chain.rpc.RPC."""
    return RPCMetrics(
        latency=Histogram(
            f"{prefix}_rpc_latency_seconds",
            "RPC round-trip time",
            ["chain", "method"],
            buckets=buckets,
        ),
        errors=Counter(
            f"{prefix}_rpc_errors_total", "Failed RPC attempts", ["chain", "endpoint", "kind"]
        ),
    )


def serve(port: int, host: str = "127.0.0.1") -> None:
    """Expose /metrics on ``host:port`` (0 disables it)."""
    if port:
        start_http_server(port, addr=host)
