"""The oracle: evidence from organizations in, signed on-chain facts out (``python -m oracle``)."""
