/** Injected wallets announced through EIP-6963 (several extensions can coexist). */
import { createStore, type EIP6963ProviderDetail } from "mipd";
import { useSyncExternalStore } from "react";

const store = typeof window === "undefined" ? undefined : createStore();
const none: readonly EIP6963ProviderDetail[] = [];

export function useInjectedWallets(): readonly EIP6963ProviderDetail[] {
  return useSyncExternalStore(
    (onChange) => store?.subscribe(onChange) ?? (() => {}),
    () => store?.getProviders() ?? none,
    () => none,
  );
}

export function findInjected(rdns: string): EIP6963ProviderDetail | undefined {
  return store?.getProviders().find((p) => p.info.rdns === rdns);
}

export type { EIP6963ProviderDetail };
