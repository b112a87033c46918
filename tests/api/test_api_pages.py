"""The keyset page split shared by every list endpoint (pure function)."""

from api.params import decode_cursor, next_page


def test_last_page_has_no_cursor():
    rows = [{"id": i} for i in range(3)]
    assert next_page(rows, 3, lambda r: [r["id"]]) == (rows, None)
    assert next_page([], 3, lambda r: [r["id"]]) == ([], None)


def test_extra_row_is_dropped_and_the_cursor_points_at_the_last_row_shown():
    rows = [{"block": 10 + i, "log": i} for i in range(4)]
    page, cursor = next_page(rows, 3, lambda r: [r["block"], r["log"]])
    assert page == rows[:3]
    assert decode_cursor(cursor, (int, int)) == [12, 2]
