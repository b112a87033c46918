"""The web app in a real headless Chromium against the demo stack: what the account page shows
is what the chain holds, actions from the development account go through signing, mining and
indexing (or show the contract's reason), pages hold together, and an API that is down gives a
clear message."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from decimal import Decimal

import httpx
import pytest
import uvicorn
from web3 import Web3
from web3.middleware import SignAndSendRawMiddlewareBuilder

from esg.personas import dev_account
from esg.web import WebSettings, create_app
from tests.support.indexing import free_port

BESU, POLYGON = 2025, 31338
ALICE, BOB, CAROL = (dev_account(i).address for i in (1, 2, 3))
DECIMALS = {"GST": 18, "ECT": 18, "EST": 18, "AET": 18}


def connect_dev(page, name: str) -> None:
    page.get_by_role("button", name="Connect wallet").click()
    page.get_by_role("menuitem", name=name).click()
    page.get_by_test_id("wallet-address").wait_for()


def wait_caught_up(stack, timeout: float = 60) -> None:
    """Until the API has indexed every chain up to its node's head."""
    deadline = time.monotonic() + timeout
    while True:
        chains = httpx.get(f"{stack.api}/api/v1/chains", timeout=5).json()["items"]
        if chains and all(c["lag"] == 0 for c in chains):
            return
        assert time.monotonic() < deadline, f"API not caught up: {chains}"
        time.sleep(0.3)


def run_action(page, timeout: float = 90_000) -> str:
    """Submit the action form; return the phase it ended in (indexed or failed)."""
    page.get_by_test_id("submit-action").click()
    progress = page.locator(
        "[data-testid=action-progress][data-phase=indexed], "
        "[data-testid=action-progress][data-phase=failed], "
        "[data-testid=action-progress][data-phase=stalled]"
    )
    progress.wait_for(timeout=timeout)
    return progress.get_attribute("data-phase")


def on_chain_balance(stack, chain_id: int, symbol: str, holder: str, token_id: int) -> int:
    w3 = Web3(Web3.HTTPProvider(stack.rpc[chain_id]))
    entry = stack.manifest.chains[chain_id].contracts[symbol]
    contract = w3.eth.contract(address=entry.address, abi=stack.manifest.abi(chain_id, symbol))
    functions = {f["name"]: f for f in contract.abi if f.get("type") == "function"}
    if len(functions["balanceOf"]["inputs"]) == 2:  # ERC-1155: per id
        return contract.functions.balanceOf(holder, token_id).call()
    if symbol == "ECR":  # ERC-721: one certificate per id
        return int(contract.functions.ownerOf(token_id).call() == holder)
    return contract.functions.balanceOf(holder).call()


def test_account_page_shows_the_balances_balance_of_returns(stack, page):
    # One wei more than a whole GST: any rounding on the page shows.
    w3 = Web3(Web3.HTTPProvider(stack.rpc[BESU]))
    bob = dev_account(2)
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(bob), layer=0)
    gst = stack.manifest.chains[BESU].contracts["GST"]
    token = w3.eth.contract(address=gst.address, abi=stack.manifest.abi(BESU, "GST"))
    tx = token.functions.transfer(ALICE, 10**18 + 1).transact({"from": bob.address})
    assert w3.eth.wait_for_transaction_receipt(tx)["status"] == 1
    wait_caught_up(stack)
    page.goto(f"{stack.web}/account/{ALICE}")
    rows = page.get_by_test_id("balance")
    rows.first.wait_for()
    profile = httpx.get(f"{stack.api}/api/v1/esg/unified-profile/{ALICE}", timeout=10).json()
    final = {(b["chain_id"], b["contract"], b["token_id"]): b["final"] for b in profile["balances"]}
    seen = set()
    for row in rows.all():
        chain_id = int(row.get_attribute("data-chain"))
        symbol = row.get_attribute("data-token")
        contract = row.get_attribute("data-contract")
        token_id = int(row.get_attribute("data-token-id"))
        shown = row.locator(".amount").inner_text()
        expected = on_chain_balance(stack, chain_id, symbol, ALICE, token_id)
        decimals = DECIMALS.get(symbol, 0)
        assert Decimal(shown.replace(",", "")) * 10**decimals == expected, (symbol, chain_id, shown)
        assert int(row.locator(".amount").get_attribute("data-raw")) == expected
        # Finality is marked as the API reports it.
        badge = row.locator("[data-finality]").get_attribute("data-finality")
        assert badge == ("final" if final[(chain_id, contract, str(token_id))] else "pending")
        seen.add((chain_id, symbol, token_id))
    # Nothing alice holds on chain is missing from the page.
    for chain_id in stack.manifest.chains:
        for symbol in ("GST", "ECT", "EST", "AET"):
            if on_chain_balance(stack, chain_id, symbol, ALICE, 0):
                assert (chain_id, symbol, 0) in seen, (chain_id, symbol)
        for batch in (1, 2):
            if on_chain_balance(stack, chain_id, "CCR", ALICE, batch):
                assert (chain_id, "CCR", batch) in seen, (chain_id, batch)
    assert {(BESU, "GST", 0), (POLYGON, "GST", 0), (BESU, "CCR", 1), (BESU, "EST", 0)} <= seen
    besu_gst = page.locator(f"[data-testid=balance][data-chain='{BESU}'][data-token=GST] .amount")
    assert besu_gst.inner_text().endswith(".000000000000000001")
    # The polygon side waits for its finality depth: marked as not final on the page.
    assert page.locator(f"[data-testid=balance][data-chain='{POLYGON}'] [data-finality]").count()


