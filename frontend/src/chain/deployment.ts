/** Contract addresses and ABIs per chain, from the API's deployment route (never hard-coded). */
import type { Abi, Address } from "viem";

import { api, type Schemas } from "../api/client";

export type Deployment = Schemas["DeploymentOut"];

export interface ContractRef {
  chainId: number;
  address: Address;
  abi: Abi;
}

export function useDeployment() {
  // Changes only when a chain is redeployed.
  return api.useQuery("get", "/api/v1/deployment", {}, { staleTime: 60_000 });
}

/** The contract `name` on `chainId`; throws a sentence when it is not deployed there. */
export function contractOf(dep: Deployment, chainId: number, name: string): ContractRef {
  const chain = dep.chains.find((c) => c.chain_id === chainId);
  const entry = chain?.contracts[name];
  if (!chain || !entry) throw new Error(`${name} is not deployed on chain ${chainId}`);
  return { chainId, address: entry.address as Address, abi: dep.abis[entry.abi] as unknown as Abi };
}

/** "besu" for "besu:local:node": the ecosystem part of an ape network choice. */
export function chainName(dep: Deployment | undefined, chainId: number): string {
  const network = dep?.chains.find((c) => c.chain_id === chainId)?.network;
  return network ? `${network.split(":")[0]} (${chainId})` : `chain ${chainId}`;
}
