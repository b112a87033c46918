/** Vote on a governance proposal (Governor `castVote`). */
import { call, contract, type ActionContext } from "./context";
import type { ActionPlan } from "./lifecycle";

export const SUPPORT = { against: 0, for: 1, abstain: 2 } as const;

export async function planVote(
  ctx: ActionContext,
  input: { proposalId: bigint; support: keyof typeof SUPPORT },
): Promise<ActionPlan> {
  const governor = contract(ctx, "Governor");
  return {
    chainId: ctx.chainId,
    steps: [
      {
        label: `Vote ${input.support}`,
        call: call(governor, "castVote", [input.proposalId, SUPPORT[input.support]]),
      },
    ],
  };
}
