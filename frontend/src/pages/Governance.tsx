/** Governance proposals: state, tallies, quorum progress, timelock ETA; vote from here. */
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";

import { api, type Schemas } from "../api/client";
import { AddressLink } from "../components/Address";
import { Amount } from "../components/Amount";
import { Fact } from "../components/Facts";
import { FinalityBadge } from "../components/FinalityBadge";
import { PagedList, usePaged } from "../components/PagedList";
import { chainName, contractOf, useDeployment, type Deployment } from "../chain/deployment";
import { formatAmount, formatTime } from "../lib/format";
import { useReader } from "../wallet/clients";

type Proposal = Schemas["Proposal"];

/** The state in words: stored status for finished proposals, else from the chain's head. */
export function proposalState(p: Proposal, head: number | undefined): string {
  if (p.status && p.status !== "created") return p.status;
  if (head === undefined || p.vote_start === null || p.vote_end === null)
    return p.status ?? "unknown";
  if (head <= Number(p.vote_start)) return "pending (voting not open yet)";
  if (head <= Number(p.vote_end)) return "active (voting open)";
  return "voting closed";
}

/** The quorum of a proposal, read from the Governor when a node for its chain is at hand. */
function useQuorum(p: Proposal, dep: Deployment | undefined) {
  const reader = useReader(p.chain_id);
  return useQuery({
    queryKey: ["quorum", p.chain_id, p.proposal_id],
    enabled: !!reader && !!dep && p.vote_start !== null,
    staleTime: Infinity,
    queryFn: async () => {
      const governor = contractOf(dep!, p.chain_id, "Governor");
      return (await reader!.readContract({
        address: governor.address,
        abi: governor.abi,
        functionName: "quorum",
        args: [BigInt(p.vote_start!)],
      })) as bigint;
    },
  });
}

function QuorumBar({ p, dep }: { p: Proposal; dep: Deployment | undefined }) {
  const { data: quorum, error } = useQuorum(p, dep);
  const counted = BigInt(p.for_votes) + BigInt(p.abstain_votes);
  if (error) return <span className="muted small">quorum unavailable</span>;
  if (quorum === undefined)
    return <span className="muted small">quorum: needs a node for chain {p.chain_id}</span>;
  const pct = quorum === 0n ? 100 : Number((counted * 10_000n) / quorum) / 100;
  return (
    <div className="meter" title="for + abstain votes, against the quorum">
      <meter min={0} max={100} value={Math.min(pct, 100)} />
      <span className="small">
        {pct.toFixed(1)} % of quorum ({formatAmount(counted, 18, 0)} / {formatAmount(quorum, 18, 0)}
        )
      </span>
    </div>
  );
}

function ProposalCard({
  p,
  dep,
  head,
  readAt,
}: {
  p: Proposal;
  dep: Deployment | undefined;
  head: number | undefined;
  readAt: Schemas["ReadAt"][];
}) {
  const state = proposalState(p, head);
  return (
    <section className="card" data-testid="proposal">
      <h2>{p.description ?? `Proposal ${p.proposal_id}`}</h2>
      <p className="small muted mono">
        #{p.proposal_id.slice(0, 16)}… on {chainName(dep, p.chain_id)}{" "}
        <FinalityBadge row={p} readAt={readAt} />
      </p>
      <dl className="facts">
        <Fact term="State" testId="proposal-state">
          {state}
        </Fact>
        <Fact term="Proposer">
          <AddressLink address={p.proposer} />
        </Fact>
        <Fact term="Votes">
          for <Amount raw={p.for_votes} symbol="GST" maxFraction={0} /> · against{" "}
          <Amount raw={p.against_votes} symbol="GST" maxFraction={0} /> · abstain{" "}
          <Amount raw={p.abstain_votes} symbol="GST" maxFraction={0} />
        </Fact>
        <Fact term="Quorum">
          <QuorumBar p={p} dep={dep} />
        </Fact>
        <Fact term="Voting">
          blocks {p.vote_start ?? "?"} – {p.vote_end ?? "?"}
        </Fact>
        <Fact term="Timelock ETA">{p.eta && p.eta !== "0" ? formatTime(p.eta) : "—"}</Fact>
      </dl>
      {state.startsWith("active") && (
        <p>
          <Link to={`/act?action=vote&chain=${p.chain_id}&proposal=${p.proposal_id}`}>
            Vote on it…
          </Link>
        </p>
      )}
    </section>
  );
}

export default function Governance() {
  const { data: dep } = useDeployment();
  const chains = api.useQuery("get", "/api/v1/chains");
  const proposals = usePaged("proposals", (cursor) =>
    api.useQuery("get", "/api/v1/governance/proposals", {
      params: { query: { limit: 10, cursor } },
    }),
  );
  const heads = new Map((chains.data?.items ?? []).map((c) => [c.chain_id, c.head_block]));
  return (
    <div>
      <h1>Governance</h1>
      <p className="muted">
        GST holders (with delegated and staked votes) decide; passed proposals run through the
        timelock that holds every contract's admin role.
      </p>
      <PagedList
        {...proposals}
        what="the proposals"
        empty="No proposals yet."
        showReadAt
        pagerAlways
      >
        {(page) =>
          page.items.map((p) => (
            <ProposalCard
              key={`${p.chain_id}-${p.proposal_id}`}
              p={p}
              dep={dep}
              head={heads.get(p.chain_id)}
              readAt={page.read_at}
            />
          ))
        }
      </PagedList>
    </div>
  );
}
