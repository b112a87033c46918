/**
 * The connected wallet: an injected one (EIP-1193, found with EIP-6963) or, on the local
 * profiles, a development account whose key comes from the local server's config.js.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";
import type { Account, Address, EIP1193Provider } from "viem";

import { config, localChain } from "../config";
import { findInjected, type EIP6963ProviderDetail } from "./discovery";

export type Wallet =
  | { kind: "dev"; name: string; address: Address; chainId: number; account: Account }
  | {
      kind: "injected";
      name: string;
      rdns: string;
      address: Address;
      chainId: number;
      provider: EIP1193Provider;
    };

interface WalletApi {
  wallet: Wallet | null;
  error: string | null;
  connectInjected(detail: EIP6963ProviderDetail): Promise<void>;
  connectDev(name: string, chainId?: number): Promise<void>;
  disconnect(): void;
  switchChain(chainId: number): Promise<void>;
}

const WalletContext = createContext<WalletApi | null>(null);
const STORAGE_KEY = "esg.wallet";

interface Saved {
  kind: "dev" | "injected";
  name: string;
  chainId: number;
}

/** An EIP-1193 error in words (the full mapping lives with the actions, loaded later). */
function walletError(e: unknown): string {
  const err = e as { code?: number; message?: string };
  if (err.code === 4001) return "You rejected the request in your wallet.";
  return err.message ?? String(e);
}

async function devAccount(name: string) {
  const entry = config.devAccounts.find((a) => a.name === name);
  if (!entry) throw new Error(`no development account named ${name}`);
  // Key handling code is only loaded when a development account is used.
  const { privateKeyToAccount } = await import("viem/accounts");
  return privateKeyToAccount(entry.privateKey);
}

export function WalletProvider({ children }: { children: ReactNode }) {
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = (w: Wallet | null) => {
    setWallet(w);
    if (w) {
      const saved: Saved = {
        kind: w.kind,
        name: w.kind === "dev" ? w.name : w.rdns,
        chainId: w.chainId,
      };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
    } else {
      localStorage.removeItem(STORAGE_KEY);
    }
  };

  const connectDev = useCallback(async (name: string, chainId?: number) => {
    const chain = chainId ?? config.chains[0]?.chainId;
    if (chain === undefined || !localChain(chain)) {
      throw new Error("development accounts work on the local chains only");
    }
    const account = await devAccount(name);
    setError(null);
    save({ kind: "dev", name, address: account.address, chainId: chain, account });
  }, []);

  const connectInjected = useCallback(async (detail: EIP6963ProviderDetail) => {
    try {
      const provider = detail.provider as EIP1193Provider;
      const [address] = await provider.request({ method: "eth_requestAccounts" });
      const chainId = Number(await provider.request({ method: "eth_chainId" }));
      setError(null);
      save({
        kind: "injected",
        name: detail.info.name,
        rdns: detail.info.rdns,
        address,
        chainId,
        provider,
      });
    } catch (e) {
      setError(walletError(e));
    }
  }, []);

  // Reconnect what was connected before a reload.
  useEffect(() => {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return;
    let saved: Saved;
    try {
      saved = JSON.parse(raw) as Saved;
    } catch {
      localStorage.removeItem(STORAGE_KEY);
      return;
    }
    if (saved.kind === "dev") {
      connectDev(saved.name, saved.chainId).catch(() => localStorage.removeItem(STORAGE_KEY));
    } else {
      // Injected wallets announce themselves shortly after load.
      const timer = setTimeout(() => {
        const detail = findInjected(saved.name);
        if (detail) void connectInjected(detail);
      }, 300);
      return () => clearTimeout(timer);
    }
  }, [connectDev, connectInjected]);

  // Follow the injected wallet's account and network.
  useEffect(() => {
    if (wallet?.kind !== "injected") return;
    const provider = wallet.provider;
    const onAccounts = (accounts: Address[]) =>
      setWallet((w) => (w && accounts[0] ? { ...w, address: accounts[0] } : null));
    const onChain = (id: string) => setWallet((w) => (w ? { ...w, chainId: Number(id) } : w));
    provider.on("accountsChanged", onAccounts);
    provider.on("chainChanged", onChain);
    return () => {
      provider.removeListener("accountsChanged", onAccounts);
      provider.removeListener("chainChanged", onChain);
    };
  }, [wallet?.kind, wallet?.kind === "injected" ? wallet.provider : null]);

  const switchChain = useCallback(
    async (chainId: number) => {
      if (!wallet) return;
      if (wallet.kind === "dev") {
        if (!localChain(chainId)) {
          setError(`The development account works on the local chains only, not ${chainId}.`);
          return;
        }
        save({ ...wallet, chainId });
        return;
      }
      const hexId = `0x${chainId.toString(16)}` as const;
      try {
        await wallet.provider.request({
          method: "wallet_switchEthereumChain",
          params: [{ chainId: hexId }],
        });
      } catch (e) {
        // 4902: the wallet does not know the chain; add it when we know a node for it.
        const local = localChain(chainId);
        if ((e as { code?: number }).code === 4902 && local) {
          await wallet.provider.request({
            method: "wallet_addEthereumChain",
            params: [
              {
                chainId: hexId,
                chainName: local.name,
                nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
                rpcUrls: [local.rpcUrl],
              },
            ],
          });
        } else {
          setError(walletError(e));
          return;
        }
      }
      setError(null);
    },
    [wallet],
  );

  const api = useMemo<WalletApi>(
    () => ({
      wallet,
      error,
      connectInjected,
      connectDev,
      disconnect: () => save(null),
      switchChain,
    }),
    [wallet, error, connectInjected, connectDev, switchChain],
  );

  return <WalletContext.Provider value={api}>{children}</WalletContext.Provider>;
}

export function useWallet(): WalletApi {
  const api = useContext(WalletContext);
  if (!api) throw new Error("useWallet outside WalletProvider");
  return api;
}
