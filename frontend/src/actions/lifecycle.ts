/**
 * The life of a wallet action: each step is checked (eth_call), signed, sent, mined; then the
 * action waits until the API has indexed the block of its last transaction.
 */
import type { Abi, Account, Address, PublicClient, TransactionReceipt, WalletClient } from "viem";

import { fetchClient } from "../api/client";
import { describeError, reasonInWords, revertReason } from "../lib/errors";

export interface ContractCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

export interface Step {
  label: string;
  call: ContractCall;
}

export interface ActionResult {
  text: string;
  href?: string;
}

export interface ActionPlan {
  chainId: number;
  steps: Step[];
  /** What the action produced, read from the last receipt (e.g. a certificate id). */
  result?: (receipt: TransactionReceipt) => ActionResult | undefined;
  /** True once the API shows the action's effect; default: the API indexed its block. */
  indexed?: (receipt: TransactionReceipt) => Promise<boolean>;
}

export type StepState =
  | { kind: "waiting" }
  | { kind: "checking" }
  | { kind: "signing" }
  | { kind: "pending"; hash: string }
  | { kind: "mined"; hash: string; block: bigint }
  | { kind: "failed"; message: string; hash?: string };

export interface ActionState {
  steps: { label: string; state: StepState }[];
  phase: "running" | "indexing" | "indexed" | "failed" | "stalled";
  /** Milliseconds from the last transaction's receipt to the API showing it. */
  minedToIndexedMs?: number;
  result?: ActionResult;
  error?: string;
}

export interface Signer {
  wallet: WalletClient;
  reader: PublicClient;
}

const POLL_MS = 200;
const INDEX_TIMEOUT_MS = 60_000;

/** Whether the API has indexed `block` of `chainId` (every event up to it is visible). */
export async function apiHasBlock(chainId: number, block: bigint): Promise<boolean> {
  const { data } = await fetchClient.GET("/api/v1/chains");
  const chain = data?.items.find((c) => c.chain_id === chainId);
  return chain !== undefined && BigInt(chain.indexed_block) >= block;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      // The API may be restarting: keep asking until the deadline.
    }
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Run `plan`, reporting every change of state to `report`. */
export async function runAction(
  plan: ActionPlan,
  signer: Signer,
  report: (state: ActionState) => void,
): Promise<ActionState> {
  const state: ActionState = {
    steps: plan.steps.map((s) => ({ label: s.label, state: { kind: "waiting" } })),
    phase: "running",
  };
  const emit = () => report({ ...state, steps: state.steps.map((s) => ({ ...s })) });
  const set = (i: number, s: StepState) => {
    state.steps[i].state = s;
    emit();
  };
  const fail = (i: number, message: string, hash?: string) => {
    set(i, { kind: "failed", message, hash });
    state.phase = "failed";
    state.error = message;
    emit();
    return state;
  };
  const account = signer.wallet.account as Account;
  let receipt: TransactionReceipt | undefined;
  for (const [i, step] of plan.steps.entries()) {
    set(i, { kind: "checking" });
    let request;
    try {
      ({ request } = await signer.reader.simulateContract({ ...step.call, account }));
    } catch (e) {
      return fail(i, describeError(e));
    }
    set(i, { kind: "signing" });
    let hash: `0x${string}`;
    try {
      hash = await signer.wallet.writeContract(request);
    } catch (e) {
      return fail(i, describeError(e));
    }
    set(i, { kind: "pending", hash });
    try {
      receipt = await signer.reader.waitForTransactionReceipt({ hash });
    } catch (e) {
      return fail(i, describeError(e), hash);
    }
    if (receipt.status === "reverted") {
      return fail(i, await minedRevert(signer, step.call, receipt, account), hash);
    }
    set(i, { kind: "mined", hash, block: receipt.blockNumber });
  }
  if (!receipt) return state;
  const minedAt = performance.now();
  state.phase = "indexing";
  emit();
  const done = receipt;
  const indexed = await until(
    () => (plan.indexed ? plan.indexed(done) : apiHasBlock(plan.chainId, done.blockNumber)),
    INDEX_TIMEOUT_MS,
  );
  state.result = plan.result?.(done);
  if (!indexed) {
    state.phase = "stalled";
    state.error = `Mined in block ${done.blockNumber}, but the API has not shown it after ${INDEX_TIMEOUT_MS / 1000} s.`;
  } else {
    state.phase = "indexed";
    state.minedToIndexedMs = Math.round(performance.now() - minedAt);
  }
  emit();
  return state;
}

/** The reason a mined transaction reverted: the same call replayed at its block. */
async function minedRevert(
  signer: Signer,
  call: ContractCall,
  receipt: TransactionReceipt,
  account: Account,
): Promise<string> {
  try {
    await signer.reader.simulateContract({
      ...call,
      account,
      blockNumber: receipt.blockNumber - 1n,
    });
  } catch (e) {
    const reason = revertReason(e);
    if (reason) return reasonInWords(reason);
  }
  return `The transaction reverted in block ${receipt.blockNumber} without a reason.`;
}
