"""Benchmarks, load generators and local chain shapes: run from the repository root
(``python -m benchmarks.indexer``, ``python -m benchmarks.api``); no service imports them."""
