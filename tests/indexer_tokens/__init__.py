"""Projection tests of the eight tokens' own events."""
