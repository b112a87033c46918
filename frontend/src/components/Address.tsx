import { Link } from "react-router";

import { shortAddress } from "../lib/format";

/** An address linking to its account page; the full address is in the tooltip. */
export function AddressLink({ address }: { address: string | null | undefined }) {
  if (!address) return <span className="muted">—</span>;
  return (
    <Link to={`/account/${address}`} className="mono" title={address}>
      {shortAddress(address)}
    </Link>
  );
}
