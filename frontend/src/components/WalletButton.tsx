import { useState } from "react";

import { config } from "../config";
import { shortAddress } from "../lib/format";
import { useInjectedWallets } from "../wallet/discovery";
import { useWallet } from "../wallet/WalletProvider";

/** Connect an injected wallet (EIP-6963) or, on the local chains, a development account. */
export function WalletButton() {
  const { wallet, error, connectInjected, connectDev, disconnect } = useWallet();
  const injected = useInjectedWallets();
  const [open, setOpen] = useState(false);

  if (wallet) {
    return (
      <div className="wallet" data-testid="wallet">
        {wallet.kind === "dev" && (
          <span
            className="badge dev"
            title="A development key from the local server: local chains only"
          >
            DEV
          </span>
        )}
        <span className="mono" title={wallet.address} data-testid="wallet-address">
          {wallet.kind === "dev" ? `${wallet.name} ` : ""}
          {shortAddress(wallet.address)}
        </span>
        <span className="muted">chain {wallet.chainId}</span>
        <button type="button" onClick={disconnect}>
          Disconnect
        </button>
      </div>
    );
  }
  return (
    <div className="wallet">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
        Connect wallet
      </button>
      {open && (
        <div className="menu" role="menu">
          {injected.map((p) => (
            <button
              type="button"
              role="menuitem"
              key={p.info.uuid}
              onClick={() => {
                setOpen(false);
                void connectInjected(p);
              }}
            >
              <img src={p.info.icon} alt="" width={18} height={18} /> {p.info.name}
            </button>
          ))}
          {injected.length === 0 && (
            <p className="muted small">No browser wallet found (EIP-6963).</p>
          )}
          {config.devAccounts.length > 0 && (
            <>
              <p className="small warn-text">
                DEV accounts: public test keys of the local chains. Never use them elsewhere.
              </p>
              {config.devAccounts.map((a) => (
                <button
                  type="button"
                  role="menuitem"
                  key={a.name}
                  onClick={() => {
                    setOpen(false);
                    void connectDev(a.name);
                  }}
                >
                  <span className="badge dev">DEV</span> {a.name}
                </button>
              ))}
            </>
          )}
        </div>
      )}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}
