/** Runtime configuration: set by /config.js before the app loads (see public/config.js). */

export interface LocalChain {
  chainId: number;
  name: string;
  rpcUrl: string;
}

export interface DevAccount {
  name: string;
  privateKey: `0x${string}`;
}

export interface RuntimeConfig {
  /** Base URL of the API; empty: the origin that served the app. */
  apiUrl: string;
  /** Chains whose RPC URL the app may use directly (the local profiles). */
  chains: LocalChain[];
  /** Development accounts (DEVELOPMENT ONLY), offered on the local chains above. */
  devAccounts: DevAccount[];
}

declare global {
  interface Window {
    ESG_CONFIG?: Partial<RuntimeConfig>;
  }
}

export function readConfig(raw: Partial<RuntimeConfig> | undefined): RuntimeConfig {
  return {
    apiUrl: (raw?.apiUrl ?? "").replace(/\/+$/, ""),
    chains: raw?.chains ?? [],
    devAccounts: raw?.devAccounts ?? [],
  };
}

export const config: RuntimeConfig = readConfig(
  typeof window === "undefined" ? undefined : window.ESG_CONFIG,
);

export function localChain(chainId: number): LocalChain | undefined {
  return config.chains.find((c) => c.chainId === chainId);
}
