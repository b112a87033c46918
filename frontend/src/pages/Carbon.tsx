/** Carbon credit batches and the retirement feed. */
import { Link } from "react-router";

import { api } from "../api/client";
import { DataTable, finalityColumn } from "../components/DataTable";
import { Card } from "../components/Card";
import { PagedList, usePaged } from "../components/PagedList";
import { RetirementsTable } from "../components/RetirementsTable";
import { chainName, useDeployment, type Deployment } from "../chain/deployment";

function Batches({ dep }: { dep: Deployment | undefined }) {
  const batches = usePaged("batches", (cursor) =>
    api.useQuery("get", "/api/v1/carbon/batches", { params: { query: { limit: 20, cursor } } }),
  );
  return (
    <Card title="Batches">
      <PagedList
        {...batches}
        what="the batches"
        empty="No batches tokenized yet."
        showReadAt
        pagerAlways
      >
        {(page) => (
          <DataTable
            testId="batches"
            rows={page.items}
            rowKey={(b) => `${b.chain_id}-${b.batch_id}`}
            columns={[
              {
                head: "Batch",
                cell: (b) => (
                  <>
                    #{b.batch_id} <span className="muted small">{chainName(dep, b.chain_id)}</span>
                    {b.bridged && (
                      <span
                        className="badge"
                        title="arrived through the bridge from the root chain"
                      >
                        bridged
                      </span>
                    )}
                  </>
                ),
              },
              {
                head: "Registry / project",
                cell: (b) => (
                  <>
                    {b.registry} {b.project_id}
                  </>
                ),
              },
              { head: "Vintage", num: true, cell: (b) => b.vintage },
              { head: "Methodology", cell: (b) => b.methodology },
              {
                head: "Serials",
                className: "mono small",
                cell: (b) => (
                  <>
                    {b.serial_start}–{b.serial_end}
                  </>
                ),
              },
              { head: "Supply t", num: true, cell: (b) => b.supply },
              { head: "Retired t", num: true, cell: (b) => b.retired },
              finalityColumn(page.read_at),
              {
                cell: (b) => (
                  <Link to={`/act?action=retire&chain=${b.chain_id}&batch=${b.batch_id}`}>
                    Retire…
                  </Link>
                ),
              },
            ]}
          />
        )}
      </PagedList>
    </Card>
  );
}

function Retirements({ dep }: { dep: Deployment | undefined }) {
  // The feed follows new retirements as they are indexed.
  const feed = usePaged("retirements", (cursor) =>
    api.useQuery(
      "get",
      "/api/v1/carbon/retirements",
      { params: { query: { limit: 20, cursor } } },
      { refetchInterval: 5_000 },
    ),
  );
  return (
    <Card title="Retirements">
      <PagedList {...feed} what="the retirements" empty="No credits retired yet." pagerAlways>
        {(page) => (
          <RetirementsTable
            items={page.items}
            readAt={page.read_at}
            dep={dep}
            feed
            testId="retirements"
          />
        )}
      </PagedList>
    </Card>
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
