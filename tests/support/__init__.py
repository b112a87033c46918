"""What the indexer, token and API tests share: databases and indexer runs (``indexing``), the
deployed ecosystem's activity and checks (``ecosystem``), and the API served over HTTP (``api``)."""
