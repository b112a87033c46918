"""Gas of the hot paths, whole transactions (printed with -s; bounds from DESIGN.md)."""

from conftest import ADMIN  # noqa: F401


def test_gas_figures(ccr, ecr, tokenize, admin, alice, bob, carol, verifier, certifier):
    _, batch_id = tokenize(alice, 1, 1000)
    ccr.set_allowed(alice, True, sender=verifier)
    ccr.set_allowed(bob, True, sender=verifier)
    ccr.set_allowed(carol, True, sender=verifier)

    # compliance off
    new_off = ccr.safeTransferFrom(alice, bob, batch_id, 10, b"", sender=alice).gas_used
    existing_off = ccr.safeTransferFrom(alice, bob, batch_id, 10, b"", sender=alice).gas_used
    ccr.set_compliance(True, sender=admin)
    new_on = ccr.safeTransferFrom(alice, carol, batch_id, 10, b"", sender=alice).gas_used
    existing_on = ccr.safeTransferFrom(alice, carol, batch_id, 10, b"", sender=alice).gas_used

    msg = "Offset of 2023 flights, company ACME"
    mint_new = ecr.mint_certificate(carol, 1, 5, b"\x11" * 32, msg, True, sender=certifier).gas_used
    mint_existing = ecr.mint_certificate(
        carol, 1, 5, b"\x11" * 32, msg, True, sender=certifier
    ).gas_used
    retire_first = ccr.retire(batch_id, 3, bob, msg, sender=alice).gas_used
    retire_again = ccr.retire(batch_id, 3, bob, msg, sender=alice).gas_used
    print(
        f"\nCCR safeTransferFrom compliance on: new holder {new_on}, existing {existing_on}"
        f"\nCCR safeTransferFrom compliance off: new holder {new_off}, existing {existing_off}"
        f"\nECR mint_certificate (certifier, soulbound): new holder {mint_new}, existing {mint_existing}"
        f"\nCCR retire incl. certificate: first {retire_first}, again {retire_again}"
    )
    assert existing_on <= 60_000
