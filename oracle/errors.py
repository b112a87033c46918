"""Errors the oracle answers with a 4xx: each names the bad value."""

from __future__ import annotations


class EvidenceError(ValueError):
    """Evidence that cannot be accepted (wrong type, unit, range or shape): answered with 422."""

    status = 422


class TooLarge(EvidenceError):
    """Evidence over the size limit: answered with 413."""

    status = 413


class Unsupported(EvidenceError):
    """A media type the oracle does not take: answered with 415."""

    status = 415
