"""Indexer tests against anvil and PostgreSQL."""
