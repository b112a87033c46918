import type { ReactNode } from "react";

import { chainName, type Deployment } from "../chain/deployment";
import { useWallet } from "../wallet/WalletProvider";

/** Children only when a wallet is connected to `chainId`; otherwise what to do about it. */
export function NetworkGuard({
  chainId,
  dep,
  children,
}: {
  chainId: number;
  dep: Deployment | undefined;
  children: ReactNode;
}) {
  const { wallet, switchChain } = useWallet();
  if (!wallet) {
    return (
      <div className="notice" data-testid="connect-prompt">
        Connect a wallet (button at the top right) to act.
      </div>
    );
  }
  if (wallet.chainId !== chainId) {
    return (
      <div className="notice warn" data-testid="switch-prompt">
        Your wallet is on chain {wallet.chainId}; this action runs on {chainName(dep, chainId)}.{" "}
        <button type="button" onClick={() => void switchChain(chainId)}>
          Switch to {chainName(dep, chainId)}
        </button>
      </div>
    );
  }
  return <>{children}</>;
}
