/** Retirement rows as the carbon feed and an account page show them. */
import { Link } from "react-router";

import type { Schemas } from "../api/client";
import { chainName, type Deployment } from "../chain/deployment";
import type { ReadAt } from "../lib/finality";
import { AddressLink } from "./Address";
import { FinalityBadge } from "./FinalityBadge";

type Retirement = Schemas["Retirement"];

/** The retirements ``items``; ``feed`` adds where each happened and who retired (an account's
 * own list leaves both out). */
export function RetirementsTable({
  items,
  readAt,
  dep,
  feed,
  testId,
}: {
  items: Retirement[];
  readAt: ReadAt[];
  dep?: Deployment;
  feed: boolean;
  testId: string;
}) {
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          {feed && <th>Where</th>}
          <th>Batch</th>
          <th className="num">Tonnes</th>
          {feed && <th>By</th>}
          <th>{feed ? "For" : "Beneficiary"}</th>
          <th>Certificate</th>
          <th>Message</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={`${r.chain_id}-${r.tx_hash}-${r.log_index}`}>
            {feed && (
              <td className="small">
                {chainName(dep, r.chain_id)} #{r.block_number}
              </td>
            )}
            <td>{r.batch_id}</td>
            <td className="num">{r.amount}</td>
            {feed && (
              <td>
                <AddressLink address={r.account} />
              </td>
            )}
            <td>
              <AddressLink address={r.beneficiary} />
            </td>
            <td>
              <Link to={`/certificates/${r.chain_id}/${r.certificate_id}`}>
                #{r.certificate_id}
              </Link>
            </td>
            <td>{r.message}</td>
            <td>
              <FinalityBadge row={r} readAt={readAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
