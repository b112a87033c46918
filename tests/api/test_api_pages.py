"""Keyset pages (pure functions): the split of a page, the cursor round trip, and cursors the
API never returned."""

import pytest

from api.errors import ApiError
from api.paging import DIGITS, HEX, INT, NEWEST, Keyset, encode_cursor


def test_last_page_has_no_cursor():
    rows = [{"block_number": i, "chain_id": 1, "log_index": 0} for i in range(3)]
    assert NEWEST.split(rows, 3) == (rows, None)
    assert NEWEST.split([], 3) == ([], None)


def test_extra_row_is_dropped_and_the_cursor_points_at_the_last_row_shown():
    rows = [{"block_number": 10 + i, "chain_id": 1, "log_index": i} for i in range(4)]
    page, cursor = NEWEST.split(rows, 3)
    assert page == rows[:3]
    assert NEWEST.after(cursor) == [12, 1, 2]
    assert NEWEST.after(None) == list(NEWEST.start)


def test_cursor_kinds_round_trip():
    keyset = Keyset(("holder", "token_id"), (HEX, DIGITS), (b"", "-1"))
    rows = [{"holder": bytes([i]) * 20, "token_id": str(10**70 + i)} for i in range(3)]
    _, cursor = keyset.split(rows, 2)
    assert keyset.after(cursor) == [bytes([1]) * 20, str(10**70 + 1)]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        encode_cursor([1, 2]),  # too short
        encode_cursor([2**63, 1, 1]),  # beyond bigint
        encode_cursor([True, 1, 1]),
        encode_cursor(["1", 1, 1]),
    ],
)
def test_foreign_cursors_are_refused(cursor):
    with pytest.raises(ApiError) as info:
        NEWEST.after(cursor)
    assert info.value.status == 400 and "invalid cursor" in info.value.detail


def test_numeric_keys_must_be_digits():
    keyset = Keyset(("chain_id", "batch_id"), (INT, DIGITS), (-1, "-1"))
    for bad in ("-5", "1e9", "٣", "9" * 79):
        with pytest.raises(ApiError):
            keyset.after(encode_cursor([1, bad]))
