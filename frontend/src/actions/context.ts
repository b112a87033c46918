/** What every action module gets: the deployment, the chain, the sender and a reader. */
import type { Address, PublicClient } from "viem";

import { contractOf, type ContractRef, type Deployment } from "../chain/deployment";
import type { ContractCall } from "./lifecycle";

export interface ActionContext {
  dep: Deployment;
  chainId: number;
  owner: Address;
  reader: PublicClient;
}

export function contract(ctx: ActionContext, name: string): ContractRef {
  return contractOf(ctx.dep, ctx.chainId, name);
}

export function call(
  ref: ContractRef,
  functionName: string,
  args: readonly unknown[],
): ContractCall {
  return { address: ref.address, abi: ref.abi, functionName, args };
}

export async function read<T>(ref: ContractRef, ctx: ActionContext, fn: string, args: unknown[]) {
  return (await ctx.reader.readContract({
    address: ref.address,
    abi: ref.abi,
    functionName: fn,
    args,
  })) as T;
}

/** The approve step for `spender` when the owner's ERC-20 allowance is below `amount`. */
export async function approvalStep(
  ctx: ActionContext,
  token: string,
  spender: ContractRef,
  amount: bigint,
) {
  const ref = contract(ctx, token);
  const allowance = await read<bigint>(ref, ctx, "allowance", [ctx.owner, spender.address]);
  return allowance >= amount
    ? []
    : [
        {
          label: `Allow ${token} to be moved`,
          call: call(ref, "approve", [spender.address, amount]),
        },
      ];
}