def test_retiring_from_the_page_issues_a_certificate_once_indexed(stack, page):
    page.goto(f"{stack.web}/act?action=retire&chain={BESU}&batch=2")
    connect_dev(page, "bob")
    assert page.locator(".badge.dev").first.is_visible()
    page.fill("input[name=amount]", "3")
    page.fill("input[name=message]", "Browser test retirement")
    assert run_action(page) == "indexed", page.get_by_test_id("action-progress").inner_text()
    assert page.locator("li[data-stage=mined]").count() == 1
    ms = int(page.get_by_test_id("mined-to-indexed-ms").get_attribute("data-ms"))
    assert ms >= 0
    link = page.get_by_test_id("action-result")
    href = link.get_attribute("href")
    chain_id, cert_id = re.fullmatch(r"/certificates/(\d+)/(\d+)", href).groups()
    assert int(chain_id) == BESU
    # The API has the certificate the moment the page says "indexed".
    cert = httpx.get(f"{stack.api}/api/v1/certificates/{chain_id}/{cert_id}", timeout=10).json()
    assert cert["tonnes"] == "3" and cert["batch_id"] == "2"
    assert cert["retired_by"] == BOB and cert["message"] == "Browser test retirement"
    link.click()
    page.get_by_test_id("certificate").wait_for()
    assert page.get_by_test_id("tonnes").inner_text() == "3"
    assert page.get_by_test_id("content-hash").inner_text() == cert["content_hash"]
    page.get_by_test_id("verify").click()
    verdict = page.get_by_test_id("verdict")
    verdict.wait_for()
    assert verdict.locator("[data-ok=true]").count() == 2, verdict.inner_text()
    assert "Recomputed: matches" in verdict.inner_text()
    assert "On chain: matches" in verdict.inner_text()


def test_a_reverted_action_shows_its_reason_in_words(stack, page):
    page.goto(f"{stack.web}/act?action=retire&chain={BESU}&batch=1")
    connect_dev(page, "carol")
    page.fill("input[name=amount]", "1000000")
    assert run_action(page) == "failed"
    error = page.get_by_test_id("action-error").inner_text()
    assert error == (
        "You don't hold that many credits of this batch. (ccr: amount exceeds balance)"
    )
    # Another module, another reason: alice claimed gem 1 in the scenario.
    page.goto(f"{stack.web}/act?action=gem&chain={BESU}")
    page.get_by_test_id("wallet").get_by_role("button", name="Disconnect").click()
    connect_dev(page, "alice")
    page.fill("input[name=gem]", "1")
    assert run_action(page) == "failed"
    assert page.get_by_test_id("action-error").inner_text() == (
        "You have already claimed this gem. (egm: already claimed)"
    )


def test_staking_approves_then_stakes(stack, page):
    page.goto(f"{stack.web}/act?action=stake&chain={BESU}")
    connect_dev(page, "bob")
    page.fill("input[name=amount]", "10")
    page.fill("input[name=days]", "7")
    assert run_action(page) == "indexed", page.get_by_test_id("action-progress").inner_text()
    steps = page.locator("[data-testid=action-progress] li")
    assert steps.count() == 2
    assert "Allow GST" in steps.nth(0).inner_text() and "Stake GST" in steps.nth(1).inner_text()
    profile = httpx.get(f"{stack.api}/api/v1/esg/unified-profile/{BOB}", timeout=10).json()
    assert any(s["amount"] == str(10 * 10**18) and s["lock_days"] == 7 for s in profile["stakes"])


def test_wrong_network_prompts_a_switch(stack, page):
    page.goto(f"{stack.web}/act?action=transfer&chain={POLYGON}")
    connect_dev(page, "alice")
    prompt = page.get_by_test_id("switch-prompt")
    prompt.wait_for()
    assert f"Your wallet is on chain {BESU}" in prompt.inner_text()
    prompt.get_by_role("button").click()
    page.get_by_test_id("submit-action").wait_for()
    assert f"chain {POLYGON}" in page.get_by_test_id("wallet").inner_text()


