/** An item's number and, in small print, the chain it lives on (then any ``children``). */
import type { ReactNode } from "react";

export function OnChain({
  id,
  chain,
  children,
}: {
  id: ReactNode;
  chain: ReactNode;
  children?: ReactNode;
}) {
  return (
    <>
      #{id} <span className="muted small">{chain}</span>
      {children}
    </>
  );
}
