/** Retire carbon credits into a certificate (CCR `retire`, which mints the ECR certificate). */
import { parseEventLogs, type Address } from "viem";

import { fetchClient } from "../api/client";
import { call, contract, type ActionContext } from "./context";
import type { ActionPlan } from "./lifecycle";

export async function planRetire(
  ctx: ActionContext,
  input: { batchId: bigint; amount: bigint; beneficiary: Address; message: string },
): Promise<ActionPlan> {
  const ccr = contract(ctx, "CCR");
  const certificateOf = (logs: Parameters<typeof parseEventLogs>[0]["logs"]) => {
    const [retired] = parseEventLogs({ abi: ccr.abi, logs, eventName: "Retired" }) as {
      args: { certificate_id?: bigint };
    }[];
    return retired?.args.certificate_id;
  };
  return {
    chainId: ctx.chainId,
    steps: [
      {
        label: `Retire ${input.amount} t of batch ${input.batchId}`,
        call: call(ccr, "retire", [input.batchId, input.amount, input.beneficiary, input.message]),
      },
    ],
    result(receipt) {
      const id = certificateOf(receipt.logs);
      return id === undefined
        ? undefined
        : { text: `Certificate #${id}`, href: `/certificates/${ctx.chainId}/${id}` };
    },
    async indexed(receipt) {
      const id = certificateOf(receipt.logs);
      if (id === undefined) return true;
      const { response } = await fetchClient.GET("/api/v1/certificates/{chain}/{token_id}", {
        params: { path: { chain: ctx.chainId, token_id: Number(id) } },
      });
      return response.ok;
    },
  };
}
