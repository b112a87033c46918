/** Carbon credit batches and the retirement feed. */
import { Link } from "react-router";

import { api } from "../api/client";
import { FinalityBadge, ReadAtLine } from "../components/FinalityBadge";
import { Pager, useKeysetPages } from "../components/Pager";
import { RetirementsTable } from "../components/RetirementsTable";
import { Empty, QueryState } from "../components/Status";
import { chainName, useDeployment, type Deployment } from "../chain/deployment";

function Batches({ dep }: { dep: Deployment | undefined }) {
  const pages = useKeysetPages("batches");
  const { data, isPending, error } = api.useQuery("get", "/api/v1/carbon/batches", {
    params: { query: { limit: 20, cursor: pages.cursor } },
  });
  return (
    <section className="card">
      <h2>Batches</h2>
      <ReadAtLine readAt={data?.read_at} />
      <QueryState isPending={isPending} error={error} what="the batches" />
      {data && data.items.length === 0 && <Empty>No batches tokenized yet.</Empty>}
      {data && data.items.length > 0 && (
        <table data-testid="batches">
          <thead>
            <tr>
              <th>Batch</th>
              <th>Registry / project</th>
              <th className="num">Vintage</th>
              <th>Methodology</th>
              <th>Serials</th>
              <th className="num">Supply t</th>
              <th className="num">Retired t</th>
              <th />
              <th />
            </tr>
          </thead>
          <tbody>
            {data.items.map((b) => (
              <tr key={`${b.chain_id}-${b.batch_id}`}>
                <td>
                  #{b.batch_id} <span className="muted small">{chainName(dep, b.chain_id)}</span>
                  {b.bridged && (
                    <span className="badge" title="arrived through the bridge from the root chain">
                      bridged
                    </span>
                  )}
                </td>
                <td>
                  {b.registry} {b.project_id}
                </td>
                <td className="num">{b.vintage}</td>
                <td>{b.methodology}</td>
                <td className="mono small">
                  {b.serial_start}–{b.serial_end}
                </td>
                <td className="num">{b.supply}</td>
                <td className="num">{b.retired}</td>
                <td>
                  <FinalityBadge row={b} readAt={data.read_at} />
                </td>
                <td>
                  <Link to={`/act?action=retire&chain=${b.chain_id}&batch=${b.batch_id}`}>
                    Retire…
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && (
        <Pager
          page={pages.page}
          nextCursor={data.next_cursor}
          onOlder={pages.older}
          onNewer={pages.newer}
        />
      )}
    </section>
  );
}

function Retirements({ dep }: { dep: Deployment | undefined }) {
  const pages = useKeysetPages("retirements");
  const { data, isPending, error } = api.useQuery(
    "get",
    "/api/v1/carbon/retirements",
    { params: { query: { limit: 20, cursor: pages.cursor } } },
    { refetchInterval: 5_000 },
  );
  return (
    <section className="card">
      <h2>Retirements</h2>
      <QueryState isPending={isPending} error={error} what="the retirements" />
      {data && data.items.length === 0 && <Empty>No credits retired yet.</Empty>}
      {data && data.items.length > 0 && (
        <RetirementsTable
          items={data.items}
          readAt={data.read_at}
          dep={dep}
          feed
          testId="retirements"
        />
      )}
      {data && (
        <Pager
          page={pages.page}
          nextCursor={data.next_cursor}
          onOlder={pages.older}
          onNewer={pages.newer}
        />
      )}
    </section>
  );
}

export default function Carbon() {
  const { data: dep } = useDeployment();
  return (
    <div>
      <h1>Carbon credits</h1>
      <p className="muted">
        One batch per project and vintage; 1 unit = 1 tCO2e. Retiring credits burns them for good
        and issues a certificate to the beneficiary.
      </p>
      <Batches dep={dep} />
      <Retirements dep={dep} />
    </div>
  );
}
