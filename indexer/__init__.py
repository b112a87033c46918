"""Event indexer: mirrors every event of the manifest's contracts into PostgreSQL.

``python -m indexer`` runs it; see docs/indexer.md for the design.
"""
