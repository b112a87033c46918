/** Stake GST in EcoStake (EST `stake`, after a GST allowance for EST). */
import { approvalStep, call, contract, type ActionContext } from "./context";
import type { ActionPlan } from "./lifecycle";

export async function planStake(
  ctx: ActionContext,
  input: { amount: bigint; lockDays: number },
): Promise<ActionPlan> {
  const est = contract(ctx, "EST");
  return {
    chainId: ctx.chainId,
    steps: [
      ...(await approvalStep(ctx, "GST", est, input.amount)),
      {
        label: `Stake GST for ${input.lockDays} days`,
        call: call(est, "stake", [input.amount, BigInt(input.lockDays)]),
      },
    ],
  };
}
