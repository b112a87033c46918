/**
 * Send GST, ECT or CCR to another chain through the Bridge (lock on the root chain, burn on the
 * child chain); the relayer delivers it once the validators have signed the final block.
 */
import type { Address } from "viem";

import { approvalStep, call, contract, read, type ActionContext } from "./context";
import type { ActionPlan, Step } from "./lifecycle";

export const BRIDGEABLE = ["GST", "ECT", "CCR"] as const;
export type Bridgeable = (typeof BRIDGEABLE)[number];

/** Chains this chain's Bridge maps `token` to (other chains of the deployment that have it). */
export async function destinations(ctx: ActionContext, token: Bridgeable): Promise<number[]> {
  const bridge = contract(ctx, "Bridge");
  const ref = contract(ctx, token);
  const out: number[] = [];
  for (const chain of ctx.dep.chains) {
    if (chain.chain_id === ctx.chainId) continue;
    const remote = await read<Address>(bridge, ctx, "remote_token", [
      ref.address,
      BigInt(chain.chain_id),
    ]);
    if (BigInt(remote) !== 0n) out.push(chain.chain_id);
  }
  return out;
}

export async function planBridge(
  ctx: ActionContext,
  input: {
    token: Bridgeable;
    batchId?: bigint;
    amount: bigint;
    recipient: Address;
    destChainId: number;
  },
): Promise<ActionPlan> {
  const bridge = contract(ctx, "Bridge");
  const token = contract(ctx, input.token);
  const dest = BigInt(input.destChainId);
  const steps: Step[] = [];
  if (input.token === "CCR") {
    const approved = await read<boolean>(token, ctx, "isApprovedForAll", [
      ctx.owner,
      bridge.address,
    ]);
    if (!approved) {
      steps.push({
        label: "Allow the bridge to move your CCR",
        call: call(token, "setApprovalForAll", [bridge.address, true]),
      });
    }
    steps.push({
      label: `Send ${input.amount} t of batch ${input.batchId} to chain ${input.destChainId}`,
      call: call(bridge, "send_erc1155", [
        token.address,
        input.batchId ?? 0n,
        input.amount,
        input.recipient,
        dest,
      ]),
    });
  } else {
    steps.push(...(await approvalStep(ctx, input.token, bridge, input.amount)));
    steps.push({
      label: `Send ${input.token} to chain ${input.destChainId}`,
      call: call(bridge, "send_erc20", [token.address, input.amount, input.recipient, dest]),
    });
  }
  return {
    chainId: ctx.chainId,
    steps,
    result: () => ({
      text: `On its way to chain ${input.destChainId}: the relayer delivers it once this block is final`,
      href: `/account/${input.recipient}`,
    }),
  };
}
