"""Shared pieces of the ESG Token Ecosystem toolkit: paths, manifests, local nodes."""
