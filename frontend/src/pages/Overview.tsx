/** Every token per chain (supply, holders, locked in the bridge), the chains' heads and lag,
 * and recent activity. */
import { useQueries } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";

import { api, type Schemas } from "../api/client";
import { AddressLink } from "../components/Address";
import { Amount } from "../components/Amount";
import { DataTable, type Column, type TableSpec } from "../components/DataTable";
import { FinalityBadge, ReadAtLine } from "../components/FinalityBadge";
import { QueryState } from "../components/Status";
import { chainName, useDeployment, type Deployment } from "../chain/deployment";
import { config } from "../config";

type Profile = Schemas["ProfileOut"];
type Token = Schemas["TokenOut"];
type Chain = Schemas["ChainOut"];

/** What each chain's Bridge contract holds: the amounts locked for other chains. */
function useBridgeHoldings(dep: Deployment | undefined) {
  const bridges = (dep?.chains ?? []).flatMap((c) =>
    c.contracts.Bridge ? [{ chainId: c.chain_id, address: c.contracts.Bridge.address }] : [],
  );
  const results = useQueries({
    queries: bridges.map((b) =>
      api.queryOptions("get", "/api/v1/esg/unified-profile/{address}", {
        params: { path: { address: b.address } },
      }),
    ),
  });
  const locked = new Map<string, string>();
  results.forEach((r, i) => {
    const profile = r.data as Profile | undefined;
    for (const b of profile?.balances ?? []) {
      if (b.chain_id === bridges[i].chainId && b.token) {
        const key = `${b.chain_id}:${b.token}`;
        locked.set(key, (BigInt(locked.get(key) ?? "0") + BigInt(b.amount)).toString());
      }
    }
  });
  return locked;
}

function chainsTable(dep: Deployment | undefined): TableSpec<Chain> {
  return {
    testId: "chains",
    rowKey: (c) => c.chain_id,
    columns: [
      { head: "Chain", cell: (c) => chainName(dep, c.chain_id) },
      { head: "Node head", num: true, cell: (c) => c.head_block },
      { head: "Indexed", num: true, cell: (c) => c.indexed_block },
      { head: "Finalized", num: true, cell: (c) => c.finalized_block },
      {
        head: "Lag (blocks)",
        num: true,
        className: (c) => (c.lag > 0 ? "warn-text" : ""),
        cell: (c) => c.lag,
      },
    ],
  };
}

function Chains({ dep }: { dep: Deployment | undefined }) {
  const { data, isPending, error } = api.useQuery(
    "get",
    "/api/v1/chains",
    {},
    { refetchInterval: 2_000 },
  );
  return (
    <section className="card">
      <h2>Chains</h2>
      <QueryState isPending={isPending} error={error} what="the chains" />
      {data && <DataTable table={chainsTable(dep)} rows={data.items} />}
    </section>
  );
}

/** A token's supply and holders on one chain, and what its bridge there holds. */
function TokenOnChain({
  token,
  chainId,
  held,
}: {
  token: Token;
  chainId: number;
  held: string | undefined;
}) {
  const c = token.chains.find((x) => x.chain_id === chainId);
  if (!c || c.holders <= 0) return <span className="muted">—</span>;
  return (
    <>
      <Amount raw={c.supply} symbol={token.symbol} maxFraction={2} />{" "}
      <span className="muted small">({c.holders})</span>
      {held && (
        <div className="small muted">
          <Amount raw={held} symbol={token.symbol} maxFraction={2} /> locked in bridge
        </div>
      )}
    </>
  );
}

/** One column per chain (``chains``), and what each chain's bridge holds (``locked``). */
function tokensTable(
  dep: Deployment | undefined,
  chains: number[],
  locked: Map<string, string>,
): TableSpec<Token> {
  return {
    testId: "tokens",
    rowKey: (t) => t.symbol,
    rowProps: (t) => ({ "data-testid": "token", "data-symbol": t.symbol }),
    columns: [
      { head: "Token", cell: (t) => <strong>{t.symbol}</strong> },
      ...chains.map((chainId): Column<Token> => ({
        head: chainName(dep, chainId),
        num: true,
        cell: (t) => (
          <TokenOnChain token={t} chainId={chainId} held={locked.get(`${chainId}:${t.symbol}`)} />
        ),
      })),
    ],
  };
}

