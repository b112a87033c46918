"""Prometheus metrics of the indexer, served over HTTP (default port 9464)."""

from prometheus_client import Counter, Gauge, Histogram, start_http_server

from esg.chain.rpc import RPCMetrics

EVENTS = Counter("indexer_events_indexed_total", "Events committed to the database", ["chain"])
EVENTS_RATE = Gauge("indexer_events_per_second", "Events committed per second (recent)", ["chain"])
HEAD = Gauge("indexer_head_block", "Latest block of the node", ["chain"])
INDEXED = Gauge("indexer_indexed_block", "Last block committed to the database", ["chain"])
FINALIZED = Gauge("indexer_finalized_block", "Latest final block", ["chain"])
LAG = Gauge("indexer_lag_blocks", "Head minus indexed block", ["chain"])
HEAD_SUBSCRIPTION = Gauge(
    "indexer_head_subscription",
    "1 while new heads arrive by eth_subscribe, 0 while following by polling alone",
    ["chain"],
)
STALLED = Gauge("indexer_stalled", "1 while the chain lags without progress", ["chain"])
REORGS = Counter("indexer_reorgs_total", "Reorgs rolled back", ["chain"])
REORG_DEPTH = Histogram(
    "indexer_reorg_depth_blocks",
    "Blocks rolled back per reorg",
    ["chain"],
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
)
DEEP_REORGS = Counter(
    "indexer_deep_reorgs_total",
    "Reorgs deeper than the window or below finality (fatal)",
    ["chain"],
)
RPC_ERRORS = Counter(
    "indexer_rpc_errors_total", "Failed RPC attempts", ["chain", "endpoint", "kind"]
)
RPC_LATENCY = Histogram(
    "indexer_rpc_latency_seconds",
    "RPC round-trip time",
    ["chain", "method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

RPC = RPCMetrics(latency=RPC_LATENCY, errors=RPC_ERRORS)


def serve(port: int, host: str = "127.0.0.1") -> None:
    """Expose /metrics on ``host:port`` (0 disables it)."""
    if port:
        start_http_server(port, addr=host)
