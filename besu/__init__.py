"""Configuration of the private Hyperledger Besu network (QBFT, chain id 2025)."""
