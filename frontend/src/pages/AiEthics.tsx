/** AI models audited for ethics: four scores, energy and emissions, and the auditor. */
import { api } from "../api/client";
import { AddressLink } from "../components/Address";
import { Amount } from "../components/Amount";
import { FinalityBadge, ReadAtLine } from "../components/FinalityBadge";
import { Pager, useKeysetPages } from "../components/Pager";
import { Empty, QueryState } from "../components/Status";
import { shortHash } from "../lib/format";

function Meter({ value, label }: { value: number; label: string }) {
  return (
    <div className="meter" title={`${label}: ${value} of 1000`}>
      <span className="meter-label">{label}</span>
      <meter min={0} max={1000} value={value} />
      <span className="num">{value}</span>
    </div>
  );
}

export default function AiEthics() {
  const pages = useKeysetPages("audits");
  const { data, isPending, error } = api.useQuery("get", "/api/v1/ai-ethics/audits", {
    params: { query: { limit: 20, cursor: pages.cursor } },
  });
  return (
    <div>
      <h1>AI ethics audits</h1>
      <p className="muted">
        Each audit is signed by an auditor (EIP-712) and recorded on AET; scores run from 0 to 1000.
      </p>
      <ReadAtLine readAt={data?.read_at} />
      <QueryState isPending={isPending} error={error} what="the audits" />
      {data && data.items.length === 0 && <Empty>No audits yet.</Empty>}
      {data?.items.map((a) => (
        <section
          className="card"
          key={`${a.chain_id}-${a.tx_hash}-${a.log_index}`}
          data-testid="audit"
        >
          <h2 className="mono small">
            Model {shortHash(a.model_id)} <FinalityBadge row={a} readAt={data.read_at} />
          </h2>
          <div className="grid2">
            <div>
              <Meter label="Transparency" value={a.transparency} />
              <Meter label="Bias (fairness)" value={a.bias} />
              <Meter label="Human alignment" value={a.human_alignment} />
              <Meter label="Environmental impact" value={a.environmental_impact} />
            </div>
            <dl className="facts">
              <dt>Energy</dt>
              <dd>{a.energy_kwh} kWh</dd>
              <dt>Emissions</dt>
              <dd>{a.kg_co2e} kg CO2e</dd>
              <dt>Auditor</dt>
              <dd>
                <AddressLink address={a.auditor} />
              </dd>
              <dt>Audited for</dt>
              <dd>
                <AddressLink address={a.recipient} />
              </dd>
              <dt>Reward</dt>
              <dd>
                <Amount raw={a.reward} symbol="AET" maxFraction={4} /> AET
              </dd>
              <dt>Where</dt>
              <dd>
                chain {a.chain_id}, block {a.block_number}
              </dd>
            </dl>
          </div>
        </section>
      ))}
      {data && (
        <Pager
          page={pages.page}
          nextCursor={data.next_cursor}
          onOlder={pages.older}
          onNewer={pages.newer}
        />
      )}
    </div>
  );
}
