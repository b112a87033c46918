"""API tests: the real API over a real database filled by the real indexer."""