def test_paging_through_transfers_has_no_gap_or_repeat(stack, page):
    wait_caught_up(stack)
    every = httpx.get(
        f"{stack.api}/api/v1/accounts/{ALICE}/transfers", params={"limit": 500}, timeout=10
    ).json()
    assert every["next_cursor"] is None
    expected = [
        f"{t['chain_id']}:{t['block_number']}:{t['log_index']}:{t['batch_index']}"
        for t in every["items"]
    ]
    assert len(expected) > 6, "the scenario gives alice enough transfers for several pages"
    page.goto(f"{stack.web}/account/{ALICE}?size=3")
    page.get_by_role("tab", name="Transfers").click()
    older = page.get_by_role("button", name="Older →")
    seen: list[str] = []
    first_page: list[str] = []
    for number in range(1, 100):
        page.locator(f"[data-testid=page-number]:text-is('page {number}')").wait_for()
        keys = page.get_by_test_id("transfer").evaluate_all("rows => rows.map(r => r.dataset.key)")
        seen += keys
        first_page = first_page or keys
        if older.is_disabled():
            break
        older.click()
    assert len(seen) == len(set(seen)), "a transfer shown twice"
    assert seen == expected
    # Back to the newest page: the same rows as the first time.
    while not page.get_by_role("button", name="← Newer").is_disabled():
        page.get_by_role("button", name="← Newer").click()
    page.locator("[data-testid=page-number]:text-is('page 1')").wait_for()
    assert (
        page.get_by_test_id("transfer").evaluate_all("r => r.map(x => x.dataset.key)") == first_page
    )


@pytest.fixture
def web_without_api(stack):
    """The same app served with an API URL where nothing listens."""
    settings = WebSettings(port=free_port(), api_url=f"http://127.0.0.1:{free_port()}")
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=settings.port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield settings
    server.should_exit = True
    thread.join(timeout=10)


def test_api_down_gives_a_clear_message(web_without_api, page):
    page.goto(web_without_api.url)
    alert = page.get_by_test_id("api-error").first
    alert.wait_for()
    assert "does not answer" in alert.inner_text()
    assert f"The API at {web_without_api.api_url}" in alert.inner_text()
    assert page.get_by_role("link", name="ESG Token Ecosystem").is_visible()
    page.goto(f"{web_without_api.url}account/{ALICE}")
    alert = page.get_by_test_id("api-error").first
    alert.wait_for()
    assert alert.inner_text().startswith("Cannot show the account.")


def bob_balance(stack, chain_id: int, symbol: str) -> int:
    profile = httpx.get(f"{stack.api}/api/v1/esg/unified-profile/{BOB}", timeout=10).json()
    return sum(
        int(b["amount"])
        for b in profile["balances"]
        if b["chain_id"] == chain_id and b["token"] == symbol
    )


