/** viem chain objects for the deployed chains (RPC URLs only for the local profiles). */
import { defineChain, type Chain } from "viem";

import { localChain } from "../config";

const cache = new Map<number, Chain>();

export function viemChain(chainId: number, name?: string): Chain {
  let chain = cache.get(chainId);
  if (!chain) {
    const local = localChain(chainId);
    chain = defineChain({
      id: chainId,
      name: name ?? local?.name ?? `chain ${chainId}`,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: local ? [local.rpcUrl] : [] } },
    });
    cache.set(chainId, chain);
  }
  return chain;
}
