/** viem clients for the connected wallet: one that signs, one that reads a chain. */
import {
  createPublicClient,
  createWalletClient,
  custom,
  http,
  type PublicClient,
  type WalletClient,
} from "viem";

import { localChain } from "../config";
import { viemChain } from "./chains";

// Receipts are polled this often (viem's default of 4 s would delay "mined" by seconds).
const POLLING_MS = 250;
import { useWallet, type Wallet } from "./WalletProvider";

/** A client that signs with the wallet on `chainId` (the wallet must be on that chain). */
export function walletClient(wallet: Wallet | null, chainId: number): WalletClient {
  if (!wallet) throw new Error("Connect a wallet first.");
  const chain = viemChain(chainId);
  if (wallet.kind === "dev") {
    const local = localChain(chainId);
    if (!local) throw new Error(`No local node for chain ${chainId}.`);
    return createWalletClient({ account: wallet.account, chain, transport: http(local.rpcUrl) });
  }
  return createWalletClient({ account: wallet.address, chain, transport: custom(wallet.provider) });
}

/** A client reading `chainId`: the wallet's node when it is there, else a local RPC URL. */
export function publicClient(wallet: Wallet | null, chainId: number): PublicClient | undefined {
  const chain = viemChain(chainId);
  if (wallet?.kind === "injected" && wallet.chainId === chainId) {
    return createPublicClient({
      chain,
      transport: custom(wallet.provider),
      pollingInterval: POLLING_MS,
    });
  }
  const local = localChain(chainId);
  return local
    ? createPublicClient({ chain, transport: http(local.rpcUrl), pollingInterval: POLLING_MS })
    : undefined;
}

/** The reader of `chainId` for the current wallet (undefined: no node to ask). */
export function useReader(chainId: number): PublicClient | undefined {
  const { wallet } = useWallet();
  return publicClient(wallet, chainId);
}
