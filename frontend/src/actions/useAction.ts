import { useState } from "react";

import { queryClient } from "../api/client";
import { useDeployment } from "../chain/deployment";
import { describeError } from "../lib/errors";
import { publicClient, walletClient } from "../wallet/clients";
import { useWallet } from "../wallet/WalletProvider";
import type { ActionContext } from "./context";
import { runAction, type ActionPlan, type ActionState } from "./lifecycle";

/** Run an action module's plan with the connected wallet and keep its state for display. */
export function useAction() {
  const wallet = useWallet();
  const { data: dep } = useDeployment();
  const [state, setState] = useState<ActionState | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(chainId: number, build: (ctx: ActionContext) => Promise<ActionPlan>) {
    setBusy(true);
    setState(null);
    try {
      if (!dep) throw new Error("The deployment (addresses and ABIs) has not loaded from the API.");
      if (!wallet.wallet) throw new Error("Connect a wallet first.");
      const reader = publicClient(wallet.wallet, chainId);
      if (!reader) throw new Error(`No node to read chain ${chainId}: switch your wallet to it.`);
      const signer = { wallet: walletClient(wallet.wallet, chainId), reader };
      const plan = await build({ dep, chainId, owner: wallet.wallet.address, reader });
      await runAction(plan, signer, setState);
      // Pages showing indexed state refresh now that the API has the new block.
      await queryClient.invalidateQueries();
    } catch (e) {
      setState({ steps: [], phase: "failed", error: describeError(e) });
    } finally {
      setBusy(false);
    }
  }

  return { state, busy, run };
}
