/** AI models audited for ethics: four scores, energy and emissions, and the auditor. */
import { api } from "../api/client";
import { AddressLink } from "../components/Address";
import { Amount } from "../components/Amount";
import { Fact } from "../components/Facts";
import { FinalityBadge } from "../components/FinalityBadge";
import { PagedList, usePaged } from "../components/PagedList";
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
  const audits = usePaged("audits", (cursor) =>
    api.useQuery("get", "/api/v1/ai-ethics/audits", { params: { query: { limit: 20, cursor } } }),
  );
  return (
    <div>
      <h1>AI ethics audits</h1>
      <p className="muted">
        Each audit is signed by an auditor (EIP-712) and recorded on AET; scores run from 0 to 1000.
      </p>
      <PagedList {...audits} what="the audits" empty="No audits yet." showReadAt pagerAlways>
        {(page) =>
          page.items.map((a) => (
            <section
              className="card"
              key={`${a.chain_id}-${a.tx_hash}-${a.log_index}`}
              data-testid="audit"
            >
              <h2 className="mono small">
                Model {shortHash(a.model_id)} <FinalityBadge row={a} readAt={page.read_at} />
              </h2>
              <div className="grid2">
                <div>
                  <Meter label="Transparency" value={a.transparency} />
                  <Meter label="Bias (fairness)" value={a.bias} />
                  <Meter label="Human alignment" value={a.human_alignment} />
                  <Meter label="Environmental impact" value={a.environmental_impact} />
                </div>
                <dl className="facts">
                  <Fact term="Energy">{a.energy_kwh} kWh</Fact>
                  <Fact term="Emissions">{a.kg_co2e} kg CO2e</Fact>
                  <Fact term="Auditor">
                    <AddressLink address={a.auditor} />
                  </Fact>
                  <Fact term="Audited for">
                    <AddressLink address={a.recipient} />
                  </Fact>
                  <Fact term="Reward">
                    <Amount raw={a.reward} symbol="AET" maxFraction={4} /> AET
                  </Fact>
                  <Fact term="Where">
                    chain {a.chain_id}, block {a.block_number}
                  </Fact>
                </dl>
              </div>
            </section>
          ))
        }
      </PagedList>
    </div>
  );
}
