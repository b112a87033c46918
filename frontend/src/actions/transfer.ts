/** Transfer GST or ECT (ERC-20 `transfer`). */
import type { Address } from "viem";

import { call, contract, type ActionContext } from "./context";
import type { ActionPlan } from "./lifecycle";

export const TRANSFERABLE = ["GST", "ECT"] as const;

export async function planTransfer(
  ctx: ActionContext,
  input: { token: (typeof TRANSFERABLE)[number]; to: Address; amount: bigint },
): Promise<ActionPlan> {
  const token = contract(ctx, input.token);
  return {
    chainId: ctx.chainId,
    steps: [
      { label: `Transfer ${input.token}`, call: call(token, "transfer", [input.to, input.amount]) },
    ],
  };
}
