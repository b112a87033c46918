"""Schemathesis hooks of the conformance test: how to make a valid address."""

import schemathesis
from hypothesis import strategies as st

from api.fields import eip55

# What the API accepts as an address: lower-case hex, or the EIP-55 checksummed form (which the
# pattern of the document cannot express).
schemathesis.openapi.format(
    "eth-address",
    st.binary(min_size=20, max_size=20).flatmap(
        lambda raw: st.sampled_from(["0x" + raw.hex(), eip55(raw.hex())])
    ),
)
