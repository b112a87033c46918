/** Carbon credit batches and the retirement feed. */
import { Link } from "react-router";

import { api, type Schemas } from "../api/client";
import { DataTable, finalityColumn, type TableSpec } from "../components/DataTable";
import { Card } from "../components/Card";
import { OnChain } from "../components/OnChain";
import { PagedList, usePaged } from "../components/PagedList";
import { retirementsTable } from "../components/RetirementsTable";
import { chainName, useDeployment, type Deployment } from "../chain/deployment";
import type { ReadAt } from "../lib/finality";

type Batch = Schemas["CarbonBatch"];

function batchesTable(dep: Deployment | undefined, readAt: ReadAt[]): TableSpec<Batch> {
  return {
    testId: "batches",
    rowKey: (b) => `${b.chain_id}-${b.batch_id}`,
    columns: [
      {
        head: "Batch",
        cell: (b) => (
          <OnChain id={b.batch_id} chain={chainName(dep, b.chain_id)}>
            {b.bridged && (
              <span className="badge" title="arrived through the bridge from the root chain">
                bridged
              </span>
            )}
          </OnChain>
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
      finalityColumn(readAt),
      {
        cell: (b) => (
          <Link to={`/act?action=retire&chain=${b.chain_id}&batch=${b.batch_id}`}>Retire…</Link>
        ),
      },
    ],
  };
}

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
        {(page) => <DataTable table={batchesTable(dep, page.read_at)} rows={page.items} />}
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
          <DataTable
            table={retirementsTable({
              testId: "retirements",
              readAt: page.read_at,
              dep,
              feed: true,
            })}
            rows={page.items}
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
