"""The response cache's rules for answers about one account, as pure functions of what it has
learned: the content tag and finality of an answer, and which answers may be kept."""

from __future__ import annotations

from types import SimpleNamespace

from api.middleware import HeadCache, Kept, _content_tag

READ_AT = b'{"read_at":[{"chain_id":1,"block":%d,"finalized_block":%d}],'


def answer(block: int, rest: bytes, finalized: int = 0) -> bytes:
    return READ_AT % (block, finalized) + rest


def test_tag_ignores_read_at_and_follows_the_rows():
    rows = b'"final":true,"items":[{"amount":"5"}]}'
    tag, final = _content_tag(b"/a?", answer(7, rows))
    assert final
    # Read at another block, the same rows: the same tag (a 304 survives the block).
    assert _content_tag(b"/a?", answer(9, rows, 3))[0] == tag
    # Another amount, or another request: another tag.
    assert _content_tag(b"/a?", answer(7, rows.replace(b'"5"', b'"6"')))[0] != tag
    assert _content_tag(b"/b?", answer(7, rows))[0] != tag
    assert tag.startswith(b'W/"')


def test_finality_is_the_envelopes_flag_in_either_json_style():
    # orjson's style (FastAPI routes) and PostgreSQL's (the unified profile, after its address).
    assert not _content_tag(b"/a?", answer(7, b'"final":false,"items":[]}'))[1]
    profile = b'"address":"0xAb","final" : false, "balances" : [{"final" : true}]}'
    assert not _content_tag(b"/a?", answer(7, profile))[1]
    assert _content_tag(b"/a?", answer(7, profile.replace(b"false", b"true")))[1]
    # A row's flag does not stand in for the envelope's; no flag at all counts as not final.
    assert not _content_tag(b"/a?", b'{"items":[{"final":true}]}')[1]


def cache(entries: int = 10) -> HeadCache:
    chains = (SimpleNamespace(chain_id=1, finalized_block=4),)
    state = SimpleNamespace(heads=SimpleNamespace(heads=SimpleNamespace(chains=chains)))
    return HeadCache(app=None, state=state, max_entries=entries, max_age=2)


ALICE = ("account", "aa" * 20)
BOB = ("account", "bb" * 20)


def test_an_answer_read_while_its_account_changed_is_not_kept():
    c = cache()
    since = c.learned  # taken when the reading begins
    assert c.fresh(ALICE, since)
    c.invalidate([("account", BOB[1], 1, 5)])
    # Bob changed while Alice's answer was read: hers may still be kept, his may not.
    assert c.fresh(ALICE, since)
    assert not c.fresh(BOB, since)
    # An answer whose reading began after the worker learned the change holds it.
    assert c.fresh(BOB, c.learned)
    # A change on another chain, learned during a reading that began before it.
    later = c.learned
    c.invalidate([("account", ALICE[1], 2, 1)])
    assert not c.fresh(ALICE, later)
    assert c.fresh(ALICE, c.learned)


def test_a_whole_chain_change_refuses_every_older_answer_and_drops_kept_ones():
    c = cache()
    since = c.learned
    c.kept[b"/x?"] = SimpleNamespace(entity=ALICE)
    c.by_entity[ALICE] = {b"/x?"}
    c.invalidate([("chain", "*", 1, 9)])
    assert not c.fresh(ALICE, since) and not c.fresh(BOB, since)
    assert c.fresh(BOB, c.learned)
    assert len(c.kept) == 0 and not c.by_entity


def test_numbers_written_by_another_worker_are_compared_by_value():
    # A shared-cache entry carries what its writer had learned; this worker knows of change 7.
    c = cache()
    c.invalidate([("account", ALICE[1], 1, 7)])
    assert not c.fresh(ALICE, {1: 6})
    assert c.fresh(ALICE, {1: 7})
    assert c.fresh(BOB, {1: 0})


def test_an_invalidation_pushed_out_of_memory_still_refuses_older_answers():
    c = cache()
    c.invalidated = type(c.invalidated)(maxsize=2)
    since = c.learned
    for i, key in enumerate(["01" * 20, "02" * 20, "03" * 20], start=1):
        c.invalidate([("account", key, 1, i)])
    # The first entity's invalidation was pushed out: it counts for every entity now.
    assert ("account", "01" * 20) not in c.invalidated
    assert not c.fresh(ALICE, since)
    assert not c.fresh(("account", "01" * 20), since)
    assert c.fresh(ALICE, {1: 3})


def test_kept_answers_pushed_out_leave_the_entity_index():
    c = cache(entries=2)
    for i, who in enumerate([ALICE, BOB, ("account", "cc" * 20)]):
        key = b"/%d?" % i
        c.kept[key] = SimpleNamespace(entity=who)
        c.by_entity.setdefault(who, set()).add(key)
    assert ALICE not in c.by_entity
    assert set(c.by_entity) == {BOB, ("account", "cc" * 20)}


def test_an_answer_not_final_is_kept_until_its_lowest_pending_block_is_final():
    c = cache()
    chain = c.state.heads.heads.chains[0]
    c.state.heads.heads.by_chain = {1: chain}
    scope = {
        "method": "GET",
        "path": "/api/v1/esg/unified-profile/0x" + ALICE[1],
        "query_string": b"",
        "headers": [],
    }
    key = b"/api/v1/esg/unified-profile/0x" + ALICE[1].encode() + b"?"
    c.kept[key] = Kept(b"{}", [], b'W/"x"', ALICE, ((1, 6), (2, 3)))
    c.by_entity[ALICE] = {key}
    for finalized, served in ((4, True), (5, True), (6, False)):
        chain.finalized_block = finalized
        assert (c.kept_answer(scope) is not None) is served
    assert key not in c.kept
