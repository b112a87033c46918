"""Keyset pages (pure functions): the split of a page, the cursor round trip, and the pattern
that admits exactly the cursors a list can read."""

import re

from api.paging import BIG, DIGITS, HEX, NEWEST, Keyset, by_chain_and


def test_last_page_has_no_cursor():
    rows = [{"block_number": i, "chain_id": 1, "log_index": 0} for i in range(3)]
    assert NEWEST.split(rows, 3) == (rows, None)
    assert NEWEST.split([], 3) == ([], None)


def test_extra_row_is_dropped_and_the_cursor_points_at_the_last_row_shown():
    rows = [{"block_number": 10 + i, "chain_id": 1, "log_index": i} for i in range(4)]
    page, cursor = NEWEST.split(rows, 3)
    assert page == rows[:3]
    assert cursor == "12.1.2" and re.match(NEWEST.pattern, cursor)
    assert NEWEST.after(cursor) == [12, 1, 2]
    assert NEWEST.after(None) == [BIG, BIG, BIG]


def test_cursor_kinds_round_trip():
    keyset = Keyset(("holder", "token_id"), (HEX, DIGITS), (b"", "-1"))
    assert not re.match(keyset.pattern, "abc.1")  # an odd number of hex digits
    rows = [{"holder": bytes([i]) * 20, "token_id": str(10**70 + i)} for i in range(3)]
    _, cursor = keyset.split(rows, 2)
    assert re.match(keyset.pattern, cursor)
    assert keyset.after(cursor) == [bytes([1]) * 20, str(10**70 + 1)]


def test_the_pattern_refuses_what_the_list_cannot_read():
    ids = by_chain_and("batch_id")
    for bad in (
        "",
        "1",
        "1.2.3",
        "-1.2",
        "1.-2",
        "1.1e9",
        f"{2**63}.1",
        "1." + "9" * 79,
        "01.2",
        "٣.1",
    ):
        assert not re.match(ids.pattern, bad), bad
    for good in ("0.0", "31337." + "9" * 78, f"{2**62}.5"):
        assert re.match(ids.pattern, good), good
