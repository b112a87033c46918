/** Claim a gem earned by ESG score (EGM `claim`). */
import { call, contract, type ActionContext } from "./context";
import type { ActionPlan } from "./lifecycle";

export async function planClaimGem(
  ctx: ActionContext,
  input: { gemId: bigint },
): Promise<ActionPlan> {
  const egm = contract(ctx, "EGM");
  return {
    chainId: ctx.chainId,
    steps: [{ label: `Claim gem ${input.gemId}`, call: call(egm, "claim", [input.gemId]) }],
  };
}
