/** Retirement rows as the carbon feed and an account page show them. */
import { Link } from "react-router";

import type { Schemas } from "../api/client";
import { chainName, type Deployment } from "../chain/deployment";
import type { ReadAt } from "../lib/finality";
import { AddressLink } from "./Address";
import { finalityColumn, type TableSpec } from "./DataTable";

type Retirement = Schemas["Retirement"];

/** The table of retirements; ``feed`` adds where each happened and who retired (an account's
 * own list leaves both out). */
export function retirementsTable({
  testId,
  readAt,
  dep,
  feed,
}: {
  testId: string;
  readAt: ReadAt[];
  dep?: Deployment;
  feed: boolean;
}): TableSpec<Retirement> {
  return {
    testId,
    rowKey: (r) => `${r.chain_id}-${r.tx_hash}-${r.log_index}`,
    columns: [
      feed && {
        head: "Where",
        className: "small",
        cell: (r) => `${chainName(dep, r.chain_id)} #${r.block_number}`,
      },
      { head: "Batch", cell: (r) => r.batch_id },
      { head: "Tonnes", num: true, cell: (r) => r.amount },
      feed && { head: "By", cell: (r) => <AddressLink address={r.account} /> },
      {
        head: feed ? "For" : "Beneficiary",
        cell: (r) => <AddressLink address={r.beneficiary} />,
      },
      {
        head: "Certificate",
        cell: (r) => (
          <Link to={`/certificates/${r.chain_id}/${r.certificate_id}`}>#{r.certificate_id}</Link>
        ),
      },
      { head: "Message", cell: (r) => r.message },
      finalityColumn(readAt),
    ],
  };
}