function Tokens({ dep }: { dep: Deployment | undefined }) {
  const { data, isPending, error } = api.useQuery("get", "/api/v1/tokens");
  const locked = useBridgeHoldings(dep);
  const chains = [...new Set((data?.items ?? []).flatMap((t) => t.chains.map((c) => c.chain_id)))];
  return (
    <section className="card">
      <h2>Tokens</h2>
      <p className="muted small">
        Supply (holders) per chain, read from the index, including blocks that are not final yet. A
        bridged token is locked in its chain's bridge and minted on the other side.
      </p>
      <QueryState isPending={isPending} error={error} what="the tokens" />
      {data && <DataTable table={tokensTable(dep, chains, locked)} rows={data.items} />}
    </section>
  );
}

function Welcome() {
  if (!config.devAccounts.length) return null;
  return (
    <div className="notice" data-testid="welcome">
      <strong>Try it:</strong> press <em>Connect wallet</em> (top right), pick a{" "}
      <span className="badge dev">DEV</span> account, then{" "}
      <Link to="/act?action=retire">retire a carbon credit</Link> into a certificate. DEV accounts
      use the local chains' public test keys.
    </div>
  );
}

/** One line of the activity feed: an indexed row of some list, told in words. */
interface ActivityItem {
  key: string;
  row: { chain_id: number; block_number: number; final: boolean };
  text: ReactNode;
}

function activity(key: string, row: ActivityItem["row"], text: ReactNode): ActivityItem {
  const { chain_id, block_number, final } = row;
  return { key, row: { chain_id, block_number, final }, text };
}

function Activity({ dep }: { dep: Deployment | undefined }) {
  const retirements = api.useQuery("get", "/api/v1/carbon/retirements", {
    params: { query: { limit: 5 } },
  });
  const proposals = api.useQuery("get", "/api/v1/governance/proposals", {
    params: { query: { limit: 3 } },
  });
  const audits = api.useQuery("get", "/api/v1/ai-ethics/audits", {
    params: { query: { limit: 3 } },
  });
  const items: ActivityItem[] = [
    ...(retirements.data?.items ?? []).map((r) =>
      activity(
        `r${r.chain_id}-${r.tx_hash}-${r.log_index}`,
        r,
        <>
          <AddressLink address={r.account} /> retired <Amount raw={r.amount} symbol="CCR" /> t of
          batch {r.batch_id} →{" "}
          <Link to={`/certificates/${r.chain_id}/${r.certificate_id}`}>
            certificate #{r.certificate_id}
          </Link>
        </>,
      ),
    ),
    ...(proposals.data?.items ?? []).map((p) =>
      activity(
        `p${p.chain_id}-${p.proposal_id}`,
        p,
        <>
          Proposal <Link to="/governance">{(p.description ?? p.proposal_id).slice(0, 80)}</Link> is{" "}
          {p.status ?? "unknown"}
        </>,
      ),
    ),
    ...(audits.data?.items ?? []).map((a) =>
      activity(
        `a${a.chain_id}-${a.tx_hash}-${a.log_index}`,
        a,
        <>
          AI model {a.model_id.slice(0, 10)}… audited by <AddressLink address={a.auditor} />{" "}
          (transparency {a.transparency}/1000)
        </>,
      ),
    ),
  ].sort((x, y) => y.row.block_number - x.row.block_number);
  const error = retirements.error ?? proposals.error ?? audits.error;
  return (
    <section className="card">
      <h2>Recent activity</h2>
      <QueryState isPending={retirements.isPending} error={error} what="recent activity" />
      <ul className="activity">
        {items.map((i) => (
          <li key={i.key}>
            <span className="muted small">
              {chainName(dep, i.row.chain_id)} #{i.row.block_number}
            </span>{" "}
            {i.text} <FinalityBadge row={i.row} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Overview() {
  const { data: dep } = useDeployment();
  const tokens = api.useQuery("get", "/api/v1/tokens");
  return (
    <div>
      <h1>Overview</h1>
      <Welcome />
      <ReadAtLine readAt={tokens.data?.read_at} />
      <Chains dep={dep} />
      <Tokens dep={dep} />
      <Activity dep={dep} />
    </div>
  );
}
