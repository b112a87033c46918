"""Prometheus metrics of the indexer, served over HTTP (default port 9464), labelled by chain."""

from prometheus_client import Counter, Gauge, Histogram

from esg.chain.metrics import chain_gauges, rpc_metrics, serve

__all__ = ["serve"]


def _per_chain(kind, name: str, doc: str, **kw):
    return kind(f"indexer_{name}", doc, ["chain"], **kw)


EVENTS = _per_chain(Counter, "events_indexed_total", "Events committed to the database")
EVENTS_RATE = _per_chain(Gauge, "events_per_second", "Events committed per second (recent)")
HEAD, FINALIZED = chain_gauges("indexer")
INDEXED = _per_chain(Gauge, "indexed_block", "Last block committed to the database")
LAG = _per_chain(Gauge, "lag_blocks", "Head minus indexed block")
STALLED = _per_chain(Gauge, "stalled", "1 while the chain lags without progress")
REORGS = _per_chain(Counter, "reorgs_total", "Reorgs rolled back")
_SUBSCRIBED = "1 while new heads arrive by eth_subscribe, 0 while following by polling alone"
HEAD_SUBSCRIPTION = _per_chain(Gauge, "head_subscription", _SUBSCRIBED)
_DEPTHS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
REORG_DEPTH = _per_chain(
    Histogram, "reorg_depth_blocks", "Blocks rolled back per reorg", buckets=_DEPTHS
)
_DEEP = "Reorgs deeper than the window or below finality (fatal)"
DEEP_REORGS = _per_chain(Counter, "deep_reorgs_total", _DEEP)
RPC = rpc_metrics(
    "indexer", buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
)