def wait_balance(stack, chain_id: int, symbol: str, amount: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while bob_balance(stack, chain_id, symbol) != amount:
        assert time.monotonic() < deadline, f"bob's {symbol} on {chain_id} never became {amount}"
        time.sleep(0.5)


def test_bridging_to_polygon_and_back(stack, page):
    wad = 10**18
    on_besu, on_polygon = bob_balance(stack, BESU, "GST"), bob_balance(stack, POLYGON, "GST")
    page.goto(f"{stack.web}/act?action=bridge&chain={BESU}")
    connect_dev(page, "bob")
    page.locator(f"select[name=dest] option[value='{POLYGON}']").wait_for(state="attached")
    page.fill("input[name=amount]", "5")
    assert run_action(page) == "indexed", page.get_by_test_id("action-progress").inner_text()
    # The relayer delivers once the validators have signed the final block.
    wait_balance(stack, POLYGON, "GST", on_polygon + 5 * wad)
    assert bob_balance(stack, BESU, "GST") == on_besu - 5 * wad
    page.goto(f"{stack.web}/act?action=bridge&chain={POLYGON}")
    page.get_by_test_id("switch-prompt").get_by_role("button").click()
    page.locator(f"select[name=dest] option[value='{BESU}']").wait_for(state="attached")
    page.fill("input[name=amount]", "2")
    assert run_action(page) == "indexed", page.get_by_test_id("action-progress").inner_text()
    wait_balance(stack, BESU, "GST", on_besu - 3 * wad)
    assert bob_balance(stack, POLYGON, "GST") == on_polygon + 3 * wad


def test_voting_from_the_governance_page(stack, page):
    w3 = Web3(Web3.HTTPProvider(stack.rpc[BESU]))
    alice = dev_account(1)
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(alice), layer=0)
    contracts = stack.manifest.chains[BESU].contracts
    governor = w3.eth.contract(
        address=contracts["Governor"].address, abi=stack.manifest.abi(BESU, "Governor")
    )
    est = w3.eth.contract(address=contracts["EST"].address, abi=stack.manifest.abi(BESU, "EST"))
    description = f"Browser test: keep the EcoStake bonus ({uuid.uuid4().hex[:6]})"
    call = est.encode_abi("set_bonus", [7_500, 400])
    args = ([est.address], [0], [call], description)
    tx = governor.functions.propose(*args).transact({"from": alice.address})
    assert w3.eth.wait_for_transaction_receipt(tx)["status"] == 1
    proposal_id = governor.functions.hashProposal(
        [est.address], [0], [call], Web3.keccak(text=description), alice.address
    ).call()
    w3.provider.make_request("anvil_mine", ["0x2"])  # past the voting delay
    wait_caught_up(stack)
    page.goto(f"{stack.web}/governance")
    card = page.get_by_test_id("proposal").filter(has_text=description)
    card.get_by_test_id("proposal-state").filter(has_text="active").wait_for()
    card.get_by_role("link", name="Vote on it…").click()
    connect_dev(page, "bob")
    assert page.locator("input[name=proposal]").input_value() == str(proposal_id)
    page.select_option("select[name=support]", "against")
    assert run_action(page) == "indexed", page.get_by_test_id("action-progress").inner_text()
    body = httpx.get(
        f"{stack.api}/api/v1/governance/proposals/{BESU}/{proposal_id}", timeout=10
    ).json()
    assert [(v["voter"], v["support_name"]) for v in body["votes"]] == [(BOB, "against")]
    assert int(body["proposal"]["against_votes"]) > 0


# A browser wallet as an extension injects it: an EIP-1193 provider announced with EIP-6963.
# It forwards calls to the node of the chain it is on, whose development accounts are unlocked.
INJECTED_WALLET = """
(() => {
  const rpc = RPC_URLS;
  let chainId = START_CHAIN;
  const listeners = {};
  const emit = (event, value) => (listeners[event] || []).forEach((f) => f(value));
  const provider = {
    async request({ method, params }) {
      if (method === "eth_requestAccounts" || method === "eth_accounts") return [ACCOUNT];
      if (method === "eth_chainId") return "0x" + chainId.toString(16);
      if (method === "wallet_switchEthereumChain") {
        const next = parseInt(params[0].chainId, 16);
        if (!rpc[next]) throw Object.assign(new Error("unknown chain"), { code: 4902 });
        chainId = next;
        emit("chainChanged", params[0].chainId);
        return null;
      }
      const r = await fetch(rpc[chainId], {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: params ?? [] }),
      });
      const body = await r.json();
      if (body.error) throw Object.assign(new Error(body.error.message), body.error);
      return body.result;
    },
    on(event, f) { (listeners[event] ||= []).push(f); },
    removeListener(event, f) { listeners[event] = (listeners[event] || []).filter((g) => g !== f); },
  };
  const info = {
    uuid: "6f1a3c52-2d1e-4b7a-9c55-0d3f1e7a9b10",
    name: "Test Wallet",
    icon: "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>",
    rdns: "org.esg.testwallet",
  };
  const announce = () => window.dispatchEvent(
    new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }),
  );
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();
"""


def test_injected_wallet_found_by_eip6963_switches_network_and_transfers(stack, page):
    script = (
        INJECTED_WALLET.replace("RPC_URLS", json.dumps({str(c): u for c, u in stack.rpc.items()}))
        .replace("START_CHAIN", str(BESU))
        .replace("ACCOUNT", json.dumps(BOB))
    )
    page.add_init_script(script)
    before = bob_balance(stack, POLYGON, "ECT")
    page.goto(f"{stack.web}/act?action=transfer&chain={POLYGON}")
    page.get_by_role("button", name="Connect wallet").click()
    page.get_by_role("menuitem", name="Test Wallet").click()
    page.get_by_test_id("wallet-address").wait_for()
    assert not page.locator(".badge.dev").count()
    prompt = page.get_by_test_id("switch-prompt")
    assert f"Your wallet is on chain {BESU}" in prompt.inner_text()
    prompt.get_by_role("button").click()
    page.select_option("select[name=token]", "ECT")
    page.fill("input[name=to]", CAROL)
    page.fill("input[name=amount]", "0.5")
    assert run_action(page) == "indexed", page.get_by_test_id("action-progress").inner_text()
    assert bob_balance(stack, POLYGON, "ECT") == before - 10**18 // 2
